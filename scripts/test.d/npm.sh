#!/usr/bin/env bash
# The npm package as a user gets it: build it (scripts/build-npm), `npm pack`,
# install the tarball into a fresh project, then
#   - node:test suites from ESM and CommonJS, every example byte-identical to the CLI
#     (migrate.test.mjs: every migrate fixture's plan and findings as the CLI's);
#   - a TypeScript consumer (ESM and CJS) under `tsc --noEmit --strict`;
#   - an esbuild browser bundle;
#   - headless Chromium: a plain page, the bundle and the docs-page demo (wasm/demo), on 127.0.0.1;
#   - the docs-site custom elements (irsa-gen/element) on wasm/demo/element.html in headless Chromium;
#   - the differential tests: 6,000 generated trusts decided by `simulate`,
#     the chained migration's target trusts and 1,000 generated role trusts
#     decided for role sessions by `irsa-gen simulate --principal-role-arn`
#     (sessiongen.mjs), and generated permissions
#     policies decided by `simulatePolicy`, each also by
#     @cloud-copilot/iam-simulate (pinned in the workspace's package.json).
# Run by scripts/test; alone: bash scripts/test.d/npm.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

"$ROOT/scripts/build-npm"
cargo build --locked -q -p irsa-gen
CLI="$ROOT/target/debug/irsa-gen"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd wasm/pkg && npm pack --silent --pack-destination "$WORK" >/dev/null)
TARBALL="$(ls "$WORK"/irsa-gen-*.tgz)"
echo "npm pack: $(basename "$TARBALL"), $(wc -c < "$TARBALL") bytes"

PROJECT="$WORK/project"
mkdir -p "$PROJECT"
cp -r tests/node/. "$PROJECT/"
cd "$PROJECT"
printf '{ "name": "irsa-gen-consumer", "private": true }\n' > package.json
# No dependencies: installs offline from the tarball alone.
npm install --offline --no-audit --no-fund --no-package-lock "$TARBALL" >/dev/null
# The browser suite resolves playwright-core, the differential test the IAM
# engine, from the workspace's node_modules.
ln -s "$ROOT/node_modules/playwright-core" node_modules/playwright-core
ln -s "$ROOT/node_modules/@cloud-copilot" node_modules/@cloud-copilot
# The demo page as its README tells people to use it: the package copied next to it.
cp -r "$ROOT/wasm/demo" demo
cp -r node_modules/irsa-gen demo/irsa-gen

echo "esbuild: a browser bundle of tests/node/bundle/app.mjs"
esbuild bundle/app.mjs --bundle --format=esm --platform=browser --log-level=warning --outdir=bundle/dist
# esbuild keeps `new URL('irsa_wasm_bg.wasm', import.meta.url)`: the .wasm goes next to the bundle.
cp node_modules/irsa-gen/irsa_wasm_bg.wasm bundle/dist/
if grep -q 'node:fs' bundle/dist/app.js; then echo "the browser bundle pulled in the Node entry" >&2; exit 1; fi

echo "tsc --strict (ESM and CommonJS consumers)"
tsc -p tsconfig.json

export IRSA_GEN_BIN="$CLI" IRSA_EXAMPLES="$ROOT/examples" IRSA_FIXTURES="$ROOT/tests/fixtures" IRSA_SHOTS="$ROOT/test-output/elements"
node --test --test-reporter=spec api.test.mjs api.test.cjs migrate.test.mjs browser.test.mjs element.test.mjs differential.test.mjs permissions-differential.test.mjs
