"""Email over SMTP: a message, its MIME form, and the handing over to the mail server.

A message carries the caller's idempotency key; its Message-ID is derived from that key and the
sender's domain, so a message sent again (after a timeout, say) is recognisably the same one to
the recipient's mail client and to anyone reading the logs. Failures are DeliveryFailed with a
reason in a word or two and whether trying again may help; nothing else leaves `send`.
Subjects and bodies in Chinese or English come from templates: mail_templates.render_message.
"""

from __future__ import annotations

import base64
import hashlib
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, getaddresses, parseaddr
from typing import NamedTuple

from credo.channels.locales import check_language
from credo.config import Settings
from credo.errors import DeliveryFailed, InvalidInput

CONTENT_LANGUAGE = {"zh": "zh-CN", "en": "en"}
# CRLF, headers RFC 2047 encoded, bodies base64 or quoted-printable: 7-bit clean for any relay
WIRE = SMTP.clone(cte_type="7bit")


class Attachment(NamedTuple):
    filename: str
    content: bytes
    mime_type: str  # e.g. application/pdf


@dataclass(frozen=True)
class Message:
    """One email. `to` and `cc` hold addresses such as `王丽 <wang.li@example.cn>`."""

    to: tuple[str, ...]
    subject: str
    text: str
    idempotency_key: str
    language: str = "zh"
    cc: tuple[str, ...] = ()
    html: str | None = None
    attachments: tuple[Attachment, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not self.to:
            raise InvalidInput("an email needs at least one recipient")
        for address in (*self.to, *self.cc):
            check_address(address)
        if "\n" in self.subject or "\r" in self.subject:
            raise InvalidInput("an email subject is one line")
        if not self.idempotency_key.strip():
            raise InvalidInput("an email needs an idempotency key (the same key for a resend)")
        check_language(self.language)
        for attachment in self.attachments:
            if attachment.mime_type.count("/") != 1:
                raise InvalidInput(f"attachment {attachment.filename!r}: mime type {attachment.mime_type!r} "
                                   "is not type/subtype")


@dataclass(frozen=True)
class SendResult:
    message_id: str
    accepted: tuple[str, ...]  # bare addresses the server took
    refused: dict[str, str]  # bare address -> the server's answer, when it took some but not all


def check_address(address: str) -> str:
    name, bare = parseaddr(address)
    local, at, domain = bare.rpartition("@")
    if any(c in address for c in "\r\n") or not at or not local or "." not in domain:
        raise InvalidInput(f"not an email address: {address!r}")
    return address


def message_id(idempotency_key: str, sender: str) -> str:
    """The same key and sender always give the same Message-ID: `<hex@sender's domain>`."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "credo.invalid"
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:40]
    return f"<{digest}@{domain}>"


def build_email(message: Message, settings: Settings) -> EmailMessage:
    """The MIME message as it goes over the wire: UTF-8 headers and parts, attachments last."""
    email = EmailMessage(policy=WIRE)
    email["From"] = settings.smtp_from
    email["To"] = ", ".join(message.to)
    if message.cc:
        email["Cc"] = ", ".join(message.cc)
    email["Subject"] = message.subject
    email["Date"] = formatdate(usegmt=True)  # the moment of handing over, a transport fact (not business time)
    email["Message-ID"] = message_id(message.idempotency_key, settings.smtp_from)
    email.set_content(message.text)
    if message.html is not None:
        email.add_alternative(message.html, subtype="html")
    for attachment in message.attachments:
        maintype, subtype = attachment.mime_type.split("/")
        email.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    email["Content-Language"] = CONTENT_LANGUAGE[message.language]  # last: set_content drops Content-* headers
    return email


def send(message: Message, settings: Settings) -> SendResult:
    """Hands the message to the mail server; DeliveryFailed when it did not take it."""
    email = build_email(message, settings)
    recipients = [bare for _, bare in getaddresses([*message.to, *message.cc])]
    try:
        with _session(settings) as session:
            refused = session.send_message(email, to_addrs=recipients)
    except (smtplib.SMTPException, OSError) as error:
        raise _failure(error, message, settings) from error
    answers = {address: _answer(*reply) for address, reply in refused.items()}
    return SendResult(email["Message-ID"], tuple(r for r in recipients if r not in answers), answers)


@contextmanager
def _session(settings: Settings) -> Iterator[smtplib.SMTP]:
    host, port, timeout = settings.smtp_host, settings.smtp_port_or_default, settings.smtp_timeout
    context = ssl.create_default_context(cafile=settings.smtp_ca_file or None)
    if settings.smtp_tls == "ssl":
        session = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        session = smtplib.SMTP(host, port, timeout=timeout)
    with session:
        if settings.smtp_tls == "starttls":
            session.starttls(context=context)
        if settings.smtp_username:
            _login(session, settings.smtp_username, settings.smtp_password.get_secret_value())
        yield session


def _login(session: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib's login sends ASCII only; a user name or password beyond it goes as AUTH PLAIN in
    UTF-8, as RFC 4616 has it."""
    if (username + password).isascii():
        session.login(username, password)
        return
    session.ehlo_or_helo_if_needed()
    if "PLAIN" not in session.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPNotSupportedError("AUTH PLAIN, needed for a password beyond ASCII, is not offered")
    token = base64.b64encode(f"\0{username}\0{password}".encode("utf-8")).decode("ascii")
    code, answer = session.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


def _answer(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode('utf-8', 'replace') if isinstance(text, bytes) else text}".strip()


def _is_transient(code: int) -> bool:
    return 400 <= code < 500


def _failure(error: Exception, message: Message, settings: Settings) -> DeliveryFailed:
    server = f"mail server {settings.smtp_host}:{settings.smtp_port_or_default}"
    reason, retry, detail = _classify(error, settings)
    return DeliveryFailed(f"email {message.subject!r} to {', '.join(message.to)} not sent: {server} {detail}",
                          reason=reason, retry=retry)


def _classify(error: Exception, settings: Settings) -> tuple[str, bool, str]:
    """(reason, retry, what happened) for each way smtplib and the network fail."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{address}: {_answer(*reply)}" for address, reply in error.recipients.items())
        transient = all(_is_transient(code) for code, _ in error.recipients.values())
        return "refused", transient, f"refused every recipient ({answers})"
    if isinstance(error, smtplib.SMTPResponseException):
        answer = _answer(error.smtp_code, error.smtp_error)
        if isinstance(error, smtplib.SMTPAuthenticationError):
            return "auth", False, f"refused the login of {settings.smtp_username!r} ({answer})"
        if isinstance(error, smtplib.SMTPSenderRefused):
            return "sender refused", False, f"refused the sender {error.sender!r} ({answer})"
        return "rejected", _is_transient(error.smtp_code), f"rejected the message ({answer})"
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return "unsupported", False, f"does not offer what CREDO_SMTP_* asks for ({error})"
    if isinstance(error, smtplib.SMTPServerDisconnected) and isinstance(error.__context__, TimeoutError):
        error = error.__context__  # smtplib turns a reply that never came into a disconnection
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "disconnected", True, f"closed the connection ({error or 'no reason given'})"
    if isinstance(error, ssl.SSLError):
        return "tls", False, f"failed the TLS handshake ({error.reason or error}; a private CA goes in CREDO_SMTP_CA_FILE)"
    if isinstance(error, TimeoutError):
        return "timeout", True, f"did not answer within {settings.smtp_timeout:g} s"
    return "unreachable", True, f"could not be reached ({error.strerror or error})"
