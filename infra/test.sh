#!/usr/bin/env bash
# Runs every test project against a throwaway database and ends with one line: "N passed, N failed, N skipped".
# Installs what a fresh Debian machine lacks (PostgreSQL, Chromium for the browser tests) and runs the tests
# against a throwaway database on the project-local server. MARKET_DB is never touched: the tests wipe their
# database. To test against another server, set MARKET_TEST_DB to a database that may be emptied.
# Exits non-zero if anything failed or did not run.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_dotnet || exit 1
ensure_packages chromium || { log "could not install chromium"; exit 1; }

unset MARKET_DB
if [ -z "${MARKET_TEST_DB:-}" ]; then
  start_local_postgres || exit 1
  trap stop_local_postgres EXIT
  exit_on_signals
  recreate_database market_test || exit 1
  export MARKET_TEST_DB="$(local_connection_string market_test)"
fi
export MARKET_CHROMIUM="${MARKET_CHROMIUM:-$(command -v chromium || true)}"

results="$ROOT/TestResults"
rm -rf "$results"; mkdir -p "$results"

log "building"
if ! dotnet build Marketplace.sln -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "0 passed, 1 failed"
  exit 1
fi

# The site's own `migrate` verb brings the throwaway database up to date, as infra/run.sh does for the demo.
if ! (cd src/Market.Web && MARKET_DB="$MARKET_TEST_DB" dotnet bin/Release/net10.0/Market.Web.dll migrate >/dev/null); then
  log "migrating the test database failed"
  echo "0 passed, 1 failed"
  exit 1
fi

crashed=0
# One project at a time: the integration and browser tests share the database.
for project in tests/*/*.Tests.csproj; do
  name="$(basename "$project" .csproj)"
  log "testing $name"
  dotnet test "$project" -c Release --no-build --nologo -v quiet \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=normal" --results-directory "$results" \
    > "$results/$name.log" 2>&1
  rc=$?
  grep -E "^\s+(Passed|Failed|Skipped) |error|Error Message|Total tests|Failed!|Passed!" "$results/$name.log" | grep -v "^\s*Passed " | tail -n 60
  if [ $rc -ne 0 ] && ! grep -q 'outcome="Failed"' "$results/$name.trx" 2>/dev/null; then
    # The test host died or never ran: that is a failure even though no test result says so.
    log "$name exited with $rc without a failed test result; counting it as a failure"
    tail -n 40 "$results/$name.log"
    crashed=$((crashed + 1))
  fi
done

# Sum the counters of every TRX file: <Counters total=".." executed=".." passed=".." failed=".." ... notExecuted="..">
read -r passed failed skipped < <(
  for f in "$results"/*.trx; do [ -f "$f" ] && grep -o '<Counters [^>]*>' "$f"; done |
  awk '{
    for (i = 1; i <= NF; i++) {
      split($i, kv, "="); gsub(/"/, "", kv[2]);
      if (kv[1] == "passed") p += kv[2];
      if (kv[1] == "failed" || kv[1] == "error" || kv[1] == "timeout" || kv[1] == "aborted") f += kv[2];
      if (kv[1] == "notExecuted") s += kv[2];
    }
  } END { printf "%d %d %d\n", p, f, s }'
)
failed=$((failed + crashed))
# Stop the server now rather than from the EXIT trap, so the summary is the very last line printed.
stop_local_postgres
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
