#!/usr/bin/env bash
# Load: 1,000 phones of 20 communes sync offline work at once through the
# real server process, over connections cut now and then
# (server/examples/load.rs); checks nothing is lost, doubled or answered 5xx.
# Twice: one server on SQLite, then two servers on one PostgreSQL (a
# throw-away cluster, scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p gocua-server --bin gocua-server --example load
target/release/examples/load
. scripts/postgres.sh
postgres_start
trap postgres_stop EXIT
GOCUA_LOAD_DATABASE="$GOCUA_TEST_POSTGRES_URL" GOCUA_LOAD_SERVERS=2 target/release/examples/load
