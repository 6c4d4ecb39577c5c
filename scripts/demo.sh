#!/usr/bin/env bash
# Builds the app and the server, and starts Gõ Cửa with the demo commune on
# http://127.0.0.1:8080 (override with GOCUA_ADDR). Data goes to gocua-demo.db.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

say "building the app (release)"
scripts/build-app.sh
say "building the server (release)"
cargo build --release -p gocua-server

exec target/release/gocua-server serve \
  --addr "${GOCUA_ADDR:-127.0.0.1:8080}" \
  --database "${GOCUA_DATABASE:-sqlite://gocua-demo.db}" \
  --static-dir dist \
  --demo
