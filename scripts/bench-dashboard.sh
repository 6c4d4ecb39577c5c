#!/usr/bin/env bash
# Dashboard and quarterly-report speed over 1,000,000 visits
# (server/examples/dashboard_bench.rs): every figure against its 50 ms budget.
# Twice: on SQLite, then moved up to a throw-away PostgreSQL cluster
# (scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p gocua-server --example dashboard_bench
target/release/examples/dashboard_bench
echo
. scripts/postgres.sh
postgres_start
trap postgres_stop EXIT
GOCUA_TEST_BACKEND=postgres target/release/examples/dashboard_bench
