#!/usr/bin/env bash
# Builds the Debian package inspect_VERSION_ARCH.deb with Debian's own tools (dpkg-shlibdeps,
# dpkg-gencontrol's conventions, dpkg-deb) and checks it with lintian:
#   /usr/bin/inspect (release, Swift runtime static, Debian's C libraries dynamic, stripped);
#   the shipped checklists, profiles and templates in /usr/share/inspect (files of the same name
#   in /etc/inspect override them, so an upgrade never asks about a profile);
#   conffiles /etc/inspect/inspect.yaml and /etc/default/inspect only;
#   inspect.service and inspect@.service, enabled the debhelper way; the system user by sysusers.d;
#   a man page per subcommand; bash, zsh and fish completions; changelog and copyright.
#
#   Scripts/package.sh [OUTDIR]        (default: the checkout's top directory)
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh

apt_install "${BUILD_PACKAGES[@]}" dpkg-dev fakeroot lintian binutils
find_swift
swift_build -c release --product inspect --static-swift-stdlib "${RELEASE_LINK[@]}"
BIN=.build/release/inspect
VERSION=$(sed -n 's/.*static let string = "\(.*\)".*/\1/p' Sources/InspectorApp/Version.swift)
ARCH=$(dpkg --print-architecture)
OUTDIR=${1:-$PWD}
DEB="$OUTDIR/inspect_${VERSION}_${ARCH}.deb"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"

# The binary, stripped of symbols (they are most of its size).
install -D -m 0755 "$BIN" "$ROOT/usr/bin/inspect"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$ROOT/usr/bin/inspect"

# Shipped data, overridable by name from /etc/inspect.
install -d "$ROOT/usr/share/inspect/checklists" "$ROOT/usr/share/inspect/profiles" "$ROOT/usr/share/inspect/templates"
install -m 0644 Config/checklists/*.yaml "$ROOT/usr/share/inspect/checklists/"
install -m 0644 Config/profiles/*.yaml "$ROOT/usr/share/inspect/profiles/"
install -m 0644 Config/templates/*.mustache Config/templates/README.md "$ROOT/usr/share/inspect/templates/"
install -m 0644 Config/alertmanager.example.yml "$ROOT/usr/share/inspect/"

# Conffiles: the config (its relative checklists resolve to /usr/share/inspect) and the defaults.
install -D -m 0644 Config/inspect.yaml "$ROOT/etc/inspect/inspect.yaml"
install -D -m 0644 Scripts/debian/default "$ROOT/etc/default/inspect"

# Units: the binary in /usr/bin, extra arguments from /etc/default/inspect.
install -d "$ROOT/lib/systemd/system"
sed -e 's|/usr/local/bin/inspect|/usr/bin/inspect|g' \
    -e 's|^# Inspector daemon. Install with Scripts/install.sh|# Inspector daemon (Debian package)|' \
    -e 's|^ExecStart=\(.*\)$|EnvironmentFile=-/etc/default/inspect\nExecStart=\1 $INSPECT_ARGS|' \
    Config/inspect.service > "$ROOT/lib/systemd/system/inspect.service"
sed -e 's|/usr/local/bin/inspect|/usr/bin/inspect|g' Config/inspect@.service > "$ROOT/lib/systemd/system/inspect@.service"
sed -e 's|/usr/local/bin/inspect|/usr/bin/inspect|g' Config/inspect-smart.service > "$ROOT/lib/systemd/system/inspect-smart.service"
install -m 0644 Config/inspect-smart.timer "$ROOT/lib/systemd/system/inspect-smart.timer"
chmod 0644 "$ROOT"/lib/systemd/system/*
install -D -m 0644 Scripts/debian/sysusers.conf "$ROOT/usr/lib/sysusers.d/inspect.conf"
install -D -m 0644 Scripts/debian/tmpfiles.conf "$ROOT/usr/lib/tmpfiles.d/inspect.conf"

# Man pages, one per subcommand (swift-argument-parser's generate-manual plugin). The plugin builds
# every product first; in release it would rebuild everything without the static runtime (other
# compile flags) and overwrite .build/release/inspect, so it reads the debug build (12 s where
# test.sh has made it); the commands and their help are the same.
MAN="$WORK/man"; mkdir -p "$MAN"
swift package --allow-writing-to-directory "$MAN" generate-manual --configuration debug --multi-page --date "$(date -u -d "@$(git log -1 --format=%ct 2>/dev/null || date +%s)" +%Y-%m-%d)" \
    --output-directory "$MAN" --authors "Inspector maintainers<inspect@inspector.invalid>" >/dev/null 2>"$WORK/man.log" \
    || { cat "$WORK/man.log"; exit 1; }
install -d "$ROOT/usr/share/man/man1"
# inspect.now.1 -> inspect-now.1, as git-commit(1); the bench's own pages stay out.
for page in "$MAN"/inspect.1 "$MAN"/inspect.*.1; do
    name=$(basename "$page" .1 | tr . -)
    sed -e "s/^\.Dt INSPECT\.\([A-Z-]*\)/.Dt INSPECT-\1/" "$page" | gzip -9n > "$ROOT/usr/share/man/man1/$name.1.gz"
done

# Shell completions.
install -d "$ROOT/usr/share/bash-completion/completions" "$ROOT/usr/share/zsh/vendor-completions" "$ROOT/usr/share/fish/vendor_completions.d"
"$BIN" --generate-completion-script bash > "$ROOT/usr/share/bash-completion/completions/inspect"
"$BIN" --generate-completion-script zsh > "$ROOT/usr/share/zsh/vendor-completions/_inspect"
"$BIN" --generate-completion-script fish > "$ROOT/usr/share/fish/vendor_completions.d/inspect.fish"
chmod 0644 "$ROOT"/usr/share/*/completions/inspect "$ROOT"/usr/share/zsh/vendor-completions/_inspect "$ROOT"/usr/share/fish/vendor_completions.d/inspect.fish

