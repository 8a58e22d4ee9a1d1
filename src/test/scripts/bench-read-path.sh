#!/usr/bin/env bash
# The read path side by side with the reference Litestream VFS (dev.ltxvfs.bench.ReadPathBench):
# a 64 MiB database (4 KiB pages) written as a replica (snapshot + level-0 files) into S3Proxy on
# loopback; cold open+query, GETs and bytes for a point lookup, a 1,000-row range scan and a full
# scan (fresh process each, counted by a proxy in front of S3Proxy that also holds each request
# for 0 ms, then 20 ms, an in-region S3 time to first byte), and warm query times against plain
# SQLite on a local copy. Prints two tables with ratios. Takes ~6-9 minutes.
# Environment: BENCH_DELAYS_MS (0,20), BENCH_REPS (3, best of), REF_SCAN_TIMEOUT_S (60: the
# reference's cold full scan runs once per delay and is killed after this), BENCH_BANDWIDTH_MIBPS
# (per-connection cap, none by default), BENCH_HYDRATE (the cold child's hydrate mode: off by default;
# auto, on), BENCH_QUERIES (queries to run, cold and warm, e.g.
# "point lookup,index lookup"; all by default),
# BENCH_REFERENCE=0 (skip the reference's runs), BENCH_WARM=0 (skip the warm table), BENCH_WARM_REPS
# (runs of each warm query, ours and plain SQLite alternating; 20 by default), BENCH_WARMUP_MS (how long
# each warm query runs first, ours and plain alternating, so the timed runs meet compiled code; 2000),
# BENCH_SETTLE_MS (the cold child waits this long after the index is ready before its query,
# which is then timed from the end of the wait: what reading ahead has done by then), BENCH_TRACE=1
# (each cold run's GETs after ready as the proxy saw them: server time beyond the delay, transfer,
# and the client's time between one GET's last byte and the next GET; and the child's CPU from ready to
# the answer by thread: JIT compilers, GC, the S3 client's event loop, 'java' = SQLite). With the index lookup, the
# chain floor: 14 dependent 64 KiB GETs through the same proxy and S3 client in a warm JVM.
# BENCH_CHILD_OPTS (more JVM options for our cold child, e.g. -XX:StartFlightRecording=filename=x.jfr;
# the image's JAVA_FLAGS from src/main/docker/Dockerfile.jvm measure what ships: C1 only, serial GC).
# Each cold run of ours also prints the CPU of the child, S3Proxy and the bench JVM (the counting
# proxy) over the run, and, when hydrating the whole database, when hydration ended after ready.
# Each of ours' cold runs is printed as it ends (GETs, time after ready), then the best of BENCH_REPS.
# Needs what the tests need: the reference extension (fetched by reference-vfs.sh) and S3Proxy.
set -euo pipefail
cd "$(dirname "$0")/../../.."
. .mvn/toolchain.sh
ltxvfs_require_jdk
./mvnw -q -B test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
exec java --enable-native-access=ALL-UNNAMED -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    dev.ltxvfs.bench.ReadPathBench "$@"
