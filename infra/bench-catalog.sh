#!/usr/bin/env bash
# Catalog search and facets on a generated catalog of a million works, measured with wrk against the real site.
#
#   infra/bench-catalog.sh
#
# Installs wrk from Debian if it is missing, builds Release (site + tests/Market.Benchmarks), starts the project-local
# PostgreSQL if nothing answers on its port (left running either way), and unless the database already holds a catalog
# of the asked size: recreates market_bench_catalog, migrates it with the site's `migrate` verb and fills it with the
# benchmark's `seed-catalog` verb (creators, works, offers and rights holders through the site's own tables, then the
# site's own search index rebuild). Then it starts the site in Release on 127.0.0.1:5094, warms each page up, and runs
# one wrk per page (a few connections for a while each), printing wrk's own --latency report and a summary with
# p50/p95/p99 (wrk's --latency lists 50/75/90/99; a small Lua `done` hook adds 95) and requests per second.
#
# The pages: the catalog's first page (no search), a common word, a rare word, several facets combined, page 5
# reached through the cursor links, a price range, and a common word with facets. Every response must be a 200;
# a page answering anything else fails the run.
#
# Settings (environment):
#   BENCH_WORKS=1000000  BENCH_CREATORS=400  BENCH_PORT=5094  BENCH_DB=market_bench_catalog
#   BENCH_DURATION=30s   BENCH_CONNECTIONS=4  BENCH_THREADS=2   BENCH_WARMUP=5s
#   BENCH_RESEED=1       seed again even when the database already holds BENCH_WORKS works
#   BENCH_PAGES="empty common rare facets page5 price common-facets"   which pages to measure
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_dotnet
ensure_packages wrk curl

WORKS="${BENCH_WORKS:-1000000}"
CREATORS="${BENCH_CREATORS:-400}"
PORT="${BENCH_PORT:-5094}"
DB="${BENCH_DB:-market_bench_catalog}"
DURATION="${BENCH_DURATION:-30s}"
CONNECTIONS="${BENCH_CONNECTIONS:-4}"
THREADS="${BENCH_THREADS:-2}"
WARMUP="${BENCH_WARMUP:-5s}"
PAGES="${BENCH_PAGES-empty common rare facets page5 price common-facets}"
URL="http://127.0.0.1:$PORT"
SITE_DLL="$ROOT/src/Market.Web/bin/Release/net10.0/Market.Web.dll"
BENCH_DLL="$ROOT/tests/Market.Benchmarks/bin/Release/net10.0/Market.Benchmarks.dll"

WORK=""
SITE_PID=""

stop_site() {
  if [ -n "$SITE_PID" ] && kill -0 "$SITE_PID" 2>/dev/null; then
    kill -TERM "$SITE_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SITE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SITE_PID" 2>/dev/null || true
    wait "$SITE_PID" 2>/dev/null || true
  fi
  SITE_PID=""
}

# From the EXIT trap, after Ctrl-C too: the site this script started stops and the temp folder goes. The shared
# PostgreSQL and the seeded database stay, so a second run can skip the seeding.
cleanup() {
  trap '' PIPE
  stop_site
  [ -n "$WORK" ] && rm -rf "$WORK"
}
trap cleanup EXIT
exit_on_signals

exec 9>"/tmp/market-bench-$PORT.lock"
flock -n 9 || { log "another benchmark is using port $PORT"; exit 1; }
if curl -s -o /dev/null --max-time 2 "$URL/health"; then
  log "something already answers on $URL; stop it or set BENCH_PORT"
  exit 1
fi

log "building Release (site and benchmarks)"
dotnet build src/Market.Web/Market.Web.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
dotnet build tests/Market.Benchmarks/Market.Benchmarks.csproj -c Release --nologo -v quiet -clp:ErrorsOnly

psql_local -c 'select 1' >/dev/null 2>&1 || start_local_postgres
export MARKET_DB="$(local_connection_string "$DB")"
WORK="$(mktemp -d /tmp/market-bench-catalog.XXXXXX)"
STORE="/tmp/market-bench-catalog-store"
web() { (cd "$ROOT/src/Market.Web" && dotnet "$SITE_DLL" "$@"); }

existing=""
if [ "$(psql_local -c "select 1 from pg_database where datname = '$DB'")" = "1" ]; then
  existing="$("$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$DB" -qtA -c 'select count(*) from market.works' 2>/dev/null || true)"
