"""The period close page over real HTTP on the acme ledger, the business clock at 2024-12-07 10:00
in Shanghai: a controller closes 2024-06-30 with the form, the page shows the lock date and the
stored month-end, verify finds the figures agree; refusals are shown on the page in the visitor's
language with what was typed; a credit manager reads the page without its forms, a collector not at all.

The acme ledger as of 2024-06-30, by hand (tests/integration/test_period_close.py): aging 6,160.00,
of it 3,660.00 overdue (I2 1,500.00 and I3 $300.00 at 7.2 = 2,160.00, 91-92 days past due) and
2,500.00 not due (I4 less CN1); DSO 6,160.00 / 2,500.00 x 90 = 221.76. The provision matrix is given
(as in test_pages_provision.py): not due 2,500 x 0.3 % = 7.50, >90 days 3,660 x 10.6 % = 387.96;
395.46 in all."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import update

from credo import clock
from credo.store.tables import invoices
from integration.test_pages import rows_of
from integration.test_pages_admin import csrf
from integration.test_pages_provision import IFRS9

pytestmark = pytest.mark.db
PAGE = "/closes"
DECEMBER = clock.parse_moment("2024-12-07T10:00:00+08:00")


@pytest.fixture
def given_rates(db, people):
    """The provision matrix's rates given (not derived from the ledger's roll rates)."""
    from credo.services.risk.provision_settings import change_provision_settings

    with db.begin() as conn:
        change_provision_settings(conn, people, "test", matrix_rates=IFRS9)


@pytest.fixture
def december():
    with clock.pinned(DECEMBER):
        yield


def close(client, period_end: str):
    return client.post(PAGE, data={"period_end": period_end, "csrf_token": csrf(client, PAGE)})


def main_words(html: str) -> set[str]:
    """The Latin words the page's main part shows (its text, not its markup)."""
    main = re.search(r"<main>(.*)</main>", html, re.S).group(1)
    return set(re.findall(r"[A-Za-z]{2,}", unescape(re.sub(r"<[^>]+>", " ", main))))


def test_a_controller_closes_june_and_the_page_shows_the_lock_date_and_the_stored_month_end(
        pages, given_rates, december):
    controller = pages("controller", "en")
    before = controller.get(PAGE).text
    assert "No period closed yet" in before
    assert 'name="period_end" value="2024-11-30"' in before  # the month-end before today
    assert controller.post(PAGE, data={"period_end": "2024-06-30"}).status_code == 403  # no CSRF token
    done = close(controller, "2024-06-30")
    assert done.status_code == 303 and done.headers["location"] == "/closes?closed=2024-06-30"
    page = controller.get(done.headers["location"]).text
    assert "Closed up to Jun 30, 2024: its month-end figures are stored." in page
    assert re.search(r'id="lock-date">Closed up to Jun 30, 2024<', page)
    assert rows_of(page, "month-ends") == [
        ["Jun 30, 2024", "CN¥6,160.00", "CN¥3,660.00", "CN¥395.46", "221.8 days", "0", "Stored figures"]]
    [row] = rows_of(page, "closes")
    assert row[:3] == ["Jun 30, 2024", "Jun 30, 2024", "user:controller"] and row[3].startswith("Dec 7, 2024, 10:00")
    assert row[4:] == ["", "", ""]
    assert 'id="reopen"' in page and "Reopen the close to Jun 30, 2024" in page


def test_verify_finds_the_stored_figures_agree_then_names_the_changed_inputs(db, pages, given_rates, december):
    controller = pages("controller", "en")
    close(controller, "2024-06-30")
    verified = controller.get(PAGE + "/verify").text
    assert re.search(r'id="verdict">All 4 stored figures agree.<', verified)
    with db.begin() as conn:  # someone edits the database past the lock: I4 3,100.00 instead of 3,000.00
        conn.execute(update(invoices).where(invoices.c.number == "I4").values(amount=310_000))
    differences = rows_of(controller.get(PAGE + "/verify").text, "differences")
    assert ["Jun 30, 2024", "Aging", "Inputs changed: Invoices"] == differences[0][:3]
    assert ["Jun 30, 2024", "Aging", "rows.C3.total", "2500.00", "2600.00"] in differences


