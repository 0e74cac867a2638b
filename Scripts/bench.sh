#!/usr/bin/env bash
# Benchmarks, measured side by side in one run and printed as a table (also written to
# bench-results/bench-<date>.md). Not part of the test suite: the machines are shared and noisy,
# so read the ratios, not the absolute figures.
#
#   Scripts/bench.sh [local|snmp|http|daemon|history|fleet]  (sections; default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
. Scripts/lib.sh

apt_install "${BUILD_PACKAGES[@]}" prometheus prometheus-alertmanager postgresql prometheus-node-exporter prometheus-snmp-exporter prometheus-blackbox-exporter nginx-light snmpd snmp gcc curl time bc \
    chromium fonts-wqy-microhei fonts-noto-cjk poppler-utils
find_swift
swift_build -c release --product inspect --static-swift-stdlib "${RELEASE_LINK[@]}"
swift_build -c release --product inspect-bench --static-swift-stdlib "${RELEASE_LINK[@]}"
INSPECT=$PWD/.build/release/inspect
BENCH=$PWD/.build/release/inspect-bench
# Written back before anything is measured: the kernel maps no neighbours around a fault on a page
# not yet written back, so for half a minute after a link a process holds less of its code than it
# ever will on a host where the binary was installed (a 1,000-target `inspect now`: 28 against 34 MB).
sync "$INSPECT" "$BENCH"
WORK=$(mktemp -d)
trap 'kill $(cat "$WORK"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$WORK"' EXIT
mkdir -p bench-results
OUT=bench-results/bench-$(date -u +%Y%m%dT%H%M%SZ).md
RUNS=${RUNS:-30}
sections=${1:-all}

row() { printf '| %s | %s | %s | %s |\n' "$@" | tee -a "$OUT"; }
# The middle of three figures, and all three in order.
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
spread() { printf '%s\n' "$@" | sort -n | tr '\n' ' '; }

# CPU seconds (user+system) a process has used, from /proc/PID/stat.
proc_cpu() { awk -v hz="$(getconf CLK_TCK)" '{print ($14+$15)/hz}' "/proc/$1/stat"; }

# Waits up to 5 s for a local HTTP server to answer.
wait_http() { for _ in $(seq 50); do curl -sf "$1" >/dev/null && return; sleep 0.1; done; }

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
    read -r _ inspect_cpu _ inspect_rss _ < <("$BENCH" passes --config Config/inspect.yaml --passes $((RUNS * 10)))
    row "inspect, in-process pass (as the daemon runs it)" "$inspect_cpu" "$inspect_rss" ""

    # node_exporter: a long-running server; CPU used across RUNS scrapes, divided.
    local port; port=$(free_port)
    prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --log.level=error >"$WORK/ne.log" 2>&1 &
    echo $! > "$WORK/ne.pid"
    local pid; pid=$(cat "$WORK/ne.pid")
    wait_http "http://127.0.0.1:$port/metrics"
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

# Stop the Debian services the packages may have started: we run our own copies on loopback.
systemctl stop prometheus prometheus-alertmanager postgresql prometheus-node-exporter prometheus-snmp-exporter prometheus-blackbox-exporter nginx snmpd >/dev/null 2>&1 || true

# snmpd_on_ports DIR N: one snmpd answering on N free loopback UDP ports (port_list), pid in snmpd.pid.
snmpd_on_ports() {
    local dir=$1 n=$2 p
    mkdir -p "$dir/persist"
    port_list=()
    for _ in $(seq "$n"); do port_list+=("$(free_port DGRAM)"); done
    { printf 'agentaddress '; for p in "${port_list[@]}"; do printf 'udp:127.0.0.1:%s,' "$p"; done | sed 's/,$//'; printf '\nrocommunity public 127.0.0.1\n'; } > "$dir/snmpd.conf"
    SNMP_PERSISTENT_DIR="$dir/persist" MIBS= /usr/sbin/snmpd -f -C -c "$dir/snmpd.conf" -Lf "$dir/snmpd.log" -I -smux &
    echo $! > "$WORK/snmpd.pid"
    sleep 1
}

