#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already
# there, and puts them on PATH. Source it (`. scripts/setup.sh`) to keep the
# PATH; scripts/demo.sh and scripts/test.sh do.
#
# Pinned versions and why (see ../shared/toolchain.md for the traps):
# - Trunk 0.21.14: 0.22 needs a newer rustc than this machine's.
# - wasm-bindgen-cli: exactly Cargo.lock's wasm-bindgen, or an offline Trunk build stops.
# - wasm-opt: npm's binaryen (tools/node); Debian's is too old and breaks the app.
# - Chromium + ChromeDriver: Debian's, for browser and end-to-end tests.
# - LibreOffice Calc (headless): opens the exported CSV and XLSX in the export tests.
set -euo pipefail

GOCUA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

export PATH="$GOCUA_ROOT/tools/node/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# The app's release build compiles the standard library for size (scripts/build-app.sh).
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding Rust's standard library sources"
  rustup component add rust-src
fi

if [ "$(trunk --version 2>/dev/null || true)" != "trunk $TRUNK_VERSION" ]; then
  say "installing Trunk $TRUNK_VERSION (about 5 minutes, once)"
  cargo install trunk --version "=$TRUNK_VERSION" --locked
fi

wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$GOCUA_ROOT/Cargo.lock")
if [ -z "$wasm_bindgen_version" ]; then
  echo "setup: could not read wasm-bindgen's version from Cargo.lock" >&2
  exit 1
fi
if ! grep -q "wasm_bindgen = \"$wasm_bindgen_version\"" "$GOCUA_ROOT/Trunk.toml"; then
  echo "setup: Trunk.toml's [tools] wasm_bindgen must be $wasm_bindgen_version, as in Cargo.lock" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $wasm_bindgen_version" ]; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version"
  # Not --locked: its lock file wants a webpki-roots release the registry here lacks.
  cargo install wasm-bindgen-cli --version "=$wasm_bindgen_version"
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v brotli >/dev/null \
   || ! command -v soffice >/dev/null; then
  say "installing Chromium, ChromeDriver, brotli and LibreOffice Calc from Debian"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver brotli >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui >/dev/null
fi

# The server's tests run on PostgreSQL too (scripts/postgres.sh starts a throw-away cluster).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  say "installing PostgreSQL from Debian"
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  # The server only: no cluster of Debian's own is started or needed.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

node_tools="$GOCUA_ROOT/tools/node"
# node_modules/.installed-lock records the lock file it was installed from.
if ! cmp -s "$node_tools/package-lock.json" "$node_tools/node_modules/.installed-lock" 2>/dev/null; then
  say "installing node tools (binaryen, playwright-core, axe-core)"
  (cd "$node_tools" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock)
fi
case "$(command -v wasm-opt)" in
  "$node_tools"/*) ;;
  *) echo "setup: wasm-opt must come from tools/node (npm's binaryen), not $(command -v wasm-opt)" >&2; exit 1 ;;
esac
