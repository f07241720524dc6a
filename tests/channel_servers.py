"""Real servers on 127.0.0.1 for the channel tests: an SMTP server (aiosmtpd) and an HTTP server
(the standard library's), each on a free port, each keeping what it received for the test to read;
and a self-signed certificate for the TLS cases. The fixtures are in integration/channels/conftest.py."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "ar-robot", "s3cret-口令"
REFUSED_PREFIX = "nobody@"  # the SMTP server refuses recipients whose address starts so


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Arrived:
    sender: str
    recipients: list[str]
    email: EmailMessage


@dataclass
class Mailbox:
    """What an SMTP server took: one Arrived per message, and the logins it accepted."""

    port: int
    arrived: list[Arrived] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith(REFUSED_PREFIX):
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        email = message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        self.arrived.append(Arrived(envelope.mail_from, list(envelope.rcpt_tos), email))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(), PASSWORD.encode("utf-8"))
        if ok:
            self.logins.append(USER)
        return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(**options) -> Iterator[Mailbox]:
    """An aiosmtpd server on 127.0.0.1; `options` go to aiosmtpd (tls_context, auth_required ...)."""
    mailbox = Mailbox(free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port,
                            authenticator=mailbox.authenticate, **options)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


@dataclass(frozen=True)
class Certificate:
    cert: Path  # PEM, self-signed for 127.0.0.1: also the CA a client must trust
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificate(folder: Path) -> Certificate:
    """A self-signed certificate for 127.0.0.1, made now with the cryptography package."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "credo test mail server")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .sign(key, hashes.SHA256()))
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    return Certificate(folder / "cert.pem", folder / "key.pem")


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: dict


@dataclass
class Webhook:
    """An HTTP server on 127.0.0.1 that keeps every request; `status` and `delay` set its answer."""

    url: str
    received: list[Received] = field(default_factory=list)
    status: int = 202
    delay: float = 0.0


class _Recorder(BaseHTTPRequestHandler):
    webhook: Webhook

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length).decode("utf-8"))
        self.webhook.received.append(Received("POST", self.path, dict(self.headers.items()), body))
        time.sleep(self.webhook.delay)
        answer = json.dumps({"id": f"sms-{len(self.webhook.received)}"}).encode()
        try:
            self.send_response(self.webhook.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting
            pass

    def log_message(self, format, *args) -> None:  # quiet
        pass


@contextmanager
def serve_webhook() -> Iterator[Webhook]:
    handler = type("Recorder", (_Recorder,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.webhook = Webhook(f"http://127.0.0.1:{server.server_address[1]}/sms/send")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield handler.webhook
    finally:
        server.shutdown()
        server.server_close()
