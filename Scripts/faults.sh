#!/usr/bin/env bash
# Fault injection beyond the test suite: `inspect run` is killed with SIGKILL at random moments,
# KILLS times (default 200), while an HTTP endpoint flips between up and down; afterwards every
# alert must have been raised exactly once and cleared exactly once, in the spool and in history.
# Loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh
apt_install "${BUILD_PACKAGES[@]}" python3-cryptography
find_swift
swift_build --product inspect
INSPECT=$PWD/.build/debug/inspect
KILLS=${KILLS:-200}
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK/peer.pid") 2>/dev/null || true; rm -rf "$WORK"' EXIT

python3 Tests/TestPeers/http_peer.py "$WORK/peer" > "$WORK/peer.out" 2>&1 &
echo $! > "$WORK/peer.pid"
mkdir -p "$WORK/peer"
for _ in $(seq 100); do grep -q ports "$WORK/peer.out" 2>/dev/null && break; sleep 0.1; done
port=$(python3 -c "import json; print(json.load(open('$WORK/peer.out'))['ports']['http'])")
flip() { echo "$1" > "$WORK/peer/flip-status-faults"; }
cat > "$WORK/inspect.yaml" <<YAML
version: 1
local: {enabled: false}
schedule: {daily_report: "23:59"}
checklists: [$PWD/Config/checklists/web.yaml]
targets:
  - {id: web, address: "http://127.0.0.1:$port/flip?name=faults"}
YAML
# Sets $pid (a child of this shell, so that `wait` reaps it).
run() { "$INSPECT" run --config "$WORK/inspect.yaml" --interval 0.05s --spool "$WORK/spool" --state "$WORK/state" >> "$WORK/daemon.log" 2>&1 & pid=$!; }

flip 200
status=200
for i in $(seq "$KILLS"); do
    run
    sleep "0.$(( RANDOM % 20 + 8 ))"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if (( i % 5 == 0 )); then status=$(( status == 200 ? 500 : 200 )); flip "$status"; fi
done
flip 200
run; sleep 2; kill -TERM "$pid"; wait "$pid" || { echo "SIGTERM exit status $?"; exit 1; }

python3 - "$WORK/spool/events/new" "$KILLS" "$WORK/state/history.sqlite" <<'PY'
import json, os, sqlite3, sys, collections
box, kills, history = sys.argv[1], sys.argv[2], sys.argv[3]
events = [json.load(open(os.path.join(box, f))) for f in sorted(os.listdir(box))]
ids = [e["id"] for e in events]
assert len(ids) == len(set(ids)), "duplicate event ids"
by_key = collections.defaultdict(list)
for e in events:
    by_key[e["dedup_key"]].append(e["state"])
bad = {k: v for k, v in by_key.items() if "flapping" not in v and v != ["raised", "cleared"]}
flapping = sum(1 for v in by_key.values() if "flapping" in v)
print(f"{kills} kills: {len(events)} events, {len(by_key)} alerts, {flapping} flapping, {len(bad)} wrong")
if bad:
    for k, v in bad.items(): print("  ", k, v)
    sys.exit(1)
print("exactly once: every alert raised once and cleared once")
# History (what health reports read) holds the same events, each once.
stored = [r[0] for r in sqlite3.connect(history).execute("SELECT id FROM alert_event")]
missing = set(ids) - set(stored)
print(f"history: {len(stored)} events, {len(missing)} missing, {len(set(stored) - set(ids))} not in the spool")
if missing or set(stored) - set(ids):
    sys.exit(1)
PY
