"""Chat-robot and webhook receiver for Inspector's tests, on 127.0.0.1 only.

Usage: hook_peer.py DIR [PORT]. Listens on PORT (0 or absent: a free one), prints one JSON line
{"port": N}, then serves until killed. Every POST is checked the way the real service checks it
and recorded, with its verdict, as one JSON line in DIR/received.jsonl:
  /webhook      a generic webhook: the body must be an inspect.event/1 document;
  /wecom        a WeCom group robot: {"msgtype": "markdown", "markdown": {"content": ...}};
  /dingtalk     a DingTalk custom robot with 加签: timestamp (ms, within an hour) and sign, the
                base64 HMAC-SHA256 of "timestamp\\nsecret" keyed with DIR/dingtalk.secret;
                markdown with title and text. A bad signature is errcode 310000, as DingTalk does;
  /reject       always 400 (a receiver that refuses the post);
  /alerts, /watchdog  Alertmanager's webhook: {"version": "4", "status", "alerts": [...]}.
Robots answer 200 with {"errcode": 0, "errmsg": "ok"} when the message is right.
"""
import base64, hashlib, hmac, json, os, sys, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

DIR = sys.argv[1]
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 0


def record(entry):
    with open(os.path.join(DIR, "received.jsonl"), "a", encoding="utf-8") as f:
        f.write(json.dumps(entry, ensure_ascii=False) + "\n")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            body = json.loads(raw.decode("utf-8"))
        except Exception:
            record({"path": url.path, "ok": False, "why": "not JSON"})
            return self.answer(400, {"error": "not JSON"})
        ok, why = True, ""
        if url.path == "/webhook":
            ok = body.get("schema") == "inspect.event/1" and "dedup_key" in body
            why = "" if ok else "not an inspect.event/1 document"
            record({"path": url.path, "ok": ok, "why": why, "body": body})
            return self.answer(200 if ok else 422, {"ok": ok})
        if url.path == "/wecom":
            md = body.get("markdown") or {}
            ok = body.get("msgtype") == "markdown" and isinstance(md.get("content"), str) and len(md["content"].encode()) <= 4096
            record({"path": url.path, "ok": ok, "body": body})
            return self.answer(200, {"errcode": 0 if ok else 40008, "errmsg": "ok" if ok else "invalid message type"})
        if url.path == "/dingtalk":
            secret = open(os.path.join(DIR, "dingtalk.secret"), encoding="utf-8").read().strip()
            ts = query.get("timestamp", "")
            expected = base64.b64encode(hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()).decode()
            fresh = ts.isdigit() and abs(time.time() * 1000 - int(ts)) < 3600 * 1000
            signed = fresh and hmac.compare_digest(query.get("sign", ""), expected)
            md = body.get("markdown") or {}
            ok = signed and body.get("msgtype") == "markdown" and md.get("title") and md.get("text")
            record({"path": url.path, "ok": bool(ok), "signed": signed, "token": query.get("access_token"), "body": body})
            if not signed:
                return self.answer(200, {"errcode": 310000, "errmsg": "sign not match"})
            return self.answer(200, {"errcode": 0 if ok else 40035, "errmsg": "ok" if ok else "missing parameter"})
        if url.path in ("/alerts", "/watchdog"):
            ok = body.get("version") == "4" and isinstance(body.get("alerts"), list)
            record({"path": url.path, "ok": ok, "body": body})
            return self.answer(200 if ok else 400, {"ok": ok})
        if url.path == "/reject":
            record({"path": url.path, "ok": False, "body": body})
            return self.answer(400, {"error": "this receiver refuses every post"})
        self.answer(404, {"error": "no such path"})


server = ThreadingHTTPServer(("127.0.0.1", PORT), Handler)
print(json.dumps({"port": server.server_address[1]}), flush=True)
server.serve_forever()
