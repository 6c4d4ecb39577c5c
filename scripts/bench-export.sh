#!/usr/bin/env bash
# Export throughput and memory: 100,000 visits as CSV and XLSX through the
# real server (server/examples/export_bench.rs).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p gocua-server --example export_bench
