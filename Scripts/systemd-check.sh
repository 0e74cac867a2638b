#!/usr/bin/env bash
# The shipped unit under a real systemd (../shared/tools/with-systemd.sh: PID 1 of its own
# namespaces in a Debian 12 tree), as users run it. Checks: READY and the status text; one line of
# check-config in the journal; no thread-priority call refused by the sandbox; a good reload taken and
# a broken one refused with the daemon still running; no abnormal finding that the sandbox caused
# (the daemon's raised events against `inspect now` on the same host outside the unit); a clean stop.
# Needs root; builds nothing (run after `swift build`). Prints "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
SD=${WITH_SYSTEMD:-../shared/tools/with-systemd.sh}
BIN=${INSPECT_BIN:-.build/debug/inspect}
passed=0 failed=0
check() { # check NAME COMMAND...: one line per check
    if "${@:2}"; then passed=$((passed + 1)); echo "ok   $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}
# wait_for SECONDS COMMAND...: polls the condition every 0.2 s up to a bound.
wait_for() { local n=$(($1 * 5)); shift; for _ in $(seq "$n"); do "$@" && return 0; sleep 0.2; done; return 1; }

[ "$(id -u)" -eq 0 ] || { echo "systemd-check: needs root (skipped)"; exit 0; }
[ -x "$BIN" ] || { echo "systemd-check: $BIN not built" >&2; exit 1; }
bash "$SD" up libsnmp40 libcurl4 libsqlite3-0 libpq5 smartmontools || exit 1
trap 'bash "$SD" down >/dev/null' EXIT
R=$(bash "$SD" root)
run() { bash "$SD" run "$@"; }

# The binary with the Swift runtime it links (a debug build links it dynamically).
mkdir -p "$R/opt/swift/usr/lib/swift"
rsync -a --delete /opt/swift/usr/lib/swift/linux/ "$R/opt/swift/usr/lib/swift/linux/" 2>/dev/null ||
    cp -a /opt/swift/usr/lib/swift/linux "$R/opt/swift/usr/lib/swift/"
install -D -m 0755 "$BIN" "$R/usr/local/bin/inspect"
mkdir -p "$R/etc/inspect"
cp -r Config/checklists Config/profiles "$R/etc/inspect/"
# The shipped config with a short poll interval, so that a few polls happen within the check.
sed 's/^  interval: 60s/  interval: 2s/' Config/inspect.yaml >"$R/etc/inspect/inspect.yaml"
# A ping target: ICMP from inside the sandbox, over a datagram socket or with the unit's CAP_NET_RAW.
printf 'targets:\n  - {id: loopback-ping, address: "ping://127.0.0.1", reach: {count: 2, interval: 50ms, timeout: 1s}}\n' >>"$R/etc/inspect/inspect.yaml"
# A backup run by a oneshot unit before the daemon starts: BAK-001 reads its run through systemctl
# and, once systemd has unloaded the finished unit, the journal (the unit's user is in systemd-journal).
printf 'backups:\n  - {id: etc-backup, unit: backup-etc.service, max_age: 26h}\n' >>"$R/etc/inspect/inspect.yaml"
printf '[Unit]\nDescription=Back up /etc\n[Service]\nType=oneshot\nExecStart=/bin/sh -c "tar czf /var/tmp/etc.tgz /etc/hostname"\n' >"$R/etc/systemd/system/backup-etc.service"
cp Config/inspect.service Config/inspect-smart.service Config/inspect-smart.timer "$R/etc/systemd/system/"
# The spool and the state directory, as install.sh and the package make them: inspect-smart.service
# (ReadWritePaths=/var/lib/inspect) cannot start before the directory exists, and in a new tree
# nothing else has made it yet.
run bash -c 'id inspect >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin inspect;
             install -d -m 0750 -o inspect -g inspect /var/spool/inspect /var/lib/inspect && rm -rf /var/spool/inspect/* /var/lib/inspect/*;
             systemctl daemon-reload && journalctl --rotate >/dev/null 2>&1; journalctl --vacuum-time=1s >/dev/null 2>&1; true'
run systemctl start backup-etc.service
# SMART as root for the daemon: the oneshot the timer starts writes the snapshot the daemon reads.
run systemctl start inspect-smart.service
smart_snapshot() { [ "$(run systemctl show -p Result --value inspect-smart.service)" = success ] &&
                   python3 -c 'import json,sys; json.load(open(sys.argv[1]))["taken"]' "$R/var/lib/inspect/smart.json"; }
check "SMART snapshot taken as root by inspect-smart.service" smart_snapshot

run systemctl start inspect
active() { [ "$(run systemctl show -p ActiveState --value inspect)" = active ]; }
check "started, Type=notify READY" wait_for 30 active
status_text() { run systemctl show -p StatusText --value inspect | grep '^polling 3 targets' >/dev/null; }
check "status text" status_text

# Polls happen: wait until the daemon has judged the host three times (distinct finding times in
# its history), so the sandbox's view has been judged more than once.
polls() {
    python3 - "$R/var/lib/inspect/history.sqlite" <<'PY' 2>/dev/null
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
names = [r[0] for r in db.execute("select name from sqlite_master where type='table' and name like 'finding%'")]
print(max([db.execute(f"select count(distinct t) from {n}").fetchone()[0] for n in names] or [0]))
PY
}
three_polls() { [ "$(polls || echo 0)" -ge 3 ]; }
check "daemon polls on its interval" wait_for 60 three_polls

# levels CARD [INSTANCE]: the levels the daemon's history holds for a card, one per line
# (0 ok, 1 unknown, 2 warning, 3 critical).
levels() {
    python3 - "$R/var/lib/inspect/history.sqlite" "$@" <<'PY' 2>/dev/null
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
sql, args = "select level from finding where card = ?", [sys.argv[2]]
if len(sys.argv) > 3: sql, args = sql + " and instance = ?", args + [sys.argv[3]]
print("\n".join(str(r[0]) for r in db.execute(sql, args)))
PY
}
# all_levels TEST CARD [INSTANCE]: some levels, and every one passes `test $level TEST` (-eq 0, -ne 1).
all_levels() {
    local test=$1 l found=0; shift
    for l in $(levels "$@"); do found=1; [ "$l" $test ] || return 1; done
    [ "$found" = 1 ]
}

# Filesystems are measured by a `stat -f` child (a hung mount must not hold the daemon): the
# sandbox must let it run, so the root filesystem has a measured level, not UNKNOWN.
check "root filesystem measured under the unit (statfs child allowed)" all_levels "-ne 1" SXKR-007 /
# The ping target answered under the unit: NET-001 normal at every poll, never UNKNOWN.
check "ping target answered under the unit (ICMP allowed)" all_levels "-eq 0" NET-001
# The backup unit's run was found and judged normal (BAK-001), not UNKNOWN or "never run".
check "backup unit's last run read under the unit (systemctl, journal)" all_levels "-eq 0" BAK-001
# SXKR-010 read from the snapshot: whatever this machine's disks say, never "read as root only".
smart_from_snapshot() {
    python3 - "$R/var/lib/inspect/history.sqlite" <<'PY' 2>/dev/null
import sqlite3, sys
db = sqlite3.connect("file:" + sys.argv[1] + "?mode=ro", uri=True)
reasons = [r[0] or "" for r in db.execute("select reason from finding where card = 'SXKR-010' and target = (select target from finding where card = 'SXKR-008' limit 1)")]
sys.exit(0 if reasons and not any("as root only" in r for r in reasons) else 1)
PY
}
check "SMART judged under the unit from root's snapshot" smart_from_snapshot

journal() { run journalctl -u inspect --no-pager -o cat; }
# grep reads to the end (not -q): with pipefail an early exit would fail the pipe.
journal_has() { journal | grep -e "$1" >/dev/null; }
one_check_line() { [ "$(journal | grep -c 'OK — ')" = 1 ]; }
check "check-config says one line at start" one_check_line
# The syscall filter denied the runtime's setpriority (errno=1); that is allowed now. One class
# (user-initiated, where the async main task starts) still asks for nice -4, which an unprivileged process may not take
# (errno=13): counted and shown, not yet silenced.
no_refused_priority() { ! journal_has 'thread priority.*errno=1$'; }
check "no thread priority call refused by the sandbox" no_refused_priority
echo "  thread priority lines left (errno=13, raising priority): $(journal | grep -c 'thread priority.*errno=13')"

# Abnormal findings under the unit (raised events) must also be abnormal outside it.
raised=$(run sh -c 'cat /var/spool/inspect/events/new/*.json 2>/dev/null' | python3 -c '
import sys, json
text = sys.stdin.read().replace("}{", "}\n{")
cards = set()
for line in text.splitlines():
    line = line.strip()
    if line:
        e = json.loads(line)
        if e.get("state") == "raised": cards.add(e["card"] + " " + e.get("instance", ""))
print("\n".join(sorted(cards)))')
outside=$(run /usr/local/bin/inspect now --config /etc/inspect/inspect.yaml --spool /tmp/outside-spool --state /tmp/outside-state --format json 2>/dev/null |
    python3 -c '
import sys, json
doc = json.load(sys.stdin)
print("\n".join(sorted(f["card"] + " " + f["instance"] for f in doc["findings"] if f["status"] == "abnormal")))')
# Cards that judge the moment (CPU, memory, load, logged errors, interface and disk rates) are left
# out: a build finishing between the daemon's poll and this run moves the 15-minute load across
# SXKR-008's line (seen on a loaded machine). The sandbox cannot make them abnormal anyway: it could
# only hide their /proc files or the journal, which makes them UNKNOWN.
moment_cards='^(SXKR-001|SXKR-002|SXKR-006|SXKR-008|SRV-004|SRV-005) '
sandbox_only=$(comm -23 <(echo "$raised" | sed '/^$/d' | grep -Ev "$moment_cards" | sort) <(echo "$outside" | sed '/^$/d' | sort))
[ -z "$sandbox_only" ] || echo "  abnormal only under the unit: $sandbox_only"
check "no abnormal finding caused by the sandbox" test -z "$sandbox_only"

# Reload: a good config is taken, a broken one refused while the daemon keeps running.
run systemctl reload inspect
check "good reload taken" wait_for 15 journal_has 'config reloaded'
echo "version: [" >>"$R/etc/inspect/inspect.yaml"
run systemctl reload inspect
check "broken reload refused" wait_for 15 journal_has 'reload refused'
check "still running after a broken reload" active
sed -i '$d' "$R/etc/inspect/inspect.yaml"

run systemctl stop inspect
stopped_cleanly() { [ "$(run systemctl show -p Result --value inspect)" = success ] && [ "$(run systemctl show -p ActiveState --value inspect)" = inactive ]; }
check "clean stop" stopped_cleanly
if [ "$failed" -gt 0 ]; then echo "--- journal"; journal | tail -n 40; fi
echo "systemd: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
