#!/usr/bin/env bash
# Upload throughput and server memory for large files, measured end to end against the real site.
#
#   infra/bench-upload.sh
#
# Builds Release (site + tests/Market.Benchmarks), recreates the database market_bench on the project-local
# PostgreSQL (started if nothing answers on its port, and left running either way), migrates and seeds it,
# generates test images under a temp folder, and for each case starts the site on 127.0.0.1:5091 (its own store in the temp folder, Storage:MaxFileBytes
# raised), uploads one small warm-up file (so start-up and JIT are not counted), then uploads the case's files as
# the page's script does while sampling the server's memory, and stops the site again. Each case gets a fresh
# server, so one case's heap does not carry into the next. Finally it times the upload check (libvips decode) and
# the metadata read in-process on the same files, to split the server's time. Everything temporary is removed.
#
# Memory figures come from /proc/PID/status of the server: VmRSS before the case (after the warm-up), VmHWM
# (the kernel's peak RSS, reset just before the case by writing 5 to /proc/PID/clear_refs) and VmRSS/RssAnon
# sampled every 100 ms. Growth = peak - before. MiB = 2^20 bytes.
#
# Settings (environment):
#   BENCH_PORT=5091 BENCH_DB=market_bench BENCH_MAX_BYTES=734003200 (700 MiB)
#   BENCH_LARGE_MP=87     one 16-bit uncompressed TIFF of this many megapixels (87 MP ~ 498 MiB)
#   BENCH_SMALL_COUNT=10 BENCH_SMALL_MP=17.5   that many 8-bit uncompressed TIFFs (17.5 MP ~ 50 MiB each)
#   BENCH_PARALLEL=2      requests at a time for the many-files case (the page's script sends 2)
#   BENCH_CASES="junk large many"   which cases to run: junk = one file of BENCH_LARGE_MP x 6 bytes that is no image
#                         (refused after it is staged: streaming and staging alone, no decode), large, many
#   BENCH_ROUNDS=3        uploads of the case's files, one after another, on the same server
#   BENCH_GC_SERVER=      empty: the site's own setting (Server GC); 0 or 1 to force workstation or server GC
#   BENCH_TMP=/tmp        where the temp folder goes (needs ~2.5x the files' size free)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_dotnet

PORT="${BENCH_PORT:-5091}"
DB="${BENCH_DB:-market_bench}"
MAX_BYTES="${BENCH_MAX_BYTES:-$((700 * 1024 * 1024))}"
LARGE_MP="${BENCH_LARGE_MP:-87}"
SMALL_COUNT="${BENCH_SMALL_COUNT:-10}"
SMALL_MP="${BENCH_SMALL_MP:-17.5}"
PARALLEL="${BENCH_PARALLEL:-2}"
CASES="${BENCH_CASES:-junk large many}"
ROUNDS="${BENCH_ROUNDS:-3}"
URL="http://127.0.0.1:$PORT"
EMAIL=creator@demo.test
PASSWORD=demo-password-2026
SITE_DLL="$ROOT/src/Market.Web/bin/Release/net10.0/Market.Web.dll"
BENCH_DLL="$ROOT/tests/Market.Benchmarks/bin/Release/net10.0/Market.Benchmarks.dll"

WORK=""
SITE_PID=""
SAMPLER_PID=""

stop_sampler() {
  if [ -n "$SAMPLER_PID" ]; then kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; fi
  SAMPLER_PID=""
}

stop_site() {
  if [ -n "$SITE_PID" ] && kill -0 "$SITE_PID" 2>/dev/null; then
    kill -TERM "$SITE_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SITE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SITE_PID" 2>/dev/null || true
    wait "$SITE_PID" 2>/dev/null || true
  fi
  SITE_PID=""
}

# Runs from the EXIT trap, after Ctrl-C too: the site and the sampler this script started are stopped and the
# temp folder goes. The shared PostgreSQL is left running.
cleanup() {
  trap '' PIPE
  stop_sampler
  stop_site
  [ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
exit_on_signals

# One run at a time per port: a second would fight over the port, the database and the figures.
exec 9>"${BENCH_TMP:-/tmp}/market-bench-$PORT.lock"
flock -n 9 || { log "another bench-upload run is going on (port $PORT)"; exit 1; }
if curl -s -o /dev/null --max-time 2 "$URL/health"; then
  log "something already answers on $URL; stop it or set BENCH_PORT"
  exit 1
fi

log "building Release (site and benchmarks)"
dotnet build src/Market.Web/Market.Web.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build tests/Market.Benchmarks/Market.Benchmarks.csproj -c Release --nologo -v quiet -clp:ErrorsOnly

# The project-local PostgreSQL, started if it is not already answering on its port (then left running).
psql_local -c 'select 1' >/dev/null 2>&1 || start_local_postgres
log "recreating database $DB"
recreate_database "$DB"
export MARKET_DB="$(local_connection_string "$DB")"

WORK="$(mktemp -d "${BENCH_TMP:-/tmp}/market-bench.XXXXXX")"
mkdir -p "$WORK/files"
export Storage__Root="$WORK/store"
export Storage__MaxFileBytes="$MAX_BYTES"
export ASPNETCORE_URLS="$URL"
export Site__PublicUrl="$URL"
case "${BENCH_GC_SERVER:-}" in
  0|1) export DOTNET_gcServer="$BENCH_GC_SERVER" ;;
  "") ;;
  *) log "BENCH_GC_SERVER must be empty, 0 or 1"; exit 1 ;;
