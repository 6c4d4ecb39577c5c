# A throw-away PostgreSQL cluster for tests and benchmarks. Source it
# (`. scripts/postgres.sh`), then:
#
#   postgres_start           # exports GOCUA_TEST_POSTGRES_URL and GOCUA_TEST_POSTGRES_ADMIN_URL
#   postgres_start --log-statements     # the same, and every statement run is logged as JSON lines
#                                       # under $GOCUA_TEST_POSTGRES_STATEMENTS (one directory)
#   trap postgres_stop EXIT  # the caller's choice: this file registers nothing
#   ...
#   postgres_stop            # stops it and deletes its files; safe to call twice
#
# - Binaries: the newest /usr/lib/postgresql/*/bin.
# - Files: one temporary directory holding the data (data/), the server's
#   log (server.log) and its Unix socket. Shown when something fails.
# - Runs as the caller, or, when the caller is root (initdb refuses root), as
#   the system user gocua-pg, created if missing.
# - Listens on 127.0.0.1 only, on a free port; trust authentication (local
#   connections only). Server settings are PostgreSQL's defaults otherwise:
#   fsync and synchronous_commit stay on, so timings are honest.
# - Role `gocua` (superuser: a test may create a database of its own through
#   the admin URL) owns the database `gocua_test`.
# - Encoding UTF8, locale C: text compares and sorts by bytes, as SQLite's
#   default (BINARY) collation does.
#
# Safe under the caller's `set -euo pipefail`: every step that may fail is
# checked, and a failed start prints the server's log, cleans up and returns 1.

# State of the running cluster, for postgres_stop (empty: none).
# Kept if this file is sourced again while one runs.
_GOCUA_PG_DIR="${_GOCUA_PG_DIR:-}"
_GOCUA_PG_BIN="${_GOCUA_PG_BIN:-}"
_GOCUA_PG_USER="${_GOCUA_PG_USER:-}"
_GOCUA_PG_SYSTEM_USER="gocua-pg"

# Runs a PostgreSQL program as the cluster's owner, from its directory (the
# caller's directory may be closed to that user).
_gocua_pg_as() {
  if [ -n "$_GOCUA_PG_USER" ]; then
    (cd "$_GOCUA_PG_DIR" && runuser -u "$_GOCUA_PG_USER" -- "$@")
  else
    (cd "$_GOCUA_PG_DIR" && "$@")
  fi
}

# Prints a free TCP port of 127.0.0.1.
_gocua_pg_free_port() {
  local port=""
  if command -v python3 >/dev/null 2>&1; then
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
      2>/dev/null) || port=""
  fi
  if [ -z "$port" ]; then
    # No Python: random ports until one nobody answers on.
    local tries=0
    while [ "$tries" -lt 100 ]; do
      tries=$((tries + 1))
      port=$((20000 + RANDOM % 40000))
      if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        break
      fi
      port=""
    done
  fi
  [ -n "$port" ] || return 1
  echo "$port"
}

# Reports why the start failed, with the logs, and removes what was made.
# Succeeds itself (the caller returns 1), so a caller's `set -e` lets the log print first.
_gocua_pg_fail() {
  echo "postgres: $*" >&2
  # The server's log, or initdb's when the server never ran.
  local log="$_GOCUA_PG_DIR/server.log"
  [ -s "$log" ] || log="$_GOCUA_PG_DIR/initdb.log"
  if [ -n "$_GOCUA_PG_DIR" ] && [ -s "$log" ]; then
    echo "---- $log ----" >&2
    cat "$log" >&2 || true
    echo "---- end of $log ----" >&2
  fi
  postgres_stop
}

