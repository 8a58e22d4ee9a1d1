#!/usr/bin/env bash
# JMH benchmark of the LTX codec (dev.ltxvfs.ltx.LtxDecodeBenchmark): whole-file decode with
# checksum, random-access frame decode, tail-index decode of a 64 MiB snapshot.
# Scores are pages/s (one op = one 4 KiB page); decompressed MB/s = score * 4096 / 1e6.
# Takes ~2-3 minutes. Extra arguments go to JMH, e.g.: bench-codec.sh -f 1 -wi 2 -i 3 randomAccess
set -euo pipefail
cd "$(dirname "$0")/../../.."
. .mvn/toolchain.sh
ltxvfs_require_jdk
./mvnw -q -B test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(-f 1 -wi 3 -w 2s -i 5 -r 2s)
exec java --enable-native-access=ALL-UNNAMED \
    -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    org.openjdk.jmh.Main LtxDecodeBenchmark "${args[@]}"
