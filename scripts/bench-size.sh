#!/usr/bin/env bash
# Prints the app's critical-path size — index.html (its styles inline) and
# the JS and WASM a volunteer's phone loads first (the volunteer's build, src/builds.rs) —
# raw, and as the real server sends it (brotli, and gzip for browsers without
# brotli), from a release build; then the full build, which leaders and
# coordinators load instead and volunteers on demand. Markdown, for
# docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

scripts/build-app.sh >/dev/null
cargo build --release -p gocua-server 2>/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
target/release/gocua-server serve --addr "127.0.0.1:$port" --database "sqlite://$data/bench.db" --static-dir dist >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done

served() { curl -sf -H "Accept-Encoding: $2" "http://127.0.0.1:$port/$1" | wc -c; }

# Prints a row per file and a total row named $1.
table() {
  local name=$1 file raw gz br total_raw=0 total_gzip=0 total_br=0
  shift
  for file in "$@"; do
    raw=$(wc -c < "dist/$file")
    gz=$(served "$file" gzip)
    br=$(served "$file" br)
    total_raw=$((total_raw + raw)) total_gzip=$((total_gzip + gz)) total_br=$((total_br + br))
    printf '| %s | %d | %d | %d |\n' "$(echo "$file" | sed -E 's/-[0-9a-f]{11,16}/-…/')" "$raw" "$gz" "$br"
  done
  printf '| **%s** | **%d** | **%d** | **%d** |\n' "$name" "$total_raw" "$total_gzip" "$total_br"
}

printf '| file | raw | gzip (served) | brotli (served) |\n|---|---:|---:|---:|\n'
table "critical path (volunteer)" index.html \
  $(cd dist && ls *.js *.wasm | grep -vx -e sw.js -e boot.js | grep -v '^gocua-full') boot.js
table "full build (on demand)" $(cd dist && ls gocua-full*)
