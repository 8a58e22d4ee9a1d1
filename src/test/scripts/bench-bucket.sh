#!/usr/bin/env bash
# A bucket of databases (issue 11): TENANTS tiny replicas under one prefix in S3Proxy, behind the
# counting proxy at DELAY_MS per request, served by one catalog (dev.ltxvfs.bench.BucketBench):
#   cold    time to the first answer from a never-opened database, with its requests
#   idle    requests per idle minute, whole process and per open database (reference: README figure)
#   memory  heap after GC and resident memory per open database
#   soak    READERS readers over random databases while a writer appends to 10 of them, MAX_OPEN
#           open at most: wrong answers, errors by kind, open databases / heap after GC / threads /
#           file handles every 5 s (target/bench-bucket/soak.csv), plotted to soak.png with gnuplot
# Not a test. Env: TENANTS (1000), DELAY_MS (20), IDLE_SECONDS (60), SOAK_SECONDS (600), MAX_OPEN (100),
# READERS (16). Takes about 2 minutes plus IDLE_SECONDS plus SOAK_SECONDS.
set -euo pipefail
cd "$(dirname "$0")/../../.."
. .mvn/toolchain.sh
ltxvfs_require_jdk
out=target/bench-bucket
mkdir -p "$out"
./mvnw -o -q -B test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager --enable-native-access=ALL-UNNAMED \
    -Dltxvfs.root="$PWD" -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
    dev.ltxvfs.bench.BucketBench "${TENANTS:-1000}" "${DELAY_MS:-20}" "${IDLE_SECONDS:-60}" "${SOAK_SECONDS:-600}" \
    "${MAX_OPEN:-100}" "${READERS:-16}" "$out" 2>&1 \
  | grep -v -e '^WARNING' -e 'LogManager accessed' | tee "$out/report.txt"

if ! command -v gnuplot >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -q gnuplot-nox >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q gnuplot-nox >/dev/null; }
  fi
fi
if command -v gnuplot >/dev/null; then
  term=png
  gnuplot -e "set terminal" 2>&1 | grep -q pngcairo && term=pngcairo
  gnuplot <<GP
set terminal $term size 900,500 noenhanced
set output "$out/soak.png"
set datafile separator ","
set key top left
set xlabel "seconds"
set ylabel "open databases"
set y2label "MiB / count"
set ytics nomirror
set y2tics
set title "soak: open databases (max-open ${MAX_OPEN:-100}), heap after GC, threads"
plot "$out/soak.csv" using 1:2 with lines lw 2 title "open databases" axes x1y1, \
     "" using 1:3 with lines lw 2 title "heap after GC (MiB)" axes x1y2, \
     "" using 1:4 with lines title "threads" axes x1y2, \
     "" using 1:5 with lines title "file handles" axes x1y2
GP
  echo "plot: $out/soak.png"
else
  echo "gnuplot not available (not root?): no plot; the figures are in $out/soak.csv"
fi
