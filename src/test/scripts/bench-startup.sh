#!/usr/bin/env bash
# Time from process start to the first answered query, which is what scale-to-zero waits for, with
# the database's replica (the demo dataset: levels 0, 1, 2 and 9) in S3Proxy behind the counting
# proxy, at 0 ms and at 20 ms per request (about an in-region S3 time to first byte):
#   - the plain jar (fast-jar, no JVM flags);
#   - the jar with its AOT cache (./mvnw package -Daot);
#   - the AOT jar with the JVM flags of the container image and its cache recorded with them, as
#     src/main/docker/Dockerfile.jvm does, under the memory of its container (below);
#   - the reference Litestream VFS in a cold sqlite3 process, on the same replica and query.
# Medians of RUNS runs each, in one run of this script; the resident memory (VmRSS) right after the
# first answer; and the medians of the service's own startup timeline (the one line it logs at its
# first answer: ms after JVM start of Quarkus boot, VFS registered, S3 client ready, LIST+tails done,
# index ready, first query), with the LIST requests the store had sent by then and the CPU time the
# JVM had used (user + system, all its threads; on a CPU-bound start a steadier measure of a flag's cost
# than the wall time, which moves with the machine's other work), and how much of it the JIT compiler
# threads had used (C1 and C2; a compiler thread that the JVM ended before the first answer is not
# counted, so this is a floor).
#
#   src/test/scripts/bench-startup.sh [RUNS]      (default 5; builds both jars itself, offline;
#                                                  BUILD=0 reuses the last build in target/bench-startup)
#
# A/B against another revision, in the same run: COMPARE=<git rev> also builds that revision (in a
# temporary git worktree under /tmp, removed afterwards) and runs each of its variants right after the
# same variant of this tree, so both meet the same moment of the machine; the table then shows both
# medians and their ratio (this tree / COMPARE). VARIANTS and DELAYS pick what runs, e.g. a quick A/B:
#   COMPARE=main VARIANTS=image DELAYS=0 src/test/scripts/bench-startup.sh 5
# (VARIANTS: any of plain aot image, default all three; DELAYS: any of 0 20, default both. The
# reference runs in every round either way. With BUILD=0 the COMPARE build is reused too.)
#
# The image runs in a container whose memory limit is what the JVM sizes its heap from (the Knative
# manifest's 768Mi: an initial heap of 12 MB, so a dozen young GCs before the first answer without
# -Xms). The image variant emulates that limit with -XX:MaxRAM=<limits.memory of
# k8s/knative-service.yaml>: the JVM's heap sizing only, not the cgroup (nothing is killed at the limit).
# CONTAINER_MEMORY=<n>m sets another limit, CONTAINER_MEMORY=host runs with this machine's memory.
#
# A/B of the image's flags without a second build: ALT_FLAGS='<flags>' adds the variant "alt", the image
# with JAVA_FLAGS=<flags> instead of Dockerfile.jvm's (its own cache recorded with them, the same
# JAVA_OPTS and container memory), run right after the image variant, e.g.
#   BUILD=0 VARIANTS=image ALT_FLAGS="$(sed -n "s/^ *JAVA_FLAGS='\([^']*\)'.*/\1/p" \
#     src/main/docker/Dockerfile.jvm) -XX:-UsePerfData" src/test/scripts/bench-startup.sh 5
#
# A run: start the process, POST the query in a tight loop (connection refused, then 503 while the
# index builds) until the first 200; the time is taken around all of it.
set -euo pipefail

runs=${1:-5}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
out=$root/target/bench-startup
sql='SELECT count(*), sum(qty) FROM orders WHERE customer_id = 42'
fail() { echo "bench-startup: $*" >&2; exit 1; }
. "$root/.mvn/toolchain.sh"
ltxvfs_require_jdk
java=$JAVA_HOME/bin/java

