#!/usr/bin/env bash
# Runs every test of Gõ Cửa, installing what is missing first. CI runs exactly this.
#   formatting and lints → domain and server tests (real HTTP, real SQLite;
#   then again on a real PostgreSQL) →
#   browser tests of the phone's store (headless Chromium) → release build of
#   the app → end-to-end tests (playwright-core driving Chromium against the real server)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
# Incremental caches only help a rebuild; CI builds once, and disk is not always plentiful.
export CARGO_INCREMENTAL=0
say "disk free before building: $(df -h --output=avail . | tail -1 | tr -d ' ')"

say "formatting"
cargo fmt --all -- --check

say "lints (server and domain)"
cargo clippy -p gocua-domain -p gocua-server --all-targets -- -D warnings
say "lints (app, wasm32)"
cargo clippy -p gocua-app --target wasm32-unknown-unknown --all-targets -- -D warnings

# A throw-away PostgreSQL cluster for the server's tests: the SQLite run
# copies a commune into it (moving up), the PostgreSQL run stores everything
# there; every statement is logged for the commune-filter check.
. scripts/postgres.sh
postgres_start --log-statements
trap postgres_stop EXIT

say "domain and server tests"
cargo test -p gocua-domain -p gocua-server

# The same tests on PostgreSQL (the same packages as above, so nothing is built again).
say "domain and server tests on PostgreSQL"
GOCUA_TEST_BACKEND=postgres cargo test -p gocua-domain -p gocua-server
say "every statement the server sent on a commune's data filters by commune (the log of both runs)"
cargo test -p gocua-server --test server commune_filter -- --ignored
postgres_stop

say "browser tests of the app (headless Chromium)"
cargo test -p gocua-app --target wasm32-unknown-unknown

say "release build of the app"
scripts/build-app.sh

say "end-to-end tests (Chromium against the real server)"
cargo build -p gocua-server
GOCUA_SERVER_BIN="$PWD/target/debug/gocua-server" node --test tests/e2e/