# Yams builds libyaml's C sources into the binary (a Swift package links statically): said so.
install -D -m 0644 Scripts/debian/lintian-overrides "$ROOT/usr/share/lintian/overrides/inspect"

# Documentation: copyright, changelog (native package), the README.
DOC="$ROOT/usr/share/doc/inspect"
install -D -m 0644 Scripts/debian/copyright "$DOC/copyright"
gzip -9n -c Scripts/debian/changelog > "$DOC/changelog.gz"
gzip -9n -c README.md > "$DOC/README.md.gz"

# Control: the shared libraries' packages from dpkg-shlibdeps.
install -d -m 0755 "$ROOT/DEBIAN"
install -m 0755 Scripts/debian/postinst Scripts/debian/prerm Scripts/debian/postrm "$ROOT/DEBIAN/"
printf '/etc/default/inspect\n/etc/inspect/inspect.yaml\n' > "$ROOT/DEBIAN/conffiles"
mkdir -p "$WORK/src/debian"
printf 'Source: inspect\n\nPackage: inspect\nArchitecture: any\n' > "$WORK/src/debian/control"
SHLIBS=$(cd "$WORK/src" && dpkg-shlibdeps -O "$ROOT/usr/bin/inspect" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
# libcurl (HTTP checks, mail) and libpq (the fleet history) are opened on first use, so
# dpkg-shlibdeps does not see them: named here. 7.85 brought CURLOPT_PROTOCOLS_STR.
OPENED_LIBS="libcurl4 (>= 7.85.0), libpq5"
SIZE=$(du -sk --exclude=DEBIAN "$ROOT" | cut -f1)
cat > "$ROOT/DEBIAN/control" <<CONTROL
Package: inspect
Version: $VERSION
Architecture: $ARCH
Maintainer: Inspector maintainers <inspect@inspector.invalid>
Installed-Size: $SIZE
Depends: $SHLIBS, $OPENED_LIBS, init-system-helpers (>= 1.54~), systemd | adduser
Recommends: systemd, chromium, smartmontools
Suggests: prometheus, prometheus-alertmanager
Section: admin
Priority: optional
Description: infrastructure inspection agent for machine rooms
 Inspector polls servers (/proc and /sys), UPS units, switches, routers,
 firewalls and room sensors (SNMP v1/v2c/v3) and HTTP endpoints, judges every
 reading against inspection check cards (the paper round's cards, zh-CN and
 en), and writes evidence-backed reports and alert events to a spool; it runs
 as a systemd daemon or on demand (inspect now) and mails reports.
CONTROL
(cd "$ROOT" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) > "$ROOT/DEBIAN/md5sums"
chmod 0644 "$ROOT/DEBIAN/control" "$ROOT/DEBIAN/conffiles" "$ROOT/DEBIAN/md5sums"
mkdir -p "$OUTDIR"
dpkg-deb --root-owner-group -Zxz --build "$ROOT" "$DEB" >/dev/null
echo "built $DEB ($(du -k "$DEB" | cut -f1) KB; /usr/bin/inspect $(du -k "$ROOT/usr/bin/inspect" | cut -f1) KB)"

# lintian: no errors (warnings are printed for the record).
lintian --fail-on error --no-tag-display-limit "$DEB"
