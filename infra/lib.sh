# Shared by infra/run.sh and infra/test.sh: installs what a fresh Debian machine lacks and runs a
# project-local PostgreSQL (data under .data/, TCP on 127.0.0.1 only, its own port). Sourced, not run.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_PORT="${MARKET_PG_PORT:-55432}"
PG_USER=market
PG_STARTED_HERE=0

log() { printf '[market] %s\n' "$*" >&2; }

# apt-get install, non-interactive, only for the packages that are missing.
ensure_packages() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} from Debian"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# PostgreSQL refuses to run as root; as root we run it as the 'postgres' user Debian's package creates.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_data_dir() {
  local dir="$ROOT/.data/pg"
  if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$ROOT/.data"
    # The postgres user must be able to reach the folder; a checkout under /root is not reachable.
    if ! runuser -u postgres -- test -x "$ROOT/.data" 2>/dev/null; then
      dir="/var/tmp/market-pg-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
    fi
  fi
  printf '%s' "$dir"
}

start_local_postgres() {
  ensure_packages postgresql
  local bin data
  bin="$(pg_bin)"; data="$(pg_data_dir)"
  [ -n "$bin" ] || { log "PostgreSQL binaries not found after install"; return 1; }
  mkdir -p "$data"
  if [ "$(id -u)" -eq 0 ]; then chown postgres:postgres "$data"; chmod 700 "$data"; fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "creating a project-local PostgreSQL cluster in $data"
    as_pg "$bin/initdb" -D "$data" -U "$PG_USER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "PostgreSQL already running on 127.0.0.1:$PG_PORT"
  else
    log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
    as_pg "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
      -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200 -c fsync=off" start >/dev/null
    PG_STARTED_HERE=1
  fi
}

# Runs from the scripts' EXIT trap, also after Ctrl-C. Stops first and talks after: if the terminal's pipe
# is gone (a `| tee` killed by the same Ctrl-C), writing would kill the shell before the server stops.
stop_local_postgres() {
  [ "$PG_STARTED_HERE" -eq 1 ] || return 0
  trap '' PIPE
  as_pg "$(pg_bin)/pg_ctl" -D "$(pg_data_dir)" -m fast -w stop >/dev/null 2>&1 || true
  PG_STARTED_HERE=0
  log "stopped PostgreSQL" || true
}

# Ctrl-C or a kill ends the script through its EXIT trap, so the server it started is stopped too.
exit_on_signals() { trap 'exit 130' INT; trap 'exit 143' TERM; }

local_connection_string() { printf 'Host=127.0.0.1;Port=%s;Username=%s;Database=%s' "$PG_PORT" "$PG_USER" "$1"; }

psql_local() { "$(pg_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

ensure_database() {
  if [ "$(psql_local -c "select 1 from pg_database where datname = '$1'")" != "1" ]; then
    psql_local -c "create database \"$1\"" >/dev/null
  fi
}

recreate_database() {
  psql_local -c "drop database if exists \"$1\" with (force)" >/dev/null
  psql_local -c "create database \"$1\"" >/dev/null
}

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 || { log "the .NET 10 SDK is required (dotnet not on PATH)"; return 1; }
}
