#!/usr/bin/env bash
# Runs Lighthouse (mobile, simulated throttling) against the real server
# serving a release build, and prints the four category scores and the key
# timings. Lighthouse lives in tools/lighthouse, installed here on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh

lighthouse_dir="$PWD/tools/lighthouse"
if ! cmp -s "$lighthouse_dir/package-lock.json" "$lighthouse_dir/node_modules/.installed-lock" 2>/dev/null; then
  (cd "$lighthouse_dir" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.installed-lock)
fi

scripts/build-app.sh >/dev/null
cargo build --release -p gocua-server 2>/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$(mktemp -d)
target/release/gocua-server serve --addr "127.0.0.1:$port" --database "sqlite://$data/bench.db" --static-dir dist >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; [ -n "${KEEP_REPORT:-}" ] && cp "$data/lighthouse.json" "$KEEP_REPORT"; rm -rf "$data"' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/api/v1/health" >/dev/null && break; sleep 0.1; done

report="$data/lighthouse.json"
CHROME_PATH=/usr/bin/chromium "$lighthouse_dir/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/" --quiet \
  --only-categories=performance,accessibility,best-practices,seo \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync" \
  --output=json --output-path="$report" 2>/dev/null || true

node -e '
  const r = require(process.argv[1]);
  const score = (c) => Math.round(r.categories[c].score * 100);
  const audit = (a) => r.audits[a].displayValue;
  console.log(`| performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS |`);
  console.log(`|---:|---:|---:|---:|---:|---:|---:|---:|`);
  console.log(`| ${score("performance")} | ${score("accessibility")} | ${score("best-practices")} | ${score("seo")} | ${audit("first-contentful-paint")} | ${audit("largest-contentful-paint")} | ${audit("total-blocking-time")} | ${audit("cumulative-layout-shift")} |`);
  const lcp = r.audits["lcp-breakdown-insight"]?.details?.items?.find((item) => item.type === "node");
  if (lcp) console.log(`- LCP element: ${lcp.selector} (${lcp.boundingRect.width} × ${lcp.boundingRect.height} px when the page was left)`);
  for (const [id, a] of Object.entries(r.audits)) {
    if (a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable" && a.scoreDisplayMode !== "manual") {
      console.log(`- below 90: ${id} (${a.title})`);
    }
  }
' "$report"