# bench30_profile DIR: a profile with the 30 OIDs, forced on every target (no detection walk).
# Each metric takes the syntaxes these OIDs have (counters and uptimes among them), as a real
# profile declares them: without, 14 of the 30 were read as "wrong type" UNKNOWN, and the bench
# measured the wording of an error on every cycle.
bench30_profile() {
    mkdir -p "$1/profiles"
    { echo "id: bench30"; echo "title: 30 scalar OIDs"; echo "kind: host"; echo "metrics:"
      local n=0 oid; while read -r oid; do
          n=$((n+1)); echo "  - {metric: bench.m$n, oid: $oid, syntax: [integer, gauge32, counter32, timeticks]}"
      done < Scripts/bench/oids30.txt; } > "$1/profiles/bench30.yaml"
}

bench_snmp() {
    local targets=${SNMP_TARGETS:-1000} ports=10
    echo "## SNMP: $targets targets x 30 OIDs per cycle (one snmpd on $ports loopback ports)" | tee -a "$OUT"
    echo | tee -a "$OUT"
    local dir="$WORK/snmp" p
    snmpd_on_ports "$dir" "$ports"
    bench30_profile "$dir"
    local hostports=()
    { echo "version: 1"; echo "local: {enabled: false}"; echo "inspection: {deadline: 300s}"; echo "targets:"
      for i in $(seq "$targets"); do
          p=${port_list[$(( (i - 1) % ports ))]}
          echo "  - {id: t$i, address: \"snmp://public@127.0.0.1:$p?profile=bench30&timeout=2\"}"
      done; } > "$dir/inspect.yaml"
    for i in $(seq "$targets"); do hostports+=("127.0.0.1:${port_list[$(( (i - 1) % ports ))]}"); done

    row "what" "CPU per cycle (s)" "CPU per varbind (us)" "wall per cycle (s) / peak RSS (MB)"
    row "---" "---" "---" "---"
    # inspect: one whole cycle in one process.
    /usr/bin/time -f "%U %S %M %e" -o "$WORK/time" "$INSPECT" now --config "$dir/inspect.yaml" --spool "$dir/spool" \
        --state "$dir/state" --format json > "$dir/report.json" 2>"$dir/inspect.err" || true
    read -r u s m e < <(tail -n 1 "$WORK/time")
    local ok; ok=$(python3 -c "import json,sys; r=json.load(open('$dir/report.json')); print(sum(1 for t in r['targets'] if not t['failure']))")
    local vb=$(( ok * 33 )) cpu; cpu=$(echo "$u + $s" | bc -l)
    local inspect_per; inspect_per=$(echo "scale=2; 1000000 * $cpu / $vb" | bc -l)
    row "inspect now ($ok of $targets targets answered)" "$cpu" "$inspect_per" "$e / $(echo "scale=1; $m / 1024" | bc -l)"
    # The daemon's steady state: passes in one process (no start-up, no config load).
    local pass_ms pass_rss
    read -r _ pass_ms _ pass_rss _ < <("$BENCH" passes --config "$dir/inspect.yaml" --passes 5)
    local pass_cpu; pass_cpu=$(echo "scale=3; $pass_ms / 1000" | bc -l)
    local pass_per; pass_per=$(echo "scale=2; 1000000 * $pass_cpu / $vb" | bc -l)
    row "inspect, in-process pass (as the daemon runs a cycle)" "$pass_cpu" "$pass_per" " / $pass_rss"
    row "inspect share of one core at a 60 s interval (goal <= 10 %)" "$(echo "scale=2; 100 * $pass_cpu / 60" | bc -l) %" "" ""
    # The daemon itself, polling every target every 10 s for 30 s (3 cycles).
    "$INSPECT" run --config "$dir/inspect.yaml" --interval 10s --spool "$dir/dspool" --state "$dir/dstate" > "$dir/daemon.log" 2>&1 &
    local dpid=$!
    sleep 1
    local c0; c0=$(proc_cpu "$dpid")
    sleep 30
    local c1; c1=$(proc_cpu "$dpid")
    row "inspect run, $targets targets every 10 s, per cycle" "$(echo "scale=3; ($c1 - $c0) / 3" | bc -l)" "" " / $(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$dpid/status")"
    kill -TERM "$dpid"; wait "$dpid" 2>/dev/null || true

    # The same requests from a plain C loop over libsnmp, and the SNMP polls alone in inspect
    # (engine, profiles, readings; no judging, no report): what the C loop does. Enough cycles for
    # >= 1 s of CPU each (one cycle is ~0.04 s in C, below the timer's resolution). Three rounds,
    # each one C run then one inspect run, so that both see the same machine: a shared host's
    # speed drifts by half within minutes, which a ratio of runs minutes apart would take for ours.
    gcc -O2 -o "$WORK/snmp_loop" Scripts/bench/snmp_loop.c -lnetsnmp
    local cycles=${LOOP_CYCLES:-30} pers=() snmp_pers=() ratios=() cvb snmp_per snmp_rss c_run
    for _ in 1 2 3; do
        LOOP_CYCLES=$cycles /usr/bin/time -f "%U %S %M %e" -o "$WORK/time" "$WORK/snmp_loop" Scripts/bench/oids30.txt "${hostports[@]}" > "$dir/loop.out"
        read -r u s m e < <(tail -n 1 "$WORK/time")
        cvb=$(awk '{print $2}' "$dir/loop.out"); cpu=$(echo "$u + $s" | bc -l)
        c_run=$(echo "scale=2; 1000000 * $cpu / $cvb" | bc -l)
        pers+=("$c_run")
        read -r _ _ _ snmp_per _ snmp_rss _ < <("$BENCH" passes --config "$dir/inspect.yaml" --passes 10 --snmp-only)
        snmp_pers+=("$snmp_per")
        ratios+=("$(echo "scale=2; $snmp_per / $c_run" | bc -l)")
    done
    local c_per; c_per=$(median "${pers[@]}")
    snmp_per=$(median "${snmp_pers[@]}")
    row "inspect, SNMP polls only, in-process (engine + profiles -> readings; the daemon's 64 polls at once), 10 passes" "" "$snmp_per (3 runs: $(spread "${snmp_pers[@]}"))" " / $snmp_rss"
    row "C loop over libsnmp, sequential, $cycles cycles ($cvb varbinds, $cpu s CPU in the last run)" "" "$c_per (3 runs: $(spread "${pers[@]}"))" "$e / $(echo "scale=1; $m / 1024" | bc -l)"
    if [ "$(echo "$c_per > 0" | bc -l)" = 1 ]; then
        row "ratio inspect / C per varbind, whole run (start-up, config, judging, JSON included)" "" "$(echo "scale=2; $inspect_per / $c_per" | bc -l)x" ""
        row "ratio inspect / C per varbind, in-process pass" "" "$(echo "scale=2; $pass_per / $c_per" | bc -l)x" ""
        row "ratio inspect / C per varbind, SNMP polls only (goal <= 1.5x): medians; each round's own" "" "$(echo "scale=2; $snmp_per / $c_per" | bc -l)x; $(spread "${ratios[@]}")" ""
    fi

    # prometheus-snmp-exporter scraping the same targets, 32 scrapes at a time.
    { echo "bench30:"; echo "  version: 2"; echo "  auth: {community: public}"; echo "  get:"
      sed 's/^/    - /' Scripts/bench/oids30.txt; echo "  metrics:"
      n=0; while read -r oid; do n=$((n+1)); echo "    - {name: m$n, oid: $oid, type: gauge}"; done < Scripts/bench/oids30.txt; } > "$dir/snmp.yml"
    local eport; eport=$(free_port)
    prometheus-snmp-exporter --config.file="$dir/snmp.yml" --web.listen-address="127.0.0.1:$eport" --log.level=error > "$dir/exporter.log" 2>&1 &
    echo $! > "$WORK/exporter.pid"
    local epid; epid=$(cat "$WORK/exporter.pid")
    wait_http "http://127.0.0.1:$eport/"
    local before start end after
    before=$(proc_cpu "$epid"); start=$(date +%s.%N)
    printf '%s\n' "${hostports[@]}" | xargs -P 32 -I{} curl -sf -o /dev/null "http://127.0.0.1:$eport/snmp?module=bench30&target={}"
    end=$(date +%s.%N); after=$(proc_cpu "$epid")
    cpu=$(echo "$after - $before" | bc -l)
    row "snmp_exporter $(dpkg-query -W -f='${Version}' prometheus-snmp-exporter), $targets scrapes" "$cpu" \
        "$(echo "scale=2; 1000000 * $cpu / ($targets * 30)" | bc -l)" "$(echo "scale=2; $end - $start" | bc -l) / $(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$epid/status")"
    kill "$epid"; rm -f "$WORK/exporter.pid"

    # A fleet whose devices each take 100 ms to answer: a delaying UDP proxy before each port.
    local slow_ports=() sp
    for p in "${port_list[@]}"; do
        sp=$(free_port DGRAM)
        python3 Scripts/bench/udp_delay_proxy.py "$sp" "$p" 0.1 & echo $! > "$WORK/proxy-$sp.pid"
        slow_ports+=("$sp")
    done
    sleep 1
    { echo "version: 1"; echo "local: {enabled: false}"; echo "inspection: {deadline: 300s}"; echo "targets:"
      for i in $(seq "$targets"); do
          echo "  - {id: t$i, address: \"snmp://public@127.0.0.1:${slow_ports[$(( (i - 1) % ports ))]}?profile=bench30&timeout=2\"}"
      done; } > "$dir/slow.yaml"
    /usr/bin/time -f "%U %S %M %e" -o "$WORK/time" "$INSPECT" now --config "$dir/slow.yaml" --spool "$dir/spool" \
        --state "$dir/state" --format json > "$dir/slow.json" 2>/dev/null || true
    read -r u s m e < <(tail -n 1 "$WORK/time")
    ok=$(python3 -c "import json; r=json.load(open('$dir/slow.json')); print(sum(1 for t in r['targets'] if not t['failure']))")
    row "inspect now, every device 100 ms away ($ok of $targets answered; goal: within the 60 s interval)" "$(echo "$u + $s" | bc -l)" "" "$e / $(echo "scale=1; $m / 1024" | bc -l)"
    kill $(cat "$WORK"/proxy-*.pid) "$(cat "$WORK/snmpd.pid")" 2>/dev/null || true
    rm -f "$WORK"/proxy-*.pid "$WORK/snmpd.pid"
    echo | tee -a "$OUT"
}

