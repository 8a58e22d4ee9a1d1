#!/usr/bin/env bash
# Time from process start to the first answered query, which is what scale-to-zero waits for,
# with the database's replica in S3Proxy: the JVM jar, the JVM jar with its AOT cache, and the
# reference Litestream VFS in a cold sqlite3 process, on the same replica and query. Also the
# resident memory (VmRSS) right after that first answer. Medians of RUNS runs each.
#
#   ./mvnw verify -Daot          # the jar and target/quarkus-app/app.aot (recorded by native-tests/)
#   src/test/scripts/bench-startup.sh [RUNS]      (default 5)
#
# A run: start the process, POST the query in a tight loop (connection refused, then 503 while the
# index builds) until the first 200; the time is taken around all of it.
set -euo pipefail

runs=${1:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
app=$root/target/quarkus-app
sql='SELECT count(*), sum(qty) FROM orders'
fail() { echo "bench-startup: $*" >&2; exit 1; }

[ -f "$app/quarkus-run.jar" ] || fail "no $app/quarkus-run.jar: run ./mvnw verify -Daot first"
[ -f "$app/app.aot" ] || fail "no $app/app.aot: run ./mvnw verify -Daot first (the AOT cache is recorded by native-tests/)"
. "$root/.mvn/toolchain.sh"
ltxvfs_require_jdk
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$java" >/dev/null || java=java

work=$(mktemp -d "${TMPDIR:-/tmp}/ltxvfs-bench.XXXXXX")
export S3PROXY_STATE_DIR=$work/s3proxy S3PROXY_BACKEND=transient
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  "$root/src/test/scripts/s3proxy.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

# ---- the replica: the embedded demo dataset, written by the service itself, copied into S3Proxy ----
port=$(free_port)
(cd "$app" && exec "$java" -Dquarkus.http.port="$port" -Dltxvfs.demo.dir="$work/demo" -jar quarkus-run.jar) >"$work/demo.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break; sleep 0.1; done
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
[ -d "$work/demo/ltx" ] || fail "the demo replica was not written (see $work/demo.log)"

endpoint=$("$root/src/test/scripts/s3proxy.sh" start)
s3() { curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user identity:credential -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
s3 -X PUT "$endpoint/bench" >/dev/null
files=0
for f in "$work"/demo/ltx/*/*.ltx; do
  level=$(basename "$(dirname "$f")")
  # Litestream's metadata: the LTX header's timestamp (Unix ms, big-endian, bytes 32..39) in RFC 3339.
  ms=$(od -An -tu1 -j32 -N8 "$f" | awk '{v=0; for (i=1;i<=NF;i++) v=v*256+$i; printf "%.0f\n", v}')
  ts=$(date -u -d "@$((ms / 1000))" +%Y-%m-%dT%H:%M:%SZ)
  s3 -X PUT -H "x-amz-meta-litestream-timestamp: $ts" -T "$f" \
    "$endpoint/bench/demo/$(printf %04x "$level")/$(basename "$f")" >/dev/null
  files=$((files + 1))
done
url="s3://bench/demo?endpoint=$endpoint&forcePathStyle=true"
echo "replica: $files LTX files of the demo dataset in S3Proxy ($url); query: $sql; $runs runs each" >&2

# ---- one run of ltxvfs: prints "<ms to first answer> <VmRSS kB>" ----
run_ltxvfs() {
  local port t0 t1 rss code
  port=$(free_port)
  t0=$(now_ms)
  (cd "$app" && exec "$java" "$@" -Dquarkus.http.port="$port" -Dltxvfs.demo.enabled=false \
      -Dltxvfs.databases.bench.replica-url="$url" -Daws.accessKeyId=identity -Daws.secretAccessKey=credential \
      -jar quarkus-run.jar) >"$work/run.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    code=$(curl -s -o "$work/answer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
      -d "{\"sql\": \"$sql\"}" "http://127.0.0.1:$port/v1/databases/bench/query" || true)
    [ "$code" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || fail "ltxvfs exited (see $work/run.log)"
    sleep 0.01
  done
  t1=$(now_ms)
  [ "$code" = 200 ] || fail "no answer within 30 s (see $work/run.log)"
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "$((t1 - t0)) $rss"
}

# ---- one run of the reference extension: a cold sqlite3 process; prints "<ms> <max RSS kB>" ----
ext=$("$root/src/test/scripts/reference-vfs.sh")
run_reference() {
  local t0 t1 out
  t0=$(now_ms)
  out=$(cd "$work" && env -u AWS_CA_BUNDLE LITESTREAM_REPLICA_URL="$url" AWS_ACCESS_KEY_ID=identity AWS_SECRET_ACCESS_KEY=credential \
    AWS_REGION=us-east-1 LITESTREAM_LOG_FILE="$work/reference.log" /usr/bin/time -f 'RSS %M' \
    sqlite3 -bail -batch <<<".load '$ext'
.open 'file:db?vfs=litestream'
$sql" 2>&1)
  t1=$(now_ms)
  grep -q '^[0-9]' <<<"$out" || fail "the reference extension did not answer: $out"
  echo "$((t1 - t0)) $(sed -n 's/^RSS //p' <<<"$out")"
}

report() { # name, then lines of "<ms> <kB>"
  local name=$1 lines ms rss
  lines=$(cat)
  ms=$(awk '{print $1}' <<<"$lines" | median)
  rss=$(awk '{print $2}' <<<"$lines" | median)
  printf '%-34s %8s ms  %8s MiB   (runs: %s)\n' "$name" "$ms" "$((rss / 1024))" "$(awk '{print $1}' <<<"$lines" | paste -sd' ')"
}

answer_ltxvfs=
jvm=$(for _ in $(seq 1 "$runs"); do run_ltxvfs; done)
answer_ltxvfs=$(cat "$work/answer.json")
aot=$(for _ in $(seq 1 "$runs"); do run_ltxvfs -XX:AOTCache=app.aot -XX:AOTMode=on; done)
ref=$(for _ in $(seq 1 "$runs"); do run_reference; done)

echo "ltxvfs answer: $answer_ltxvfs" >&2
printf '%-34s %11s  %12s\n' "median of $runs" "first answer" "RSS after it"
report "JVM jar" <<<"$jvm"
report "JVM jar + AOT cache (app.aot)" <<<"$aot"
report "reference VFS, cold sqlite3 (max)" <<<"$ref"
