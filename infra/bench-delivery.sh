#!/usr/bin/env bash
# License ZIP delivery: throughput and server memory for a multi-gigabyte license, end to end against the real site.
#
#   infra/bench-delivery.sh
#
# Builds Release (site + tests/Market.Benchmarks), recreates the database market_bench_delivery on the project-local
# PostgreSQL (started if nothing answers on its port, and left running either way), generates large images in a temp
# folder, and has the benchmark's seed-license verb make one license of them through the site's own commands (upload
# check, scan, bundle, test payment) plus an API token. Then it starts the site on 127.0.0.1:5092 (its store in the
# temp folder), warms it up with one API call and one ranged file download, and downloads the license's ZIP from
# GET /api/v1/licenses/{id}/archive with curl while sampling the server's memory: BENCH_ROUNDS times to /dev/null, then
# once to a file, which is checked: Python's zipfile reads every entry and its CRC, the Zip64 end records must be there
# once the archive passes 4 GiB, every file's SHA-256 must match croissant.json, and `unzip -t` must agree. Everything
# temporary is removed at the end (the database is left for a look).
#
# Memory figures come from /proc/PID/status of the server: VmRSS before (after the warm-up), VmHWM (the kernel's peak
# RSS, reset just before the downloads by writing 5 to /proc/PID/clear_refs) and VmRSS sampled every 100 ms during
# them. MiB = 2^20 bytes; MB/s = 10^6 bytes a second.
#
# Settings (environment):
#   BENCH_PORT=5092 BENCH_DB=market_bench_delivery
#   BENCH_TIFF_COUNT=38 BENCH_TIFF_MP=40    that many 8-bit uncompressed TIFFs (40 MP ~ 114 MiB each)
#   BENCH_JPEG_COUNT=2 BENCH_JPEG_MP=40     and JPEGs (noise-heavy: ~25-30 MiB each at 40 MP)
#   BENCH_ROUNDS=2                          downloads to /dev/null before the one that is kept and checked
#   BENCH_VERIFY=1                          0 skips keeping and checking the archive (needs its size again in free disk)
#   BENCH_TMP=/tmp                          where the temp folder goes (needs about 2.2x the images' size free)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_dotnet

PORT="${BENCH_PORT:-5092}"
DB="${BENCH_DB:-market_bench_delivery}"
TIFF_COUNT="${BENCH_TIFF_COUNT:-38}"
TIFF_MP="${BENCH_TIFF_MP:-40}"
JPEG_COUNT="${BENCH_JPEG_COUNT:-2}"
JPEG_MP="${BENCH_JPEG_MP:-40}"
ROUNDS="${BENCH_ROUNDS:-2}"
VERIFY="${BENCH_VERIFY:-1}"
URL="http://127.0.0.1:$PORT"
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

