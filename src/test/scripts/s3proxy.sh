#!/usr/bin/env bash
# Runs S3Proxy, a real S3-compatible server, on 127.0.0.1 for the tests.
#   s3proxy.sh start    start it unless it already answers; prints the endpoint (http://127.0.0.1:PORT)
#   s3proxy.sh stop     stop it; no process is left behind
#   s3proxy.sh status   prints the endpoint and exits 0 when it answers, else exit 3
# Environment:
#   S3PROXY_PORT        port to listen on (default: a free one)
#   S3PROXY_BACKEND     transient (in memory, default) or filesystem
#   S3PROXY_DATA_DIR    the filesystem backend's directory (default: STATE/data)
#   S3PROXY_STATE_DIR   where pid, endpoint, config and log live (default: target/s3proxy)
#   S3PROXY_WATCH_PID   stop the server when this process ends (the JVM that asked for it)
# Credentials are fixed test values: access key "identity", secret "credential".
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
state=${S3PROXY_STATE_DIR:-$root/target/s3proxy}
pidfile=$state/s3proxy.pid
endpointfile=$state/endpoint
version=4.1.0
identity=identity
credential=credential

fail() { echo "s3proxy: $*" >&2; exit 1; }

# A live pid from the pid file that really is our S3Proxy (not a recycled pid).
live_pid() {
  local pid
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 's3proxy' || return 1
  echo "$pid"
}

# Any HTTP status (403 for an anonymous request) means the server is up.
answers() {
  local code
  code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$1/" 2>/dev/null || true)
  [ -n "$code" ] && [ "$code" != 000 ]
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p i
  for i in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  fail "no free port found"
}

find_jar() {
  local j
  for j in "$root/target/s3proxy/s3proxy.jar" \
           "$HOME/.m2/repository/org/gaul/s3proxy/$version/s3proxy-$version-jar-with-dependencies.jar"; do
    [ -f "$j" ] && { echo "$j"; return 0; }
  done
  fail "S3Proxy jar not found: run the Maven build once (it copies org.gaul:s3proxy:$version to target/s3proxy/s3proxy.jar)"
}

status() {
  local pid
  if pid=$(live_pid) && [ -f "$endpointfile" ] && answers "$(cat "$endpointfile")"; then
    cat "$endpointfile"; return 0
  fi
  return 3
}

stop() {
  local pid i
  if pid=$(live_pid); then
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile" "$endpointfile"
}

start() {
  if status >/dev/null; then cat "$endpointfile"; return 0; fi
  stop # a stale pid or a server that stopped answering
  mkdir -p "$state"
  . "$root/.mvn/toolchain.sh"
  ltxvfs_require_jdk
  local jar port backend endpoint conf pid i
  jar=$(find_jar)
  port=${S3PROXY_PORT:-$(free_port)}
  port_free "$port" || fail "port $port is already in use"
  backend=${S3PROXY_BACKEND:-transient}
  endpoint=http://127.0.0.1:$port
  conf=$state/s3proxy.properties
  {
    echo "s3proxy.endpoint=$endpoint"
    echo "s3proxy.authorization=aws-v2-or-v4"
    echo "s3proxy.identity=$identity"
    echo "s3proxy.credential=$credential"
    echo "jclouds.identity=$identity"
    echo "jclouds.credential=$credential"
    case "$backend" in
      transient) echo "jclouds.provider=transient" ;;
      filesystem)
        mkdir -p "${S3PROXY_DATA_DIR:-$state/data}"
        echo "jclouds.provider=filesystem"
        echo "jclouds.filesystem.basedir=$(cd "${S3PROXY_DATA_DIR:-$state/data}" && pwd)" ;;
      *) fail "S3PROXY_BACKEND must be transient or filesystem, not '$backend'" ;;
    esac
  } >"$conf"
  # Small heap and C1 only: a test server, where start-up time matters more than peak speed.
  nohup "$JAVA_HOME/bin/java" -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
    -jar "$jar" --properties "$conf" </dev/null >"$state/s3proxy.log" 2>&1 &
  pid=$!
  echo "$pid" >"$pidfile"
  for i in $(seq 1 300); do
    if answers "$endpoint"; then break; fi
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; fail "S3Proxy exited at start (see $state/s3proxy.log)"; }
    sleep 0.1
  done
  answers "$endpoint" || { stop; fail "S3Proxy did not answer on $endpoint within 30 s (see $state/s3proxy.log)"; }
  echo "$endpoint" >"$endpointfile"
  if [ -n "${S3PROXY_WATCH_PID:-}" ]; then
    # Without this a JVM killed hard (no shutdown hook) would leave the server running.
    (
      while kill -0 "$S3PROXY_WATCH_PID" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done
      kill "$pid" 2>/dev/null || true
    ) </dev/null >/dev/null 2>&1 &
  fi
  echo "$endpoint"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
