#!/usr/bin/env bash
# Trunk post_build hook. Trunk starts the hooks of one stage all at once, so
# steps that must follow each other are one hook: the imports' short names
# change the WASM and glue files that the service worker's stamp then hashes.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node "$here/short-import-names.mjs" "${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
bash "$here/stamp-service-worker.sh"
