"""SMTP test peer (Debian's aiosmtpd) on 127.0.0.1: STARTTLS required with a certificate made at
start, AUTH (inspector / s3cret-mail) required after STARTTLS. RCPT reject@... gets 550,
later@... gets 451. Each accepted message is written to DIR/received/N.eml with a .rcpt file.

Usage: smtp_peer.py DIR PORT [smtps]. Prints one JSON line (port, CA file), then serves until killed.
With "smtps" the whole connection is TLS from the first byte (implicit TLS, port 465 style) and
AUTH is required on it.
"""
import datetime, ipaddress, json, os, ssl, sys, time
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

DIR, PORT = sys.argv[1], int(sys.argv[2])
IMPLICIT_TLS = len(sys.argv) > 3 and sys.argv[3] == "smtps"
os.makedirs(os.path.join(DIR, "received"), exist_ok=True)
now = datetime.datetime.now(datetime.timezone.utc)
key = ec.generate_private_key(ec.SECP256R1())
name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
cert_path, key_path = os.path.join(DIR, "smtp.pem"), os.path.join(DIR, "smtp.key")
open(cert_path, "wb").write(cert.public_bytes(serialization.Encoding.PEM))
open(key_path, "wb").write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
context.load_cert_chain(cert_path, key_path)

class Handler:
    count = 0
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("reject@"):
            return "550 5.1.1 <%s>: no such user here" % address
        if address.startswith("later@"):
            return "451 4.3.0 mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"
    async def handle_DATA(self, server, session, envelope):
        Handler.count += 1
        base = os.path.join(DIR, "received", "%04d" % Handler.count)
        open(base + ".eml", "wb").write(envelope.original_content or envelope.content)
        open(base + ".rcpt", "w").write("\n".join(envelope.rcpt_tos) + "\n")
        return "250 Message accepted for delivery"

def authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"inspector" and auth_data.password == b"s3cret-mail"
    return AuthResult(success=ok, handled=False)

if IMPLICIT_TLS:
    # aiosmtpd counts only STARTTLS as "TLS" for AUTH; here every byte is already encrypted.
    controller = Controller(Handler(), hostname="127.0.0.1", port=PORT, ssl_context=context,
                            auth_required=True, auth_require_tls=False, authenticator=authenticate)
else:
    controller = Controller(Handler(), hostname="127.0.0.1", port=PORT, tls_context=context, require_starttls=True,
                            auth_required=True, auth_require_tls=True, authenticator=authenticate)
controller.start()
print(json.dumps({"port": PORT, "ca": cert_path}), flush=True)
while True:
    time.sleep(3600)
