#!/usr/bin/env bash
# Live-replica benchmark, ltxvfs beside the reference Litestream VFS (litestream-vfs.so 0.5.17 in
# Debian's sqlite3). Not a test; takes ~6-7 minutes. Parts (all by default, or name some):
#   lag   replica lag from a commit to a query seeing it, 200 commits, 1 s polls, both readers
#         on the same file:// replica at the same time (dev.ltxvfs.bench.LagBench)      ~4 min
#   idle  S3 requests per idle minute, counted at the wire by a TCP proxy in front of
#         S3Proxy for each side (dev.ltxvfs.bench.IdleCostBench)                         ~1 min
#   pitr  time to switch a connection to one hour back on ~3,400 LTX files, file:// and
#         S3Proxy (dev.ltxvfs.bench.PitrSwitchBench)                                     ~1.5 min
# Env: LAG_COMMITS (200), IDLE_SECONDS (60), PITR_L0_FILES (3000).
set -euo pipefail
cd "$(dirname "$0")/../../.."
. .mvn/toolchain.sh
ltxvfs_require_jdk
ref=$(src/test/scripts/reference-vfs.sh)
echo "reference extension: $ref"
./mvnw -o -q -B test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(lag idle pitr)
run() {
  java -Djava.util.logging.manager=org.jboss.logmanager.LogManager --enable-native-access=ALL-UNNAMED \
      -Dltxvfs.root="$PWD" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" "$@" 2>&1 \
    | grep -v -e '^WARNING' -e 'LogManager accessed'
}
for part in "${parts[@]}"; do
  echo "== $part"
  case "$part" in
    lag)  run dev.ltxvfs.bench.LagBench "${LAG_COMMITS:-200}" ;;
    idle) run dev.ltxvfs.bench.IdleCostBench "${IDLE_SECONDS:-60}" ;;
    pitr) run dev.ltxvfs.bench.PitrSwitchBench "${PITR_L0_FILES:-3000}" ;;
    *) echo "unknown part: $part (lag, idle, pitr)" >&2; exit 2 ;;
  esac
done