def test_a_stored_month_end_shows_its_aging_and_provision_buckets(pages, given_rates, december):
    controller = pages("controller", "en")
    close(controller, "2024-06-30")
    page = controller.get(PAGE + "/2024-06-30").text
    assert "Figures stored for Jun 30, 2024" in page
    assert rows_of(page, "aging-buckets") == [
        ["Not due", "2,500.00"], ["1-30 days", "0.00"], ["31-60 days", "0.00"], ["61-90 days", "0.00"],
        ["91-180 days", "3,660.00"], ["181-365 days", "0.00"], [">365 days", "0.00"]]
    assert rows_of(page, "provision-buckets")[0] == ["Not due", "2,500.00", "0.30%", "7.50"]
    assert rows_of(page, "provision-buckets")[-1] == [">90 days", "3,660.00", "10.60%", "387.96"]
    assert 'id="provision-total">395.46<' in page and 'id="aging-total">6,160.00<' in page
    assert rows_of(page, "dso")[0][:4] == ["Standard", "221.8 days", "6,160.00", "2,500.00"]
    assert controller.get(PAGE + "/2024-05-31").status_code == 404  # no close stored it


def test_the_chinese_page_says_everything_in_chinese(pages, given_rates, december):
    controller = pages("controller", "zh-CN")
    assert close(controller, "2024-06-30").status_code == 303
    page = controller.get(PAGE + "/verify").text
    assert "已结账至 2024年6月30日" in page and "此日及之前日期的业务不能再入账" in page
    assert "全部 4 项结账数据一致。" in page and "反结账" in page and "结账记录" in page
    assert rows_of(page, "month-ends")[0][:5] == ["2024年6月30日", "¥6,160.00", "¥3,660.00", "¥395.46", "221.8 天"]
    assert main_words(page) <= {"DSO", "user", "controller"}
    detail = controller.get(PAGE + "/2024-06-30").text
    assert "2024年6月30日 的结账数据" in detail
    assert main_words(detail) <= {"DSO", "CNY"}


def test_a_refused_close_is_shown_on_the_page_with_the_date_typed(pages, december):
    controller = pages("controller", "en")
    refused = close(controller, "2024-06-15")
    assert refused.status_code == 422
    assert "Jun 15, 2024 is not a month-end: a period closes at a month-end, such as Jun 30, 2024." in refused.text
    assert 'name="period_end" value="2024-06-15"' in refused.text and "No period closed yet" in refused.text
    typed = close(controller, "30.6.2024")
    assert typed.status_code == 422 and 'value="30.6.2024"' in typed.text
    assert "Type the month-end to close up to as a date, such as 2024-06-30." in typed.text
    late = close(controller, "2024-12-31")
    assert late.status_code == 422
    assert "The period to Dec 31, 2024 has not ended yet: today is Dec 7, 2024." in late.text
    close(controller, "2024-06-30")
    again = close(controller, "2024-05-31")
    assert again.status_code == 409 and "Already closed up to Jun 30, 2024: close a later month-end." in again.text
    chinese = close(pages("controller", "zh-CN"), "2024-07-15")
    assert "2024年7月15日 不是月末：结账须在月末，例如 2024年7月31日。" in chinese.text


def test_a_reopening_needs_a_reason_and_moves_the_lock_date_back(pages, december):
    controller = pages("controller", "en")
    close(controller, "2024-06-30")
    bare = controller.post(PAGE + "/reopen", data={"reason": " ", "csrf_token": csrf(controller, PAGE)})
    assert bare.status_code == 422 and "Say why the period is reopened." in bare.text
    done = controller.post(PAGE + "/reopen", data={"reason": "I4 corrected", "csrf_token": csrf(controller, PAGE)})
    assert done.status_code == 303 and done.headers["location"] == "/closes?reopened=2024-06-30"
    page = controller.get(done.headers["location"]).text
    assert "The close to Jun 30, 2024 is reopened." in page and 'id="lock-date">No period closed yet<' in page
    [row] = rows_of(page, "closes")
    assert row[4] == "user:controller" and row[5].startswith("Dec 7, 2024") and row[6] == "I4 corrected"
    assert rows_of(page, "month-ends") == [["No month-end stored yet."]]  # a reopened close binds nothing


def test_a_credit_manager_reads_the_page_without_its_forms_and_a_collector_not_at_all(pages, december):
    close(pages("controller", "en"), "2024-06-30")
    manager = pages("credit_manager", "en")
    page = manager.get(PAGE).text
    assert "Closed up to Jun 30, 2024" in page and 'id="close"' not in page and 'id="reopen"' not in page
    assert 'href="/closes"' in page  # in the menu
    assert manager.get(PAGE + "/verify").status_code == 200
    assert close(manager, "2024-07-31").status_code == 403
    collector = pages("collector", "en")
    for path in (PAGE, PAGE + "/verify", PAGE + "/2024-06-30"):
        assert collector.get(path).status_code == 403
    assert 'href="/closes"' not in collector.get("/worklist").text
