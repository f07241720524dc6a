"""Mail messages, their MIME form and their Chinese and English templates, without a server."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from credo.channels.mail import Message, build_email, message_id
from credo.channels.mail_templates import render_message, template_names
from credo.config import Settings
from credo.errors import InvalidInput, NotFound

ITEMS = [{"invoice_number": "INV-7", "due_date": date(2026, 10, 31), "days_overdue": 30,
          "open_amount": Decimal("1234.565"), "currency": "CNY"}]
REMINDER = {"company": "上海某某贸易有限公司", "customer": "Northwind Ltd", "as_of": date(2026, 11, 30),
            "items": ITEMS, "totals": {"CNY": Decimal("1234.57")}}
STATEMENT = {"company": "上海某某贸易有限公司", "customer": "北京某某科技有限公司", "as_of": date(2026, 11, 30),
             "attachment": "对账单.pdf", "reply_by": date(2026, 12, 15),
             "totals": {"CNY": Decimal("99"), "USD": Decimal("5")}}


def message(**more) -> Message:
    return Message(**{"to": ("a@example.cn",), "subject": "对账单", "text": "正文", "idempotency_key": "k1", **more})


def test_every_mail_template_exists_in_chinese_and_english():
    assert {"reminder", "statement"} <= set(template_names())
    for name in template_names():
        for language in ("zh", "en"):
            escalation = {"action_zh": "暂停信用额度和发货", "action_en": "credit and deliveries suspended",
                          "reminded_before": True}
            assert render_message(name, language, REMINDER | STATEMENT | escalation).subject


@pytest.mark.parametrize("language, subject, line", [
    ("zh", "付款提醒：Northwind Ltd有1张发票已逾期 – 上海某某贸易有限公司",
     "- 发票 INV-7，到期日 2026年10月31日，逾期 30 天，未付金额 ¥1,234.57"),
    ("en", "Payment reminder: 1 overdue invoice – 上海某某贸易有限公司",
     "- Invoice INV-7, due October 31, 2026, 30 days overdue, open CN¥1,234.57"),
])
def test_a_reminder_writes_amounts_and_dates_as_its_language_does(language, subject, line):
    rendered = render_message("reminder", language, REMINDER)

    assert rendered.subject == subject
    assert line in rendered.text.splitlines()
    assert "¥1,234.57" in rendered.html


def test_a_statement_cover_note_names_every_currency_of_the_open_balance():
    zh = render_message("statement", "zh", STATEMENT)
    en = render_message("statement", "en", STATEMENT)

    assert zh.subject == "上海某某贸易有限公司对账单（截至2026年11月30日）– 北京某某科技有限公司"
    assert "未清余额合计：¥99.00，US$5.00。" in zh.text
    assert "The open balance is CN¥99.00, $5.00." in en.text
    assert zh.html is None


def test_the_html_body_escapes_what_the_context_brings():
    rendered = render_message("reminder", "en", REMINDER | {"customer": "<b>Tom & Jerry</b>"})

    assert "Dear &lt;b&gt;Tom &amp; Jerry&lt;/b&gt;," in rendered.html
    assert "Dear <b>Tom & Jerry</b>," in rendered.text


def test_a_value_the_template_needs_but_the_context_lacks_is_an_error_not_a_gap():
    with pytest.raises(InvalidInput, match="'customer' is undefined"):
        render_message("reminder", "zh", {k: v for k, v in REMINDER.items() if k != "customer"})


def test_an_unknown_template_or_language_is_named():
    with pytest.raises(NotFound, match="no mail template 'dunning' in 'zh' \\(there are: due, escalation, final_demand, notice, pre_due, reminder, "
                       "statement"):
        render_message("dunning", "zh", REMINDER)
    with pytest.raises(InvalidInput, match="language 'fr'"):
        render_message("reminder", "fr", REMINDER)


def test_the_message_id_follows_the_idempotency_key_and_the_senders_domain():
    sender = "应收账款 <ar@sh-trade.example.cn>"

    assert message_id("reminder:C1:2026-11", sender) == message_id("reminder:C1:2026-11", sender)
    assert message_id("reminder:C1:2026-11", sender) != message_id("reminder:C1:2026-12", sender)
    assert message_id("k", sender).endswith("@sh-trade.example.cn>")


@pytest.mark.parametrize("fields, error", [
    ({"to": ()}, "at least one recipient"),
    ({"to": ("not-an-address",)}, "not an email address"),
    ({"cc": ("a@example.cn\r\nBcc: b@example.cn",)}, "not an email address"),
    ({"subject": "one\nBcc: x@example.cn"}, "one line"),
    ({"idempotency_key": " "}, "idempotency key"),
    ({"language": "de"}, "language 'de'"),
])
def test_a_message_that_cannot_be_sent_as_given_is_refused_when_made(fields, error):
    with pytest.raises(InvalidInput, match=error):
        message(**fields)


def test_the_mime_form_encodes_chinese_headers_for_any_mail_server():
    email = build_email(message(to=("王丽 <wang.li@example.cn>",), language="en"), Settings(smtp_from="ar@example.cn"))
    wire = email.as_bytes()

    assert wire.isascii()  # no SMTPUTF8 needed: headers are RFC 2047 encoded, the body base64
    assert b"Content-Language: en" in wire
    assert email["Subject"] == "对账单"


@pytest.mark.parametrize("language, claim", [("en", "Despite our earlier reminders"), ("zh", "尽管我司此前多次提醒")])
def test_a_final_demand_speaks_of_earlier_reminders_only_when_there_were_some(language, claim):
    first = render_message("final_demand", language, REMINDER | {"reminded_before": False}).text
    later = render_message("final_demand", language, REMINDER | {"reminded_before": True}).text
    assert claim not in first and claim in later


@pytest.mark.parametrize("language, due, overdue", [
    ("en", "are due for payment", "overdue"), ("zh", "已到付款日", "逾期")])
def test_the_due_date_message_says_due_and_never_overdue_0_days(language, due, overdue):
    today = [{**ITEMS[0], "due_date": date(2026, 11, 30), "days_overdue": 0}]
    text = render_message("due", language, REMINDER | {"items": today}).text
    assert due in text and overdue not in text
    # An item not yet overdue listed in a notice says so, not "0 days overdue".
    notice = render_message("notice", language, REMINDER | {"items": today}).text
    assert "0 days overdue" not in notice and "逾期 0 天" not in notice
    assert ("not overdue yet" if language == "en" else "尚未逾期") in notice
