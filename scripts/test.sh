#!/usr/bin/env bash
# The whole test suite: lint, types, then every test (browser tests included) in parallel.
#   bash scripts/test.sh          everything (what CI runs)
#   bash scripts/test.sh --fast   lint, types and the tests that build no site and start no
#                                 browser (about 20 s on 2 cores): for while you work
# Further arguments go to pytest (e.g. bash scripts/test.sh --fast -k topic).
set -euo pipefail
cd "$(dirname "$0")/.."
marks=()
if [ "${1:-}" = "--fast" ]; then
  shift
  marks=(-m "not slow and not browser")
fi
.venv/bin/ruff check generator tests benchmarks scripts
.venv/bin/mypy
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-auto}" "${marks[@]}" "$@"
