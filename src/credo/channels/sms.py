"""SMS through an HTTP webhook: the gateway (or a bridge in front of one) takes a JSON POST.

    POST CREDO_SMS_WEBHOOK_URL
    Authorization: Bearer CREDO_SMS_TOKEN        (when set)
    Idempotency-Key: <the caller's key>
    {"to": "+8613800138000", "text": "...", "idempotency_key": "<the caller's key>"}

Any 2xx answer means taken; anything else, or no answer within CREDO_SMS_TIMEOUT, is
DeliveryFailed naming the status and reason. The key travels twice (header and body) so that a
gateway can drop a resend whichever it reads. Numbers are E.164; Chinese mobile numbers written
the usual ways (138 0013 8000, 86-138-0013-8000, 008613800138000) are normalised to it.
Standard library only (urllib): no HTTP client among the runtime dependencies.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from credo.config import Settings
from credo.errors import DeliveryFailed, InvalidInput, NotConfigured

E164 = re.compile(r"\+[1-9]\d{6,14}")
CHINESE_MOBILE = re.compile(r"1[3-9]\d{9}")
SEPARATORS = re.compile(r"[\s\-().\u00a0\u3000]")
ANSWER_EXCERPT = 200  # characters of a refusal's body quoted in the error
_FULL_WIDTH = {ord(c): ord(c) - 0xFEE0 for c in "０１２３４５６７８９＋－（）"}  # as typed with a Chinese IME


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer like any other non-2xx: urllib would replay the POST as a GET."""

    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def normalise_phone(number: str) -> str:
    """A phone number in E.164 (+8613800138000); an 11-digit Chinese mobile number needs no +86."""
    digits = SEPARATORS.sub("", number.strip().translate(_FULL_WIDTH))
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if CHINESE_MOBILE.fullmatch(digits):
        digits = "+86" + digits
    elif digits.startswith("86") and CHINESE_MOBILE.fullmatch(digits[2:]):
        digits = "+" + digits
    if not E164.fullmatch(digits) or (digits.startswith("+861") and not CHINESE_MOBILE.fullmatch(digits[3:])):
        raise InvalidInput(f"phone number {number!r}: expected E.164 such as +8613800138000 "
                           "(or a Chinese mobile number such as 138 0013 8000)")
    return digits


@dataclass(frozen=True)
class TextMessage:
    """One SMS. `to` is normalised to E.164 when the message is made."""

    to: str
    text: str
    idempotency_key: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "to", normalise_phone(self.to))
        if not self.text.strip():
            raise InvalidInput("an SMS needs a text")
        if not self.idempotency_key.strip():
            raise InvalidInput("an SMS needs an idempotency key (the same key for a resend)")


@dataclass(frozen=True)
class SmsReceipt:
    status: int  # the webhook's 2xx status
    answer: str  # its body, as the gateway wrote it (often its own message id)


def send(message: TextMessage, settings: Settings) -> SmsReceipt:
    """POSTs the message to the webhook; DeliveryFailed unless it answers 2xx in time."""
    request = _request(message, settings)
    try:
        with _OPENER.open(request, timeout=settings.sms_timeout) as response:
            return SmsReceipt(response.status, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        raise _refused(error, message) from error
    except (urllib.error.URLError, OSError) as error:
        raise _unanswered(error, message, settings) from error


def _request(message: TextMessage, settings: Settings) -> urllib.request.Request:
    url = settings.sms_webhook_url
    if not url:
        raise NotConfigured("no SMS webhook: set CREDO_SMS_WEBHOOK_URL")
    if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).hostname:
        raise NotConfigured(f"CREDO_SMS_WEBHOOK_URL {url!r}: expected an http:// or https:// URL")
    body = {"to": message.to, "text": message.text, "idempotency_key": message.idempotency_key}
    headers = {"Content-Type": "application/json; charset=utf-8", "Accept": "application/json",
               "Idempotency-Key": message.idempotency_key, "User-Agent": "credo"}
    token = settings.sms_token.get_secret_value()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                  headers=headers, method="POST")


def _refused(error: urllib.error.HTTPError, message: TextMessage) -> DeliveryFailed:
    try:
        answer = error.read().decode("utf-8", "replace").strip()[:ANSWER_EXCERPT]
    except OSError:
        answer = ""
    retry = error.code >= 500 or error.code in (408, 429)
    return DeliveryFailed(f"SMS to {message.to} not sent: the SMS webhook answered {error.code} {error.reason}"
                          + (f": {answer}" if answer else ""), reason=f"HTTP {error.code}", retry=retry)


def _unanswered(error: Exception, message: TextMessage, settings: Settings) -> DeliveryFailed:
    cause = error.reason if isinstance(error, urllib.error.URLError) else error
    where = urlsplit(settings.sms_webhook_url).netloc
    if isinstance(cause, (TimeoutError, socket.timeout)):
        return DeliveryFailed(f"SMS to {message.to} not sent: the SMS webhook at {where} did not answer within "
                              f"{settings.sms_timeout:g} s (it may have taken it: a resend with the same key is safe)",
                              reason="timeout", retry=True)
    detail = getattr(cause, "strerror", None) or cause
    return DeliveryFailed(f"SMS to {message.to} not sent: the SMS webhook at {where} could not be reached ({detail})",
                          reason="unreachable", retry=True)
