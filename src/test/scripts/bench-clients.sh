#!/usr/bin/env bash
# Clients benchmark (issue 12), on the generated demo replica in S3Proxy behind the counting proxy at
# 0 ms and at 20 ms per request (about an in-region S3 time to first byte), in one run:
#   1. the real @libsql/client: a 5-statement transaction("read") against 5 single executes, and a
#      batch of the 5 in "read" mode (one request, one snapshot) (medians of ROUNDS after 10 warm-up
#      rounds, on a service started for the purpose; warm, its pages come from the cache);
#   2. the JDBC driver jar: its size, and DriverManager.getConnection to the first row in a cold JVM with
#      only the jar on the class path, beside the service's cold start (process start to its first
#      answer; plain jar, -Xmx512m); medians of RUNS, interleaved (the whole probe process also waits for
#      a litestream_hydrate=on connection to finish hydrating, see src/test/resources/jdbc/Probe.java);
#   3. the service's heap high-water mark (jstat -gc every 50 ms: S0U+S1U+EU+OU) on -Xmx512m under 8
#      parallel SELECT zeroblob(500000000), the answers, and a SELECT 1 after them;
#   4. what counting temp files costs: a 300,000-row ORDER BY that spills about 30 MB, the service's
#      elapsedMs (its temp files counted against ltxvfs.query.max-temp-bytes) beside the same SQLite
#      (sqlite-jdbc from the driver jar) in a plain JVM with unix's uncounted temp files; medians of 5
#      after one warm-up each;
#   5. what the driver's error-explaining wrapper costs per JDBC call: 500,000 rows of 4 columns read in a
#      tight loop through the driver's connection and through sqlite-jdbc's own (unwrap), alternating, warm,
#      medians of 7 after one warm-up each.
#
#   src/test/scripts/bench-clients.sh     (env ROUNDS=100 RUNS=3; BUILD=0 reuses target/; run under the build lock)
# Needs JDK 25, node/npm (@libsql/client is installed once into ~/.cache), curl, python3.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
rounds=${ROUNDS:-100}
runs=${RUNS:-3}
fail() { echo "bench-clients: $*" >&2; exit 1; }
. "$root/.mvn/toolchain.sh"
ltxvfs_require_jdk
java=$JAVA_HOME/bin/java

if [ "${BUILD:-1}" = 1 ]; then
  echo "== build: service jar, driver jar, test classes (the counting proxy)" >&2
  (cd "$root" && ./mvnw -B -q -o package -DskipTests >/dev/null && ./mvnw -B -q -o test-compile >/dev/null)
fi
version=$(sed -n 's/^  <version>\(.*\)<\/version>/\1/p' "$root/pom.xml" | head -1)
jar=$root/target/ltxvfs-jdbc-$version.jar
app=$root/target/quarkus-app
[ -f "$jar" ] && [ -f "$app/quarkus-run.jar" ] || fail "no $jar or $app: run without BUILD=0"

. "$root/src/test/scripts/bench-s3-work.sh"

