#!/usr/bin/env bash
# Load: 1,000 phones of 20 communes sync offline work at once through the
# real server process, over connections cut now and then
# (server/examples/load.rs); checks nothing is lost, doubled or answered 5xx.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p gocua-server --bin gocua-server --example load
target/release/examples/load