bench_http() {
    local urls=${HTTP_URLS:-200}
    echo "## HTTP: $urls URLs on a local nginx, one check cycle" | tee -a "$OUT"
    echo | tee -a "$OUT"
    local dir="$WORK/http"; mkdir -p "$dir/www" "$dir/nginx"
    local port; port=$(free_port)
    echo "OK inspector bench" > "$dir/www/index.html"
    chmod 755 "$WORK" "$dir" "$dir/www"   # nginx's workers run as nobody
    cat > "$dir/nginx/nginx.conf" <<NGINX
worker_processes 1;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server { listen 127.0.0.1:$port; root $dir/www; location / { try_files /index.html =404; } }
}
NGINX
    nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx"
    wait_http "http://127.0.0.1:$port/"
    { echo "version: 1"; echo "local: {enabled: false}"; echo "checklists: [$PWD/Config/checklists/web.yaml]"; echo "targets:"
      for i in $(seq "$urls"); do echo "  - {id: u$i, address: \"http://127.0.0.1:$port/page$i\", http: {body_regex: \"OK inspector\"}}"; done; } > "$dir/inspect.yaml"

    row "what" "CPU per cycle (ms)" "wall per cycle (ms)" "peak RSS (MB)"
    row "---" "---" "---" "---"
    /usr/bin/time -f "%U %S %M %e" -o "$WORK/time" "$INSPECT" now --config "$dir/inspect.yaml" --spool "$dir/spool" \
        --state "$dir/state" --format json > "$dir/report.json" || true
    read -r u s m e < <(tail -n 1 "$WORK/time")
    local up; up=$(python3 -c "import json; r=json.load(open('$dir/report.json')); print(sum(1 for f in r['findings'] if f['card']=='WEB-001' and f['status']=='normal'))")
    row "inspect now ($up of $urls up)" "$(echo "scale=1; 1000 * ($u + $s)" | bc -l)" "$(echo "scale=0; 1000 * $e / 1" | bc -l)" "$(echo "scale=1; $m / 1024" | bc -l)"
    local pass_ms pass_rss
    read -r _ pass_ms _ pass_rss _ < <("$BENCH" passes --config "$dir/inspect.yaml" --passes 10)
    row "inspect, in-process pass (as the daemon runs a cycle)" "$pass_ms" "" "$pass_rss"

    # blackbox_exporter probing the same URLs, 32 probes at a time (as a Prometheus server would).
    cat > "$dir/blackbox.yml" <<BB
modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      fail_if_body_not_matches_regexp: ["OK inspector"]
BB
    local bport; bport=$(free_port)
    prometheus-blackbox-exporter --config.file="$dir/blackbox.yml" --web.listen-address="127.0.0.1:$bport" --log.level=error > "$dir/bb.log" 2>&1 &
    echo $! > "$WORK/bb.pid"
    local bpid; bpid=$(cat "$WORK/bb.pid")
    wait_http "http://127.0.0.1:$bport/"
    local before start end after
    before=$(proc_cpu "$bpid"); start=$(date +%s.%N)
    seq "$urls" | xargs -P 32 -I{} curl -sf -o /dev/null "http://127.0.0.1:$bport/probe?module=http_2xx&target=http://127.0.0.1:$port/page{}"
    end=$(date +%s.%N); after=$(proc_cpu "$bpid")
    row "blackbox_exporter $(dpkg-query -W -f='${Version}' prometheus-blackbox-exporter), $urls probes" \
        "$(echo "scale=1; 1000 * ($after - $before)" | bc -l)" "$(echo "scale=0; 1000 * ($end - $start) / 1" | bc -l)" \
        "$(awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$bpid/status")"
    kill "$bpid"; rm -f "$WORK/bb.pid"
    kill "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null || true
    echo | tee -a "$OUT"
}

