#!/usr/bin/env bash
# Set everything up (once) and run the whole test suite, slow tests included.
# Extra arguments go to pytest (e.g. -m "not slow" for the fast tests only).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --ecosystem
bash scripts/setup_browser.sh
exec .venv/bin/python -m pytest "$@"
