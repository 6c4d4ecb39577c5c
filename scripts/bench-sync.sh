#!/usr/bin/env bash
# Sync throughput: push 10,000 visits through the real server vs the raw
# SQLite ceiling, and pull 100,000 changes (server/examples/sync_bench.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p gocua-server --example sync_bench
