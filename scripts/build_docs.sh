#!/usr/bin/env bash
# Build the HTML API reference of valuecompass from its docstrings with pdoc.
#
#   bash scripts/build_docs.sh [OUT_DIR]     (default docs/api/, which git ignores; open OUT_DIR/index.html)
#
# One page per public package (every package but the CLI, whose reference is `--help`), per public module
# of a package (pipeline.judging, cat.selection ...) and for valuecompass.errors. Private modules (`_*.py`)
# get no page: each package's page documents the names its `__all__` exports from them. Those names are
# lazy (valuecompass._lazy); pdoc resolves them through `__all__` while it collects the modules. A class
# also documents what it inherits from a private module (Store's mixins): docs/pdoc/module.html.jinja2.
# A module that does not import is a failed build, except in valuecompass.ecosystem (optional extras,
# adapters still being written), which is left out with a warning.
# Needs pdoc in .venv: `bash scripts/setup.sh --ecosystem` installs it (the `docs` extra, pdoc==16.0.0).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -gt 0 ]; then  # relative to where the script is called from
  mkdir -p "$1"
  out="$(cd "$1" && pwd)"
else
  out="$root/docs/api"
fi
cd "$root"
py=.venv/bin/python

if [ ! -x "$py" ]; then
  echo "build_docs.sh: no .venv here; run: bash scripts/setup.sh --ecosystem" >&2
  exit 1
fi
if ! "$py" -c "import pdoc" 2>/dev/null; then
  echo "build_docs.sh: pdoc is not installed; run: bash scripts/setup.sh --ecosystem" \
       "(or .venv/bin/pip install 'pdoc==16.0.0')" >&2
  exit 1
fi

# The modules to document, in the order data flows through the stages (README, "Layout"), each checked
# to import with every name of its __all__ (what pdoc will ask for).
modules=$("$py" - <<'EOF'
import importlib
import pkgutil
import sys
import traceback

import valuecompass

FLOW = ["frameworks", "items", "models", "itemgen", "recognise", "judge", "irt", "cat", "metric", "store",
        "pipeline", "validity", "ecosystem", "leaderboard", "errors"]
NOT_API = {"cli", "__main__"}  # the command line: its reference is --help
OPTIONAL = "valuecompass.ecosystem"


def public(name: str) -> bool:
    return not name.rpartition(".")[2].startswith("_")


def loads(name: str) -> bool:
    """Import ``name`` and every name of a package's ``__all__``; a failure is fatal outside OPTIONAL."""
    try:
        module = importlib.import_module(name)
        if hasattr(module, "__path__"):
            for export in getattr(module, "__all__", ()):
                getattr(module, export)
    except Exception as exc:  # noqa: BLE001 - any import error means the module cannot be documented
        if name == OPTIONAL or name.startswith(OPTIONAL + "."):
            print(f"build_docs.sh: warning: {name} left out, it does not import: {type(exc).__name__}: {exc}",
                  file=sys.stderr)
            return False
        traceback.print_exc()
        print(f"build_docs.sh: {name} does not import; fix it before building the docs", file=sys.stderr)
        sys.exit(1)
    return True


found = [m.name.rpartition(".")[2] for m in pkgutil.iter_modules(valuecompass.__path__)
         if public(m.name) and m.name not in NOT_API]
for stage in sorted(found, key=lambda s: (FLOW.index(s) if s in FLOW else len(FLOW), s)):
    name = f"valuecompass.{stage}"
    if not loads(name):
        continue
    print(name)
    package = sys.modules[name]
    exported = set(getattr(package, "__all__", ()))
    for sub in pkgutil.iter_modules(getattr(package, "__path__", []), f"{name}."):
        # pdoc adds the submodules a package's __all__ names by itself
        if public(sub.name) and sub.name.rpartition(".")[2] not in exported and loads(sub.name):
            print(sub.name)
EOF
)

version=$("$py" -c "import valuecompass; print(valuecompass.__version__)")
# what pdoc writes; nothing else in OUT_DIR is touched
rm -rf "$out/valuecompass" "$out/index.html" "$out/search.js"
# pdoc cannot evaluate the string annotations of NamedTuple constructors (their __new__ has no module
# globals) and warns for each; the signature then shows the annotation as written, which is what we want.
# shellcheck disable=SC2086  # one module name a word
"$py" -W "ignore:Error parsing type annotation" -m pdoc --docformat google --template-directory docs/pdoc \
  --footer-text "valuecompass $version" -o "$out" $modules
echo "API docs: $(find "$out" -name '*.html' | wc -l) pages in $out (open $out/index.html)"
