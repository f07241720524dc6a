"""The pages that change things, over real HTTP: imports, company settings, users, and the audit
log; every form POST carries the session's CSRF token and is refused without it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from credo.store.tables import audit_log, invoices
from integration.test_pages import AS_OF, rows_of

pytestmark = pytest.mark.db
BAD_FILE = ("invoice_number,customer_code,invoice_date,amount\nN1,C1,2024-08-01,100\n"
            "N2,C1,2024-02-30,100\nN3,NOPE,2024-08-01,1.00\n").encode()


def csrf(client, path: str = "/") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def test_an_import_with_a_bad_row_lists_every_error_and_writes_nothing(pages, db):
    client = pages("controller", "en")
    token = csrf(client, "/imports")
    refused = client.post("/imports", data={"kind": "invoices", "csrf_token": token},
                          files={"file": ("july.csv", BAD_FILE, "text/csv")})
    assert refused.status_code == 422 and "2 errors in july.csv: nothing was imported" in refused.text
    errors = rows_of(refused.text.replace('<table>', '<table id="errors">', 1), "errors")
    assert [e[:3] for e in errors] == [["july.csv", "3", "invoice_date"], ["july.csv", "4", "customer_code"]]
    with db.connect() as conn:
        assert conn.execute(select(func.count()).where(invoices.c.number.like("N%"))).scalar() == 0
    skipped = client.post("/imports", data={"kind": "invoices", "csrf_token": token, "skip_bad_rows": "true"},
                          files={"file": ("july.csv", BAD_FILE, "text/csv")})
    assert skipped.status_code == 200
    assert re.search(r'id="inserted">1<', skipped.text) and re.search(r'id="rejected">2<', skipped.text)
    assert [r[1] for r in rows_of(skipped.text, "rejected-rows")] == ["3", "4"]
    with db.connect() as conn:
        actors = conn.execute(select(audit_log.c.actor).where(audit_log.c.entity == "invoices",
                                                              audit_log.c.entity_key == "july.csv")).scalars().all()
    assert actors == ["user:controller"]  # the refused import left no entry, the second one its own


def test_an_import_without_a_file_or_of_an_unknown_kind_says_so(pages):
    client = pages("admin", "en")
    token = csrf(client, "/imports")
    empty = client.post("/imports", data={"kind": "invoices", "csrf_token": token},
                        files={"file": ("", b"", "application/octet-stream")})
    assert empty.status_code == 422 and "Choose a file to import." in empty.text
    unknown = client.post("/imports", data={"kind": "shipments", "csrf_token": token},
                          files={"file": ("x.csv", b"a\n1\n", "text/csv")})
    assert unknown.status_code == 422 and "unknown import kind" in unknown.text


def test_a_form_sent_without_the_session_csrf_token_is_refused(pages, db):
    client = pages("admin", "en")
    for path, data in (("/imports", {"kind": "invoices"}), ("/settings", {"aging_buckets": "30,60"}),
                       ("/users", {"username": "eve", "role": "admin", "password": "long enough pw"}),
                       ("/sign-out", {})):
        answer = client.post(path, data={**data, "csrf_token": "not-the-token"})
        assert answer.status_code == 403 and "CSRF" in answer.text, path
        assert client.post(path, data=data).status_code == 403, path
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log).where(
            audit_log.c.actor == "user:admin")).scalar() == 0
    assert client.get("/").status_code == 200  # still signed in


def test_signing_out_ends_the_session(pages):
    client = pages("auditor")
    answer = client.post("/sign-out", data={"csrf_token": csrf(client)})
    assert answer.status_code == 303 and answer.headers["location"] == "/sign-in"
    assert client.get("/").status_code == 303


def test_the_company_aging_buckets_set_on_the_settings_page_shape_reports_and_dashboard(pages, db, server):
    client = pages("credit_manager", "en")
    token = csrf(client, "/settings")
    bad = client.post("/settings", data={"aging_buckets": "30,20", "csrf_token": token})
    assert bad.status_code == 422 and "bucket limits must increase" in bad.text
    saved = client.post("/settings", data={"aging_buckets": " 30，90 ", "csrf_token": token})
    assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=1"
    page = client.get("/settings?saved=1").text
    assert "Saved." in page and 'value="30,90"' in page
    aging = client.get("/reports/aging", params={"as_of": AS_OF}).text
    headers = re.findall(r'<th class="num">([^<]+)</th>', aging)
    assert headers[:4] == ["Not due", "1-30 days", "31-90 days", "&gt;90 days"]
    dashboard = rows_of(client.get("/", params={"as_of": AS_OF}).text, "aging-buckets")
    assert dashboard == [["Not due", "2,500.00"], ["1-30 days", "0.00"], ["31-90 days", "0.00"],
                         [">90 days", "3,660.00"]]
    asked = client.get("/reports/aging", params={"as_of": AS_OF, "buckets": "60"}).text
    assert re.findall(r'<th class="num">([^<]+)</th>', asked)[:3] == ["Not due", "1-60 days", "&gt;60 days"]
    with db.connect() as conn:
        entry = conn.execute(select(audit_log.c.actor, audit_log.c.before, audit_log.c.after).where(
            audit_log.c.entity == "company", audit_log.c.action == "update")).one()
    assert entry.actor == "user:credit_manager" and '"30,90"' in entry.after and "null" in entry.before
    assert pages("controller").get("/settings").status_code == 403


def test_an_admin_adds_a_user_with_role_and_portfolio_who_then_signs_in(pages, server):
    admin = pages("admin", "en")
    listed = [r[0] for r in rows_of(admin.get("/users").text, "users")]
    assert listed == ["admin", "auditor", "collector", "controller", "credit_manager", "sales"]
    token = csrf(admin, "/users")
    short = admin.post("/users", data={"username": "li.lei", "role": "collector", "password": "short",
                                       "csrf_token": token})
    assert short.status_code == 422 and "at least 10 characters" in short.text and 'value="li.lei"' in short.text
    made = admin.post("/users", data={"username": "li.lei", "display_name": "李雷", "role": "collector",
                                      "portfolio": "lee", "language": "en", "password": "a long password",
                                      "csrf_token": token})
    assert made.status_code == 303 and made.headers["location"] == "/users?added=li.lei"
    row = next(r for r in rows_of(admin.get("/users").text, "users") if r[0] == "li.lei")
    assert row[:5] == ["li.lei", "李雷", "Collector", "lee", "English"]
    again = admin.post("/users", data={"username": "li.lei", "role": "auditor", "password": "a long password",
                                       "csrf_token": token})
    assert again.status_code == 409 and "exists already" in again.text
    with server.client() as client:
        form_token = csrf(client, "/sign-in")
        client.post("/sign-in", data={"username": "li.lei", "password": "a long password", "csrf_token": form_token})
        customers = client.get("/customers").text
    assert [r[0] for r in rows_of(customers, "customers")] == ["C2"]  # portfolio lee
    assert '<html lang="en">' in customers  # the user's own language


def test_the_audit_log_page_filters_by_who_what_and_when(pages):
    client = pages("auditor", "en")
    everything = rows_of(client.get("/audit").text, "audit")
    assert {r[1] for r in everything} == {"test"} and {r[2] for r in everything} >= {"create", "import"}
    admin = pages("admin", "en")
    admin.post("/settings", data={"aging_buckets": "45", "csrf_token": csrf(admin, "/settings")})
    by_admin = rows_of(client.get("/audit", params={"actor": "user:admin"}).text, "audit")
    assert [(r[1], r[2], r[3], r[4]) for r in by_admin] == [("user:admin", "update", "company", "ACME")]
    assert "45" in by_admin[0][5]
    assert rows_of(client.get("/audit", params={"entity": "company", "key": "ACME", "action": "create"}).text,
                   "audit")[0][1] == "test"
    assert rows_of(client.get("/audit", params={"to": "2000-01-01"}).text, "audit") == []
    assert rows_of(client.get("/audit", params={"from": "2000-01-01", "actor": "user:admin"}).text, "audit")
    assert client.get("/audit", params={"from": "yesterday"}).status_code == 422


def test_the_audit_log_shows_and_filters_moments_in_the_pages_time_zone(pages, db):
    """Stored in UTC, shown and filtered by day in CREDO_TIME_ZONE (default Asia/Shanghai, UTC+8):
    17:30 UTC on 31 March is 01:30 on 1 April in Shanghai."""
    from datetime import datetime, timezone

    with db.begin() as conn:
        conn.execute(audit_log.insert().values(at=datetime(2024, 3, 31, 17, 30, tzinfo=timezone.utc), actor="night",
                                               action="update", entity="company", entity_key="ACME"))
    client = pages("auditor", "en")
    page = client.get("/audit", params={"actor": "night"}).text
    assert "When (Asia/Shanghai)" in page
    assert rows_of(page, "audit")[0][0] == "Apr 1, 2024, 1:30:00 AM"  # rows_of makes every space plain
    assert rows_of(client.get("/audit", params={"actor": "night", "from": "2024-04-01", "to": "2024-04-01"}).text,
                   "audit")
    assert rows_of(client.get("/audit", params={"actor": "night", "to": "2024-03-31"}).text, "audit") == []
    assert "时间（Asia/Shanghai）" in pages("auditor", "zh-CN").get("/audit").text


def test_the_credit_file_kinds_are_offered_and_imported_only_for_those_who_may_manage_credit(pages):
    facts = b"customer_code,recorded_on,manufacturer\nC1,2024-06-01,yes\n"
    manager = pages("credit_manager", "en")
    assert 'value="financials"' in manager.get("/imports").text
    done = manager.post("/imports", data={"kind": "credit-facts", "csrf_token": csrf(manager, "/imports")},
                        files={"file": ("facts.csv", facts, "text/csv")})
    assert done.status_code == 200 and re.search(r'id="inserted">1<', done.text)
    controller = pages("controller", "en")
    assert 'value="financials"' not in controller.get("/imports").text
    refused = controller.post("/imports", data={"kind": "credit-facts", "csrf_token": csrf(controller, "/imports")},
                              files={"file": ("facts.csv", facts, "text/csv")})
    assert refused.status_code == 403