variants=${VARIANTS:-plain aot image}
delays=${DELAYS:-0 20}
for v in $variants; do case $v in plain|aot|image) ;; *) fail "VARIANTS: '$v' is none of plain aot image";; esac; done
[ -n "${ALT_FLAGS:-}" ] && variants="$variants alt"
case ${CONTAINER_MEMORY:=$(sed -n '/limits:/,/memory:/ s/^ *memory: *\([0-9]*\)Mi *$/\1m/p' "$root/k8s/knative-service.yaml" | head -1)} in
  host) memory_flags= ;;
  [0-9]*[mg]) memory_flags=-XX:MaxRAM=$CONTAINER_MEMORY ;;
  *) fail "CONTAINER_MEMORY: '$CONTAINER_MEMORY' is neither host nor <n>m or <n>g (or no limits.memory in k8s/knative-service.yaml)" ;;
esac
for d in $delays; do case $d in 0|20) ;; *) fail "DELAYS: '$d' is none of 0 20";; esac; done

# Builds the tree at $1 into $2/{plain,aot,image}; the image's cache is recorded with the image's flags
# of that tree; its run flags are kept in $2/image-flags.
build() {
  local src=$1 dest=$2
  rm -rf "$dest" && mkdir -p "$dest"
  (cd "$src" && ./mvnw -B -q -o package -DskipTests >/dev/null && cp -r target/quarkus-app "$dest/plain" \
    && ./mvnw -B -q -o package -DskipTests -Daot >/dev/null && cp -r target/quarkus-app "$dest/aot")
  [ -f "$dest/aot/app.aot" ] || fail "./mvnw package -Daot in $src wrote no app.aot"
  record "$dest" image "$(dockerfile_env "$src" JAVA_FLAGS)"
  echo "$(dockerfile_env "$src" JAVA_FLAGS) $(dockerfile_env "$src" JAVA_OPTS | tr ' ' '\n' | grep '^-X' | paste -sd' ')" \
    >"$dest/image-flags"
}
# Copies $1/aot to $1/$2 and records its cache again with the JVM flags $3, as Dockerfile.jvm does with
# JAVA_FLAGS (a docker build has the build machine's memory: no container limit there).
record() {
  local dest=$1 name=$2 flags=$3
  rm -rf "${dest:?}/$name" && cp -r "$dest/aot" "$dest/$name" && rm "$dest/$name/app.aot"
  # shellcheck disable=SC2086 # the flags are words
  (cd "$dest/$name" && "$java" $flags -XX:AOTCacheOutput=app.aot -Dquarkus.appcds.generate=true -jar quarkus-run.jar \
    >"$dest/$name-training.log" 2>&1) || fail "the training run with flags '$flags' failed (see $dest/$name-training.log)"
}
# The value of ENV $2='...' in the Dockerfile.jvm of the tree at $1.
dockerfile_env() {
  local f
  f=$(sed -n "s/^ *$2='\([^']*\)'.*/\1/p" "$1/src/main/docker/Dockerfile.jvm")
  [ -n "$f" ] || fail "no $2='...' line in $1/src/main/docker/Dockerfile.jvm"
  echo "$f"
}

builds=cur
if [ -n "${COMPARE:-}" ]; then
  builds="cur cmp"
  compare_rev=$(git -C "$root" rev-parse --short "$COMPARE^{commit}") || fail "COMPARE=$COMPARE is no revision"
fi
if [ "${BUILD:-1}" = 1 ]; then
  echo "== build: this tree (plain jar, then the AOT jar with its cache)" >&2
  build "$root" "$out"
  (cd "$root" && ./mvnw -B -q -o test-compile >/dev/null)
  if [ -n "${COMPARE:-}" ]; then
    echo "== build: $COMPARE ($compare_rev) in a temporary worktree" >&2
    src=$(mktemp -d "${TMPDIR:-/tmp}/ltxvfs-compare.XXXXXX")
    git -C "$root" worktree add -q --detach "$src" "$compare_rev"
    status=0
    (build "$src" "$out-compare") || status=$?
    git -C "$root" worktree remove --force "$src"
    [ "$status" = 0 ] || fail "building $COMPARE failed"
    echo "$compare_rev" >"$out-compare/rev"
  fi
fi
[ -f "$out/image/app.aot" ] && [ -f "$out/image-flags" ] || fail "no build in $out: run without BUILD=0"
if [ -n "${COMPARE:-}" ]; then
  [ -f "$out-compare/image/app.aot" ] && [ "$(cat "$out-compare/rev")" = "$compare_rev" ] \
    || fail "no build of $COMPARE in $out-compare: run without BUILD=0"