cleanup() {
  trap '' PIPE
  stop_sampler
  stop_site
  [ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
exit_on_signals

exec 9>"${BENCH_TMP:-/tmp}/market-bench-$PORT.lock"
flock -n 9 || { log "another benchmark run is going on (port $PORT)"; exit 1; }
if curl -s -o /dev/null --max-time 2 "$URL/health"; then
  log "something already answers on $URL; stop it or set BENCH_PORT"
  exit 1
fi

log "building Release (site and benchmarks)"
dotnet build src/Market.Web/Market.Web.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build tests/Market.Benchmarks/Market.Benchmarks.csproj -c Release --nologo -v quiet -clp:ErrorsOnly

psql_local -c 'select 1' >/dev/null 2>&1 || start_local_postgres
log "recreating database $DB"
recreate_database "$DB"
export MARKET_DB="$(local_connection_string "$DB")"

WORK="$(mktemp -d "${BENCH_TMP:-/tmp}/market-bench-delivery.XXXXXX")"
mkdir -p "$WORK/files"
export Storage__Root="$WORK/store"
export ASPNETCORE_URLS="$URL"
export Site__PublicUrl="$URL"
# The signing key lives with the store, not in the checkout's App_Data.
export Licensing__KeyFile="$WORK/keys/license-signing.pem"
GC_MODE="$(grep -q '"System.GC.Server": true' "${SITE_DLL%.dll}.runtimeconfig.json" && echo server || echo workstation)"
LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"

web() { (cd "$ROOT/src/Market.Web" && dotnet "$SITE_DLL" "$@"); }
bench() { dotnet "$BENCH_DLL" "$@"; }

log "migrating $DB"
web migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }

log "generating $TIFF_COUNT TIFFs of $TIFF_MP MP and $JPEG_COUNT JPEGs of $JPEG_MP MP in $WORK/files"
GEN_START=$SECONDS
for i in $(seq -w 1 "$TIFF_COUNT"); do bench make-large-image "$WORK/files/bench-tiff-$i.tif" "$TIFF_MP" tiff >/dev/null; done
for i in $(seq -w 1 "$JPEG_COUNT"); do bench make-large-image "$WORK/files/bench-jpeg-$i.jpg" "$JPEG_MP" jpeg >/dev/null; done
IMAGES_BYTES="$(du -cb "$WORK"/files/* | tail -n 1 | cut -f1)"
log "$(ls "$WORK/files" | wc -l) images, $(awk -v b="$IMAGES_BYTES" 'BEGIN { printf "%.0f MiB", b / 1048576 }') in $((SECONDS - GEN_START)) s"

log "making the license (upload check, scan, bundle, test payment) with seed-license"
SEED_START=$SECONDS
(cd "$ROOT/src/Market.Web" && dotnet "$BENCH_DLL" seed-license "$WORK"/files/*) >"$WORK/seed.out" 2>"$WORK/seed.log" \
  || { tail -n 40 "$WORK/seed.log" >&2; exit 1; }
LICENSE_ID="$(awk '$1 == "LICENSE" { print $2 }' "$WORK/seed.out")"
TOKEN="$(awk '$1 == "TOKEN" { print $2 }' "$WORK/seed.out")"
[ -n "$LICENSE_ID" ] && [ -n "$TOKEN" ] || { cat "$WORK/seed.out" "$WORK/seed.log" >&2; exit 1; }
log "license $LICENSE_ID made in $((SECONDS - SEED_START)) s; the originals are in the store now, the generated copies go"
rm -rf "$WORK/files"

status_kb() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

(cd "$ROOT/src/Market.Web" && exec dotnet "$SITE_DLL") >>"$WORK/site.log" 2>&1 &
SITE_PID=$!
for _ in $(seq 1 300); do
  if curl -sf -o /dev/null --max-time 2 "$URL/health"; then break; fi
  kill -0 "$SITE_PID" 2>/dev/null || { tail -n 40 "$WORK/site.log" >&2; log "the site exited during start-up"; exit 1; }
  sleep 0.2
done
curl -sf -o /dev/null --max-time 2 "$URL/health" || { log "the site did not answer /health within a minute"; exit 1; }

AUTH="Authorization: Bearer $TOKEN"
log "warm-up: the license over the API and the first MiB of one file"
curl -sf -H "$AUTH" "$URL/api/v1/licenses/$LICENSE_ID" -o "$WORK/license.json"
FIRST_URL="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["files"][0]["url"])' <(curl -sf -H "$AUTH" "$URL/api/v1/licenses/$LICENSE_ID/files"))"
curl -sf -r 0-1048575 -o /dev/null "$FIRST_URL"
sleep 2

BEFORE="$(status_kb "$SITE_PID" VmRSS)"
echo 5 >"/proc/$SITE_PID/clear_refs" 2>/dev/null || log "cannot reset VmHWM; the peak is taken from the samples only"
SAMPLES="$WORK/samples.txt"
: >"$SAMPLES"
(
  while kill -0 "$SITE_PID" 2>/dev/null; do
    awk '$1 == "VmRSS:" { r = $2 } $1 == "VmHWM:" { h = $2 } $1 == "RssAnon:" { a = $2 } END { if (r) print r, h, a }' "/proc/$SITE_PID/status" 2>/dev/null >>"$SAMPLES" || true
    sleep 0.1
  done
) &
SAMPLER_PID=$!

RESULTS="$WORK/results.txt"
: >"$RESULTS"
download() {
  # size in bytes, seconds, HTTP status
  curl -s -H "$AUTH" -o "$1" -w '%{size_download} %{time_total} %{http_code}\n' "$URL/api/v1/licenses/$LICENSE_ID/archive"
}
for round in $(seq 1 "$ROUNDS"); do
  line="$(download /dev/null)"
  log "round $round to /dev/null: $line (bytes seconds status); site VmRSS $(( $(status_kb "$SITE_PID" VmRSS) / 1024 )) MiB"
  echo "null $line" >>"$RESULTS"
done
if [ "$VERIFY" = "1" ]; then
  line="$(download "$WORK/license.zip")"
  log "round to a file: $line"
  echo "file $line" >>"$RESULTS"
fi
sleep 1
stop_sampler
HWM="$(status_kb "$SITE_PID" VmHWM)"; AFTER="$(status_kb "$SITE_PID" VmRSS)"
SAMPLED="$(awk 'm < $1 { m = $1 } END { print m + 0 }' "$SAMPLES")"
ANON="$(awk 'm < $3 { m = $3 } END { print m + 0 }' "$SAMPLES")"
PEAK=$(( ${HWM:-0} > SAMPLED ? ${HWM:-0} : SAMPLED ))
log "$(wc -l <"$SAMPLES") memory samples; stopping the site"
stop_site
if grep -v ' 200$' "$RESULTS" >/dev/null; then log "a download did not answer 200:"; cat "$RESULTS" >&2; tail -n 30 "$WORK/site.log" >&2; exit 1; fi

VERDICT="not checked (BENCH_VERIFY=0)"
if [ "$VERIFY" = "1" ]; then
  log "checking the archive: zipfile CRCs, Zip64 records, SHA-256 against croissant.json, unzip -t"
  python3 - "$WORK/license.zip" >"$WORK/verify.txt" <<'PY'
import hashlib, json, sys, zipfile
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    bad = z.testzip()
    assert bad is None, f"CRC error in {bad}"
    names = z.namelist()
    assert names[:2] == ["LICENSE.txt", "manifest.json"] and names[-1] == "croissant.json", names[:3]
    croissant = json.loads(z.read("croissant.json"))
    declared = {d["contentUrl"]: d["sha256"] for d in croissant["distribution"]}
    files = [n for n in names if n.startswith("files/")]
    for name in files:
        h = hashlib.sha256()
        with z.open(name) as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        assert declared[name] == h.hexdigest(), f"sha256 of {name} differs from croissant.json"
    beyond = sum(1 for i in z.infolist() if i.header_offset > 0xFFFFFFFF)
    stored = all(i.compress_type == zipfile.ZIP_STORED for i in z.infolist() if i.filename.startswith("files/"))
with open(path, "rb") as f:
    f.seek(-65536, 2)
    tail = f.read()
size = __import__("os").path.getsize(path)
zip64 = b"PK\x06\x06" in tail and b"PK\x06\x07" in tail
assert zip64 or size < 0xFFFFFFFF, "an archive over 4 GiB without Zip64 end records"
print(f"ok: {len(names)} entries ({len(files)} files, stored: {stored}), {size} bytes, Zip64 end records: {zip64}, "
      f"entries starting past 4 GiB: {beyond}, every SHA-256 matches croissant.json")
PY
  unzip -tq "$WORK/license.zip" >"$WORK/unzip.txt" 2>&1 || { cat "$WORK/unzip.txt" >&2; exit 1; }
  VERDICT="$(cat "$WORK/verify.txt"); unzip -t: $(cat "$WORK/unzip.txt")"
fi

echo
echo "Delivery benchmark: $(nproc) cores (load average at start: $LOAD), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), .NET SDK $(dotnet --version), $GC_MODE GC"
echo "  license $LICENSE_ID: $TIFF_COUNT TIFF x $TIFF_MP MP + $JPEG_COUNT JPEG x $JPEG_MP MP, $(awk -v b="$IMAGES_BYTES" 'BEGIN { printf "%.0f MiB", b / 1048576 }') of originals"
awk '{ printf "  %-5s %12.0f bytes (%7.1f MiB) in %7.2f s = %6.1f MB/s = %6.1f MiB/s\n", $1, $2, $2 / 1048576, $3, $2 / $3 / 1e6, $2 / $3 / 1048576 }' "$RESULTS"
echo "  site memory: VmRSS before $(( BEFORE / 1024 )) MiB, peak $(( PEAK / 1024 )) MiB (growth +$(( (PEAK - BEFORE) / 1024 )) MiB), after $(( AFTER / 1024 )) MiB, highest RssAnon sample $(( ANON / 1024 )) MiB"
echo "  archive: $VERDICT"
