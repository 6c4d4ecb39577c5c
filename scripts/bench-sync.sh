#!/usr/bin/env bash
# Sync throughput: push 10,000 visits through the real server vs the raw
# insert ceiling of the same engine, and pull 100,000 changes
# (server/examples/sync_bench.rs). Twice: on SQLite, then on a throw-away
# PostgreSQL cluster (scripts/postgres.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p gocua-server --example sync_bench
target/release/examples/sync_bench
echo
. scripts/postgres.sh
postgres_start
trap postgres_stop EXIT
GOCUA_TEST_BACKEND=postgres target/release/examples/sync_bench
