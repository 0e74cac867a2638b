#!/usr/bin/env bash
# The Debian package as an administrator meets it, on this host: dpkg -i, the files where Debian
# puts them, `inspect check-config` reading /etc/inspect, a run over the shipped config, a local
# profile overriding a shipped one, then dpkg --purge leaving nothing behind.
# Needs root; builds the package first (Scripts/package.sh). Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh
[ "$(id -u)" -eq 0 ] || { echo "package-check: needs root (skipped)"; exit 0; }
if dpkg-query -W -f='${Status}' inspect 2>/dev/null | grep -q "ok installed"; then
    echo "package-check: an inspect package is already installed here; not touching it"; exit 0
fi
passed=0 failed=0
check() { if "${@:2}"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi; }
OUT=$(mktemp -d)
trap 'dpkg --purge inspect >/dev/null 2>&1; rm -rf "$OUT"' EXIT
bash Scripts/package.sh "$OUT" || { echo "FAIL package.sh"; exit 1; }
DEB=$(ls "$OUT"/inspect_*.deb)

check "dpkg -i" dpkg -i "$DEB"
installed() { [ -x /usr/bin/inspect ] && [ -f /etc/inspect/inspect.yaml ] && [ -f /etc/default/inspect ] &&
              [ -f /usr/share/inspect/profiles/ups-mib.yaml ] && [ -f /usr/share/inspect/checklists/server.yaml ] &&
              [ -f /lib/systemd/system/inspect.service ] && [ -f /usr/lib/sysusers.d/inspect.conf ] &&
              [ -f /usr/share/man/man1/inspect-run.1.gz ] && [ ! -e /usr/share/man/man1/inspect-bench.1.gz ] && [ -f /usr/share/bash-completion/completions/inspect ] &&
              [ -f /usr/share/doc/inspect/copyright ] && [ -f /usr/share/doc/inspect/changelog.gz ]; }
check "files where Debian puts them" installed
check "conffiles are the config and the defaults only" \
    test "$(dpkg-query -W -f='${Conffiles}\n' inspect | awk 'NF {print $1}' | sort | tr '\n' ' ')" = "/etc/default/inspect /etc/inspect/inspect.yaml "