bench_history() {
    local devices=${HISTORY_DEVICES:-500} days=${HISTORY_DAYS:-365} incidents=${HISTORY_INCIDENTS:-24}
    echo "## History: $devices devices x $days days from 2026-01-01 (one device simulated at 60 s with the default retention, cloned in SQL; $incidents incidents per device through the alert engine)" | tee -a "$OUT"
    echo | tee -a "$OUT"
    mkdir -p "$WORK/history/spool"
    local out; out=$("$BENCH" history --devices "$devices" --days "$days" --start 2026-01-01 --incidents "$incidents" --state "$WORK/history")
    local per rows total report events
    per=$(echo "$out" | awk '{print $2}'); rows=$(echo "$out" | awk '{print $4}')
    total=$(echo "$out" | awk '{print $6}'); report=$(echo "$out" | awk '{print $10}'); events=$(echo "$out" | awk '{print $16}')
    printf 'version: 1\nlocal: {enabled: false}\nchecklists: [%s]\n' "$PWD/Config/checklists/server.yaml" > "$WORK/history/inspect.yaml"
    local args=(--config "$WORK/history/inspect.yaml" --state "$WORK/history" --spool "$WORK/history/spool")
    # The real command, as a manager runs it: wall time and peak RSS (GNU time).
    /usr/bin/time -f "%e %M" -o "$WORK/yearly.time" "$INSPECT" report --kind yearly --period 2026 --format json "${args[@]}" > "$WORK/yearly.json"
    local pdf_row="no PDF engine installed"
    if command -v chromium >/dev/null; then
        /usr/bin/time -f "%e %M" -o "$WORK/pdf.time" "$INSPECT" report --kind monthly --period 2026-11 --format pdf --lang zh "${args[@]}" > "$WORK/monthly.pdf"
        pdf_row="$(awk '{print $1}' "$WORK/pdf.time") s, $(awk '{printf "%.0f", $2/1024}' "$WORK/pdf.time") MB peak RSS (GNU time: the larger of inspect and the Chromium it waits for), $(du -k "$WORK/monthly.pdf" | cut -f1) KB, $(pdfinfo "$WORK/monthly.pdf" 2>/dev/null | awk '/^Pages/ {print $2}') pages"
    fi
    row "what" "figure" "" ""
    row "---" "---" "" ""
    row "history per device per month (5 series and 9 cards at 60 s)" "$per MB ($rows rows)" "" ""
    row "history of $devices devices, $events alert events" "$total MB" "" ""
    row "health report model + HTML over $devices devices x $days days, in-process" "$report s" "" ""
    row "inspect report --kind yearly --format json (goal <= 10 s, <= 200 MB)" "$(awk '{print $1}' "$WORK/yearly.time") s, $(awk '{printf "%.0f", $2/1024}' "$WORK/yearly.time") MB, $(du -k "$WORK/yearly.json" | cut -f1) KB" "" ""
    row "inspect report --kind monthly --format pdf --lang zh" "$pdf_row" "" ""
    echo | tee -a "$OUT"
}