fi
declare -A dir=([cur]=$out [cmp]=$out-compare)
if [ -n "${ALT_FLAGS:-}" ]; then
  echo "== recording the AOT cache with ALT_FLAGS" >&2
  record "$out" alt "$ALT_FLAGS"
  # The image's run flags with JAVA_FLAGS replaced: ALT_FLAGS and the image's JAVA_OPTS part.
  echo "$ALT_FLAGS $(dockerfile_env "$root" JAVA_OPTS | tr ' ' '\n' | grep '^-X' | paste -sd' ')" >"$out/alt-flags"
fi

. "$root/src/test/scripts/bench-s3-work.sh"
s3_up() {
  "$root/src/test/scripts/s3proxy.sh" status >/dev/null 2>&1 && return 0
  echo "bench-startup: S3Proxy had stopped; started it again" >&2
  "$root/src/test/scripts/s3proxy.sh" start >/dev/null
}

# ---- the replica: the embedded demo dataset, written by the service itself, copied into S3Proxy ----
port=$(free_port)
(cd "$out/plain" && exec "$java" -Dquarkus.http.port="$port" -Dltxvfs.demo.dir="$work/demo" -jar quarkus-run.jar) >"$work/demo.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -sf -o /dev/null "http://127.0.0.1:$port/q/health/ready" && break; sleep 0.1; done
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
[ -d "$work/demo/ltx" ] || fail "the demo replica was not written (see $work/demo.log)"

endpoint=$("$root/src/test/scripts/s3proxy.sh" start)
s3() { curl -sf --aws-sigv4 "aws:amz:us-east-1:s3" --user identity:credential -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" "$@"; }
s3 -X PUT "$endpoint/bench" >/dev/null
files=0
for f in "$work"/demo/ltx/*/*.ltx; do
  level=$(basename "$(dirname "$f")")
  # Litestream's metadata: the LTX header's timestamp (Unix ms, big-endian, bytes 32..39) in RFC 3339.
  ms=$(od -An -tu1 -j32 -N8 "$f" | awk '{v=0; for (i=1;i<=NF;i++) v=v*256+$i; printf "%.0f\n", v}')
  ts=$(date -u -d "@$((ms / 1000))" +%Y-%m-%dT%H:%M:%SZ)
  s3 -X PUT -H "x-amz-meta-litestream-timestamp: $ts" -T "$f" \
    "$endpoint/bench/demo/$(printf %04x "$level")/$(basename "$f")" >/dev/null
  files=$((files + 1))
done
levels=$(ls "$work/demo/ltx" | paste -sd, -)

# One counting proxy per delay, in front of S3Proxy. A proxy exits when its stdin ends, which the sleep
# feeding it does only after a day: stop the proxies (and a service left running) when this script ends.
declare -A via
proxies=()
pid=
trap 'kill ${pid:-} "${proxies[@]}" 2>/dev/null || true' EXIT
for delay in 0 20; do
  exec {fd}< <(BENCH_DELAY_MS=$delay "$java" -cp "$root/target/test-classes" dev.ltxvfs.bench.CountingProxy "$endpoint" \
    < <(sleep 100000 2>/dev/null))
  proxies+=($!)
  read -r -u "$fd" via[$delay]
done
echo "replica: $files LTX files (levels $levels) of the demo dataset in S3Proxy; query: $sql; $runs runs each" >&2

ext=$("$root/src/test/scripts/reference-vfs.sh")

# ---- one run of ltxvfs: prints "<ms to first answer> <VmRSS kB> <LISTs> <timeline ms (6)> <CPU ms> <JIT ms>" ----
run_ltxvfs() {
  local dir=$1 delay=$2; shift 2
  local port t0 t1 rss cpu jit code url timeline lists
  url="s3://bench/demo?endpoint=${via[$delay]}&forcePathStyle=true"
  s3_up
  port=$(free_port)
  t0=$(now_ms)
  (cd "$dir" && exec "$java" "$@" -Dquarkus.http.port="$port" -Dltxvfs.demo.enabled=false \
      -Dltxvfs.databases.bench.replica-url="$url" -Daws.accessKeyId=identity -Daws.secretAccessKey=credential \
      -jar quarkus-run.jar) >"$work/run.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 3000); do
    code=$(curl -s -m 10 -o "$work/answer.json" -w '%{http_code}' -H 'Content-Type: application/json' \
      -d "{\"sql\": \"$sql\"}" "http://127.0.0.1:$port/v1/databases/bench/query" || true)
    [ "$code" = 200 ] && break
    kill -0 "$pid" 2>/dev/null || fail "ltxvfs exited (see $work/run.log)"
    sleep 0.01
  done
  t1=$(now_ms)
  [ "$code" = 200 ] || fail "no answer within 30 s (see $work/run.log)"
  rss=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status")
  # utime + stime in clock ticks (fields 14 and 15; the name in field 2 has no spaces: "(java)").
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$pid/stat")
  # The same for the threads named "C1 CompilerThre..." and "C2 CompilerThre..." (the name is field 2,
  # "(C2 CompilerThre)": two words, so utime and stime are fields 15 and 16 there).
  jit=$(cat /proc/"$pid"/task/*/stat 2>/dev/null | awk -v hz="$(getconf CLK_TCK)" \
    '$2 ~ /^\(C[12]$/ && $3 ~ /^CompilerThre/ {t += $15 + $16} END {print int(t * 1000 / hz)}')
  # "startup (ms after JVM start): quarkus boot 512, vfs registered 430, ..." -> "512 430 ..."
  for _ in $(seq 1 100); do grep -q 'startup (ms after JVM start)' "$work/run.log" && break; sleep 0.01; done
  timeline=$(sed -n 's/.*startup (ms after JVM start): //p' "$work/run.log" | head -1 | tr ',' '\n' | awk '{print $NF}' | paste -sd' ')
  # The store's LIST requests so far (the index build's; a poll may have added one).
  lists=$(curl -s -m 10 "http://127.0.0.1:$port/v1/databases/bench" | sed -n 's/.*"lists":\([0-9]*\).*/\1/p')
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  echo "$((t1 - t0)) $rss ${lists:--} $timeline $cpu $jit"
}

