#!/usr/bin/env bash
# The whole test suite: lint, types, then every test (browser tests included) in parallel.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check generator tests benchmarks scripts
.venv/bin/mypy
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" "$@"
