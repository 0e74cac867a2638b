"""HTTP and HTTPS test peer for Inspector's tests, on 127.0.0.1 only.

Usage: http_peer.py DIR. Writes certificates into DIR (a CA; leaf certificates for localhost
valid for a year, expiring in 3 days, expired, and for the wrong host name), starts one plain
HTTP server and one HTTPS server per leaf certificate on free ports, prints one JSON line with
the ports and the CA file, then serves until killed.

Paths: /healthy, /error (500), /slow?seconds=N, /hang (never answers), /redirect-loop,
/redirect-ftp, /json, /badjson, /endless (a body that never ends), /garbage (not HTTP),
/huge-headers, /control-chars (ESC, CR and BEL in JSON values and a header), /auth (Basic
inspector:s3cret-pass), /flip?name=N (status read from
DIR/flip-status-N, for tests that change it; /hits?name=N counts its requests).
"""
import datetime, json, os, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DIR = sys.argv[1]
NOW = datetime.datetime.now(datetime.timezone.utc)

def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

def write(path, data):
    with open(os.path.join(DIR, path), "wb") as f:
        f.write(data)

ca_key = ec.generate_private_key(ec.SECP256R1())
ca = (x509.CertificateBuilder().subject_name(name("Inspector test CA")).issuer_name(name("Inspector test CA"))
      .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
      .not_valid_before(NOW - datetime.timedelta(days=30)).not_valid_after(NOW + datetime.timedelta(days=3650))
      .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
      .sign(ca_key, hashes.SHA256()))
write("ca.pem", ca.public_bytes(serialization.Encoding.PEM))

def leaf(label, host, not_before, not_after):
    key = ec.generate_private_key(ec.SECP256R1())
    san = [x509.DNSName(host)] + ([x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))] if host == "localhost" else [])
    cert = (x509.CertificateBuilder().subject_name(name(host)).issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName(san), critical=False).sign(ca_key, hashes.SHA256()))
    write(label + ".pem", cert.public_bytes(serialization.Encoding.PEM))
    write(label + ".key", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))

day = datetime.timedelta(days=1)
leaf("valid", "localhost", NOW - day, NOW + 365 * day)
leaf("expiring", "localhost", NOW - day, NOW + 3 * day)
leaf("expired", "localhost", NOW - 30 * day, NOW - day)
leaf("wronghost", "wrong.example", NOW - day, NOW + 365 * day)

LOCK = threading.Lock()
ACTIVE = {}
PEAK = {}
HITS = {}

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type="text/plain", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        q = parse_qs(url.query)
        if url.path == "/healthy":
            self.send(200, b"OK inspector-peer\n")
        elif url.path == "/error":
            self.send(500, b"internal error\n")
        elif url.path == "/slow":
            time.sleep(float(q.get("seconds", ["2"])[0]))
            self.send(200, b"slow but fine\n")
        elif url.path == "/hang":
            # ?tag=T counts the requests of one test hanging at once (/hangers?tag=T reads the peak).
            tag = q.get("tag", [""])[0]
            with LOCK:
                ACTIVE[tag] = ACTIVE.get(tag, 0) + 1
                PEAK[tag] = max(PEAK.get(tag, 0), ACTIVE[tag])
            time.sleep(3600)
        elif url.path == "/hangers":
            with LOCK:
                self.send(200, str(PEAK.get(q.get("tag", [""])[0], 0)).encode())
        elif url.path == "/redirect-loop":
            self.send(302, b"", headers=[("Location", "/redirect-loop")])
        elif url.path == "/redirect-ftp":
            self.send(302, b"", headers=[("Location", "ftp://127.0.0.1/file")])
        elif url.path == "/json":
            self.send(200, json.dumps({"sensors": [{"name": "rack 3", "temperature": 23.5, "humidity": 41}], "status": "ok"}).encode(), "application/json")
        elif url.path == "/badjson":
            self.send(200, b"{not json", "application/json")
        elif url.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"x" * 65536)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif url.path == "/garbage":
            # Not HTTP at all: binary noise, then the connection closes.
            self.wfile.write(bytes(range(256)) * 64)
            self.close_connection = True
        elif url.path == "/huge-headers":
            self.send(200, b"ok\n", headers=[("X-Filler-%d" % i, "y" * 4000) for i in range(40)])
        elif url.path == "/control-chars":
            body = json.dumps({"status": "ok\u001b[2J\r\u0007", "sensors": [{"temperature": "2\u001b3"}]}).encode()
            self.send(200, body, "application/json", headers=[("X-Device", "evil\x1b[31mred")])
        elif url.path == "/auth":
            import base64
            expected = "Basic " + base64.b64encode(b"inspector:s3cret-pass").decode()
            if self.headers.get("Authorization") == expected:
                self.send(200, b"authorised\n")
            else:
                self.send(401, b"who are you?\n", headers=[("WWW-Authenticate", 'Basic realm="peer"')])
        elif url.path == "/hits":
            # How many times /flip?name=N was asked: proof that polls happened.
            with LOCK:
                self.send(200, str(HITS.get(q.get("name", [""])[0], 0)).encode())
        elif url.path == "/flip":
            name = q.get("name", ["default"])[0].replace("/", "")
            with LOCK:
                HITS[name] = HITS.get(name, 0) + 1
            try:
                status = int(open(os.path.join(DIR, "flip-status-" + name)).read().strip())
            except Exception:
                status = 200
            self.send(status, b"flip\n")
        else:
            self.send(404, b"not found\n")

    do_HEAD = do_GET

def serve(context=None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if context:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]

ports = {"http": serve()}
for label in ["valid", "expiring", "expired", "wronghost"]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(DIR, label + ".pem"), os.path.join(DIR, label + ".key"))
    ports[label] = serve(context)
print(json.dumps({"ports": ports, "ca": os.path.join(DIR, "ca.pem")}), flush=True)
while True:
    time.sleep(3600)
