#!/usr/bin/env bash
# Installs the build dependencies and the real test peers (net-snmp's snmpd and tools,
# snmpsim), builds, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh

apt_install "${BUILD_PACKAGES[@]}" snmpd snmp snmpsim systemd-journal-remote python3-cryptography python3-aiosmtpd python3-fusepy fuse iproute2 smartmontools \
    chromium fonts-noto-cjk fonts-wqy-microhei poppler-utils prometheus prometheus-alertmanager postgresql
find_swift

echo "==> swift build --build-tests"
swift_build --build-tests
echo "==> swift test"
# The "started" lines of every test case are noise; everything else, and the exit status, stays.
# UTC: the golden report files pin times as rendered in UTC (their suites skip under other zones).
TZ=UTC swift test --skip-build 2>&1 | grep --line-buffered -v " started\.$"
echo "==> the shipped unit under a real systemd"
# Needs root (CI is root); prints its own "N passed, N failed" and fails the run on a failure.
bash Scripts/systemd-check.sh
echo "==> the Debian package: built, lintian, installed, used, purged"
# Needs root (CI is root); builds the release binary; prints "N passed, N failed".
bash Scripts/package-check.sh
