#!/usr/bin/python3
"""Inspector's own fault campaign: hostile configs, broken reloads, kill -9, a full state disk,
hostile /proc trees, a hung mount, hostile HTTP peers, and a search for planted secrets in every
output. Loopback and private mount namespaces only. Prints one table; exits 1 when any row has
a crash, a hang, a leak or a lost event.

Usage: fault_campaign.py INSPECT_BINARY   (Scripts/faults.sh builds it and calls this)
Environment: KILLS (default 200), SEED (default random; printed).
"""
import json, os, random, shutil, signal, sqlite3, stat, subprocess, sys, tempfile, time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INSPECT = os.path.abspath(sys.argv[1])
WORK = tempfile.mkdtemp(prefix="inspect-faults-")
SEED = int(os.environ.get("SEED", random.randrange(1 << 30)))
KILLS = int(os.environ.get("KILLS", "200"))
rng = random.Random(SEED)
SECRETS = ["s3cretCommunity", "Pa55word-zz", "v3AuthSecret!", "v3PrivSecret!"]
OUTPUTS = []          # every stdout/stderr/log text, searched for SECRETS at the end
ROWS = []             # (campaign, tried, result text, bad count)
CHECKLISTS = [f"{REPO}/Config/checklists/{n}.yaml" for n in ("server", "ups", "web")]


def run(args, timeout=40, cwd=None):
    """(status, stdout, stderr); status None means it hung past the timeout (then killed)."""
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=cwd)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        OUTPUTS.append(out.decode(errors="replace") + err.decode(errors="replace"))
        return None, out.decode(errors="replace"), err.decode(errors="replace")
    OUTPUTS.append(out.decode(errors="replace") + err.decode(errors="replace"))
    return p.returncode, out.decode(errors="replace"), err.decode(errors="replace")


def crashed(status, err):
    return status is not None and (status < 0 or status >= 128 or "Fatal error" in err)


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def config(extra, local=False):
    head = "version: 1\n" + ("" if local else "local: {enabled: false}\n")
    head += "schedule: {daily_report: \"23:59\"}\nchecklists: [" + ", ".join(CHECKLISTS) + "]\n"
    return head + extra + "\n"


