#!/usr/bin/env bash
# Load benchmark of the REST endpoint (a committed script, not a test; see issue 5):
#   warm random primary-key point lookups on a 64 MiB database through
#   POST /v1/databases/{db}/query, for a database registered from S3Proxy and from a local
#   directory replica, beside plain sqlite-jdbc on the local file in-process (the floor);
#   then the time from process start to the first answered query, JVM jar with and without the
#   JDK 25 AOT cache (quarkus.package.jar.aot.enabled, phase=build).
# Usage: src/test/scripts/bench-load.sh        (env: DURATION=20 WARM=10 CONNECTIONS=16 THREADS=2,
#   SERVER_FLAGS: JVM flags of the server, e.g. the image's: "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
#   BUILD=0 reuses the last build)
# Needs: JDK 25 (./mvnw finds it), curl, wrk (installed from Debian with apt-get when missing and root).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"
out=$root/target/bench
duration=${DURATION:-20}
warm=${WARM:-10}
connections=${CONNECTIONS:-16}
threads=${THREADS:-2}
port=${PORT:-18080}
mkdir -p "$out"

fail() { echo "bench-load: $*" >&2; exit 1; }

if ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || fail "wrk is missing: apt-get install wrk (as root)"
  apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
fi

echo "== build (jar with AOT cache, test classes, classpath)"
if [ "${BUILD:-1}" = 1 ]; then
  ./mvnw -B -o -q package -DskipTests -Daot
  ./mvnw -B -o -q dependency:build-classpath -Dmdep.outputFile="$out/cp.txt" -Dmdep.includeScope=test >/dev/null
fi
java_home=$(./mvnw -q -v 2>/dev/null | sed -n 's/^Java home: //p' || true)
java=${JAVA:-${java_home:+$java_home/bin/java}}
[ -x "${java:-}" ] || java=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)
[ -x "$java" ] || fail "no JDK 25 java found; set JAVA=/path/to/java"
cp="$root/target/classes:$root/target/test-classes:$(cat "$out/cp.txt")"

echo "== S3Proxy"
export S3PROXY_STATE_DIR=$out/s3proxy S3PROXY_WATCH_PID=$$
endpoint=$(src/test/scripts/s3proxy.sh start)
server_pid=
trap 'stop_server; src/test/scripts/s3proxy.sh stop >/dev/null 2>&1 || true' EXIT

echo "== database (~64 MiB) and replicas"
rows=$("$java" --enable-native-access=ALL-UNNAMED -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" dev.ltxvfs.bench.BenchDatabase "$out" "$endpoint" bench kv | tail -1)
echo "rows=$rows size=$(du -h "$out/bench.db" | cut -f1)"

export AWS_ACCESS_KEY_ID=identity AWS_SECRET_ACCESS_KEY=credential AWS_REGION=us-east-1
# shellcheck disable=SC2206 # the flags are words
server_args=(${SERVER_FLAGS:-} -Xmx1g -Dquarkus.http.port="$port" -Dquarkus.log.level=WARN
  -Dltxvfs.databases.local.replica-url="file://$out/replica"
  -Dltxvfs.databases.s3.replica-url="s3://bench/kv?endpoint=$endpoint&forcePathStyle=true"
  -Dltxvfs.cache.max-size=256M)

# Starts the jar (in this shell: server_pid must survive); sets startup_ms, from launch to the
# first answered query on database $1.
start_server() {
  local db=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  (cd target/quarkus-app && exec "$java" "$@" "${server_args[@]}" -jar quarkus-run.jar >"$out/server.log" 2>&1) &
  server_pid=$!
  for _ in $(seq 1 3000); do
    kill -0 "$server_pid" 2>/dev/null || fail "the server exited (see $out/server.log)"
    if [ "$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
         -d '{"sql":"SELECT payload FROM kv WHERE id = 1"}' "http://127.0.0.1:$port/v1/databases/$db/query")" = 200 ]; then
      t1=$(date +%s%N)
      startup_ms=$(( (t1 - t0) / 1000000 ))
      return 0
    fi
    sleep 0.01
  done
  fail "the server did not answer (see $out/server.log)"
}

stop_server() {
  [ -n "$server_pid" ] || return 0
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
port_busy && fail "port $port is in use: set PORT"

cat >"$out/lookup.lua" <<EOF
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  return wrk.format(nil, nil, nil, '{"sql":"SELECT * FROM kv WHERE id = ?","params":[' .. math.random(1, $rows) .. ']}')
end
EOF

# wrk's summary -> "rps p50_ms p99_ms"
run_wrk() {
  wrk -t"$threads" -c"$connections" -d"${1}s" --latency -s "$out/lookup.lua" "http://127.0.0.1:$port/v1/databases/$2/query" >"$out/wrk-$2.txt"
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    /Non-2xx/ { bad = $NF }
    END { printf "%s %.3f %.3f %s\n", rps, p50, p99, bad + 0 }' "$out/wrk-$2.txt"
}

echo "== startup to first answered query"
declare -A startup
for mode in jvm aot; do
  extra=()
  [ "$mode" = aot ] && extra=(-XX:AOTCache=app.aot)
  for i in 1 2 3; do
    start_server local "${extra[@]}"
    stop_server
    startup[$mode]="${startup[$mode]:-} $startup_ms"
  done
  echo "startup $mode (ms, 3 runs):${startup[$mode]}"
done

echo "== load: warm ${warm}s then ${duration}s per database (wrk -t$threads -c$connections)"
start_server local
declare -A res
for db in s3 local; do
  run_wrk "$warm" "$db" >/dev/null
  res[$db]=$(run_wrk "$duration" "$db")
  echo "endpoint db=$db rps p50_ms p99_ms non2xx: ${res[$db]}"
done
stop_server

echo "== floor: plain sqlite-jdbc, $threads threads, in-process"
floor=$("$java" --enable-native-access=ALL-UNNAMED -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$cp" dev.ltxvfs.bench.PlainLookupBench "$out/bench.db" "$rows" "$threads" "$duration" | tail -1)
echo "$floor"
floor_rps=$(echo "$floor" | sed -n 's/.* rps=\([0-9.]*\).*/\1/p')

echo "== summary"
printf '%-28s %10s %9s %9s\n' "path" "req/s" "p50 ms" "p99 ms"
for db in s3 local; do
  read -r rps p50 p99 _ <<<"${res[$db]}"
  printf '%-28s %10.0f %9.3f %9.3f\n' "endpoint ($db replica)" "$rps" "$p50" "$p99"
done
printf '%-28s %10s %9s %9s\n' "plain sqlite-jdbc (floor)" "$floor_rps" \
  "$(echo "$floor" | sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p')" "$(echo "$floor" | sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p')"
read -r s3rps _ <<<"${res[s3]}"
read -r localrps _ <<<"${res[local]}"
awk -v s="$s3rps" -v l="$localrps" -v f="$floor_rps" 'BEGIN {
  printf "ratios: s3/local %.2f, local/floor %.3f, s3/floor %.3f\n", s / l, l / f, s / f }'
echo "startup to first query (ms): jvm${startup[jvm]} | aot${startup[aot]}"
