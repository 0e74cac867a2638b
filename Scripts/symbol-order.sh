#!/usr/bin/env bash
# Regenerates Scripts/release/hot-code.order, the order in which the release link lays out functions
# (lld --symbol-ordering-file; issue 18). Not part of the build: run it after large changes and
# commit the file. A stale file costs memory, never correctness: names it lists that no longer exist
# are ignored, and new functions go after the listed ones.
#
# Why: the kernel maps a binary's code in 64 KB windows around each page a process touches, and the
# code a poll runs is a few MB spread over the 24 MB text. Laid out together, it sits on few windows,
# and the daemon's resident code shrinks by about as much as the scatter cost.
#
# How: the release binary runs under valgrind's callgrind as the daemon does in production (the
# shipped config's local host, SNMP devices from the recordings on snmpsimd, an HTTP and a TCP check,
# Prometheus scrapes), and once as `inspect now`. The order is: the functions `inspect now` runs
# between giving start-up's pages back and giving the polls' back (its peak: polls, judging,
# history), hottest first; then the daemon's steady state; then `inspect now`'s report; then
# start-up's. Each phase's code then lies together, and the pages `inspect now` gives back between
# phases are not wanted again by the next.
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh

apt_install "${BUILD_PACKAGES[@]}" valgrind snmpsim binutils curl python3
find_swift
swift_build -c release --product inspect --static-swift-stdlib "${RELEASE_LINK[@]}"
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT
# valgrind cannot read the toolchain's DWARF 5; the symbols are all the profile needs.
objcopy --strip-debug .build/release/inspect "$WORK/inspect"

# Peers on loopback: snmpsimd with the device recordings, a static HTTP server.
snmp_port=$(free_port DGRAM); http_port=$(free_port STREAM); metrics_port=$(free_port STREAM)
mkdir -p "$WORK/data" "$WORK/cache" "$WORK/www"
for r in ups_eaton:eaton-powerxpert sensor:apc-netbotz200 cisco:ios_2960x h3c:comware_a5500 huawei:vrp_5720-32x-ei \
         ruijie:ruijie zte:zxa10_c320 fortigate:fortigate_1500d juniper:junos_qfx5100 pdu:sentry4; do
    cp "../shared/testdata/snmp/${r#*:}.snmprec" "$WORK/data/${r%%:*}.snmprec"
done
cp Tests/TestPeers/Recordings/synology_ds214play.snmprec "$WORK/data/nas.snmprec"
chmod 755 "$WORK" "$WORK/data"; chmod 777 "$WORK/cache"   # snmpsimd drops to nobody when run as root
snmpsimd --data-dir="$WORK/data" --cache-dir="$WORK/cache" --agent-udpv4-endpoint="127.0.0.1:$snmp_port" \
    --process-user=nobody --process-group=nogroup > "$WORK/snmpsimd.log" 2>&1 & echo $! > "$WORK/snmpsimd.pid"
echo ok > "$WORK/www/index.html"
python3 -m http.server "$http_port" --bind 127.0.0.1 --directory "$WORK/www" > /dev/null 2>&1 & echo $! > "$WORK/http.pid"
until snmpget -v2c -c ups_eaton -t 1 -r 0 "127.0.0.1:$snmp_port" 1.3.6.1.2.1.1.1.0 > /dev/null 2>&1; do
    kill -0 "$(cat "$WORK/snmpsimd.pid")" 2>/dev/null || { cat "$WORK/snmpsimd.log"; exit 1; }
    sleep 0.5
done
until curl -sf "http://127.0.0.1:$http_port/" > /dev/null; do sleep 0.2; done

targets=()
for c in ups_eaton sensor cisco h3c huawei ruijie zte fortigate juniper pdu nas; do
    targets+=(--target "snmp://$c@127.0.0.1:$snmp_port?timeout=10")
done
targets+=(--target "http://127.0.0.1:$http_port/" --target "tcp://127.0.0.1:$http_port")

metric() { { curl -sf "http://127.0.0.1:$metrics_port/metrics" 2>/dev/null || true; } | awk -v m="$1" '$1 ~ "^"m && !v {v=$2} END {print v}'; }
# cycles N: waits until the daemon has finished N more cycles (its last-cycle timestamp moved N times).
cycles() {
    local seen last now
    last=$(metric inspect_last_cycle_timestamp_seconds); seen=0
    while [ "$seen" -lt "$1" ]; do
        sleep 2
        now=$(metric inspect_last_cycle_timestamp_seconds)
        if [ -n "$now" ] && [ "$now" != "$last" ]; then seen=$((seen + 1)); last=$now; fi
    done
}

echo "==> the daemon under callgrind (minutes: valgrind runs code ~50x slower)"
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$WORK/daemon.cg" "$WORK/inspect" run \
    --config Config/inspect.yaml --spool "$WORK/spool" --state "$WORK/state" --interval 20s \
    --listen "127.0.0.1:$metrics_port" "${targets[@]}" > "$WORK/daemon.log" 2>&1 & echo $! > "$WORK/daemon.pid"
dpid=$(cat "$WORK/daemon.pid")
until [ -n "$(metric inspect_last_cycle_timestamp_seconds)" ]; do
    kill -0 "$dpid" || { cat "$WORK/daemon.log"; exit 1; }
    sleep 2
done
cycles 1
callgrind_control --dump=startup "$dpid" > /dev/null   # start-up and the first cycles; counters restart
cycles 3
kill -TERM "$dpid"; wait "$dpid" || true; rm -f "$WORK/daemon.pid"

echo "==> inspect now under callgrind"
# A profile is dumped each time the run gives pages back (ColdPages): before its polls, and after.
valgrind --tool=callgrind --demangle=no --callgrind-out-file="$WORK/now.cg" --dump-before='$s12InspectorApp9ColdPagesO7release*' "$WORK/inspect" now \
    --config Config/inspect.yaml --spool "$WORK/spool" --state "$WORK/state" "${targets[@]}" > /dev/null 2>&1 || true

startup=$(ls "$WORK"/daemon.cg.*[0-9] | head -n 1)
# Dumps 1 and 2 are start-up and the polls (up to the first release, and to the second); the
# report's part is the file without a number, written at exit.
now_part() { ls "$WORK"/now.cg.*[0-9] | awk -F. '{ print $NF, $0 }' | sort -n | sed -n "$1s/^[0-9]* //p"; }
python3 Scripts/release/order_from_callgrind.py "$WORK/inspect" Scripts/release/hot-code.order \
    "$(now_part 2)" "$WORK/daemon.cg" "$WORK/now.cg" "$(now_part 1)" "$startup"
wc -l Scripts/release/hot-code.order