esac

GC_MODE="$(case "${DOTNET_gcServer:-}" in 0) echo workstation ;; 1) echo server ;; *) grep -q '"System.GC.Server": true' "${SITE_DLL%.dll}.runtimeconfig.json" && echo server || echo workstation ;; esac)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

web() { (cd "$ROOT/src/Market.Web" && dotnet "$SITE_DLL" "$@"); }
bench() { dotnet "$BENCH_DLL" "$@"; }

log "migrating and seeding $DB"
web migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
web seed-demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; exit 1; }

mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1048576 }'; }

log "generating test images in $WORK/files"
bench make-large-image "$WORK/files/warm-up.jpg" 2 jpeg
LARGE_FILES=("$WORK/files/large-${LARGE_MP}mp-16bit.tif")
[[ " $CASES " == *" large "* ]] && bench make-large-image "${LARGE_FILES[0]}" "$LARGE_MP" tiff --bits 16
# As big as the large TIFF, but zeros: the site stages it, finds no image loader for it and refuses it.
JUNK_FILE="$WORK/files/not-an-image.tif"
if [[ " $CASES " == *" junk "* ]]; then
  head -c "$(awk -v mp="$LARGE_MP" 'BEGIN { printf "%.0f", mp * 1e6 * 6 }')" /dev/zero >"$JUNK_FILE"
fi
SMALL_FILES=()
if [[ " $CASES " == *" many "* ]]; then
  for i in $(seq -w 1 "$SMALL_COUNT"); do
    SMALL_FILES+=("$WORK/files/many-$i.tif")
    bench make-large-image "$WORK/files/many-$i.tif" "$SMALL_MP" tiff >/dev/null
  done
  log "$SMALL_COUNT files of $(mib "${SMALL_FILES[0]}") MiB each"
fi
sync

status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

start_site() {
  (cd "$ROOT/src/Market.Web" && exec dotnet "$SITE_DLL") >>"$WORK/site.log" 2>&1 &
  SITE_PID=$!
  for _ in $(seq 1 300); do
    if curl -sf -o /dev/null --max-time 2 "$URL/health"; then return 0; fi
    kill -0 "$SITE_PID" 2>/dev/null || { tail -n 40 "$WORK/site.log" >&2; log "the site exited during start-up"; exit 1; }
    sleep 0.2
  done
  log "the site did not answer /health within a minute"; tail -n 40 "$WORK/site.log" >&2; exit 1
}

