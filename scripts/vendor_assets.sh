#!/usr/bin/env bash
# Reproduce the vendored JavaScript of the leaderboard web app (run by hand, never at install time).
#
# The web app serves every asset itself (no CDN, works offline). Its one third-party script is
# Chart.js, pinned below, taken from the npm registry package with `npm pack` and copied with its
# licence into src/valuecompass/leaderboard/static/vendor/. The copied files are committed, so an
# install needs neither npm nor network. The sha256 sums are checked so a re-run is verifiable.
set -euo pipefail
cd "$(dirname "$0")/.."

CHARTJS_VERSION="4.6.1"
DEST="src/valuecompass/leaderboard/static/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "chart.js@${CHARTJS_VERSION}" >/dev/null && tar -xzf "chart.js-${CHARTJS_VERSION}.tgz")
mkdir -p "$DEST"
cp "$work/package/dist/chart.umd.min.js" "$DEST/chart.umd.min.js"
cp "$work/package/LICENSE.md" "$DEST/chart.js.LICENSE.md"
printf 'chart.js %s (npm registry, dist/chart.umd.min.js)\n' "$CHARTJS_VERSION" > "$DEST/VERSIONS.txt"
(cd "$DEST" && sha256sum chart.umd.min.js chart.js.LICENSE.md >> VERSIONS.txt)
cat "$DEST/VERSIONS.txt"
