#!/usr/bin/env bash
# Runs the marketplace with demo data on http://127.0.0.1:5080 until stopped (Ctrl-C).
# With MARKET_DB set (an Npgsql connection string) it uses that database; otherwise it installs PostgreSQL
# from Debian if needed and runs a project-local server with its data under .data/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_dotnet

if [ -z "${MARKET_DB:-}" ]; then
  start_local_postgres
  trap stop_local_postgres EXIT
  exit_on_signals
  ensure_database market
  export MARKET_DB="$(local_connection_string market)"
fi
export Storage__Root="${Storage__Root:-$ROOT/.data/files}"
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://127.0.0.1:5080}"

log "building"
dotnet build src/Market.Web/Market.Web.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
# The content root is the project folder, where appsettings.json lives.
cd src/Market.Web
web() { dotnet bin/Release/net10.0/Market.Web.dll "$@"; }
web migrate
web seed-demo
log "serving on $ASPNETCORE_URLS (Ctrl-C to stop)"
web
