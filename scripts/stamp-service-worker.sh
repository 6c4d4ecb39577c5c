#!/usr/bin/env bash
# Trunk post_build hook: writes this build's version and file list into the
# staged service worker. Trunk does not hash sw.js, so without this a phone
# would never learn that a new build exists. Lists the files of the staging
# directory rather than parsing index.html (Trunk's minifier unquotes attributes).
set -euo pipefail
staging="${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}"
cd "$staging"
files=$(find . -type f ! -name sw.js | sed 's|^\./|/|' | LC_ALL=C sort)
build=$(printf '%s\n' "$files" | xargs -I{} sha256sum ".{}" | sha256sum | cut -c1-16)
precache=$(printf '%s\n' "$files" | sed 's/.*/"&"/' | paste -sd, -)
sed -i \
  -e "s|^const BUILD = 'dev';|const BUILD = '$build';|" \
  -e "s|^const PRECACHE = \[\];|const PRECACHE = [$precache];|" \
  sw.js
grep -q "const BUILD = '$build';" sw.js || { echo "stamp-service-worker: BUILD line not found in sw.js" >&2; exit 1; }