# ---- one run of the reference extension: a cold sqlite3 process; prints "<ms> <max RSS kB>" ----
run_reference() {
  local delay=$1 t0 t1 out url
  url="s3://bench/demo?endpoint=${via[$delay]}&forcePathStyle=true"
  s3_up
  t0=$(now_ms)
  out=$(cd "$work" && env -u AWS_CA_BUNDLE LITESTREAM_REPLICA_URL="$url" AWS_ACCESS_KEY_ID=identity AWS_SECRET_ACCESS_KEY=credential \
    AWS_REGION=us-east-1 LITESTREAM_LOG_FILE="$work/reference.log" /usr/bin/time -f 'RSS %M' \
    sqlite3 -bail -batch <<<".load '$ext'
.open 'file:db?vfs=litestream'
$sql" 2>&1)
  t1=$(now_ms)
  grep -q '^[0-9]' <<<"$out" || fail "the reference extension did not answer: $out"
  echo "$((t1 - t0)) $(sed -n 's/^RSS //p' <<<"$out")"
}

col() { awk -v c="$1" '{print $c}' | median; }
# One run of variant $1 of build $2 at delay $3.
run_variant() {
  local v=$1 b=$2 delay=$3
  case $v in
    plain) run_ltxvfs "${dir[$b]}/plain" "$delay" ;;
    aot) run_ltxvfs "${dir[$b]}/aot" "$delay" -XX:AOTCache=app.aot ;;
    # shellcheck disable=SC2046,SC2086 # the image's flags are words
    image) run_ltxvfs "${dir[$b]}/image" "$delay" -XX:AOTCache=app.aot $(cat "${dir[$b]}/image-flags") $memory_flags ;;
    # shellcheck disable=SC2046,SC2086
    alt) run_ltxvfs "${dir[$b]}/alt" "$delay" -XX:AOTCache=app.aot $(cat "${dir[$b]}/alt-flags") $memory_flags ;;
  esac
}
declare -A result
for delay in $delays; do
  # Interleaved, so a slow moment of the machine does not land on one variant (or one build) only.
  for _ in $(seq 1 "$runs"); do
    for v in $variants; do
      for b in $builds; do
        [ "$v" = alt ] && [ "$b" = cmp ] && continue
        result[$b,$v,$delay]+="$(run_variant "$v" "$b" "$delay")"$'\n'
      done
    done
    result[ref,$delay]+="$(run_reference "$delay")"$'\n'
  done
