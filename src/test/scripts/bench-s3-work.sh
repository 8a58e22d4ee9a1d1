# Sourced by bench scripts (after setting $root): a scratch folder for the run, S3Proxy's state and
# data kept in it (on disk and on one port, so a stopped S3Proxy comes back as it was), and the
# clean-up on exit of what the script starts: $pid (the service) and $proxies (counting proxies).
# Also the helpers those scripts share: free_port, now_ms, median.
work=$(mktemp -d "${TMPDIR:-/tmp}/ltxvfs-bench.XXXXXX")
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
export S3PROXY_STATE_DIR=$work/s3proxy S3PROXY_BACKEND=filesystem S3PROXY_DATA_DIR=$work/s3data \
  S3PROXY_PORT=$(free_port) S3PROXY_WATCH_PID=$$
pid=
proxies=()
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  for p in "${proxies[@]}"; do kill "$p" 2>/dev/null || true; done
  "$root/src/test/scripts/s3proxy.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {if (NR == 0) print "-"; else print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