fi
# A catalog seeded earlier is reused when it has the asked size and the site's migrations still apply to it
# (a schema change since then makes `migrate` fail, and the catalog is seeded again).
SEED_NOTE="reused (seeded earlier)"
if [ "${BENCH_RESEED:-0}" = "1" ] || [ "$existing" != "$WORKS" ] || ! web migrate >"$WORK/migrate.log" 2>&1; then
  log "recreating database $DB and seeding $WORKS works (minutes)"
  recreate_database "$DB"
  web migrate >"$WORK/migrate.log" 2>&1 || { cat "$WORK/migrate.log" >&2; exit 1; }
  rm -rf "$STORE"
  dotnet "$BENCH_DLL" seed-catalog --works "$WORKS" --creators "$CREATORS" --db "$MARKET_DB" --store "$STORE" | tee "$WORK/seed.log"
  SEED_NOTE="$(sed -n 's/^RESULT works=\([0-9]*\) seconds=\([0-9.]*\)/\1 works seeded and indexed in \2 s/p' "$WORK/seed.log")"
else
  log "database $DB already holds $WORKS works and is up to date (BENCH_RESEED=1 to seed again)"
fi
FOR_SALE="$("$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$DB" -qtA -c 'select count(*) from market.catalog_entries')"

log "starting the site on $URL"
export ASPNETCORE_URLS="$URL" Site__PublicUrl="$URL" Storage__Root="$STORE"
(cd "$ROOT/src/Market.Web" && exec dotnet "$SITE_DLL") >"$WORK/site.log" 2>&1 &
SITE_PID=$!
for _ in $(seq 1 300); do
  curl -sf -o /dev/null --max-time 2 "$URL/health" && break
  kill -0 "$SITE_PID" 2>/dev/null || { tail -n 40 "$WORK/site.log" >&2; log "the site exited during start-up"; exit 1; }
  sleep 0.2
done

# Page 5 of the whole catalog, reached as a person would: four "Next page" links from the first page.
page5="/Catalog"
for _ in 1 2 3 4; do
  next="$(curl -sf "$URL$page5" | grep -o 'href="/Catalog?[^"]*" data-testid="next"' | sed 's/^href="\([^"]*\)".*/\1/; s/&amp;/\&/g')"
  [ -n "$next" ] || { log "no next-page link on $page5"; exit 1; }
  page5="$next"
done

declare -A PATHS=(
  [empty]="/Catalog"
  [common]="/Catalog?q=harbour"
  [rare]="/Catalog?q=quetzal"
  [facets]="/Catalog?medium=Photograph&scope=GenerativeTraining&commercial=yes&tag=landscape"
  [page5]="$page5"
  [price]="/Catalog?currency=EUR&min=10&max=50"
  [common-facets]="/Catalog?q=forest&medium=Painting&term=OneToThreeYears"
)

cat >"$WORK/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50=%.2f p95=%.2f p99=%.2f max=%.2f errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000, errors))
end
LUA

LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
SUMMARY="$WORK/summary.txt"
printf '%-14s %9s %9s %9s %9s %9s %7s  %s\n' page "req/s" "p50 ms" "p95 ms" "p99 ms" "max ms" errors path >"$SUMMARY"
for name in $PAGES; do
  path="${PATHS[$name]:-}"
  [ -n "$path" ] || { log "unknown page '$name'"; exit 1; }
  status="$(curl -s -o "$WORK/page.html" -w '%{http_code}' "$URL$path")"
  [ "$status" = "200" ] || { log "$name answered $status: $path"; tail -n 30 "$WORK/site.log" >&2; exit 1; }
  grep -q 'data-testid="catalog-item"' "$WORK/page.html" || { log "$name shows no works: $path"; exit 1; }
  log "$name: warming up ($WARMUP), then wrk -t$THREADS -c$CONNECTIONS -d$DURATION"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$URL$path" >/dev/null
  echo "== $name: $path"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$WORK/report.lua" "$URL$path" | tee "$WORK/wrk.out"
  if grep -q 'Non-2xx or 3xx responses' "$WORK/wrk.out"; then log "$name: some responses were not 200"; exit 1; fi
  sed -n 's/^RESULT //p' "$WORK/wrk.out" | awk -v n="$name" -v p="$path" '{
    for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    printf "%-14s %9.1f %9.2f %9.2f %9.2f %9.2f %7d  %s\n", n, v["rps"], v["p50"], v["p95"], v["p99"], v["max"], v["errors"], p
  }' >>"$SUMMARY"
done

echo
echo "Catalog benchmark: $(nproc) cores (load average at start: $LOAD), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), .NET SDK $(dotnet --version), $("$(pg_bin)/postgres" --version)"
echo "  catalog: $FOR_SALE works for sale of $WORKS ($SEED_NOTE); wrk -t$THREADS -c$CONNECTIONS -d$DURATION per page after a $WARMUP warm-up, on the same machine as the site and PostgreSQL"
cat "$SUMMARY"