SUMMARY="$WORK/summary.txt"
printf '%-30s %7s %7s %7s %13s %8s %8s %7s %7s %7s %7s\n' case MiB "time s" "MiB/s" "MiB/s range" "after s" "RSS bef" "peak" growth "RSS aft" "anon pk" >"$SUMMARY"

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# run_case NAME PARALLEL EXPECT FILE...: a fresh site, a warm-up upload, then ROUNDS uploads of the files while the
# server's memory is sampled. Time and throughput: the median round (and the range); memory: over all rounds.
run_case() {
  local name="$1" parallel="$2" expect="$3"; shift 3
  log "case $name: starting the site"
  start_site
  log "case $name: site pid $SITE_PID; warm-up upload"
  bench upload "$URL" "$EMAIL" "$PASSWORD" "$WORK/files/warm-up.jpg" >"$WORK/warm-up.out" || { cat "$WORK/warm-up.out" >&2; exit 1; }
  sleep 2
  local before; before="$(status_kb "$SITE_PID" VmRSS)"
  echo 5 >"/proc/$SITE_PID/clear_refs" 2>/dev/null || log "cannot reset VmHWM; the peak is taken from the samples only"
  local samples="$WORK/samples.txt" results="$WORK/results.txt"
  : >"$samples"; : >"$results"
  (
    while kill -0 "$SITE_PID" 2>/dev/null; do
      awk '$1 == "VmRSS:" { r = $2 } $1 == "VmHWM:" { h = $2 } $1 == "RssAnon:" { a = $2 } $1 == "RssFile:" { f = $2 }
           END { if (r) print r, h, a, f }' "/proc/$SITE_PID/status" 2>/dev/null >>"$samples" || true
      sleep 0.1
    done
  ) &
  SAMPLER_PID=$!
  local rc=0 round
  for round in $(seq 1 "$ROUNDS"); do
    log "case $name: round $round of $ROUNDS"
    bench upload "$URL" "$EMAIL" "$PASSWORD" "$@" --parallel "$parallel" --expect "$expect" | tee "$WORK/upload.out" || rc=$?
    grep '^RESULT ' "$WORK/upload.out" >>"$results" || true
    log "case $name: after round $round the site's VmRSS is $(( $(status_kb "$SITE_PID" VmRSS) / 1024 )) MiB, its peak so far $(( $(status_kb "$SITE_PID" VmHWM) / 1024 )) MiB"
    [ "$rc" -eq 0 ] || break
  done
  sleep 1
  stop_sampler
  local hwm after; hwm="$(status_kb "$SITE_PID" VmHWM)"; after="$(status_kb "$SITE_PID" VmRSS)"
  local sampled anon; sampled="$(awk 'm < $1 { m = $1 } END { print m + 0 }' "$samples")"
  anon="$(awk 'm < $3 { m = $3 } END { print m + 0 }' "$samples")"
  local peak=$(( ${hwm:-0} > sampled ? ${hwm:-0} : sampled ))
  log "case $name: $(wc -l <"$samples") memory samples; stopping the site"
  stop_site
  [ "$rc" -eq 0 ] || { log "case $name: some uploads were not $expect (see above)"; tail -n 30 "$WORK/site.log" >&2; exit 1; }
  local bytes seconds after_body rates
  bytes="$(sed -n '1s/.* bytes=\([0-9]*\).*/\1/p' "$results")"
  seconds="$(sed -n 's/.* seconds=\([0-9.]*\).*/\1/p' "$results" | median)"
  after_body="$(sed -n 's/.* after=\([0-9.]*\).*/\1/p' "$results" | median)"
  rates="$(sed -n 's/.* bytes=\([0-9]*\) seconds=\([0-9.]*\).*/\1 \2/p' "$results" | awk '{ r = $1 / 1048576 / $2; if (NR == 1 || r < lo) lo = r; if (r > hi) hi = r } END { printf "%.1f-%.1f", lo, hi }')"
  awk -v n="$name" -v b="$bytes" -v s="$seconds" -v range="$rates" -v ab="$after_body" -v before="$before" -v peak="$peak" -v after="$after" -v anon="$anon" 'BEGIN {
    m = 1048576; k = 1024
    printf "%-30s %7.1f %7.2f %7.1f %13s %8.2f %8.1f %7.1f %7.1f %7.1f %7.1f\n", n, b / m, s, b / m / s, range, ab, before / k, peak / k, (peak - before) / k, after / k, anon / k
  }' >>"$SUMMARY"
}

for c in $CASES; do
  case "$c" in
    junk) run_case "1 x $(mib "$JUNK_FILE") MiB no image (refused)" 1 refused "$JUNK_FILE" ;;
    large) run_case "1 x $(mib "${LARGE_FILES[0]}") MiB 16-bit TIFF" 1 accepted "${LARGE_FILES[@]}" ;;
    many) run_case "$SMALL_COUNT x $(mib "${SMALL_FILES[0]}") MiB TIFF, $PARALLEL at a time" "$PARALLEL" accepted "${SMALL_FILES[@]}" ;;
    *) log "unknown case '$c' (junk, large, many)"; exit 1 ;;
  esac
done

inspect_files=()
[[ " $CASES " == *" large "* ]] && inspect_files+=("${LARGE_FILES[0]}")
[[ " $CASES " == *" many "* ]] && inspect_files+=("${SMALL_FILES[0]}")
if [ ${#inspect_files[@]} -gt 0 ]; then
  log "in-process split of the server's work (site stopped): upload check = header + full decode, then metadata read"
  bench inspect "${inspect_files[@]}"
fi

echo
echo "Upload benchmark: $(nproc) cores (load average at start: $LOAD), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), .NET SDK $(dotnet --version), $GC_MODE GC, $ROUNDS rounds a case"
echo "  time s, MiB/s: the median round, wall clock from the first request to the last response (range: slowest-fastest round)"
echo "  after s: seconds between the last byte sent and the response (server-side check, metadata, store, database), summed over the files"
echo "  memory: MiB of the site's process; RSS bef = VmRSS after a warm-up upload; peak = VmHWM (reset before the case) or the"
echo "  highest 100 ms sample; growth = peak - RSS bef; RSS aft = VmRSS after the last round; anon pk = highest RssAnon sample"
cat "$SUMMARY"
