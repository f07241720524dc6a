"""SMS POSTed to a real HTTP server on 127.0.0.1 and read back as it arrived."""

from __future__ import annotations

import pytest

from channel_servers import free_port

from credo.channels.sms import TextMessage, send
from credo.config import Settings
from credo.errors import DeliveryFailed, NotConfigured

TEXT = "【上海某某贸易】尊敬的客户，贵司发票 INV-2026-0042 已逾期 30 天，未付 ¥12,500.50，请尽快付款。"


def settings_for(url: str, **more) -> Settings:
    return Settings(**{"sms_webhook_url": url, "sms_timeout": 5, **more})


def failure_of(settings: Settings) -> DeliveryFailed:
    with pytest.raises(DeliveryFailed) as failure:
        send(TextMessage("13800138000", TEXT, "k"), settings)
    return failure.value


def test_an_sms_arrives_as_json_with_its_key_in_header_and_body_and_the_bearer_token(webhook):
    message = TextMessage("138 0013 8000", TEXT, "sms:C001:2026-11-30")
    receipt = send(message, settings_for(webhook.url, sms_token="t0k"))

    [request] = webhook.received
    assert (request.method, request.path) == ("POST", "/sms/send")
    assert request.body == {"to": "+8613800138000", "text": TEXT, "idempotency_key": "sms:C001:2026-11-30"}
    assert request.headers["Idempotency-Key"] == "sms:C001:2026-11-30"
    assert request.headers["Authorization"] == "Bearer t0k"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert (receipt.status, receipt.answer) == (202, '{"id": "sms-1"}')


def test_without_a_token_no_authorization_header_is_sent(webhook):
    send(TextMessage("+44 20 7946 0958", "Reminder", "k"), settings_for(webhook.url))

    assert "Authorization" not in webhook.received[0].headers


def test_a_resend_carries_the_same_idempotency_key(webhook):
    message = TextMessage("13800138000", TEXT, "sms:C001:2026-11-30")
    send(message, settings_for(webhook.url))
    send(message, settings_for(webhook.url))

    assert [r.headers["Idempotency-Key"] for r in webhook.received] == ["sms:C001:2026-11-30"] * 2


@pytest.mark.parametrize("status, retry, answer", [
    (500, True, "500 Internal Server Error"), (503, True, "503 Service Unavailable"),
    (429, True, "429 Too Many Requests"),
    (422, False, '422 Unprocessable Entity: {"id": "sms-1"}'), (401, False, "401 Unauthorized"),
])
def test_a_non_2xx_answer_is_a_delivery_failure_naming_status_and_reason(webhook, status, retry, answer):
    webhook.status = status
    failure = failure_of(settings_for(webhook.url))

    assert (failure.reason, failure.retry) == (f"HTTP {status}", retry)
    assert f"SMS to +8613800138000 not sent: the SMS webhook answered {answer}" in str(failure)


def test_a_redirect_is_not_followed_as_a_get(webhook):
    webhook.status = 302
    with pytest.raises(DeliveryFailed, match="answered 302 Found"):
        send(TextMessage("13800138000", TEXT, "k"), settings_for(webhook.url))

    assert len(webhook.received) == 1


def test_a_webhook_slower_than_the_timeout_is_a_timeout_worth_retrying_with_the_same_key(webhook):
    webhook.delay = 1.0
    failure = failure_of(settings_for(webhook.url, sms_timeout=0.2))

    assert (failure.reason, failure.retry) == ("timeout", True)
    assert "did not answer within 0.2 s" in str(failure)


def test_a_port_where_nothing_listens_is_unreachable():
    port = free_port()
    failure = failure_of(settings_for(f"http://127.0.0.1:{port}/sms"))

    assert (failure.reason, failure.retry) == ("unreachable", True)
    assert f"127.0.0.1:{port} could not be reached" in str(failure)


@pytest.mark.parametrize("url, error", [
    ("", "set CREDO_SMS_WEBHOOK_URL"), ("file:///etc/passwd", "http:// or https://"),
])
def test_a_missing_or_non_http_webhook_is_named_before_anything_is_sent(url, error):
    with pytest.raises(NotConfigured, match=error):
        send(TextMessage("13800138000", TEXT, "k"), settings_for(url))
