#!/usr/bin/env bash
# Installs what is missing, builds in release mode, and runs one inspection of this host
# with the shipped config (Config/inspect.yaml). Extra arguments go to `inspect now`,
# e.g. Scripts/run.sh --lang zh --format html > report.html
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh

# smartmontools: SXKR-010 reads disk health through smartctl (without it the card says so).
apt_install "${BUILD_PACKAGES[@]}" smartmontools
find_swift
echo "==> building (release)"
swift_build -c release --product inspect --static-swift-stdlib "${RELEASE_LINK[@]}"

echo "==> inspect now --config Config/inspect.yaml $*"
set +e
.build/release/inspect now --config Config/inspect.yaml "$@"
status=$?
set -e
case $status in
    0) echo "==> exit 0: every item normal" ;;
    1) echo "==> exit 1: the worst item is a warning (see 'Abnormal items')" ;;
    2) echo "==> exit 2: something is critical (see 'Abnormal items')" ;;
    3) echo "==> exit 3: some items could not be verified on this host, nothing worse (see 'Not verified')" ;;
    *) echo "==> exit $status: inspect failed (message above)"; exit $status ;;
esac
