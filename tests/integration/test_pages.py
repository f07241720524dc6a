"""The web pages over real HTTP, on SQLite and PostgreSQL, with the hand-built `acme` ledger: as of
2024-06-30, C1 (collector wang) owes I2 1,500.00 CNY, 91-180 days past due; C2 (sales zhao.min)
I3 USD 300 = 2,160.00 CNY at 7.2, 91-180 days; C3 I4 2,500.00 CNY after CN1, not yet due.
Open 6,160.00, overdue 3,660.00, DSO over 90 days 221.8, best possible 90.0."""

from __future__ import annotations

import io
import re
from html import unescape

import openpyxl
import pytest

pytestmark = pytest.mark.db
AS_OF = "2024-06-30"


def text_of(html: str, element_id: str) -> str:
    """The text of the element with this id (tags inside removed)."""
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(a|span|td|table|section|dl)>', html, re.S)
    assert found, f"no element #{element_id}"
    return unescape(re.sub(r"<[^>]+>", " ", found.group(1))).strip()


def rows_of(html: str, table_id: str) -> list[list[str]]:
    """The body rows of a table, as the cells' texts."""
    body = re.search(rf'<table id="{table_id}".*?<tbody>(.*?)</tbody>', html, re.S)
    assert body, f"no table #{table_id}"
    return [[" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)]


def test_a_page_without_a_session_sends_the_visitor_to_sign_in_and_back(server, people):
    with server.client() as client:
        answer = client.get("/customers", params={"q": "C"})
        assert answer.status_code == 303
        assert answer.headers["location"] == "/sign-in?next=/customers%3Fq%3DC"
        form = client.get(answer.headers["location"]).text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
        assert 'name="next" value="/customers?q=C"' in form
        signed = client.post("/sign-in", data={"username": "auditor", "password": "correct horse battery",
                                               "csrf_token": token, "next": "/customers?q=C"})
        assert signed.status_code == 303 and signed.headers["location"] == "/customers?q=C"
        cookie = signed.headers["set-cookie"].lower()
        assert "credo_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
        assert client.get("/customers", params={"q": "C"}).status_code == 200


def test_a_wrong_password_shows_the_form_again_and_a_form_without_its_token_is_refused(server, people):
    with server.client(cookies={"credo_lang": "en"}) as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
        wrong = client.post("/sign-in", data={"username": "auditor", "password": "nope", "csrf_token": token})
        assert wrong.status_code == 401 and "wrong user name or password" in wrong.text
        assert 'value="auditor"' in wrong.text and "credo_session" not in client.cookies
        forged = client.post("/sign-in", data={"username": "auditor", "password": "correct horse battery"})
        assert forged.status_code == 403 and "security token" in forged.text
    assert server.client().post("/sign-in", data={"username": "x", "password": "y", "csrf_token": token}
                                ).status_code == 403  # a token without its cookie


def test_the_dashboard_shows_the_hand_computed_figures_as_of_a_date(pages):
    html = pages("credit_manager", "en").get("/", params={"as_of": AS_OF}).text
    assert text_of(html, "open-invoices") == "CN¥6,160.00"
    assert text_of(html, "overdue") == "CN¥3,660.00"
    assert text_of(html, "net-receivables") == "CN¥6,160.00"
    assert text_of(html, "dso") == "221.8 days"
    assert rows_of(html, "aging-buckets") == [
        ["Not due", "2,500.00"], ["1-30 days", "0.00"], ["31-60 days", "0.00"], ["61-90 days", "0.00"],
        ["91-180 days", "3,660.00"], ["181-365 days", "0.00"], [">365 days", "0.00"]]
    assert [r[0] for r in rows_of(html, "top-overdue")] == ["C2 Beta Ltd", "C1 甲公司"]
    assert 'href="/customers/C2?as_of=2024-06-30"' in html
    assert 'href="/reports/aging?as_of=2024-06-30"' in html  # every figure links to its detail
    trend = rows_of(html, "trend")
    assert len(trend) == 12 and trend[-1][0] == "Jun 30, 2024" and trend[-1][1] == "221.8"
    assert 'id="aging-chart"' in html and 'id="trend-chart"' in html


def test_a_collector_sees_the_portfolio_on_the_dashboard_without_company_measures(pages):
    html = pages("collector", "en").get("/", params={"as_of": AS_OF}).text
    assert text_of(html, "open-invoices") == "CN¥1,500.00" and text_of(html, "overdue") == "CN¥1,500.00"
    assert [r[0] for r in rows_of(html, "top-overdue")] == ["C1 甲公司"]
    assert 'id="dso"' not in html and 'id="trend-chart"' not in html
    assert "Your portfolio only" in html


def test_the_customer_list_filters_sorts_and_pages(pages):
    client = pages("admin", "en")
    listed = rows_of(client.get("/customers", params={"sort": "-open"}).text, "customers")
    assert [(r[0], r[6], r[7]) for r in listed] == [
        ("C3", "2,500.00", "2,500.00"), ("C1", "1,500.00", "1,500.00"), ("C2", "2,160.00", "2,160.00")]
    assert [r[0] for r in rows_of(client.get("/customers", params={"group": "G1"}).text, "customers")] == ["C2", "C3"]
    assert [r[0] for r in rows_of(client.get("/customers", params={"q": "Beta"}).text, "customers")] == ["C2"]
    overdue = client.get("/customers", params={"overdue": "true", "collector": "wang"}).text
    assert [r[0] for r in rows_of(overdue, "customers")] == ["C1"]
    wrong = client.get("/customers", params={"sort": "colour"})
    assert wrong.status_code == 422 and "sort &#39;colour&#39;: use one of" in wrong.text


def test_the_customer_360_shows_exposure_behaviour_aging_and_documents(pages):
    html = pages("sales", "en").get("/customers/C2", params={"as_of": AS_OF}).text
    assert text_of(html, "customer-open") == "CN¥2,160.00"
    assert rows_of(html, "customer-aging") == [["0.00", "0.00", "0.00", "0.00", "2,160.00", "0.00", "0.00", "2,160.00"]]
    assert [(r[0], r[4]) for r in rows_of(html, "open-invoices")] == [("I3", "$300.00")]
    assert [r[0] for r in rows_of(html, "customer-payments")] == ["P2"]
    c1 = pages("admin", "en").get("/customers/C1", params={"as_of": AS_OF}).text
    assert "41.0 days" in text_of(c1, "behaviour") and "11.0 days" in text_of(c1, "behaviour")


def test_records_outside_the_portfolio_are_404_pages_and_missing_permissions_403_pages(pages):
    collector = pages("collector", "en")
    for path in ("/customers/C2", "/invoices/I3", "/customers/NOPE"):
        answer = collector.get(path)
        assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html"), path
        assert "Not found" in answer.text
    for path in ("/reports/dso", "/reports/metrics", "/imports", "/settings", "/users", "/audit"):
        answer = collector.get(path)
        assert answer.status_code == 403 and "Not allowed" in answer.text, path
    assert [r[0] for r in rows_of(collector.get("/invoices").text, "invoices")] == ["I2", "I1"]
    assert pages("auditor").get("/users").status_code == 403
    assert pages("sales").get("/audit").status_code == 403
    assert pages("credit_manager").get("/users").status_code == 403


def test_each_role_sees_in_the_menu_only_the_pages_it_may_open(pages):
    menu = {role: re.findall(r'<nav class="menu".*?</nav>', pages(role, "en").get("/customers").text, re.S)[0]
            for role in ("admin", "collector", "controller")}
    assert all(f'href="{p}"' in menu["admin"] for p in ("/imports", "/settings", "/users", "/audit"))
    assert not any(f'href="{p}"' in menu["collector"] for p in ("/imports", "/settings", "/users", "/audit"))
    assert 'href="/imports"' in menu["controller"] and 'href="/users"' not in menu["controller"]


def test_invoices_and_payments_list_with_filters_and_an_invoice_shows_its_allocations(pages):
    client = pages("controller", "en")
    overdue = rows_of(client.get("/invoices", params={"status": "overdue", "sort": "number"}).text, "invoices")
    assert [(r[0], r[7], r[9]) for r in overdue] == [("I2", "CN¥1,500.00", "Overdue"), ("I3", "$300.00", "Overdue"),
                                                    ("I4", "CN¥2,500.00", "Overdue")]
    dated = client.get("/invoices", params={"from": "2024-02-01", "to": "2024-03-31", "sort": "date"}).text
    assert [r[0] for r in rows_of(dated, "invoices")] == ["I3", "I2"]
    paid = client.get("/payments", params={"customer": "C2"}).text
    assert [(r[0], r[3], r[4]) for r in rows_of(paid, "payments")] == [("P2", "$200.00", "$200.00")]
    detail = client.get("/invoices/I2").text
    assert text_of(detail, "invoice-open") == "CN¥1,500.00"
    assert rows_of(detail, "allocations") == [["Mar 1, 2024", "Payment P1", "CN¥500.00"]]


def test_the_reports_show_aging_dso_and_measures_each_with_its_workbook(pages):
    client = pages("auditor", "en")
    aging = client.get("/reports/aging", params={"as_of": AS_OF}).text
    assert rows_of(aging, "aging")[1] == ["C2", "Beta Ltd", "0.00", "0.00", "0.00", "0.00", "2,160.00", "0.00", "0.00",
                                          "2,160.00", "0.00", "2,160.00", "0.00"]  # the last: disputed
    assert "6,160.00" in re.search(r"<tfoot>.*?</tfoot>", aging, re.S).group(0)
    by_collector = rows_of(client.get("/reports/aging", params={"as_of": AS_OF, "by": "collector"}).text, "aging")
    assert [(r[0], r[9]) for r in by_collector] == [("(unassigned)", "2,500.00"), ("lee", "2,160.00"), ("wang", "1,500.00")]
    link = unescape(re.search(r'href="([^"]+)" download id="aging-xlsx"', aging).group(1))
    assert link.startswith("/api/v1/reports/aging?") and "format=xlsx" in link
    book = client.get(link)  # the API takes the session cookie on GET
    assert book.status_code == 200 and book.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = list(openpyxl.load_workbook(io.BytesIO(book.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "customer" and rows[-1][0] == "total"
    dso = client.get("/reports/dso", params={"as_of": AS_OF}).text
    assert text_of(dso, "dso-value") == "221.8 days"
    metrics = client.get("/reports/metrics", params={"from": "2024-01-01", "to": AS_OF}).text
    assert re.search(r'data-measure="cei">\s*44\.55%', metrics) and re.search(r'data-measure="collection_rate">\s*44\.55%',
                                                                               metrics)


def test_switching_language_changes_the_words_and_the_number_formats(pages):
    client = pages("credit_manager")  # the user's own language: zh
    chinese = client.get("/", params={"as_of": AS_OF}).text
    assert '<html lang="zh-CN">' in chinese and "总览" in chinese and "账龄分析" in chinese
    assert text_of(chinese, "open-invoices") == "¥6,160.00"
    assert "截至 2024年6月30日" in chinese
    switched = client.get("/language/en", params={"next": "/?as_of=" + AS_OF})
    assert switched.status_code == 303 and switched.headers["location"] == "/?as_of=" + AS_OF
    english = client.get("/", params={"as_of": AS_OF}).text
    assert '<html lang="en">' in english and "Dashboard" in english and "总览" not in english
    assert text_of(english, "open-invoices") == "CN¥6,160.00" and "as of Jun 30, 2024" in english
    assert client.get("/language/en", params={"next": "//evil.example/"}).headers["location"] == "/"


def test_the_pages_need_nothing_from_outside_and_plotly_comes_from_the_installed_package(pages, server):
    html = pages("admin").get("/").text
    assert re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html) == [
        "/static/credo.css", "/static/plotly.min.js", "/static/credo.js"]
    assert "https://" not in re.sub(r'href="[^"]*"', "", html.split("</head>")[0])
    with server.client() as client:
        plotly = client.get("/static/plotly.min.js")
        assert plotly.status_code == 200 and len(plotly.content) > 1_000_000
        assert client.get("/static/credo.css").status_code == 200


def test_the_dashboard_follows_a_booking_at_once(pages, server, db):
    from credo.services import users

    client = pages("controller", "en")
    assert text_of(client.get("/", params={"as_of": AS_OF}).text, "open-invoices") == "CN¥6,160.00"
    with db.begin() as conn:
        token = users.create_token(conn, "controller", "test", "test")
    with server.client(token) as api:
        booked = api.post("/api/v1/invoices", json={"invoice_number": "I10", "customer_code": "C3",
                                                    "invoice_date": "2024-06-01", "amount": "100.00"})
    assert booked.status_code == 201
    assert text_of(client.get("/", params={"as_of": AS_OF}).text, "open-invoices") == "CN¥6,260.00"


def test_with_two_companies_the_header_picks_one_and_every_page_follows(pages, db):
    from credo.services.companies import add_company

    with db.begin() as conn:
        add_company(conn, code="ZETA", name="Zeta Trading", base_currency="USD", calendar=None, actor="test")
    client = pages("admin", "en")
    first = client.get("/customers").text
    assert 'name="code"' in first and "ZETA · Zeta Trading" in first  # the picker, ACME first by code
    assert [r[0] for r in rows_of(first, "customers")] == ["C1", "C2", "C3"]
    picked = client.get("/company", params={"code": "ZETA", "next": "/customers"})
    assert (picked.status_code, picked.headers["location"]) == (303, "/customers")
    zeta = client.get("/customers").text
    assert rows_of(zeta, "customers") == [] and '<option value="ZETA" selected>' in zeta  # no customers yet
    assert client.get("/company", params={"code": "NOPE"}).status_code == 404
    assert client.get("/company", params={"code": "ACME", "next": "//evil.example/"}).headers["location"] == "/"
    assert [r[0] for r in rows_of(client.get("/customers").text, "customers")] == ["C1", "C2", "C3"]


def test_the_customer_page_shows_the_credit_assessment_to_those_who_may_read_it(pages):
    # C1 has no credit file: 11 days late -> 14 points, and the unknown points 4 + 4 + 5 + 5 + 3 + 3 = 38, D.
    english = pages("credit_manager", "en").get("/customers/C1", params={"as_of": AS_OF}).text
    assert text_of(english, "credit-score") == "38"
    assert text_of(english, "credit-rating") == "D · weak: prepayment only"
    assert "no financial statement on or before 2024-06-30" in english
    assert "Current ratio: not known" in english
    chinese = pages("auditor").get("/customers/C1", params={"as_of": AS_OF}).text
    assert "信用评估" in chinese and "差：仅限预付款" in chinese and "流动比率：未提供" in chinese
    collector = pages("collector", "en").get("/customers/C1", params={"as_of": AS_OF}).text
    assert "credit-assessment" not in collector and "customer-open" in collector


def test_the_customer_pages_document_tables_follow_the_language_and_the_ledger(pages, acme, db):
    """The open invoices, payments and credit notes are drawn once per state of the ledger and
    language (web/ledger.py): each language gets its own tables, and a payment recorded since shows
    on the next visit."""
    from credo.services.records import record

    english, chinese = pages("admin", "en"), pages("admin", "zh-CN")
    assert [r[-1] for r in rows_of(english.get("/customers/C1").text, "open-invoices")] == ["Overdue"]
    assert [r[-1] for r in rows_of(chinese.get("/customers/C1").text, "open-invoices")] == ["逾期"]
    assert [r[-1] for r in rows_of(english.get("/customers/C1").text, "open-invoices")] == ["Overdue"]
    with db.begin() as conn:
        record(conn, acme, "payments", {"payment_ref": "P-NEW", "customer_code": "C1",
                                        "payment_date": "2024-07-01", "amount": "100.00"}, "test")
    html = english.get("/customers/C1").text
    assert "P-NEW" in [r[0] for r in rows_of(html, "customer-payments")]
    assert [(r[0], r[4]) for r in rows_of(html, "open-invoices")] == [("I2", "CN¥1,400.00")]  # paid oldest first
