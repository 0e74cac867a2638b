#!/usr/bin/env bash
# Installs Inspector on this host as a systemd service: builds (release), installs the binary to
# /usr/local/bin, the config, checklists, profiles and templates to /etc/inspect (existing files
# are kept), creates the `inspect` system user, the spool, and the unit, then starts it.
#   Scripts/install.sh [--no-start]
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh
[ "$(id -u)" -eq 0 ] || { echo "run as root (sudo Scripts/install.sh)" >&2; exit 1; }

apt_install "${BUILD_PACKAGES[@]}"
find_swift
swift_build -c release --product inspect --static-swift-stdlib "${RELEASE_LINK[@]}"
install -m 0755 .build/release/inspect /usr/local/bin/inspect

getent group inspect >/dev/null || groupadd --system inspect
getent passwd inspect >/dev/null || useradd --system --gid inspect --home-dir /var/lib/inspect --shell /usr/sbin/nologin inspect
getent group systemd-journal >/dev/null && usermod -a -G systemd-journal inspect || true

install -d -m 0755 /etc/inspect /etc/inspect/checklists /etc/inspect/profiles /etc/inspect/templates
# The report templates are compiled into the binary; copies go to /usr/local/share for reference.
# A file of the same name in /etc/inspect/templates overrides one (see README, "Report templates").
install -d -m 0755 /usr/local/share/inspect/templates
install -m 0644 Config/templates/*.mustache Config/templates/README.md /usr/local/share/inspect/templates/
[ -e /etc/inspect/inspect.yaml ] || install -m 0644 Config/inspect.yaml /etc/inspect/inspect.yaml
for f in Config/checklists/*.yaml; do [ -e "/etc/inspect/checklists/$(basename "$f")" ] || install -m 0644 "$f" /etc/inspect/checklists/; done
for f in Config/profiles/*.yaml; do [ -e "/etc/inspect/profiles/$(basename "$f")" ] || install -m 0644 "$f" /etc/inspect/profiles/; done
install -d -m 0750 -o inspect -g inspect /var/spool/inspect /var/lib/inspect
install -d -m 0755 /usr/share/doc/inspect && install -m 0644 README.md /usr/share/doc/inspect/README.md

/usr/local/bin/inspect check-config --config /etc/inspect/inspect.yaml
install -m 0644 Config/inspect.service /etc/systemd/system/inspect.service
# SMART for the daemon: smartctl as root every 30 min (inspect-smart.service), read by the daemon.
install -m 0644 Config/inspect-smart.service Config/inspect-smart.timer /etc/systemd/system/
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    if [ "${1:-}" != "--no-start" ]; then
        systemctl enable --now inspect-smart.timer
        systemctl enable --now inspect.service
        systemctl --no-pager status inspect.service | head -n 5 || true
    fi
    systemd-analyze security inspect.service | tail -n 1 || true
else
    echo "systemd is not running here: unit installed, not started"
fi
