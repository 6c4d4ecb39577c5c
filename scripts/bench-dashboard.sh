#!/usr/bin/env bash
# Dashboard and quarterly-report speed over 1,000,000 visits
# (server/examples/dashboard_bench.rs): every figure against its 50 ms budget.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p gocua-server --example dashboard_bench