# RSS (MB) and CPU seconds of a running process.
proc_rss() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
proc_hwm() { awk '/VmHWM/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
proc_anon() { awk '/RssAnon/ {printf "%.2f", $2/1024}' "/proc/$1/status"; }
# proc_split PID: the resident set's anonymous and file-backed parts (file pages are clean and
# reclaimable: the executable's code, the libraries).
proc_split() { awk '/RssAnon/ {a=$2} /RssFile/ {f=$2} END {printf "anon %.1f + file %.1f MB", a/1024, f/1024}' "/proc/$1/status"; }

bench_daemon() {
    # Past the first minute, when the daemon gives start-up's code pages back (ColdPages).
    local seconds=${DAEMON_SECONDS:-120}
    echo "## Daemon: local host every 10 s for $seconds s, side by side with node_exporter scraped every 10 s" | tee -a "$OUT"
    echo | tee -a "$OUT"
    local dir="$WORK/daemon"; mkdir -p "$dir"
    row "what" "RSS now / peak (MB)" "CPU per hour (s)" "notes"
    row "---" "---" "---" "---"
    "$INSPECT" run --config Config/inspect.yaml --interval 10s --spool "$dir/spool" --state "$dir/state" > "$dir/daemon.log" 2>&1 &
    local dpid=$!
    local nport; nport=$(free_port)
    prometheus-node-exporter --web.listen-address="127.0.0.1:$nport" --log.level=error > "$dir/ne.log" 2>&1 &
    local npid=$!
    sleep 2
    local d0 n0; d0=$(proc_cpu "$dpid"); n0=$(proc_cpu "$npid")
    local t=0
    while [ "$t" -lt "$seconds" ]; do curl -sf "http://127.0.0.1:$nport/metrics" > /dev/null; sleep 10; t=$((t + 10)); done
    local d1 n1; d1=$(proc_cpu "$dpid"); n1=$(proc_cpu "$npid")
    row "inspect run, local host (goal RSS <= 20 MB)" "$(proc_rss "$dpid") / $(proc_hwm "$dpid")" "$(echo "scale=1; ($d1 - $d0) * 3600 / $seconds" | bc -l)" "$(proc_split "$dpid"); includes the 1 s CPU window per cycle"
    row "node_exporter, scraped every 10 s" "$(proc_rss "$npid") / $(proc_hwm "$npid")" "$(echo "scale=1; ($n1 - $n0) * 3600 / $seconds" | bc -l)" "$(proc_split "$npid")"
    kill -TERM "$dpid" "$npid"; wait "$dpid" 2>/dev/null || true

    # Memory over 24 simulated hours: as many local cycles as a 10 s interval makes in a day
    # (8,640), run back to back (CPU window 1 ms, 50 ms interval, which is also each poll's deadline).
    local cycles=${DAEMON_CYCLES:-8640}
    INSPECT_LOG_LEVEL=debug "$INSPECT" run --config Config/inspect.yaml --interval 0.05s --cpu-window 0.001 \
        --spool "$dir/spool2" --state "$dir/state2" > "$dir/cycles.log" 2>&1 &
    dpid=$!
    # The first sample after the daemon's first page-out (a minute in, logged), so that both
    # samples are of the steady state and not of start-up's code.
    # Then the anonymous part at every eighth of the run, to show whether growth levels off.
    local early="" early_split="" done_cycles=0 curve="" mark=1
    while kill -0 "$dpid" 2>/dev/null; do
        sleep 2
        done_cycles=$(grep -c "debug: judged" "$dir/cycles.log" || true)
        if [ -z "$early" ] && grep -q "code pages given back" "$dir/cycles.log"; then
            sleep 2
            done_cycles=$(grep -c "debug: judged" "$dir/cycles.log" || true)
            early="$(proc_rss "$dpid") MB at $done_cycles"; early_split=$(proc_split "$dpid")
        fi
        if [ -n "$early" ] && [ "$mark" -le 8 ] && [ "$done_cycles" -ge $(( cycles * mark / 8 )) ]; then
            curve+="$(proc_anon "$dpid")@$done_cycles "; mark=$((mark + 1))
        fi
        [ "$done_cycles" -ge "$cycles" ] && break
    done
    row "inspect run, RSS over $cycles local cycles = 24 h at 10 s (goal: flat)" "$early -> $(proc_rss "$dpid") MB at $done_cycles" "" "$early_split -> $(proc_split "$dpid"); peak $(proc_hwm "$dpid") MB"
    row "inspect run, anon MB at each eighth of the cycles (MB@cycle)" "$curve" "" "history.sqlite $(du -m "$dir/state2/history.sqlite" | cut -f1) MB"
    kill -TERM "$dpid"; wait "$dpid" 2>/dev/null || true
    echo | tee -a "$OUT"
}

# metrics_up URL: how many targets a daemon's /metrics shows (inspect_target_up lines).
metrics_up() { curl -sf "$1" 2>/dev/null | grep -c '^inspect_target_up{' || true; }

# Polls a daemon's /metrics until it shows N targets (at most $2 s); prints the seconds waited.
wait_targets() {
    local url=$1 limit=$2 n=$3 start; start=$(date +%s.%N)
    while [ "$(metrics_up "$url")" -lt "$n" ]; do
        [ "$(echo "$(date +%s.%N) - $start > $limit" | bc -l)" = 1 ] && { echo "over $limit"; return; }
        sleep 0.5
    done
    echo "scale=1; ($(date +%s.%N) - $start) / 1" | bc -l
}

bench_fleet() {
    local targets=${FLEET_TARGETS:-10000} shards=${FLEET_SHARDS:-4} ports=20
    echo "## Beyond one machine: $targets SNMP targets x 30 OIDs over $shards shards, the exposition, Alertmanager, PostgreSQL" | tee -a "$OUT"
    echo | tee -a "$OUT"
    local dir="$WORK/fleet" i p
    snmpd_on_ports "$dir" "$ports"
    bench30_profile "$dir"
    # Every target due at once (no jitter): a cycle is the burst of one shard's targets.
    { echo "version: 1"; echo "local: {enabled: false}"; echo "schedule: {interval: 60s, jitter: 0}"; echo "inspection: {deadline: 60s}"; echo "targets:"
      for i in $(seq "$targets"); do echo "  - {id: t$i, address: \"snmp://public@127.0.0.1:${port_list[$(( (i - 1) % ports ))]}?profile=bench30&timeout=2\"}"; done; } > "$dir/inspect.yaml"
    row "what" "first cycle (s)" "CPU per 60 s cycle (s)" "RSS (MB) / notes"
    row "---" "---" "---" "---"
    local pids=() mports=() counts=() starts=() firsts=()
    for i in $(seq 0 $((shards - 1))); do
        counts+=("$("$INSPECT" targets --config "$dir/inspect.yaml" --shard "$i/$shards" 2>/dev/null | sed -n 's/^# shard [0-9/]*: \([0-9]*\) of.*/\1/p')")
        mports+=("$(free_port)")
    done
    for i in $(seq 0 $((shards - 1))); do
        starts+=("$(date +%s.%N)")
        "$INSPECT" run --config "$dir/inspect.yaml" --shard "$i/$shards" --listen "127.0.0.1:${mports[$i]}" \
            --spool "$dir/spool-$i" --state "$dir/state-$i" > "$dir/shard-$i.log" 2>&1 &
        pids+=("$!"); echo "$!" > "$WORK/shard-$i.pid"; firsts+=("")
    done
    # Each shard's first cycle: from its start until /metrics shows all its targets.
    local pending=$shards deadline=$(( $(date +%s) + 120 ))
    while [ "$pending" -gt 0 ] && [ "$(date +%s)" -lt "$deadline" ]; do
        for i in $(seq 0 $((shards - 1))); do
            if [ -z "${firsts[$i]}" ] && [ "$(metrics_up "http://127.0.0.1:${mports[$i]}/metrics")" -ge "${counts[$i]}" ]; then
                firsts[$i]=$(echo "scale=1; ($(date +%s.%N) - ${starts[$i]}) / 1" | bc -l); pending=$((pending - 1))
            fi
        done
        sleep 0.5
    done
    # Then 150 s: the cycles at +60 s and +120 s of every shard fall inside it (no jitter).
    local c0=() c1
    for i in $(seq 0 $((shards - 1))); do c0+=("$(proc_cpu "${pids[$i]}")"); done
    sleep 150
    for i in $(seq 0 $((shards - 1))); do
        c1=$(proc_cpu "${pids[$i]}")
        row "shard $i/$shards: ${counts[$i]} targets (all $shards run at once on $(nproc) cores)" "${firsts[$i]:-over 120}" \
            "$(echo "scale=2; ($c1 - ${c0[$i]}) / 2" | bc -l)" "$(proc_rss "${pids[$i]}") (peak $(proc_hwm "${pids[$i]}"))"
    done
    kill -TERM "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true; rm -f "$WORK"/shard-*.pid

    # One agent with every target: its cycle, and a scrape of all their series.
    local mport; mport=$(free_port)
    "$INSPECT" run --config "$dir/inspect.yaml" --listen "127.0.0.1:$mport" --spool "$dir/spool-all" --state "$dir/state-all" > "$dir/all.log" 2>&1 &
    local apid=$!; echo "$apid" > "$WORK/all.pid"
    local first; first=$(wait_targets "http://127.0.0.1:$mport/metrics" 300 "$targets")
    # Two whole minutes, halved: one minute can hold one cycle or two, depending on when it starts.
    local a0; a0=$(proc_cpu "$apid"); sleep 120; local a1; a1=$(proc_cpu "$apid")
    row "one agent, all $targets targets (no shards)" "$first" "$(echo "scale=2; ($a1 - $a0) / 2" | bc -l)" "$(proc_rss "$apid") (peak $(proc_hwm "$apid"))"
    local scrape; scrape=$(curl -sf -o "$dir/metrics.txt" -w '%{time_total}' "http://127.0.0.1:$mport/metrics")
    local scrape2; scrape2=$(curl -sf -o /dev/null -w '%{time_total}' "http://127.0.0.1:$mport/metrics")
    row "scrape of /metrics, $targets targets" "$scrape s, again $scrape2 s" "" \
        "$(grep -vc '^#' "$dir/metrics.txt") series, $(du -k "$dir/metrics.txt" | cut -f1) KB"
    kill -TERM "$apid"; wait "$apid" 2>/dev/null || true; rm -f "$WORK/all.pid"
    kill "$(cat "$WORK/snmpd.pid")" 2>/dev/null || true; rm -f "$WORK/snmpd.pid"

    # Alertmanager 0.25 on loopback: one picture of 10,000 firing alerts, then its resend.
    local amport; amport=$(free_port)
    mkdir -p "$dir/am"
    printf 'route: {receiver: none}\nreceivers: [{name: none}]\n' > "$dir/am/alertmanager.yml"
    prometheus-alertmanager --config.file="$dir/am/alertmanager.yml" --storage.path="$dir/am/data" \
        --web.listen-address="127.0.0.1:$amport" --cluster.listen-address= --log.level=warn > "$dir/am/log" 2>&1 &
    echo $! > "$WORK/am.pid"
    wait_http "http://127.0.0.1:$amport/-/ready"
    local am; am=$("$BENCH" fleet --alertmanager "http://127.0.0.1:$amport" --alerts "$targets")
    local n1 s1 s2; n1=$(echo "$am" | awk '{print $2}'); s1=$(echo "$am" | awk '{print $4}'); s2=$(echo "$am" | awk '{print $6}')
    local held; held=$(curl -sf "http://127.0.0.1:$amport/api/v2/alerts" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
    row "Alertmanager: $n1 alerts in one post (API v2)" "$s1 s" "" "$(echo "scale=0; $n1 / $s1" | bc -l) alerts/s; resend $s2 s; Alertmanager holds $held"
    kill "$(cat "$WORK/am.pid")"; rm -f "$WORK/am.pid"

    # PostgreSQL 15 on loopback: what 1,000 devices x 10 cards polled each minute leave behind
    # during a 10-minute outage, forwarded once the database is back.
    local pgbin=/usr/lib/postgresql/15/bin pgport as=()
    pgport=$(free_port)
    mkdir -p "$dir/pg"
    if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir/pg"; chmod 755 "$WORK" "$dir"; as=(setpriv --reuid=postgres --regid=postgres --init-groups --); fi
    "${as[@]}" "$pgbin/initdb" -D "$dir/pg/data" -A trust -U inspect -E UTF8 --no-sync > /dev/null
    "${as[@]}" "$pgbin/postgres" -D "$dir/pg/data" -p "$pgport" -k "$dir/pg" -c listen_addresses=127.0.0.1 > "$dir/pg/log" 2>&1 &
    echo $! > "$WORK/pg.pid"
    for _ in $(seq 100); do "$pgbin/pg_isready" -q -h 127.0.0.1 -p "$pgport" && break; sleep 0.1; done
    local pg; pg=$("$BENCH" fleet --postgres "postgres://inspect@127.0.0.1:$pgport/postgres" --devices 1000 --cards 10 --minutes 10)
    row "PostgreSQL: catch-up after a 10-minute outage, 1,000 devices x 10 cards a minute" "$(echo "$pg" | awk '{print $4}') s" "" \
        "$(echo "$pg" | awk '{print $2}') rows, $(echo "$pg" | awk '{print $6}') rows/s in $(echo "$pg" | awk '{print $8}') batches"
    kill "$(cat "$WORK/pg.pid")"; rm -f "$WORK/pg.pid"
    echo | tee -a "$OUT"
}

echo "# Inspector benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores" | tee "$OUT"
echo | tee -a "$OUT"
case $sections in
    all) bench_local; bench_snmp; bench_http; bench_daemon; bench_history; bench_fleet ;;
    fleet) bench_fleet ;;
    history) bench_history ;;
    daemon) bench_daemon ;;
    local) bench_local ;;
    snmp) bench_snmp ;;
    http) bench_http ;;
esac
echo "written to $OUT"
