#!/usr/bin/env bash
# Which async HTTP client the S3 client runs on, by measurement: the AWS CRT client (what the service
# uses) and the Netty client, each in a fresh JVM per run against S3Proxy on loopback: time to build
# the client, the first LIST (of KEYS keys, default 131 like bench-startup.sh's demo replica, split
# into: until sent (endpoint rules, auth scheme, signing), until the response headers, until parsed
# (the XML)), the first ranged GET, the process's CPU time by then, then warm 4 KiB ranged GETs (16 in
# flight). Medians of RUNS runs, alternating the two.
#
#   ./mvnw package -DskipTests && src/test/scripts/bench-s3-client.sh [RUNS]     (default 5)
#
# JAVA_FLAGS: JVM flags for every run, e.g. the image's (what a cold start of the service runs with):
#   JAVA_FLAGS="$(sed -n "s/^ *JAVA_FLAGS='\([^']*\)'.*/\1/p" src/main/docker/Dockerfile.jvm)" AOT=1 ...
# AOT=1: each client's runs use a JDK AOT cache (-XX:AOTCache) recorded by one training run of it first,
# as the image's runs do, so what is measured is the code's cold run, not class loading.
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
rm -rf "$out/classes" && javac -d "$out/classes" -cp "$cp" "$root/src/test/scripts/S3ClientBench.java"
# A jar, not a folder: an AOT cache only records classes from jars.
jar cf "$out/bench.jar" -C "$out/classes" .
read -r -a flags <<<"${JAVA_FLAGS:-}"

export S3PROXY_STATE_DIR=$out/s3proxy S3PROXY_WATCH_PID=$$
endpoint=$("$root/src/test/scripts/s3proxy.sh" start)
trap '"$root/src/test/scripts/s3proxy.sh" stop >/dev/null 2>&1 || true' EXIT
s3() { curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user identity:credential -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
s3 -X PUT "$endpoint/bench" >/dev/null
head -c $((1 << 20)) /dev/urandom >"$out/object"
s3 -X PUT -T "$out/object" "$endpoint/bench/object" >/dev/null
keys=${KEYS:-131}
head -c 4096 /dev/urandom >"$out/small"
for i in $(seq 1 "$keys"); do
  s3 -X PUT -T "$out/small" "$endpoint/bench/list/$(printf '%016x-%016x.ltx' "$i" "$i")" >/dev/null
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# From target/quarkus-app, as the image runs from /deployments: its flags name native/ relative to it.
bench() {
  (cd "$root/target/quarkus-app" && java "${flags[@]}" "$@" -cp "$out/bench.jar:$cp" S3ClientBench "$type" "$endpoint" \
    bench object list/ 4000 16)
}
declare -A aot
for type in crt netty; do
  aot[$type]=
  if [ "${AOT:-0}" = 1 ]; then
    rm -f "$out/$type.aot"
    bench -XX:AOTCacheOutput="$out/$type.aot" >/dev/null 2>"$out/$type-training.log" \
      || fail "the training run of $type failed (see $out/$type-training.log)"
    aot[$type]=-XX:AOTCache=$out/$type.aot
  fi
done
: >"$out/runs.txt" && : >"$out/runs.log"
for _ in $(seq 1 "$runs"); do
  for type in crt netty; do
    # shellcheck disable=SC2086 # empty without AOT=1
    bench ${aot[$type]} 2>>"$out/runs.log" | grep '^type=' >>"$out/runs.txt"
  done
done
printf '%-6s %9s %10s %8s %8s %8s %10s %8s %12s\n' client "create ms" "1st LIST" "sent" "headers" "parsed" "1st GET ms" "CPU ms" "warm GETs/s"
for type in crt netty; do
  f() { grep "type=$type " "$out/runs.txt" | sed -n "s/.* $1=\([0-9.]*\).*/\1/p" | median; }
  printf '%-6s %9s %10s %8s %8s %8s %10s %8s %12s\n' "$type" "$(f create_ms)" "$(f first_list_ms)" "$(f list_sent_ms)" \
    "$(f list_headers_ms)" "$(f list_parsed_ms)" "$(f first_get_ms)" "$(f cold_cpu_ms)" "$(f warm_gets_per_s)"
done
echo "(medians of $runs fresh JVMs each; the LIST: $(grep -m1 -o 'listed_keys=[0-9]*' "$out/runs.txt" | cut -d= -f2) keys," \
  "its ms until sent, then until the response headers, then until parsed; CPU: the process's, at the first GET's" \
  "end; JVM flags: ${JAVA_FLAGS:-none}$([ "${AOT:-0}" = 1 ] && echo ', AOT cache'); every run: $out/runs.txt)"
