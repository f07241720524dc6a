"""The early-warning pages over real HTTP on the acme ledger, scanned as of today: the list with its
filters, an alert acknowledged, commented and resolved, the rules and the flag form (CSRF on every
form), the portfolio (sales see C2 only) and the roles (a collector has no credit.read)."""

from __future__ import annotations

from datetime import date

import pytest

from credo import clock

from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db


def scanned(client):
    assert client.post("/risk/scans", data={}).status_code == 403  # no CSRF token
    done = client.post("/risk/scans", data={"csrf_token": csrf(client, "/risk/alerts")})
    assert done.status_code == 303 and done.headers["location"] == "/risk/alerts?scanned=1"
    return client.get(done.headers["location"])


def test_a_manager_scans_and_works_an_alert_through(pages):
    client = pages("credit_manager", "en")
    page = scanned(client)
    assert "Scan done." in page.text and 'href="/risk/alerts"' in page.text
    rows = rows_of(page.text, "alerts")
    # As of today: C1 owes I2's 1,500.00 (due 2024-03-31), C2 USD 300 of I3 (due 2024-03-30, at 7.2:
    # 2,160.00), C3 2,500.00 of I4 (due 2024-07-19): 6,160.00 in all, 4,660.00 of it group G1's.
    days = {code: str((clock.today() - due).days)
            for code, due in (("C1", date(2024, 3, 31)), ("C2", date(2024, 3, 30)), ("C3", date(2024, 7, 19)))}
    assert [r[:8] for r in rows] == [
        *[["high", "dpd_90", name, "Days past due", days[name[:2]], "90", clock.today().strftime("%b %-d, %Y"), "open"]
          for name in ("C1 甲公司", "C2 Beta Ltd", "C3 丙公司")],
        *[["medium", "dpd_60", name, "Days past due", days[name[:2]], "60", clock.today().strftime("%b %-d, %Y"), "open"]
          for name in ("C1 甲公司", "C2 Beta Ltd", "C3 丙公司")],
        *[["medium", "concentration_20pct", name, "Concentration", share, "20 %", clock.today().strftime("%b %-d, %Y"),
           "open"] for name, share in (("C1 甲公司", "24.35 %"), ("C2 Beta Ltd", "35.06 %"), ("C3 丙公司", "40.58 %"))],
        ["medium", "group_concentration_30pct", "group:G1 G1", "Group concentration", "75.65 %", "30 %",
         clock.today().strftime("%b %-d, %Y"), "open"]]
    assert 'id="alerts-empty"' in client.get("/risk/alerts", params={"severity": "low"}).text
    assert len(rows_of(client.get("/risk/alerts", params={"customer": "C3"}).text, "alerts")) == 3

    alert = page.text.split('href="/risk/alerts/')[1].split('"')[0]
    detail = client.get(f"/risk/alerts/{alert}")
    assert 'id="alert-actions"' in detail.text and "Acknowledge" in detail.text
    token = csrf(client, f"/risk/alerts/{alert}")
    acked = client.post(f"/risk/alerts/{alert}/status", data={"status": "acknowledged", "note": "called the CFO",
                                                             "csrf_token": token})
    assert acked.status_code == 303 and acked.headers["location"] == f"/risk/alerts/{alert}?done=acknowledged"
    client.post(f"/risk/alerts/{alert}/comments", data={"body": "paying next week", "csrf_token": token})
    resolved = client.post(f"/risk/alerts/{alert}/status", data={"status": "resolved", "csrf_token": token})
    page = client.get(resolved.headers["location"]).text
    assert "Alert resolved." in page and 'id="alert-actions"' not in page
    assert "called the CFO" in page and "paying next week" in page
    again = client.post(f"/risk/alerts/{alert}/status", data={"status": "resolved", "csrf_token": token})
    assert again.status_code == 409 and "resolved already" in again.text
    assert f'href="/risk/alerts/{alert}"' not in client.get("/risk/alerts").text
    assert f'href="/risk/alerts/{alert}"' in client.get("/risk/alerts", params={"status": "resolved"}).text


def test_a_long_list_comes_in_pages_in_order_and_says_how_many_there_are(pages, monkeypatch):
    from credo.web import risk_warnings

    client = pages("credit_manager", "en")
    everything = rows_of(scanned(client).text, "alerts")
    assert len(everything) == 10
    assert 'class="pager"' not in client.get("/risk/alerts").text  # one page: no pager
    monkeypatch.setattr(risk_warnings, "PER_PAGE", 4)  # the server runs in this process
    first, second, third = (client.get("/risk/alerts", params={"page": n}).text for n in (1, 2, 3))
    # The most severe first, as on the whole list, four at a time, and the pager says where one is.
    assert rows_of(first, "alerts") + rows_of(second, "alerts") + rows_of(third, "alerts") == everything
    assert "1–4 of 10" in first and 'rel="prev"' not in first and "page=2" in first
    assert "5–8 of 10" in second and "page=1" in second and "page=3" in second
    assert "9–10 of 10" in third and 'rel="next"' not in third
    beyond = client.get("/risk/alerts", params={"page": 9}).text
    assert "No alert." in beyond and 'rel="prev"' in beyond  # a way back from past the end
    assert 'class="pager"' not in client.get("/risk/alerts", params={"customer": "C3"}).text


def test_sales_see_their_portfolio_and_a_collector_is_refused(pages):
    scanned(pages("admin", "en"))
    sales = pages("sales", "zh-CN")
    rows = rows_of(sales.get("/risk/alerts").text, "alerts")
    assert rows and {r[2].split()[0] for r in rows} == {"C2"}
    assert "立即扫描" not in sales.get("/risk/alerts").text  # reading only
    assert pages("collector", "en").get("/risk/alerts").status_code == 403


def test_rules_are_edited_and_a_flag_raises_an_alert_on_the_next_scan(pages):
    client = pages("controller", "zh-CN")
    rules = client.get("/risk/rules")
    assert "预警规则" in rules.text and 'id="rule-dpd_90"' in rules.text
    token = csrf(client, "/risk/rules")
    saved = client.post("/risk/rules/dpd_90", data={"threshold": "9999", "severity": "low", "owner": "li.na",
                                                    "active": "on", "csrf_token": token})
    assert saved.status_code == 303 and "规则 dpd_90 已保存。" in client.get(saved.headers["location"]).text
    refused = client.post("/risk/rules/dpd_90", data={"threshold": "ninety", "csrf_token": token})
    assert refused.status_code == 422 and "is not a number" in refused.text
    flagged = client.post("/risk/flags", data={"customer": "C3", "kind": "lawsuit", "note": "被起诉",
                                               "csrf_token": csrf(client, "/risk/flags")})
    assert flagged.status_code == 303
    [flag] = rows_of(client.get("/risk/flags").text, "flags")
    assert flag[:3] == ["C3 丙公司", "诉讼", "被起诉"]
    rows = rows_of(scanned(client).text, "alerts")
    assert ["高", "manual_flag", "C3 丙公司", "人工标记", "1", "0"] in [r[:6] for r in rows]
    assert not [r for r in rows if r[1] == "dpd_90"]  # nothing is 9999 days past due
