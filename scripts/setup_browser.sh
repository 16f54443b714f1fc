#!/usr/bin/env bash
# Install headless Chromium for the web-app tests and PDF reports (Debian's package), once, and
# poppler-utils (pdfinfo, pdftoppm, pdftotext), with which the tests read the PDF reports back.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "${#missing[@]}" = 0 ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "[setup] installing Debian ${missing[*]} for the browser and report tests" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "[setup] ${missing[*]} not found: browser or report tests will be skipped (install Debian's ${missing[*]})" >&2
fi
