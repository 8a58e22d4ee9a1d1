#!/usr/bin/env bash
# Which async HTTP client the S3 client runs on, by measurement: the AWS CRT client (what the service
# uses) and the Netty client, each in a fresh JVM per run against S3Proxy on loopback: time to build
# the client, the first LIST, the first ranged GET, then warm 4 KiB ranged GETs (16 in flight).
# Medians of RUNS runs, alternating the two.
#
#   ./mvnw package -DskipTests && src/test/scripts/bench-s3-client.sh [RUNS]     (default 5)
#
# The Netty client is not on the service's class path (quarkus-amazon-services 3.19.0 has no
# deployment artifact for it), so its jar is fetched into target/bench-s3-client for this script.
set -euo pipefail
runs=${1:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
out=$root/target/bench-s3-client
lib=$root/target/quarkus-app/lib/main
fail() { echo "bench-s3-client: $*" >&2; exit 1; }
[ -d "$lib" ] || fail "no $lib: run ./mvnw package -DskipTests first"
. "$root/.mvn/toolchain.sh"
ltxvfs_require_jdk
mkdir -p "$out"
sdk=$(ls "$lib" | sed -n 's/^software\.amazon\.awssdk\.s3-\(.*\)\.jar$/\1/p')
"$root/mvnw" -B -q dependency:copy -Dartifact="software.amazon.awssdk:netty-nio-client:$sdk" -DoutputDirectory="$out" >/dev/null
cp="$lib/*:$out/*"
javac -d "$out/classes" -cp "$cp" "$root/src/test/scripts/S3ClientBench.java"

export S3PROXY_STATE_DIR=$out/s3proxy S3PROXY_WATCH_PID=$$
endpoint=$("$root/src/test/scripts/s3proxy.sh" start)
trap '"$root/src/test/scripts/s3proxy.sh" stop >/dev/null 2>&1 || true' EXIT
s3() { curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user identity:credential -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
s3 -X PUT "$endpoint/bench" >/dev/null
head -c $((1 << 20)) /dev/urandom >"$out/object"
s3 -X PUT -T "$out/object" "$endpoint/bench/object" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
: >"$out/runs.txt"
for _ in $(seq 1 "$runs"); do
  for type in crt netty; do
    java -cp "$out/classes:$cp" S3ClientBench "$type" "$endpoint" bench object 4000 16 >>"$out/runs.txt"
  done
done
printf '%-6s %10s %14s %13s %16s\n' client "create ms" "first LIST ms" "first GET ms" "warm GETs/s"
for type in crt netty; do
  f() { grep "type=$type " "$out/runs.txt" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p" | median; }
  printf '%-6s %10s %14s %13s %16s\n' "$type" "$(f create_ms)" "$(f first_list_ms)" "$(f first_get_ms)" "$(f warm_gets_per_s)"
done
echo "(medians of $runs fresh JVMs each; every run: $out/runs.txt)"