check "the system user" getent passwd inspect
check "the unit is enabled" test -L /etc/systemd/system/multi-user.target.wants/inspect.service
check "the SMART timer is enabled" test -L /etc/systemd/system/timers.target.wants/inspect-smart.timer
check "inspect check-config reads /etc/inspect" bash -c 'inspect check-config 2>&1 | grep -q "/etc/inspect/inspect.yaml"'
SPOOL=$(mktemp -d)
# Exit 0-3 are the Nagios outcomes; 3 (something UNKNOWN) is right on a host without sensors, e.g. a VM.
check "inspect now over the shipped config" bash -c "inspect now --spool '$SPOOL/spool' --state '$SPOOL/state' --cpu-window 0.2 --format json >'$SPOOL/r.json'; [ \$? -le 3 ] && grep -q '\"schema\"' '$SPOOL/r.json'"
# libcurl and libpq are opened on first use (Sources/CLibraryLoader): a run over the local host
# loads neither, nor the libraries they pull in; an HTTP check loads libcurl and gets curl's answer.
# (libsqlite3 in the loader's trace shows the trace works; the run must end as a run does, 0-3.)
check "a local run loads neither libcurl nor libpq" bash -c "LD_DEBUG=files inspect now --spool '$SPOOL/spool' --state '$SPOOL/state' --cpu-window 0.2 2>'$SPOOL/local-ld.log' >/dev/null; [ \$? -le 3 ] && grep -q 'file=libsqlite3' '$SPOOL/local-ld.log' && ! grep -E 'file=(libcurl|libpq|libgnutls|libldap)' '$SPOOL/local-ld.log'"
PORT=$(free_port)
check "an HTTP check loads libcurl on first use" bash -c "LD_DEBUG=files inspect now --no-local --target http://127.0.0.1:$PORT/ --spool '$SPOOL/spool' --state '$SPOOL/state' --format json 2>'$SPOOL/ld.log' >'$SPOOL/http.json'; grep -q 'file=libcurl.so.4 .*dynamically loaded' '$SPOOL/ld.log' && grep -q 'curl error 7' '$SPOOL/http.json' && ! grep -q 'cannot be loaded' '$SPOOL/http.json'"
# Without libcurl (hidden in a private mount namespace) the check is UNKNOWN with the reason: exit 3, not
# "down", and on the agent's card (AGENT), not "unreachable" (REACH).
LIBCURL=$(readlink -f /usr/lib/x86_64-linux-gnu/libcurl.so.4)
check "without libcurl an HTTP check is UNKNOWN, with the reason" bash -c "unshare -m sh -c 'mount --bind /dev/null $LIBCURL && exec inspect now --no-local --target http://127.0.0.1:$PORT/ --spool $SPOOL/spool --state $SPOOL/state --format json' >'$SPOOL/nocurl.json'; [ \$? -eq 3 ] && grep -q 'cannot load libcurl.*libcurl.so.4' '$SPOOL/nocurl.json' && grep -q '\"card\": *\"AGENT\"' '$SPOOL/nocurl.json' && ! grep -q '\"card\": *\"REACH\"' '$SPOOL/nocurl.json'"
# The packaged binary carries only part of ICU's data (Scripts/release/icu-keep.txt); the debug build
# links the toolchain's whole ICU. Every report kind, in both languages and several formats, must come
# out byte for byte the same from both, in three zones and locales, one of them (de_DE) a locale the
# trimmed data does not have. generated_at (to the second) is the one field allowed to differ.
same_as_full_icu() {
    local debug=.build/debug/inspect env kind lang format differ=0
    [ -x "$debug" ] || { echo "  $debug is missing: build it first (Scripts/test.sh does)"; return 1; }
    for env in "TZ=Asia/Shanghai LANG=zh_CN.UTF-8" "TZ=UTC LANG=C.UTF-8" "TZ=America/New_York LANG=de_DE.UTF-8"; do
        for kind in inspection daily monthly quarterly health; do
            for lang in zh en; do
                for format in text html md json; do
                    local args=(report --spool "$SPOOL/spool" --state "$SPOOL/state" --kind "$kind" --lang "$lang" --format "$format")
                    # shellcheck disable=SC2086 # $env is several assignments
                    if ! cmp -s <(env $env inspect "${args[@]}" 2>&1 | sed 's/"generated_at": "[^"]*"//') \
                                <(env $env "$debug" "${args[@]}" 2>&1 | sed 's/"generated_at": "[^"]*"//'); then
                        echo "  differs from full ICU: $env inspect ${args[*]}"; differ=1
                    fi
                done
            done
        done
        # shellcheck disable=SC2086
        cmp -s <(env $env inspect check-config 2>&1) <(env $env "$debug" check-config 2>&1) ||
            { echo "  differs from full ICU: $env inspect check-config"; differ=1; }
    done
    return $differ
}
check "reports with the trimmed ICU are those of the full ICU" same_as_full_icu
check "the package depends on libcurl4 and libpq5" bash -c "dpkg-query -W -f='\${Depends}' inspect | grep -q 'libcurl4 (>= 7.85.0).*libpq5'"
# A profile of the same name in /etc/inspect/profiles replaces the shipped one.
mkdir -p /etc/inspect/profiles
sed 's/^title: .*/title: Local UPS profile/' /usr/share/inspect/profiles/ups-mib.yaml > /etc/inspect/profiles/ups-mib.yaml
check "a local profile overrides the shipped one" bash -c 'inspect check-config | grep -q "replacing shipped: ups-mib (/etc/inspect/profiles/ups-mib.yaml)"'
rm -rf /etc/inspect/profiles "$SPOOL"
check "man inspect-now is a manual page" bash -c 'zcat /usr/share/man/man1/inspect-now.1.gz | grep -q "^\.Dt INSPECT-NOW 1"'
check "dpkg --purge" dpkg --purge inspect
gone() { [ ! -e /usr/bin/inspect ] && [ ! -e /etc/inspect ] && [ ! -e /usr/share/inspect ] && [ ! -e /etc/default/inspect ] &&
         [ ! -e /lib/systemd/system/inspect.service ] && [ ! -e /etc/systemd/system/multi-user.target.wants/inspect.service ] &&
         [ ! -e /etc/systemd/system/timers.target.wants/inspect-smart.timer ]; }
check "nothing left behind" gone
echo "package-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
