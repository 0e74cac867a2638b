#!/usr/bin/env bash
# Renders reports of this host as a manager gets them and photographs them with headless
# Chromium (Debian), to look at: bench-results/screenshots/*.png, and prints them to PDF
# (checked to be A4 landscape).
#   Scripts/screenshot.sh [--lang zh|en]
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh
apt_install "${BUILD_PACKAGES[@]}" chromium fonts-noto-cjk
find_swift
swift_build --product inspect
lang=${2:-zh}
[ "${1:-}" = "--lang" ] || lang=zh
out=bench-results/screenshots
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for _ in 1 2 3; do
    .build/debug/inspect now --config Config/inspect.yaml --spool "$work/spool" --state "$work/state" --cpu-window 0.3 \
        --format html --lang "$lang" > "$out/inspection-$lang.html" || true
done
.build/debug/inspect report --kind daily --format html --lang "$lang" --config Config/inspect.yaml \
    --spool "$work/spool" --state "$work/state" > "$out/daily-$lang.html"
.build/debug/inspect report --kind health --format html --lang "$lang" --config Config/inspect.yaml \
    --spool "$work/spool" --state "$work/state" > "$out/health-$lang.html"
for page in inspection daily health; do
    chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1000 \
        --screenshot="$PWD/$out/$page-$lang.png" "file://$PWD/$out/$page-$lang.html" 2>/dev/null
    grep -qi "<script" "$out/$page-$lang.html" && { echo "$page has a script element"; exit 1; }
    # Printed as a manager would: every page A4 landscape (841.92 x 594.96 points).
    chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --print-to-pdf="$PWD/$out/$page-$lang.pdf" "file://$PWD/$out/$page-$lang.html" 2>/dev/null
    pages=$(grep -a -c "MediaBox \[0 0 841.9" "$out/$page-$lang.pdf" || true)
    other=$(grep -a "MediaBox" "$out/$page-$lang.pdf" | grep -v -c "MediaBox \[0 0 841.9" || true)
    [ "$pages" -ge 1 ] && [ "$other" -eq 0 ] || { echo "$page does not print on A4 landscape"; exit 1; }
    echo "$out/$page-$lang.png, $out/$page-$lang.pdf (A4 landscape)"
done
