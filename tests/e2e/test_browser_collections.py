"""The dunning and disputes pages' main flows in the browser, in Chinese, on the acme ledger.

Dunning as of 2024-04-15 (tests/integration/test_dunning.py): C1 at the gentle ladder's step 2
(温馨提醒, friendly reminder), C2 at the standard ladder's step 2 (首次催收通知, first notice: never
dunned, its first step after the due date). Sent through a real SMTP server on loopback (neither
step sends an SMS); a second look proposes nothing.
Disputes: 600.00 of I2 (1,500.00 open) opened on the customer page, resolved by a credit note."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from channel_servers import serve_webhook, smtp_server
from e2e.test_browser import open_from_menu, sign_in
from credo import clock
from credo.store.tables import credit_notes, customers

pytestmark = pytest.mark.db


# A Monday at 10:00 in Shanghai: within the 08:00-16:00 window on a working day, whatever day the test runs.
MONDAY_MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=timezone(timedelta(hours=8)))


@pytest.fixture
def channels(server, people, db, tmp_path):
    """The server's settings pointed at a mailbox and a webhook on loopback, and the business clock
    pinned within the sending window."""
    with db.begin() as conn:
        conn.execute(update(customers).where(customers.c.code == "C1").values(contact_email="finance@jia.cn"))
        conn.execute(update(customers).where(customers.c.code == "C2").values(
            contact_email="ap@beta.example", contact_phone="138 0013 8000"))
    before = server.app.state.settings
    with smtp_server() as mailbox, serve_webhook() as webhook:
        server.app.state.settings = before.model_copy(update={
            "smtp_host": "127.0.0.1", "smtp_port": mailbox.port, "smtp_from": "ar@acme.cn",
            "sms_webhook_url": webhook.url, "letters_dir": tmp_path / "letters", "send_window": "08:00-16:00",
            "time_zone": "Asia/Shanghai"})
        try:
            with clock.pinned(MONDAY_MORNING):
                yield mailbox, webhook
        finally:
            server.app.state.settings = before


def test_the_credit_manager_proposes_and_sends_the_dunning_run(browser_page, channels, shoot):
    mailbox, webhook = channels
    page = browser_page
    sign_in(page, "credit_manager")
    open_from_menu(page, "/dunning")
    page.wait_for_url("**/dunning")
    page.fill("input[name=as_of]", "2024-04-15")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/dunning?as_of=2024-04-15")
    rows = [r.split("\t") for r in page.inner_text("#proposals tbody").splitlines()]
    assert [(r[0], r[2]) for r in rows] == [("C1 甲公司", "2 · 温馨提醒"), ("C2 Beta Ltd", "2 · 首次催收通知")]
    assert rows[1][-1] == "¥2,100.00"
    shoot(page, "dunning-zh")
    page.click("#send")
    page.wait_for_url("**/dunning/run")
    sent = [r.split("\t") for r in page.inner_text("#sent tbody").splitlines()]
    assert [(r[0], r[1], r[2]) for r in sent] == [("C1", "2 · 温馨提醒", "已发送"), ("C2", "2 · 首次催收通知", "已发送")]
    assert sorted(m.recipients[0] for m in mailbox.arrived) == ["ap@beta.example", "finance@jia.cn"]
    assert len(webhook.received) == 0  # the first notice is a mail only
    shoot(page, "dunning-sent-zh")
    page.goto("/dunning?as_of=2024-04-15")
    assert page.is_visible("#proposals-empty")  # every step sent: a second run sends nothing


def test_a_collector_opens_a_dispute_and_resolves_it_by_a_credit_note(browser_page, people, db, shoot):
    page = browser_page
    sign_in(page, "collector")  # portfolio wang: C1
    page.goto("/customers/C1")
    form = page.locator("#dispute-form")
    form.locator("input[name=invoice]").fill("I2")
    form.locator("input[name=amount]").fill("600.00")
    form.locator("select[name=reason]").select_option("price")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/customers/C1?recorded=dispute")
    assert "I2" in page.inner_text("#customer-disputes") and "价格" in page.inner_text("#customer-disputes")
    open_from_menu(page, "/disputes")
    page.wait_for_url("**/disputes")
    row = page.inner_text("#disputes tbody").splitlines()[0].split("\t")
    assert row[:3] == ["C1 甲公司", "I2", "¥600.00"]
    shoot(page, "disputes-zh")
    resolve = page.locator("#disputes form.inline").first
    resolve.locator("select[name=resolution]").select_option("credit_note")
    resolve.locator("button[type=submit]").click()
    page.wait_for_url("**/disputes?resolved=*")
    assert page.is_visible("#disputes-empty")
    with db.connect() as conn:
        note = conn.execute(select(credit_notes.c.amount, credit_notes.c.applied_amount)
                            .where(credit_notes.c.number.like("CN-D%"))).one()
    assert tuple(note) == (60000, 60000)  # 600.00 credited to I2
