#!/usr/bin/env bash
# Clients benchmark (issue 12), on the generated demo replica:
#   1. the real @libsql/client: a 5-statement transaction("read") against 5 single executes;
#   2. the JDBC driver jar: its size, and DriverManager.getConnection to the first row in a cold JVM
#      with only the jar on the class path, beside the service's cold start to its first answer;
#   3. the heap high-water mark (jstat, every 50 ms) of the service on -Xmx512m under 8 parallel
#      SELECT zeroblob(500000000), this build beside the build before the size checks (BEFORE=71b2fe9).
# Usage: src/test/scripts/bench-clients.sh     (env: ROUNDS=100 BEFORE=<commit>; run under the build lock)
# Needs: JDK 25, node/npm (for @libsql/client, installed once into ~/.cache), curl.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"
out=$root/target/bench-clients
port=${PORT:-18090}
rounds=${ROUNDS:-100}
before=${BEFORE:-71b2fe9}
mkdir -p "$out"
fail() { echo "bench-clients: $*" >&2; exit 1; }

java_home=$(./mvnw -q -v 2>/dev/null | sed -n 's/^Java home: //p' || true)
java=${JAVA:-${java_home:+$java_home/bin/java}}
[ -x "${java:-}" ] || java=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)
[ -x "$java" ] || fail "no JDK 25 java found; set JAVA=/path/to/java"
jbin=$(dirname "$java")

echo "== build (service jar and driver jar)"
./mvnw -B -o -q package -DskipTests
version=$(sed -n 's/^  <version>\(.*\)<\/version>/\1/p' pom.xml | head -1)
jar=$root/target/ltxvfs-jdbc-$version.jar
[ -f "$jar" ] || fail "no $jar"

server_pid=
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}
trap stop_server EXIT

# Starts a service jar ($1 = quarkus-app dir) on the demo; sets startup_ms (launch to first answer).
start_server() {
  local app=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  (cd "$app" && exec "$java" "$@" -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN \
     -Dltxvfs.demo.dir="$out/demo" -jar quarkus-run.jar >"$out/server.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 1 6000); do
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited (see $out/server.log)"
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
         -d '{"sql":"SELECT count(*) FROM orders"}' "http://127.0.0.1:$port/v1/databases/demo/query")" = 200 ]; then
      t1=$(date +%s%N)
      startup_ms=$(( (t1 - t0) / 1000000 ))
      return 0
    fi
    sleep 0.01
  done
  fail "the server did not answer (see $out/server.log)"
}

# Max of S0U+S1U+EU+OU (MiB) sampled while 8 giant-value requests run in parallel.
heap_under_giants() {
  local samples=$out/jstat.txt
  "$jbin/jstat" -gc "$server_pid" 50 >"$samples" &
  local jstat_pid=$!
  sleep 0.3
  local pids=()
  for i in $(seq 1 8); do
    curl -s -o "$out/giant-$i.json" -w '%{http_code}\n' -H 'content-type: application/json' \
      -d '{"sql":"SELECT zeroblob(500000000)"}' "http://127.0.0.1:$port/v1/databases/demo/query" >"$out/giant-$i.code" &
    pids+=($!)
  done
  wait "${pids[@]}" || true
  sleep 0.3
  kill "$jstat_pid" 2>/dev/null || true
  wait "$jstat_pid" 2>/dev/null || true
  heap_mib=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { u = $3 + $4 + $6 + $8; if (u > m) m = u } END { printf "%.0f", m / 1024 }' "$samples")
  codes=$(cat "$out"/giant-*.code | sort | uniq -c | awk '{printf "%s×%s ", $1, $2}')
  alive=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' -d '{"sql":"SELECT 1"}' \
    "http://127.0.0.1:$port/v1/databases/demo/query" || echo dead)
}

echo "== 1. @libsql/client: 5-statement read transaction vs 5 single executes ($rounds rounds each)"
start_server "$root/target/quarkus-app" -Xmx512m
service_cold_ms=$startup_ms
LTXVFS_URL="http://127.0.0.1:$port/libsql/demo/" BENCH_ROUNDS=$rounds \
  BENCH_SQL="SELECT count(*) FROM orders WHERE id < 100" \
  bash src/test/node/run-libsql-check.sh libsql-bench.mjs | tee "$out/libsql.json"

echo "== 3a. heap high-water, this build (-Xmx512m, 8 × zeroblob(500000000))"
heap_under_giants
after_heap=$heap_mib after_codes=$codes after_alive=$alive
stop_server

echo "== 2. JDBC driver jar: cold JVM, getConnection to first row (demo replica)"
mkdir -p "$out/probe"
cp src/test/resources/jdbc/Probe.java "$out/probe/"
"$jbin/javac" -d "$out/probe" "$out/probe/Probe.java"
jar_bytes=$(stat -c %s "$jar")
for i in 1 2 3; do
  t0=$(date +%s%N)
  "$java" --enable-native-access=ALL-UNNAMED -Dprobe.table=orders -cp "$jar:$out/probe" Probe 2026-01-01T00:00:00Z \
    "jdbc:litestream:file://$out/demo" >"$out/probe-$i.txt" 2>&1 || true
  t1=$(date +%s%N)
  echo "run $i: process $(( (t1 - t0) / 1000000 )) ms; $(grep -o 'first row after [0-9]* ms' "$out/probe-$i.txt" || cat "$out/probe-$i.txt")"
done

echo "== 3b. heap high-water, the build before the size checks ($before)"
if [ ! -d "$out/before" ]; then
  mkdir -p "$out/before"
  git archive "$before" | tar -x -C "$out/before"
  (cd "$out/before" && ./mvnw -B -o -q package -DskipTests)
fi
start_server "$out/before/target/quarkus-app" -Xmx512m
heap_under_giants
before_heap=$heap_mib before_codes=$codes before_alive=$alive
stop_server

echo
echo "| figure | value |"
echo "|---|---|"
echo "| libSQL 5-statement read transaction / 5 single executes | $(cat "$out/libsql.json") |"
echo "| driver jar size | $(( jar_bytes / 1024 / 1024 )) MiB ($jar_bytes bytes) |"
echo "| service cold start to first answer (same machine) | $service_cold_ms ms |"
echo "| heap high-water, 8 × zeroblob(500000000), -Xmx512m: before ($before) | ${before_heap} MiB; answers ${before_codes}; SELECT 1 after: $before_alive |"
echo "| heap high-water, same, this build | ${after_heap} MiB; answers ${after_codes}; SELECT 1 after: $after_alive |"