# ---- the replica: the demo dataset, written by the service itself, copied into S3Proxy ----
port=$(free_port)
(cd "$app" && exec "$java" -Dquarkus.http.port="$port" -Dltxvfs.demo.dir="$work/demo" -jar quarkus-run.jar) >"$work/demo.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break; sleep 0.1; done
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
[ -d "$work/demo/ltx" ] || fail "the demo replica was not written (see $work/demo.log)"
endpoint=$("$root/src/test/scripts/s3proxy.sh" start)
s3() { curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user identity:credential -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
s3 -X PUT "$endpoint/bench" >/dev/null
for f in "$work"/demo/ltx/*/*.ltx; do
  level=$(basename "$(dirname "$f")")
  s3 -X PUT -T "$f" "$endpoint/bench/demo/$(printf %04x "$level")/$(basename "$f")" >/dev/null
done
declare -A via
for delay in 0 20; do
  exec {fd}< <(BENCH_DELAY_MS=$delay "$java" -cp "$root/target/test-classes" dev.ltxvfs.bench.CountingProxy "$endpoint" \
    < <(sleep 100000))
  proxies+=($!)
  read -r -u "$fd" via[$delay]
done
replica() { echo "s3://bench/demo?endpoint=${via[$1]}&forcePathStyle=true"; }

# ---- the service: started on the replica at a delay; sets startup_ms (process start to first 200) ----
start_service() {
  local delay=$1 t0 code
  port=$(free_port)
  t0=$(now_ms)
  (cd "$app" && exec "$java" -Xmx512m -Dquarkus.http.port="$port" -Dltxvfs.demo.enabled=false \
     -Dltxvfs.databases.demo.replica-url="$(replica "$delay")" -Daws.accessKeyId=identity -Daws.secretAccessKey=credential \
     -jar quarkus-run.jar) >"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    code=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -d '{"sql": "SELECT count(*) FROM orders"}' "http://127.0.0.1:$port/v1/databases/demo/query" || true)
    [ "$code" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || fail "the service exited (see $work/service.log)"
    sleep 0.01
  done
  [ "$code" = 200 ] || fail "the service did not answer (see $work/service.log)"
  startup_ms=$(( $(now_ms) - t0 ))
}
stop_service() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }

# ---- the driver: a cold JVM with only the jar (and the probe) on the class path ----
mkdir -p "$work/probe"
cp "$root/src/test/resources/jdbc/Probe.java" "$work/probe/"
# The anchor of 4: the same sort in sqlite-jdbc's SQLite, temp files through unix, uncounted.
cat >"$work/probe/SortAnchor.java" <<'JAVA'
import java.sql.*;
public class SortAnchor {
    public static void main(String[] a) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:"); Statement s = c.createStatement()) {
            s.execute("PRAGMA temp_store = FILE");
            for (int i = 0; i < 6; i++) {
                long t0 = System.nanoTime();
                try (ResultSet rs = s.executeQuery(a[0])) { rs.next(); }
                if (i > 0) System.out.println((System.nanoTime() - t0) / 1_000_000);
            }
        }
    }
}
JAVA
# The wrapper's cost of 5: rows SQLite makes itself, so only the JDBC calls differ between the two.
cat >"$work/probe/WrapperCost.java" <<'JAVA'
import java.sql.*;
public class WrapperCost {
    public static void main(String[] a) throws Exception {
        try (Connection wrapped = DriverManager.getConnection(a[0])) {
            Connection own = wrapped.unwrap(org.sqlite.SQLiteConnection.class);
            long[][] ms = new long[2][8];
            for (int i = 0; i < 8; i++) {
                for (int k = 0; k < 2; k++) {
                    long t0 = System.nanoTime(), sum = 0;
                    try (Statement s = (k == 0 ? wrapped : own).createStatement(); ResultSet rs = s.executeQuery(a[1])) {
                        while (rs.next()) sum += rs.getLong(1) + rs.getInt(2) + rs.getString(3).length() + (long) rs.getDouble(4);
                    }
                    ms[k][i] = (System.nanoTime() - t0) / 1_000_000 + (sum == 42 ? 1 : 0);
                }
            }
            for (int k = 0; k < 2; k++) {
                long[] m = java.util.Arrays.copyOfRange(ms[k], 1, 8);
                java.util.Arrays.sort(m);
                System.out.print(m[3] + (k == 0 ? " " : "\n"));
            }
        }
    }
}
JAVA
"$JAVA_HOME/bin/javac" -cp "$jar" -d "$work/probe" "$work/probe/Probe.java" "$work/probe/SortAnchor.java" "$work/probe/WrapperCost.java"
sort_sql="WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 300000) SELECT i, randomblob(100) AS r FROM n ORDER BY r"
driver_cold() {
  local delay=$1 t0 t1 line
  t0=$(now_ms)
  "$java" --enable-native-access=ALL-UNNAMED -Dprobe.table=orders -Daws.accessKeyId=identity -Daws.secretAccessKey=credential \
    -cp "$jar:$work/probe" Probe latest "jdbc:litestream:$(replica "$delay")" >"$work/probe.txt" 2>&1 \
    || fail "the driver probe failed: $(cat "$work/probe.txt")"
  t1=$(now_ms)
  line=$(grep -o 'first row after [0-9]* ms' "$work/probe.txt") || fail "no first row: $(cat "$work/probe.txt")"
  echo "$(awk '{print $4}' <<<"$line") $((t1 - t0))"
}

declare -A cold
echo "== 2. cold starts: service (process start to first answer) and driver (getConnection to first row), $runs runs each" >&2
for delay in 0 20; do
  for _ in $(seq 1 "$runs"); do
    start_service "$delay"; stop_service
    cold[service,$delay]+="$startup_ms"$'\n'
    cold[driver,$delay]+="$(driver_cold "$delay")"$'\n'
  done
done

declare -A libsql
echo "== 1. @libsql/client: 5-statement read transaction vs 5 single executes ($rounds rounds each)" >&2
for delay in 0 20; do
  start_service "$delay"
  libsql[$delay]=$(LTXVFS_URL="http://127.0.0.1:$port/libsql/demo/" BENCH_ROUNDS=$rounds \
    BENCH_SQL="SELECT count(*) FROM orders WHERE id < 100" bash "$root/src/test/node/run-libsql-check.sh" libsql-bench.mjs)
  if [ "$delay" = 0 ]; then
    echo "== 3. heap high-water under 8 parallel SELECT zeroblob(500000000), -Xmx512m" >&2
    "$JAVA_HOME/bin/jstat" -gc "$pid" 50 >"$work/jstat.txt" &
    jstat_pid=$!
    sleep 0.3
    t0=$(now_ms)
    giants=()
    for i in $(seq 1 8); do
      curl -s -o "$work/giant-$i.json" -w '%{http_code}\n' -H 'content-type: application/json' \
        -d '{"sql":"SELECT zeroblob(500000000)"}' "http://127.0.0.1:$port/v1/databases/demo/query" >"$work/giant-$i.code" &
      giants+=($!)
    done
    wait "${giants[@]}" || true
    giant_ms=$(( $(now_ms) - t0 ))
    sleep 0.3
    kill "$jstat_pid" 2>/dev/null || true; wait "$jstat_pid" 2>/dev/null || true
    heap_mib=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { u = $3 + $4 + $6 + $8; if (u > m) m = u } END { printf "%.0f", m / 1024 }' "$work/jstat.txt")
    # The first sample, taken before the requests: the cache (the hydrated demo) and the rest of the service.
    heap_before_mib=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { printf "%.0f", ($3 + $4 + $6 + $8) / 1024; exit }' "$work/jstat.txt")
    codes=$(cat "$work"/giant-*.code | sort | uniq -c | awk '{printf "%s x %s ", $1, $2}')
    message=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["error"]["message"])' "$work/giant-1.json" 2>/dev/null || cat "$work/giant-1.json")
    alive=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' -d '{"sql":"SELECT 1"}' \
      "http://127.0.0.1:$port/v1/databases/demo/query" || echo dead)
    echo "== 4. a spilling sort: counted temp files (service) beside uncounted (plain sqlite-jdbc)" >&2
    sort_service=$(for i in 0 1 2 3 4 5; do
      curl -s -H 'content-type: application/json' -d "{\"sql\": \"$sort_sql\", \"maxRows\": 1}" \
        "http://127.0.0.1:$port/v1/databases/demo/query" \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["elapsedMs"])' | { [ "$i" = 0 ] && cat >/dev/null || cat; }
    done | median)
  fi
  stop_service
done

jar_bytes=$(stat -c %s "$jar")
col() { awk -v c="$1" '{print $c}' | median; }
field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d[sys.argv[2]][sys.argv[3]])' "$1" "$2" "$3"; }
echo
echo "driver jar: $jar_bytes bytes ($(awk -v b="$jar_bytes" 'BEGIN {printf "%.1f", b / 1048576}') MiB)"
printf '\n%-58s %10s %10s\n' "median ms" "0 ms/req" "20 ms/req"
row() { printf '%-58s %10s %10s\n' "$1" "$2" "$3"; }
row "service cold start: process start to first answer" "$(printf '%s' "${cold[service,0]}" | col 1)" "$(printf '%s' "${cold[service,20]}" | col 1)"
row "driver, cold JVM: getConnection to first row" "$(printf '%s' "${cold[driver,0]}" | col 1)" "$(printf '%s' "${cold[driver,20]}" | col 1)"
row "driver, cold JVM: whole probe process" "$(printf '%s' "${cold[driver,0]}" | col 2)" "$(printf '%s' "${cold[driver,20]}" | col 2)"
row "@libsql/client transaction(\"read\"), 5 executes, commit" "$(field "${libsql[0]}" transaction_5 median_ms)" "$(field "${libsql[20]}" transaction_5 median_ms)"
row "@libsql/client 5 single executes" "$(field "${libsql[0]}" singles_5 median_ms)" "$(field "${libsql[20]}" singles_5 median_ms)"
row "@libsql/client batch of 5, \"read\" (one request)" "$(field "${libsql[0]}" batch_5 median_ms)" "$(field "${libsql[20]}" batch_5 median_ms)"
echo "(libSQL p90: 0 ms ${libsql[0]}; 20 ms ${libsql[20]})"
echo "(cold runs, service ms: $(printf '%s' "${cold[service,0]}" | paste -sd' ') | $(printf '%s' "${cold[service,20]}" | paste -sd' '))"
echo
sort_anchor=$("$java" --enable-native-access=ALL-UNNAMED -cp "$jar:$work/probe" SortAnchor "$sort_sql" | median)
echo "300,000-row ORDER BY (about 30 MB spilled), median ms: service ${sort_service} (temp files counted) vs plain sqlite-jdbc ${sort_anchor} (uncounted): $(awk -v a="$sort_service" -v b="$sort_anchor" 'BEGIN {printf "%.2f", a / b}')x"
echo "== 5. the driver's wrapper: 500,000 rows x 4 columns, wrapped vs sqlite-jdbc's own connection" >&2
read -r wrapped own < <("$java" --enable-native-access=ALL-UNNAMED -Daws.accessKeyId=identity -Daws.secretAccessKey=credential \
  -cp "$jar:$work/probe" WrapperCost "jdbc:litestream:$(replica 0)" \
  "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 500000) SELECT i, i * 7, 'row ' || i, i * 0.5 FROM n")
echo "driver wrapper, 500,000 rows x 4 columns read, median ms: wrapped ${wrapped} vs sqlite-jdbc's own ${own}: $(awk -v a="$wrapped" -v b="$own" 'BEGIN {printf "%.2f", a / b}')x"
echo "heap, 8 x zeroblob(500000000), -Xmx512m: ${heap_before_mib} MiB before the requests, high-water ${heap_mib} MiB; answers ${codes}in ${giant_ms} ms (\"$message\"); SELECT 1 after: $alive"