postgres_start() {
  local log_statements=""
  case "${1:-}" in
    "") ;;
    --log-statements) log_statements=1 ;;
    *)
      echo "postgres: unknown option $1" >&2
      return 1
      ;;
  esac
  if [ -n "$_GOCUA_PG_DIR" ] && [ -f "$_GOCUA_PG_DIR/data/postmaster.pid" ]; then
    echo "postgres: already running in $_GOCUA_PG_DIR" >&2
    return 0
  fi

  # The newest installed version.
  local candidate best="" best_version=""
  for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/postgres" ] && [ -x "$candidate/initdb" ] || continue
    local version="${candidate#/usr/lib/postgresql/}"
    version="${version%/bin}"
    if [ -z "$best" ] || [ "$(printf '%s\n%s\n' "$best_version" "$version" | sort -V | tail -n 1)" = "$version" ]; then
      best="$candidate"
      best_version="$version"
    fi
  done
  if [ -z "$best" ]; then
    echo "postgres: no PostgreSQL server under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
    return 1
  fi
  _GOCUA_PG_BIN="$best"

  # initdb refuses to run as root: root runs it as a dedicated system user.
  local parent="${TMPDIR:-/tmp}"
  if [ "$(id -u)" = 0 ]; then
    if ! id -u "$_GOCUA_PG_SYSTEM_USER" >/dev/null 2>&1; then
      # Another script may have created it meanwhile: only its absence afterwards is a failure.
      useradd --system --no-create-home --shell /usr/sbin/nologin "$_GOCUA_PG_SYSTEM_USER" >/dev/null 2>&1 || true
      if ! id -u "$_GOCUA_PG_SYSTEM_USER" >/dev/null 2>&1; then
        echo "postgres: could not create the system user $_GOCUA_PG_SYSTEM_USER" >&2
        return 1
      fi
    fi
    _GOCUA_PG_USER="$_GOCUA_PG_SYSTEM_USER"
    # Root's TMPDIR may be closed to that user.
    parent=/tmp
  else
    _GOCUA_PG_USER=""
  fi

  local dir
  if ! dir=$(mktemp -d "$parent/gocua-pg.XXXXXX"); then
    echo "postgres: could not make a temporary directory in $parent" >&2
    return 1
  fi
  _GOCUA_PG_DIR="$dir"
  if [ -n "$_GOCUA_PG_USER" ] && ! chown "$_GOCUA_PG_USER:" "$dir"; then
    _gocua_pg_fail "could not give $dir to $_GOCUA_PG_USER"
    return 1
  fi

  # The bootstrap superuser is named gocua: the role the tests connect as.
  if ! _gocua_pg_as "$_GOCUA_PG_BIN/initdb" --pgdata="$dir/data" --username=gocua --auth=trust \
    --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1; then
    _gocua_pg_fail "initdb failed"
    return 1
  fi
  # Appended to postgresql.conf (later lines win): nothing else differs from the defaults.
  if ! printf "listen_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\n" "$dir" \
    >>"$dir/data/postgresql.conf"; then
    _gocua_pg_fail "could not write $dir/data/postgresql.conf"
    return 1
  fi
  # Every statement, with the application_name of the connection that sent
  # it, one JSON object a line, in one file (no rotation) — for the
  # commune-filter test (server/tests/commune_filter.rs). JSON alone: a plain
  # copy beside it doubled the disk a suite run takes. (jsonlog: PostgreSQL 15+.)
  if [ -n "$log_statements" ] && ! printf "%s\n" "logging_collector = on" "log_destination = 'jsonlog'" \
    "log_directory = '$dir/statements'" "log_rotation_size = 0" "log_rotation_age = 0" "log_statement = 'all'" \
    >>"$dir/data/postgresql.conf"; then
    _gocua_pg_fail "could not write $dir/data/postgresql.conf"
    return 1
  fi

  # The port is free when found, but may be taken before the server binds
  # it: then another one is tried.
  local port="" attempt=0 started=""
  while [ "$attempt" -lt 3 ]; do
    attempt=$((attempt + 1))
    if ! port=$(_gocua_pg_free_port); then
      _gocua_pg_fail "found no free TCP port on 127.0.0.1"
      return 1
    fi
    if _gocua_pg_as "$_GOCUA_PG_BIN/pg_ctl" --pgdata="$dir/data" --log="$dir/server.log" --wait --timeout=60 \
      --options="-p $port" start >/dev/null 2>&1; then
      started=1
      break
    fi
    grep -q "Address already in use" "$dir/server.log" 2>/dev/null || break
  done
  if [ -z "$started" ]; then
    _gocua_pg_fail "the server did not start (port $port)"
    return 1
  fi

  local waited=0
  until "$_GOCUA_PG_BIN/pg_isready" --quiet --host=127.0.0.1 --port="$port" --username=gocua --dbname=postgres; do
    waited=$((waited + 1))
    if [ "$waited" -ge 60 ]; then
      _gocua_pg_fail "the server did not become ready on 127.0.0.1:$port within 30 seconds"
      return 1
    fi
    sleep 0.5
  done

  if ! "$_GOCUA_PG_BIN/psql" --no-psqlrc --quiet --set=ON_ERROR_STOP=1 --host=127.0.0.1 --port="$port" \
    --username=gocua --dbname=postgres --command="CREATE DATABASE gocua_test OWNER gocua" >/dev/null; then
    _gocua_pg_fail "could not create the database gocua_test"
    return 1
  fi

  export GOCUA_TEST_POSTGRES_URL="postgres://gocua@127.0.0.1:$port/gocua_test"
  export GOCUA_TEST_POSTGRES_ADMIN_URL="postgres://gocua@127.0.0.1:$port/postgres"
  if [ -n "$log_statements" ]; then
    export GOCUA_TEST_POSTGRES_STATEMENTS="$dir/statements"
  fi
  local release
  release=$("$_GOCUA_PG_BIN/postgres" --version 2>/dev/null | awk '{ print $3 }') || release=""
  echo "postgres: PostgreSQL ${release:-$best_version} on 127.0.0.1:$port${_GOCUA_PG_USER:+ as $_GOCUA_PG_USER}," \
    "files in $dir" >&2
}

postgres_stop() {
  local dir="$_GOCUA_PG_DIR"
  [ -n "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    if ! _gocua_pg_as "$_GOCUA_PG_BIN/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >/dev/null 2>&1; then
      echo "postgres: a fast stop failed; stopping immediately" >&2
      _gocua_pg_as "$_GOCUA_PG_BIN/pg_ctl" --pgdata="$dir/data" --mode=immediate --wait stop >/dev/null 2>&1 || true
    fi
  fi
  # Only ever a directory this file made.
  case "$dir" in
    */gocua-pg.??????) rm -rf -- "$dir" ;;
  esac
  _GOCUA_PG_DIR=""
  unset GOCUA_TEST_POSTGRES_URL GOCUA_TEST_POSTGRES_ADMIN_URL GOCUA_TEST_POSTGRES_STATEMENTS
  return 0
}
