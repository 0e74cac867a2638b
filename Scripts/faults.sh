#!/usr/bin/env bash
# The project's fault campaign (Scripts/fault_campaign.py): hostile configs through check-config
# and now, broken reloads, kill -9 at random moments (KILLS, default 200; SEED to repeat an order),
# a full state disk, hostile /proc trees, a hung FUSE mount, hostile HTTP peers, and a search for
# planted secrets in every output. Prints one table; exits 1 on any crash, hang, leak or lost
# event. Loopback and private mount namespaces only; needs root (tmpfs, unshare).
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh
apt_install "${BUILD_PACKAGES[@]}" python3-cryptography python3-fusepy fuse
find_swift
swift_build --product inspect
exec /usr/bin/python3 Scripts/fault_campaign.py .build/debug/inspect
