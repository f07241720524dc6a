"""Mail handed to a real SMTP server (aiosmtpd on 127.0.0.1) and read back as it arrived."""

from __future__ import annotations

import socket
from datetime import date
from decimal import Decimal

import pytest

from channel_servers import PASSWORD, USER, free_port, smtp_server
from credo.channels.mail import Attachment, Message, send
from credo.channels.mail_templates import render_message
from credo.config import Settings
from credo.errors import DeliveryFailed

SENDER = "上海某某贸易有限公司 应收账款 <ar@sh-trade.example.cn>"
STATEMENT_PDF = b"%PDF-1.7\n" + bytes(range(256)) + b"\n%%EOF\n"  # every byte value survives the trip


def settings_for(port: int, **more) -> Settings:
    return Settings(**{"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": SENDER, "smtp_timeout": 5, **more})


def reminder(key: str = "reminder:C001:2026-11-30", **more) -> Message:
    rendered = render_message("reminder", "zh", {
        "company": "上海某某贸易有限公司", "customer": "北京某某科技有限公司", "as_of": date(2026, 11, 30),
        "items": [{"invoice_number": "INV-2026-0042", "due_date": date(2026, 10, 31), "days_overdue": 30,
                   "open_amount": Decimal("12500.5"), "currency": "CNY"}],
        "totals": {"CNY": Decimal("12500.50")}})
    fields = {"to": ("王丽 <wang.li@bj-tech.example.cn>",), "subject": rendered.subject, "text": rendered.text,
              "html": rendered.html, "idempotency_key": key, "language": "zh", **more}
    return Message(**fields)


def failure_of(settings: Settings, message: Message | None = None) -> DeliveryFailed:
    with pytest.raises(DeliveryFailed) as failure:
        send(message or reminder(), settings)
    return failure.value


def test_a_chinese_reminder_arrives_with_its_subject_body_and_headers_intact(mailbox):
    result = send(reminder(cc=("finance@sh-trade.example.cn",)), settings_for(mailbox.port))

    [arrived] = mailbox.arrived
    email = arrived.email
    assert arrived.sender == "ar@sh-trade.example.cn"
    assert arrived.recipients == ["wang.li@bj-tech.example.cn", "finance@sh-trade.example.cn"]
    assert result.accepted == ("wang.li@bj-tech.example.cn", "finance@sh-trade.example.cn")
    assert result.refused == {}
    assert email["Subject"] == "付款提醒：北京某某科技有限公司有1张发票已逾期 – 上海某某贸易有限公司"
    assert email["From"] == SENDER
    assert email["To"] == "王丽 <wang.li@bj-tech.example.cn>"
    assert email["Cc"] == "finance@sh-trade.example.cn"
    assert email["Content-Language"] == "zh-CN"
    assert email["Message-ID"] == result.message_id
    text = email.get_body(("plain",)).get_content()
    assert "尊敬的北京某某科技有限公司：" in text
    assert "发票 INV-2026-0042，到期日 2026年10月31日，逾期 30 天，未付金额 ¥12,500.50" in text


def test_the_html_body_arrives_as_the_alternative_to_the_text(mailbox):
    send(reminder(), settings_for(mailbox.port))

    email = mailbox.arrived[0].email
    assert email.get_content_type() == "multipart/alternative"
    html = email.get_body(("html",)).get_content()
    assert "<td>INV-2026-0042</td>" in html and "¥12,500.50" in html


def test_an_attachment_arrives_byte_for_byte_under_its_chinese_file_name(mailbox):
    pdf = Attachment("对账单-2026-11.pdf", STATEMENT_PDF, "application/pdf")
    send(reminder(attachments=(pdf,)), settings_for(mailbox.port))

    email = mailbox.arrived[0].email
    [part] = list(email.iter_attachments())
    assert part.get_filename() == "对账单-2026-11.pdf"
    assert part.get_content_type() == "application/pdf"
    assert part.get_content() == STATEMENT_PDF
    assert "北京某某科技有限公司" in email.get_body(("plain",)).get_content()


