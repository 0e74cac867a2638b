#!/usr/bin/env bash
# Benchmarks, measured side by side in one run and printed as a table (also written to
# bench-results/bench-<date>.md). Not part of the test suite: the machines are shared and noisy,
# so read the ratios, not the absolute figures.
#
#   Scripts/bench.sh [local]        (sections; default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh

apt_install "${BUILD_PACKAGES[@]}" prometheus-node-exporter curl time bc
find_swift
swift_build -c release --product inspect --static-swift-stdlib
INSPECT=$PWD/.build/release/inspect
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p bench-results
OUT=bench-results/bench-$(date -u +%Y%m%dT%H%M%SZ).md
RUNS=${RUNS:-30}
sections=${1:-all}

row() { printf '| %s | %s | %s | %s |\n' "$@" | tee -a "$OUT"; }

# Free TCP port on 127.0.0.1.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# CPU seconds (user+system) a process has used, from /proc/PID/stat.
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat"; }

bench_local() {
    echo "## Local host: one full inspection vs one node_exporter scrape ($RUNS passes each)" | tee -a "$OUT"
    echo | tee -a "$OUT"
    row "what" "CPU per pass (ms)" "peak RSS (MB)" "wall per pass (ms)"
    row "---" "---" "---" "---"
    # inspect: a whole process per pass (start-up included), the CPU window cut to 1 ms.
    local cpu_total=0 rss_max=0 wall_total=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -f "%U %S %M %e" -o "$WORK/time" "$INSPECT" now --config Config/inspect.yaml \
            --spool "$WORK/spool" --state "$WORK/state" --cpu-window 0.001 --format json >/dev/null || true
        read -r u s m e < <(tail -n 1 "$WORK/time")   # time prefixes a line when the exit code is not 0
        cpu_total=$(echo "$cpu_total + $u + $s" | bc -l)
        wall_total=$(echo "$wall_total + $e" | bc -l)
        [ "$m" -gt "$rss_max" ] && rss_max=$m
    done
    row "inspect now, a process per pass (start-up included)" "$(echo "scale=2; 1000 * $cpu_total / $RUNS" | bc -l)" \
        "$(echo "scale=1; $rss_max / 1024" | bc -l)" "$(echo "scale=1; 1000 * $wall_total / $RUNS" | bc -l)"
    # The daemon's case: passes in one long-running process (probe, judge, render JSON).
    local inspect_cpu inspect_rss
    read -r _ inspect_cpu _ inspect_rss _ < <("$INSPECT" bench-local --config Config/inspect.yaml --passes $((RUNS * 10)))
    row "inspect, in-process pass (as the daemon runs it)" "$inspect_cpu" "$inspect_rss" ""

    # node_exporter: a long-running server; CPU used across RUNS scrapes, divided.
    local port; port=$(free_port)
    prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --log.level=error >"$WORK/ne.log" 2>&1 &
    echo $! > "$WORK/ne.pid"
    local pid; pid=$(cat "$WORK/ne.pid")
    for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/metrics" >/dev/null && break; sleep 0.1; done
    curl -sf "http://127.0.0.1:$port/metrics" >/dev/null   # warm-up scrape
    local before; before=$(proc_cpu "$pid")
    local start; start=$(date +%s.%N)
    for _ in $(seq "$RUNS"); do curl -sf "http://127.0.0.1:$port/metrics" >/dev/null; done
    local end; end=$(date +%s.%N)
    local after; after=$(proc_cpu "$pid")
    local ne_cpu; ne_cpu=$(echo "scale=2; 1000 * ($after - $before) / $RUNS" | bc -l)
    local ne_rss; ne_rss=$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$pid/status")
    row "node_exporter scrape (Debian $(dpkg-query -W -f='${Version}' prometheus-node-exporter))" "$ne_cpu" "$ne_rss" "$(echo "scale=1; 1000 * ($end - $start) / $RUNS" | bc -l)"
    kill "$pid"; rm -f "$WORK/ne.pid"
    if [ "$(echo "$ne_cpu > 0" | bc -l)" = 1 ]; then
        row "ratio in-process pass / node_exporter scrape (goal <= 0.5x)" "$(echo "scale=2; $inspect_cpu / $ne_cpu" | bc -l)x" "" ""
    fi

    # The whole `inspect now` as a user runs it, with the default 1 s CPU window.
    /usr/bin/time -f "%e" -o "$WORK/time" "$INSPECT" now --config Config/inspect.yaml \
        --spool "$WORK/spool" --state "$WORK/state" >/dev/null || true
    row "inspect now with the 1 s CPU window" "" "" "$(echo "scale=0; 1000 * $(tail -n 1 "$WORK/time") / 1" | bc -l)"
    echo | tee -a "$OUT"
}

echo "# Inspector benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores" | tee "$OUT"
echo | tee -a "$OUT"
case $sections in
    all|local) bench_local ;;
esac
echo "written to $OUT"