# ---------------------------------------------------------------------------------------------
def start_http_peer():
    d = os.path.join(WORK, "http")
    os.makedirs(d)
    p = subprocess.Popen(["/usr/bin/python3", f"{REPO}/Tests/TestPeers/http_peer.py", d], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    line = p.stdout.readline()
    return p, json.loads(line)["ports"]["http"], d


def hostile_configs(http_port):
    values = ["0", "-1", "1e300", "100000000000s", "3000000000", "nan", "inf", "99999", "65536", "''", "[]", "{}",
              "\"\\r\\nX: y\"", "x" * 5000]
    fields = [
        lambda v: f"inspection: {{deadline: {v}}}", lambda v: f"inspection: {{cpu_window: {v}}}",
        lambda v: f"inspection: {{sample_interval: {v}}}", lambda v: f"schedule: {{interval: {v}}}",
        lambda v: f"schedule: {{jitter: {v}}}", lambda v: f"history: {{raw: {v}}}",
        lambda v: f"targets: [{{id: u, address: \"snmp://127.0.0.1:{v}\"}}]",
        lambda v: f"targets: [{{id: u, address: \"snmp://127.0.0.1:9?timeout={v}\"}}]",
        lambda v: f"targets: [{{id: u, address: \"snmp://127.0.0.1:9?retries={v}\"}}]",
        lambda v: f"targets: [{{id: u, address: \"snmp://127.0.0.1:9?max_repetitions={v}&get_batch={v}\"}}]",
        lambda v: f"targets: [{{id: u, address: \"snmp://127.0.0.1:9?budget={v}\"}}]",
        lambda v: f"targets: [{{id: w, address: \"http://127.0.0.1:{http_port}/healthy\", http: {{timeout: {v}}}}}]",
        lambda v: f"targets: [{{id: w, address: \"http://127.0.0.1:{http_port}/healthy\", http: {{connect_timeout: {v}, max_body: {v}, max_redirects: {v}}}}}]",
        lambda v: f"targets: [{{id: w, address: \"http://127.0.0.1:{http_port}/healthy\", http: {{headers: {{X-A: {v}}}}}}}]",
        lambda v: f"mail: {{from: {v}}}",
    ]
    out = [f(v) for f in fields for v in values]
    # Structure: duplicates (with secrets inline), deep nesting, wrong types, binary.
    out += [
        "targets: [{id: a, address: \"http://u:Pa55word-zz@127.0.0.1:1/\", id: b}]",
        "targets: [{id: a, address: \"snmp://s3cretCommunity@127.0.0.1:1/\"}, {id: a, address: \"snmp://s3cretCommunity@127.0.0.1:2/\"}]",
        "targets: " + "[" * 20000 + "]" * 20000, "cards: " + "{a: " * 5000 + "1" + "}" * 5000,
        "targets: 5", "targets: [5]", "checklists: [/dev/null]", "version: 99999999999999999999",
        "targets: [{id: x, address: \"snmp://127.0.0.1:1?profile=\\u0000\"}]", "\x00\x01\x02",
    ]
    return out


def campaign_configs(http_port):
    stats = {"tried": 0, "78": 0, "ok": 0, "crash": 0, "hang": 0, "other": 0}
    bad = []
    for i, extra in enumerate(hostile_configs(http_port)):
        path = write(os.path.join(WORK, f"config-{i}.yaml"), config(extra))
        stats["tried"] += 1
        check = run([INSPECT, "check-config", "--config", path])
        now = run([INSPECT, "now", "--config", path, "--spool", f"{WORK}/cs", "--state", f"{WORK}/ct", "--deadline", "8"])
        for status, _, err in (check, now):
            if status is None:
                stats["hang"] += 1; bad.append(("hang", extra[:80]))
            elif crashed(status, err):
                stats["crash"] += 1; bad.append(("crash", extra[:80]))
        if check[0] == 78:
            stats["78"] += 1
            if now[0] != 78:
                stats["other"] += 1; bad.append((f"check-config 78, now {now[0]}", extra[:80]))
        elif check[0] == 0:
            stats["ok"] += 1
            if now[0] not in (0, 1, 2, 3):
                stats["other"] += 1; bad.append((f"accepted, then now {now[0]}", extra[:80]))
    for kind, what in bad[:10]:
        print(f"  config {kind}: {what}")
    ROWS.append(("hostile configs (check-config + now)", stats["tried"],
                 f"{stats['78']} exit 78, {stats['ok']} accepted; {stats['crash']} crash, {stats['hang']} hang, {stats['other']} inconsistent",
                 stats["crash"] + stats["hang"] + stats["other"]))


# ---------------------------------------------------------------------------------------------
def daemon(cfg, spool, state, log, extra=()):
    out = open(log, "ab")
    return subprocess.Popen([INSPECT, "run", "--config", cfg, "--interval", "0.2s", "--cpu-window", "0.05",
                             "--spool", spool, "--state", state, *extra], stdout=out, stderr=out, stdin=subprocess.DEVNULL)


def wait_for(predicate, timeout=20):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def campaign_reloads(http_port):
    d = os.path.join(WORK, "reload")
    os.makedirs(d)
    good = config(f"targets: [{{id: web, address: \"http://127.0.0.1:{http_port}/healthy\", http: {{timeout: 2s}}}}]")
    cfg = write(f"{d}/inspect.yaml", good)
    log = f"{d}/daemon.log"
    p = daemon(cfg, f"{d}/spool", f"{d}/state", log)
    wait_for(lambda: "running" in read(log))
    broken = [
        "targets: [{id: u, address: \"snmp://127.0.0.1:99999\"}]", "targets: [{id: u, address: \"snmp://127.0.0.1:9?retries=1e300\"}]",
        f"targets: [{{id: w, address: \"http://127.0.0.1:{http_port}/\", http: {{timeout: 1e300}}}}]",
        "targets: [{id: u, address: \"snmp://127.0.0.1:9?timeout=1e300\"}]", "inspection: {deadline: 1e300}",
        "inspection: {cpu_window: 3000000000}", "schedule: {interval: -1}", "targets: [{id: a, id: b}]",
        "targets: [{id: x, address: ftp://x}]", "checklists: [/nonexistent.yaml]", "version: 2", "mail: {from: \"a@b\\r\\nBcc: c@d\"}",
        "targets: [{id: u, address: \"snmp://127.0.0.1:9?max_repetitions=0\"}]", "history: {raw: 1s}", "{{{",
    ]
    refused = died = 0
    for i, extra in enumerate(broken):
        before = read(log).count("reload refused")
        write(cfg, config(extra))
        p.send_signal(signal.SIGHUP)
        if wait_for(lambda: read(log).count("reload refused") > before or p.poll() is not None, 10) and p.poll() is None:
            refused += 1
        # Polls go on for a while with whatever config now runs.
        time.sleep(0.5)
        if p.poll() is not None:
            died += 1
            write(cfg, good)
            p = daemon(cfg, f"{d}/spool", f"{d}/state", log)
            wait_for(lambda: "running" in read(log))
        write(cfg, good)
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(20)
    except subprocess.TimeoutExpired:
        p.kill(); died += 1
    OUTPUTS.append(read(log))
    ROWS.append(("broken reloads (SIGHUP)", len(broken), f"{refused} refused, old config kept; {died} daemon deaths", died + (len(broken) - refused)))


# ---------------------------------------------------------------------------------------------
def campaign_kill9(http_dir, http_port):
    d = os.path.join(WORK, "kill9")
    os.makedirs(d)
    flip = os.path.join(http_dir, "flip-status-faults")
    write(flip, "200")
    cfg = write(f"{d}/inspect.yaml", config(f"targets: [{{id: web, address: \"http://127.0.0.1:{http_port}/flip?name=faults\"}}]"))
    log = f"{d}/daemon.log"
    status = 200
    for i in range(KILLS):
        p = daemon(cfg, f"{d}/spool", f"{d}/state", log, extra=("--interval", "0.05s"))
        time.sleep(rng.uniform(0.08, 0.28))
        p.kill(); p.wait()
        if i % 5 == 4:
            status = 500 if status == 200 else 200
            write(flip, str(status))
    write(flip, "200")
    p = daemon(cfg, f"{d}/spool", f"{d}/state", log, extra=("--interval", "0.05s"))
    time.sleep(2)
    p.send_signal(signal.SIGTERM); p.wait(20)
    box = f"{d}/spool/events/new"
    events, torn = [], 0
    for name in sorted(os.listdir(box)) if os.path.isdir(box) else []:
        try:
            events.append(json.load(open(os.path.join(box, name))))
        except ValueError:
            torn += 1
    ids = [e["id"] for e in events]
    dup = len(ids) - len(set(ids))
    by_key = {}
    for e in events:
        by_key.setdefault(e["dedup_key"], []).append(e["state"])
    wrong = sum(1 for v in by_key.values() if "flapping" not in v and v != ["raised", "cleared"])
    stored = {r[0] for r in sqlite3.connect(f"{d}/state/history.sqlite").execute("SELECT id FROM alert_event")}
    lost = len(set(ids) - stored)
    OUTPUTS.append(read(log))
    ROWS.append((f"kill -9 (seed {SEED})", KILLS, f"{len(events)} events, {len(by_key)} alerts: {dup} duplicated, {torn} torn, "
                 f"{wrong} not raised+cleared once, {lost} missing from history", dup + torn + wrong + lost))


# ---------------------------------------------------------------------------------------------
def campaign_state_disk_full(http_dir, http_port):
    """The state folder on a full tmpfs: the raised event must reach the spool and history once
    there is room again."""
    d = os.path.join(WORK, "statefull")
    state = f"{d}/state"
    os.makedirs(state)
    if subprocess.call(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", state]) != 0:
        ROWS.append(("state disk full", 0, "not run: cannot mount a tmpfs (needs root)", 1))
        return
    try:
        flip = os.path.join(http_dir, "flip-status-statefull")
        write(flip, "200")
        cfg = write(f"{d}/inspect.yaml", config(f"targets: [{{id: web, address: \"http://127.0.0.1:{http_port}/flip?name=statefull\"}}]"))
        log = f"{d}/daemon.log"
        p = daemon(cfg, f"{d}/spool", state, log)
        wait_for(lambda: "running" in read(log))
        time.sleep(1)
        with open(f"{state}/filler", "wb") as f:
            try:
                while True:
                    f.write(b"A" * 65536); f.flush()
            except OSError:
                pass
        write(flip, "500")
        persisted = wait_for(lambda: "cannot persist alerts" in read(log), 20)
        time.sleep(1)
        os.remove(f"{state}/filler")
        arrived = wait_for(lambda: os.path.isdir(f"{d}/spool/events/new") and len(os.listdir(f"{d}/spool/events/new")) >= 1, 20)
        time.sleep(1)
        write(flip, "200")
        p.send_signal(signal.SIGTERM); p.wait(20)
        ids = [json.load(open(os.path.join(f"{d}/spool/events/new", n)))["id"] for n in os.listdir(f"{d}/spool/events/new")]
        stored = {r[0] for r in sqlite3.connect(f"{state}/history.sqlite").execute("SELECT id FROM alert_event")}
        lost = len(set(ids) - stored)
        logged = read(log).count("cannot persist alerts")
        OUTPUTS.append(read(log))
        ROWS.append(("state disk full", 1, f"disk full seen: {persisted}; events after room: {len(ids)}, {lost} missing from history; "
                     f"error logged {logged}x", (0 if persisted and arrived else 1) + lost + (1 if logged > 1 else 0)))
    finally:
        subprocess.call(["umount", "-l", state])


# ---------------------------------------------------------------------------------------------
def campaign_trees():
    base = f"{REPO}/Tests/ProbesTests/Fixtures/trees/healthy-server"
    files = []
    for root, _, names in os.walk(base):
        for n in names:
            rel = os.path.relpath(os.path.join(root, n), base)
            if rel.startswith(("proc", "sys", "dev")) or rel == "statvfs":
                files.append(rel)
    mutations = {
        "empty": lambda p: write(p, ""),
        "garbage": lambda p: open(p, "wb").write(bytes(rng.randrange(256) for _ in range(4096))),
        "huge": lambda p: write(p, "\n".join(" ".join(["18446744073709551617", "-9223372036854775809", "1e308", "nan"] * 8) for _ in range(20))),
        "fifo": lambda p: (os.remove(p), os.mkfifo(p)),
        "directory": lambda p: (os.remove(p), os.mkdir(p)),
    }
    cfg = write(os.path.join(WORK, "trees.yaml"), config("local: {id: tree}", local=True))
    tried = crash = hang = 0
    for rel in sorted(files):
        for name, mutate in mutations.items():
            tree = os.path.join(WORK, "tree")
            shutil.rmtree(tree, ignore_errors=True)
            shutil.copytree(base, tree, symlinks=True)
            mutate(os.path.join(tree, rel))
            status, _, err = run([INSPECT, "now", "--config", cfg, "--root", tree, "--spool", f"{WORK}/ts", "--state", f"{WORK}/tt",
                                  "--cpu-window", "0.05", "--deadline", "10"], timeout=30)
            tried += 1
            if status is None:
                hang += 1; print(f"  tree hang: {rel} {name}")
            elif crashed(status, err):
                crash += 1; print(f"  tree crash: {rel} {name}: {err[-300:]}")
    ROWS.append(("hostile /proc, /sys, /dev trees", tried, f"{crash} crash, {hang} hang", crash + hang))


# ---------------------------------------------------------------------------------------------
def campaign_hung_mount():
    mount = os.path.join(WORK, "dead-nfs")
    os.makedirs(mount)
    pidfile = os.path.join(WORK, "fs.pid")
    cfg = write(os.path.join(WORK, "mount.yaml"), config("local: {id: host}", local=True))
    script = ('/usr/bin/python3 "$0" "$1" "$2" </dev/null >/dev/null 2>/dev/null & '
              'i=0; while [ ! -e "$2" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done; shift 2; exec "$@"')
    started = time.time()
    status, out, err = run(["unshare", "-m", "--propagation", "private", "/bin/sh", "-c", script, f"{REPO}/Tests/TestPeers/hung_fs.py",
                            mount, pidfile, INSPECT, "now", "--config", cfg, "--spool", f"{WORK}/ms", "--state", f"{WORK}/mt",
                            "--cpu-window", "0.05", "--deadline", "5"], timeout=60)
    took = time.time() - started
    if os.path.exists(pidfile):
        os.kill(int(read(pidfile)), signal.SIGKILL)
    ok = status in (0, 1, 2, 3) and f"statvfs({mount}): no answer" in out
    ROWS.append(("hung mount (FUSE, statfs never answers)", 1, f"now exited {status} after {took:.1f} s, mount UNKNOWN: {ok}",
                 0 if ok and took < 30 else 1))


# ---------------------------------------------------------------------------------------------
def campaign_http(http_port):
    paths = ["/healthy", "/error", "/hang", "/slow?seconds=30", "/redirect-loop", "/redirect-ftp", "/badjson", "/endless",
             "/garbage", "/huge-headers", "/control-chars", "/auth", "/nonexistent"]
    tried = crash = hang = leaked = 0
    for path in paths:
        for fmt in ("text", "html", "csv", "json"):
            status, out, err = run([INSPECT, "now", "--no-local", "--config", write(os.path.join(WORK, "http.yaml"), config("")),
                                    "--target", f"http://127.0.0.1:{http_port}{path}#peer", "--format", fmt,
                                    "--spool", f"{WORK}/hs", "--state", f"{WORK}/ht", "--deadline", "5"], timeout=30)
            tried += 1
            if status is None:
                hang += 1
            elif crashed(status, err):
                crash += 1
            if "\x1b" in out or "\x07" in out:
                leaked += 1; print(f"  control character in {fmt} output of {path}")
    ROWS.append(("hostile HTTP peers (x4 formats)", tried, f"{crash} crash, {hang} hang, {leaked} outputs with raw ESC/BEL", crash + hang + leaked))


# ---------------------------------------------------------------------------------------------
def campaign_secrets():
    # Secrets planted in files and inline; every output of this campaign is searched.
    secrets = write(os.path.join(WORK, "snmp.secret"), f"community={SECRETS[0]}\nauth={SECRETS[2]}\npriv={SECRETS[3]}\n", 0o600)
    cfg = write(os.path.join(WORK, "secrets.yaml"), config(
        f"targets:\n  - {{id: a, address: \"snmp://127.0.0.1:9?secrets={secrets}&timeout=200ms&retries=0\"}}\n"
        f"  - {{id: b, address: \"snmpv3://admin@127.0.0.1:9?secrets={secrets}&timeout=200ms&retries=0\"}}\n"
        f"  - {{id: c, address: \"http://user:{SECRETS[1]}@127.0.0.1:9/\"}}\n"))
    for args in (["check-config", "--list"], ["targets"], ["now", "--format", "json"], ["now", "--format", "html"]):
        run([INSPECT, *args, "--config", cfg] + (["--spool", f"{WORK}/ss", "--state", f"{WORK}/st"] if args[0] == "now" else []))
    for root, _, names in os.walk(WORK):
        for n in names:
            p = os.path.join(root, n)
            if p.endswith((".json", ".txt", ".html", ".csv", ".md", ".log")) and stat.S_ISREG(os.lstat(p).st_mode):
                OUTPUTS.append(read(p))
    found = sorted({s for s in SECRETS for text in OUTPUTS if s in text})
    ROWS.append(("secrets in any output", len(OUTPUTS), f"found: {', '.join(found) or 'none'}", len(found)))


def main():
    print(f"fault campaign, seed {SEED}, work {WORK}")
    peer, http_port, http_dir = start_http_peer()
    try:
        campaign_configs(http_port)
        campaign_reloads(http_port)
        campaign_kill9(http_dir, http_port)
        campaign_state_disk_full(http_dir, http_port)
        campaign_trees()
        campaign_hung_mount()
        campaign_http(http_port)
        campaign_secrets()
    finally:
        peer.kill()
    width = max(len(r[0]) for r in ROWS)
    print(f"\n{'campaign'.ljust(width)}  {'tried':>6}  result")
    for name, tried, result, bad in ROWS:
        print(f"{name.ljust(width)}  {tried:>6}  {result}{'' if bad == 0 else '   <-- FAIL'}")
    failures = sum(r[3] for r in ROWS)
    print(f"\n{'zero crashes, hangs, leaks and lost events' if failures == 0 else f'{failures} failure(s)'}")
    shutil.rmtree(WORK, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
