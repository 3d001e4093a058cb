#!/usr/bin/env bash
# The playground (web/): reducer unit tests natively, a release build with
# trunk (offline) into dist/, then the end-to-end test in headless Chromium.
# Screenshots go to test-output/playground/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "-- web: clippy (native, with tests) and the reducer and highlighter unit tests"
cargo clippy -p irsa-web --all-targets --locked -- -D warnings
cargo test -p irsa-web --locked

echo "-- web: trunk build --release --offline"
cargo fetch --locked >/dev/null
trunk build --release --offline --dist dist

wasm=$(ls dist/*_bg.wasm)
js=$(ls dist/irsa-web-*.js)
printf -- '-- web: sizes: wasm %s B (gzip %s B), js %s B (gzip %s B), total gzip %s B (goal <= 307200)\n' \
  "$(wc -c <"$wasm")" "$(gzip -9c "$wasm" | wc -c)" "$(wc -c <"$js")" "$(gzip -9c "$js" | wc -c)" \
  "$(( $(gzip -9c "$wasm" | wc -c) + $(gzip -9c "$js" | wc -c) + $(gzip -9c dist/boot.js | wc -c) ))"

node -e 'const z = require("zlib"), fs = require("fs"); const b = (f) => z.brotliCompressSync(fs.readFileSync(f), { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  console.log(`-- web: sizes with brotli -q 11: wasm ${b(process.argv[1])} B, js ${b(process.argv[2])} B`)' "$wasm" "$js"

echo "-- web: the CLI the end-to-end test hands the page's spec to"
cargo build -p irsa-gen --locked --quiet

echo "-- web: end-to-end (playwright-core + Debian chromium)"
node --test --test-reporter=spec tests/browser/playground.test.mjs
