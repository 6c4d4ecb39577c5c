#!/usr/bin/env bash
# The province's view and consolidated report over 100 communes and
# 10,000,000 visits (server/examples/province_bench.rs): each endpoint against
# its 200 ms budget. Twice: on SQLite, then moved up to a throw-away
# PostgreSQL cluster (scripts/postgres.sh). Generating the data takes about
# 8 minutes and building its kept figures several more; GOCUA_BENCH_DIR=DIR
# keeps both between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p gocua-server --example province_bench
# One directory for both runs: PostgreSQL's data is moved up from SQLite's.
temporary=""
if [ -z "${GOCUA_BENCH_DIR:-}" ]; then
  temporary=$(mktemp -d)
  GOCUA_BENCH_DIR=$temporary
fi
export GOCUA_BENCH_DIR
cleanup() {
  if declare -F postgres_stop > /dev/null; then postgres_stop; fi
  if [ -n "$temporary" ]; then rm -rf "$temporary"; fi
}
trap cleanup EXIT
target/release/examples/province_bench
echo
. scripts/postgres.sh
postgres_start
GOCUA_TEST_BACKEND=postgres target/release/examples/province_bench
