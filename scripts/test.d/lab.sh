#!/usr/bin/env bash
# The lab (irsa-gen lab) with real clients, on 127.0.0.1 only:
#   - `irsa-gen lab test` (the negative matrix) on every seed scenario's spec;
#   - the AWS CLI v1 and boto3 (.venv, scripts/requirements-test.txt) and the AWS SDK
#     for JavaScript v3 (@aws-sdk/client-sts, package.json) running get-caller-identity
#     through their own web identity and container credentials providers against
#     `irsa-gen lab serve`, each negative case getting the error STS gives
#     (tests/lab/clients.py).
# Run by scripts/test; alone: bash scripts/test.d/lab.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

cargo build --locked -q -p irsa-gen
CLI="$ROOT/target/debug/irsa-gen"

for spec in s3-writer kuberocketci-test-pod spice-ai pod-identity china-multi-cluster eksctl-cluster-13; do
  echo "-- lab test examples/$spec.yaml"
  "$CLI" lab test -f "examples/$spec.yaml" | tail -n 1
done

echo "-- real clients against lab serve"
out="$(mktemp)"
trap 'rm -f "$out"' EXIT
if ! "$ROOT/.venv/bin/python" "$ROOT/tests/lab/clients.py" "$CLI" >"$out" 2>&1; then
  cat "$out"
  exit 1
fi
grep -E '^(Ran|OK|lab clients:)' "$out"