def test_a_resend_under_the_same_key_arrives_with_the_same_message_id(mailbox):
    settings = settings_for(mailbox.port)
    first = send(reminder("reminder:C001:2026-11-30"), settings)
    again = send(reminder("reminder:C001:2026-11-30"), settings)
    other = send(reminder("reminder:C001:2026-12-31"), settings)

    ids = [arrived.email["Message-ID"] for arrived in mailbox.arrived]
    assert ids == [first.message_id, first.message_id, other.message_id]
    assert first.message_id == again.message_id != other.message_id
    assert first.message_id.endswith("@sh-trade.example.cn>")


def test_a_recipient_the_server_refuses_is_reported_while_the_others_get_the_mail(mailbox):
    message = reminder(cc=("nobody@sh-trade.example.cn",))
    result = send(message, settings_for(mailbox.port))

    assert result.accepted == ("wang.li@bj-tech.example.cn",)
    assert result.refused == {"nobody@sh-trade.example.cn": "550 5.1.1 no such mailbox here"}
    assert mailbox.arrived[0].recipients == ["wang.li@bj-tech.example.cn"]


def test_a_message_whose_every_recipient_is_refused_fails_for_good_with_the_server_answer(mailbox):
    failure = failure_of(settings_for(mailbox.port), reminder(to=("nobody@bj-tech.example.cn",)))

    assert (failure.reason, failure.retry) == ("refused", False)
    assert "nobody@bj-tech.example.cn: 550 5.1.1 no such mailbox here" in str(failure)
    assert f"127.0.0.1:{mailbox.port}" in str(failure)
    assert mailbox.arrived == []


def test_a_port_where_no_mail_server_listens_is_unreachable_and_worth_retrying():
    port = free_port()  # just freed: nothing listens there
    failure = failure_of(settings_for(port))

    assert (failure.reason, failure.retry) == ("unreachable", True)
    assert f"mail server 127.0.0.1:{port} could not be reached" in str(failure)


def test_a_server_that_never_greets_times_out_within_the_configured_seconds():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        failure = failure_of(settings_for(port, smtp_timeout=0.3))

    assert (failure.reason, failure.retry) == ("timeout", True)
    assert "did not answer within 0.3 s" in str(failure)


def test_mail_goes_over_starttls_with_a_login_to_a_server_that_requires_both(certificate):
    tls = {"tls_context": certificate.server_context(), "require_starttls": True, "auth_required": True}
    with smtp_server(**tls) as box:
        settings = settings_for(box.port, smtp_tls="starttls", smtp_ca_file=str(certificate.cert),
                                smtp_username=USER, smtp_password=PASSWORD)
        send(reminder(), settings)

    assert box.logins == [USER]
    assert box.arrived[0].email["Subject"].startswith("付款提醒")


def test_a_wrong_password_is_an_auth_failure_not_worth_retrying(certificate):
    tls = {"tls_context": certificate.server_context(), "require_starttls": True, "auth_required": True}
    with smtp_server(**tls) as box:
        settings = settings_for(box.port, smtp_tls="starttls", smtp_ca_file=str(certificate.cert),
                                smtp_username=USER, smtp_password="wrong")
        failure = failure_of(settings)

    assert (failure.reason, failure.retry) == ("auth", False)
    assert f"refused the login of {USER!r} (535" in str(failure)
    assert "wrong" not in str(failure)
    assert box.arrived == []


def test_a_certificate_the_settings_do_not_trust_fails_the_tls_handshake(certificate):
    with smtp_server(tls_context=certificate.server_context(), require_starttls=True) as box:
        failure = failure_of(settings_for(box.port, smtp_tls="starttls"))

    assert (failure.reason, failure.retry) == ("tls", False)
    assert "CERTIFICATE_VERIFY_FAILED" in str(failure)
    assert box.arrived == []


def test_starttls_asked_of_a_server_that_does_not_offer_it_is_refused_before_any_mail(mailbox):
    failure = failure_of(settings_for(mailbox.port, smtp_tls="starttls"))

    assert (failure.reason, failure.retry) == ("unsupported", False)
    assert "STARTTLS" in str(failure)
    assert mailbox.arrived == []


def test_mail_goes_over_tls_from_the_first_byte(certificate):
    with smtp_server(ssl_context=certificate.server_context()) as box:
        send(reminder(), settings_for(box.port, smtp_tls="ssl", smtp_ca_file=str(certificate.cert)))

    assert box.arrived[0].recipients == ["wang.li@bj-tech.example.cn"]
