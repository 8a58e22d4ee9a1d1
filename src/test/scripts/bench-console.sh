#!/usr/bin/env bash
# The console and its history endpoint, measured. Run it under the build lock. Parts (all by
# default, or name some):
#   console  the console's transfer size (first load, new browser profile) and its time to
#            interactive on a warm service (the embedded demo, packaged jar, median of 7 reloads),
#            in Debian's headless Chromium (src/test/scripts/console-browser.sh --measure)   ~30 s
#   history  one page of GET /v1/databases/{db}/history on a replica of ~5,700 LTX files in
#            S3Proxy: LISTs, GETs and time at 0 ms and 20 ms per request (counting proxy), beside
#            walking the whole history (dev.ltxvfs.bench.HistoryBench)                    ~1 min
# Env: HISTORY_L0_FILES (5000), HISTORY_LIMIT (100). Needs target/quarkus-app (./mvnw package).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$root"
. .mvn/toolchain.sh
ltxvfs_require_jdk
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
fail() { echo "bench-console: $*" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ltxvfs-bench-console.XXXXXX")
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

console() {
  local app=$root/target/quarkus-app port files
  [ -f "$app/quarkus-run.jar" ] || fail "no $app/quarkus-run.jar: run ./mvnw package -DskipTests first"
  port=$(free_port)
  (cd "$app" && exec "$java" --enable-native-access=ALL-UNNAMED -Dquarkus.http.port="$port" \
      -Dltxvfs.demo.dir="$work/demo" -jar quarkus-run.jar) >"$work/service.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break; sleep 0.1; done
  curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" || fail "the service did not get ready (see $work/service.log)"
  # Warm: the first query and history page already served.
  curl -sf -o /dev/null "http://127.0.0.1:$port/v1/databases/demo/history?limit=500"
  files=$(find src/main/resources/META-INF/resources -type f | wc -l)
  echo "console files: $files, $(cat $(find src/main/resources/META-INF/resources -type f) | wc -c) bytes on disk," \
       "$(cat $(find src/main/resources/META-INF/resources -type f) | gzip -9 | wc -c) bytes gzipped together"
  src/test/scripts/console-browser.sh --measure "http://127.0.0.1:$port/"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

history() {
  ./mvnw -o -q -B test-compile dependency:build-classpath \
      -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
  "$java" -Djava.util.logging.manager=org.jboss.logmanager.LogManager --enable-native-access=ALL-UNNAMED \
      -Dltxvfs.root="$PWD" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
      dev.ltxvfs.bench.HistoryBench "${HISTORY_L0_FILES:-5000}" "${HISTORY_LIMIT:-100}" 2>&1 \
    | grep -v -e '^WARNING' -e 'LogManager accessed'
}

parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(console history)
for part in "${parts[@]}"; do
  echo "== $part"
  case "$part" in
    console) console ;;
    history) history ;;
    *) fail "unknown part: $part (console, history)" ;;
  esac
done
