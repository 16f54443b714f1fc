#!/usr/bin/env bash
# Set everything up (once) and run the main job: value evaluation of the embedded
# default model into the default SQLite store. Extra arguments go to `valuecompass run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/valuecompass run "$@"
