"""Every adapter takes "today" from the business clock in the company's zone (Asia/Shanghai), not the
host's: at 07:30 on Monday 2026-12-07 in Shanghai it is still Sunday 23:30 in UTC, the host's zone here,
and a promise recorded then without a date is made on the 7th through the API, the pages and the CLI."""

from __future__ import annotations

import re
import time
from datetime import datetime, timedelta, timezone

import pytest

from credo import clock

pytestmark = pytest.mark.db
EARLY_MONDAY = datetime(2026, 12, 7, 7, 30, tzinfo=timezone(timedelta(hours=8)))  # 2026-12-06 23:30 UTC


@pytest.fixture
def early_monday_on_a_utc_host(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        with clock.pinned(EARLY_MONDAY):
            assert clock.today("UTC").isoformat() == "2026-12-06"  # the host's day
            yield
    finally:
        monkeypatch.undo()
        time.tzset()


def test_a_promise_made_through_the_api_before_eight_lands_on_the_shanghai_day(server, acme, tokens,
                                                                              early_monday_on_a_utc_host):
    with server.client(tokens["credit_manager"]) as client:
        made = client.post("/api/v1/promises", json={"customer_code": "C1", "promised_on": "2026-12-20",
                                                      "amount": "100.00"})
    assert made.status_code == 201, made.text
    assert made.json()["made_on"] == "2026-12-07"


def test_the_pages_offer_the_shanghai_day_as_the_default_date(pages, early_monday_on_a_utc_host):
    page = pages("collector", "en").get("/customers/C1").text
    assert re.search(r'name="occurred_on" value="2026-12-07"', page)


def test_a_promise_made_on_the_cli_before_eight_lands_on_the_shanghai_day(cli, ledger_files,
                                                                           early_monday_on_a_utc_host):
    assert cli("import", "customers", ledger_files / "customers.csv")[0] == 0
    code, out, err = cli("promise", "add", "C1", "--date", "2026-12-20", "--amount", "100", "--format", "json")
    assert code == 0, err
    assert '"made_on": "2026-12-07"' in out