done
echo "ltxvfs answer: $(cat "$work/answer.json")" >&2

name() { case $1 in plain) echo "plain jar";; aot) echo "jar + AOT cache";; image) echo "AOT + image flags";; alt) echo "AOT + ALT_FLAGS";; ref) echo "reference, cold sqlite3";; esac; }
label() { if [ "$1" = cmp ]; then echo "$(name "$2") @$compare_rev"; else name "$2"; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "-" || b == "-" || b == 0) print "-"; else printf "%.2f", a / b}'; }
printf '\nmedian of %s, ms from process start (ratio to the reference at the same delay), RSS after the first answer\n' "$runs"
printf '%-34s %6s %16s %9s   %s\n' variant delay "first answer" "RSS MiB" "runs"
for delay in $delays; do
  ref_ms=$(printf '%s' "${result[ref,$delay]}" | col 1)
  for v in $variants; do
    for b in $builds; do
      [ "$v" = alt ] && [ "$b" = cmp ] && continue
      lines=$(printf '%s' "${result[$b,$v,$delay]}")
      printf '%-34s %4s ms %8s (%5sx) %9s   %s\n' "$(label "$b" "$v")" "$delay" "$(col 1 <<<"$lines")" \
        "$(ratio "$(col 1 <<<"$lines")" "$ref_ms")" "$(( $(col 2 <<<"$lines") / 1024 ))" "$(awk '{print $1}' <<<"$lines" | paste -sd' ')"
    done
  done
  lines=$(printf '%s' "${result[ref,$delay]}")
  printf '%-34s %4s ms %8s (%5sx) %9s   %s\n' "$(name ref)" "$delay" "$ref_ms" 1.00 "$(( $(col 2 <<<"$lines") / 1024 ))" \
    "$(awk '{print $1}' <<<"$lines" | paste -sd' ')"
done
if [ -n "${COMPARE:-}" ]; then
  printf '\nthis tree against %s (%s), medians of %s in the same run\n' "$COMPARE" "$compare_rev" "$runs"
  printf '%-24s %6s %10s %10s %8s\n' variant delay "this tree" "$compare_rev" "ratio"
  for delay in $delays; do
    for v in $variants; do
      [ "$v" = alt ] && continue # ALT_FLAGS runs on this tree only
      a=$(printf '%s' "${result[cur,$v,$delay]}" | col 1)
      b=$(printf '%s' "${result[cmp,$v,$delay]}" | col 1)
      printf '%-24s %4s ms %10s %10s %8s\n' "$(name "$v")" "$delay" "$a" "$b" "$(ratio "$a" "$b")"
    done
  done
fi
printf '\nltxvfs startup timeline, median ms after JVM start (the line it logs at its first answer)\n'
printf '%-34s %6s %8s %8s %8s %10s %8s %8s %6s %7s %7s\n' variant delay "quarkus" "vfs" "s3client" "list+tails" "index" "query" "LISTs" "CPU ms" "JIT ms"
for delay in $delays; do
  for v in $variants; do
    for b in $builds; do
      [ "$v" = alt ] && [ "$b" = cmp ] && continue
      lines=$(printf '%s' "${result[$b,$v,$delay]}")
      printf '%-34s %4s ms %8s %8s %8s %10s %8s %8s %6s %7s %7s\n' "$(label "$b" "$v")" "$delay" \
        "$(col 4 <<<"$lines")" "$(col 5 <<<"$lines")" "$(col 6 <<<"$lines")" "$(col 7 <<<"$lines")" "$(col 8 <<<"$lines")" \
        "$(col 9 <<<"$lines")" "$(col 3 <<<"$lines")" "$(col 10 <<<"$lines")" "$(col 11 <<<"$lines")"
    done
  done
done
echo "(image flags: $(cat "$out/image-flags")${COMPARE:+; at $compare_rev: $(cat "$out-compare/image-flags")}${ALT_FLAGS:+; alt: $(cat "$out/alt-flags")}; container memory: $CONTAINER_MEMORY)"
