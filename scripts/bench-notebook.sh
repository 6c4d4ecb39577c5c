#!/usr/bin/env bash
# Times saving one visit and opening home with 5,000 visits and 2,000
# households on the phone, in headless Chromium at 4x CPU throttling
# (bench/notebook.mjs), against the real server serving a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

scripts/build-app.sh >/dev/null
cargo build --release -p gocua-server 2>/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
target/release/gocua-server serve --addr "127.0.0.1:$port" --database "sqlite://$data/bench.db" --static-dir dist --demo-accounts >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done

node bench/notebook.mjs "http://127.0.0.1:$port" "${RUNS:-7}"
