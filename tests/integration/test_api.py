"""The REST API over real HTTP (uvicorn on loopback), on SQLite and PostgreSQL, with the hand-built
`acme` ledger: C1 (collector wang) owes I2 1,500.00 CNY; C2 (lee) I3 USD 300 = 2,160.00 CNY at 7.2;
C3 (no collector) I4 2,500.00 CNY after CN1."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from sqlalchemy import func, select

from web_support import PASSWORD, add_user, start_server
from credo.store.tables import allocations, audit_log, invoices

pytestmark = pytest.mark.db
API = "/api/v1"


@pytest.fixture
def ledger(acme, tokens, db):
    """The acme ledger, the collector working C1's portfolio (wang), the sales user owning C2."""
    from credo.store.tables import customers, users

    with db.begin() as conn:
        conn.execute(users.update().where(users.c.username == "collector").values(portfolio="wang"))
        conn.execute(customers.update().where(customers.c.code == "C2").values(salesperson="zhao.min"))
    return acme


def get(server, token, path, **params):
    with server.client(token) as client:
        return client.get(API + path, params=params)


def post(server, token, path, json=None, headers=None, **kwargs):
    with server.client(token) as client:
        return client.post(API + path, json=json, headers=headers or {}, **kwargs)


def test_the_customer_list_shows_what_each_owes_today_in_base_currency(server, ledger, tokens):
    answer = get(server, tokens["credit_manager"], "/customers", sort="-open")
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"] == 3 and (body["limit"], body["offset"]) == (50, 0)
    owed = {c["code"]: (c["open_amount"], c["overdue_amount"]) for c in body["items"]}
    assert owed == {"C1": ("1500.00", "1500.00"), "C2": ("2160.00", "2160.00"), "C3": ("2500.00", "2500.00")}
    # sorted by the open amount in minor units of each customer's currency: C3 2500, C1 1500, C2 USD 300
    assert [c["code"] for c in body["items"]] == ["C3", "C1", "C2"]


def test_lists_page_filter_and_refuse_an_unknown_sort(server, ledger, tokens):
    token = tokens["admin"]
    page = get(server, token, "/customers", limit=2, offset=2, sort="code").json()
    assert (page["total"], [c["code"] for c in page["items"]]) == (3, ["C3"])
    assert [c["code"] for c in get(server, token, "/customers", q="Beta").json()["items"]] == ["C2"]
    assert [c["code"] for c in get(server, token, "/customers", group="G1").json()["items"]] == ["C2", "C3"]
    wrong = get(server, token, "/customers", sort="colour")
    assert wrong.status_code == 422 and wrong.headers["content-type"] == "application/problem+json"
    assert "sort 'colour': use one of" in wrong.json()["detail"]
    paid = get(server, token, "/invoices", status="paid").json()
    assert [i["number"] for i in paid["items"]] == ["I1"]
    overdue = get(server, token, "/invoices", status="overdue", sort="number").json()
    assert [(i["number"], i["open"], i["status"]) for i in overdue["items"]] == [
        ("I2", "1500.00", "overdue"), ("I3", "300.00", "overdue"), ("I4", "2500.00", "overdue")]
    assert get(server, token, "/payments", customer="C2").json()["items"][0]["applied"] == "200.00"
    assert get(server, token, "/credit-notes").json()["items"][0]["reason"] == "价格调整"


def test_an_invoice_shows_the_allocations_that_settled_it(server, ledger, tokens):
    data = get(server, tokens["auditor"], "/invoices/I2").json()
    assert (data["amount"], data["paid"], data["open"]) == ("2000.00", "500.00", "1500.00")
    assert data["allocations"] == [{"date": "2024-03-01", "amount": "500.00", "invoice": "I2", "source": "payment",
                                    "payment": "P1", "credit_note": None}]
    payment = get(server, tokens["auditor"], "/payments/P1").json()
    assert [(a["invoice"], a["amount"]) for a in payment["allocations"]] == [("I1", "1000.00"), ("I2", "500.00")]


def test_the_customer_360_carries_aging_exposure_and_behaviour_as_of_a_date(server, ledger, tokens):
    data = get(server, tokens["credit_manager"], "/customers/C1", as_of="2024-06-30").json()
    assert data["customer"]["name"] == "甲公司" and data["customer"]["collector"] == "wang"
    assert data["aging"]["totals"]["buckets"]["91-180"] == "1500.00"
    assert data["exposure"] == {"open": "1500.00", "overdue": "1500.00", "unapplied": "0.00", "net": "1500.00",
                                "currency": "CNY"}
    assert (data["behaviour"]["average_days_to_pay"], data["behaviour"]["average_days_late"]) == ("41.0", "11.0")


def test_a_collector_sees_only_the_portfolio_and_others_are_not_found(server, ledger, tokens):
    token = tokens["collector"]
    assert [c["code"] for c in get(server, token, "/customers").json()["items"]] == ["C1"]
    assert {i["number"] for i in get(server, token, "/invoices").json()["items"]} == {"I1", "I2"}
    assert get(server, token, "/customers/C2").status_code == 404
    assert get(server, token, "/invoices/I3").status_code == 404
    aging = get(server, token, "/reports/aging", as_of="2024-06-30").json()
    assert [r["key"] for r in aging["rows"]] == ["C1"] and aging["totals"]["total"] == "1500.00"
    assert get(server, token, "/reports/dso").status_code == 403
    sales = tokens["sales"]
    assert [c["code"] for c in get(server, sales, "/customers").json()["items"]] == ["C2"]


def test_an_invoice_posted_twice_with_one_idempotency_key_is_booked_once(server, ledger, tokens, db):
    body = {"invoice_number": "I9", "customer_code": "C1", "invoice_date": "2024-07-01", "amount": "880.00"}
    first = post(server, tokens["controller"], "/invoices", body, {"Idempotency-Key": "k-1"})
    again = post(server, tokens["controller"], "/invoices", body, {"Idempotency-Key": "k-1"})
    assert first.status_code == 201 and first.json() == {"kind": "invoices", "key": "I9", "outcome": "created"}
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers.get("idempotent-replayed") == "true"
    with db.connect() as conn:
        assert conn.execute(select(func.count()).where(invoices.c.number == "I9")).scalar() == 1
        due = conn.execute(select(invoices.c.due_date).where(invoices.c.number == "I9")).scalar()
        created = conn.execute(select(audit_log.c.actor).where(audit_log.c.entity == "invoice",
                                                               audit_log.c.entity_key == "I9")).scalars().all()
    assert due.isoformat() == "2024-07-31"  # C1's NET30
    assert created == ["user:controller"]
    other = dict(body, amount="990.00")
    reused = post(server, tokens["controller"], "/invoices", other, {"Idempotency-Key": "k-1"})
    assert reused.status_code == 409 and "different request" in reused.json()["detail"]


def test_a_payment_posted_settles_the_oldest_open_invoice_and_can_be_reversed(server, ledger, tokens, db):
    token = tokens["credit_manager"]
    made = post(server, token, "/payments", {"payment_ref": "P9", "customer_code": "C1",
                                             "payment_date": "2024-07-05", "amount": "1500.00"})
    assert made.status_code == 201
    assert get(server, token, "/invoices/I2").json()["status"] == "paid"
    reversed_ = post(server, token, "/payments/P9/reversal", {"date": "2024-07-20", "reason": "退票 cheque returned"})
    assert reversed_.status_code == 201 and reversed_.json()["invoices_reopened"] == 1
    assert get(server, token, "/invoices/I2").json()["open"] == "1500.00"
    assert post(server, token, "/payments/P9/reversal", {"date": "2024-07-21", "reason": "again"}).status_code == 409
    with db.connect() as conn:
        assert conn.execute(select(func.sum(allocations.c.amount)).where(allocations.c.invoice_id == select(
            invoices.c.id).where(invoices.c.number == "I2").scalar_subquery())).scalar() == 50000


def test_a_bad_record_is_refused_with_every_field_named_and_nothing_written(server, ledger, tokens, db):
    body = {"payment_ref": "PX", "customer_code": "C1", "payment_date": "2024-07-05", "amount": "12.3x",
            "currency": "RMBX"}
    answer = post(server, tokens["admin"], "/payments", body)
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    assert problem["type"] == "urn:credo:problem:invalid-rows" and problem["status"] == 422
    assert {(e["file"], e["column"]) for e in problem["errors"]} == {("request", "amount"), ("request", "currency")}
    impossible = post(server, tokens["admin"], "/payments", dict(body, payment_date="2024-02-30", amount=12.5))
    assert impossible.status_code == 422
    assert {e["location"] for e in impossible.json()["errors"]} == {"body.payment_date", "body.amount"}
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log).where(audit_log.c.entity == "payment")
                            ).scalar() == 0


def test_an_upload_with_a_bad_row_answers_every_error_and_imports_nothing(server, ledger, tokens, db):
    content = ("invoice_number,customer_code,invoice_date,amount\nN1,C1,2024-08-01,100\n"
               "N2,C1,2024-02-30,100\nN3,NOPE,2024-08-01,1.00\n").encode()
    with server.client(tokens["controller"]) as client:
        answer = client.post(API + "/imports/invoices", files={"file": ("july.csv", content, "text/csv")})
        assert answer.status_code == 422
        errors = answer.json()["errors"]
        assert [(e["file"], e["row"], e["column"]) for e in errors] == [
            ("july.csv", 3, "invoice_date"), ("july.csv", 4, "customer_code")]
        skipped = client.post(API + "/imports/invoices", files={"file": ("july.csv", content, "text/csv")},
                              data={"skip_bad_rows": "true"})
    assert skipped.status_code == 200
    assert (skipped.json()["inserted"], skipped.json()["rejected"]) == (1, 2)
    with db.connect() as conn:
        assert conn.execute(select(func.count()).where(invoices.c.number.in_(["N1", "N2", "N3"]))).scalar() == 1


def test_reports_come_as_json_with_the_hand_computed_numbers_or_as_a_workbook(server, ledger, tokens):
    token = tokens["controller"]
    aging = get(server, token, "/reports/aging", as_of="2024-06-30").json()
    assert aging["totals"]["total"] == "6160.00" and aging["totals"]["buckets"]["91-180"] == "3660.00"
    dso = get(server, token, "/reports/dso", as_of="2024-06-30", days=90).json()
    assert (dso["dso"], dso["best_possible_dso"]) == ("221.8", "90.0")
    metrics = get(server, token, "/reports/metrics", **{"from": "2024-01-01", "to": "2024-06-30"}).json()
    assert (metrics["cei"], metrics["collection_rate"]) == ("44.55", "44.55")
    book = get(server, token, "/reports/aging", as_of="2024-06-30", format="xlsx")
    assert book.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(book.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "customer" and rows[-1][0] == "total"


def test_the_audit_log_filters_by_who_and_what(server, ledger, tokens):
    post(server, tokens["admin"], "/customers", {"customer_code": "C7", "name": "庚公司"})
    found = get(server, tokens["auditor"], "/audit", actor="user:admin", entity="customer").json()
    assert found["total"] == 1 and found["items"][0]["entity_key"] == "C7"
    assert found["items"][0]["after"]["name"] == "庚公司"
    moment = datetime.fromisoformat(found["items"][0]["at"])
    assert moment.utcoffset() == timedelta(0)  # UTC, the offset written out (SQLite keeps none)
    in_shanghai = moment.astimezone(ZoneInfo("Asia/Shanghai"))  # the same moment named in another zone
    assert get(server, tokens["auditor"], "/audit", actor="user:admin", since=in_shanghai.isoformat()).json()["total"] == 1
    later = (moment + timedelta(seconds=1)).astimezone(ZoneInfo("Asia/Shanghai"))
    assert get(server, tokens["auditor"], "/audit", actor="user:admin", since=later.isoformat()).json()["total"] == 0
    assert get(server, tokens["collector"], "/audit").status_code == 403


def test_signing_in_gives_a_cookie_session_whose_writes_need_the_csrf_token(server, ledger, db):
    with server.client() as client:
        answer = client.post(API + "/session", json={"username": "credit_manager", "password": PASSWORD})
        assert answer.status_code == 200 and "credo_session" in client.cookies
        assert "httponly" in answer.headers["set-cookie"].lower()
        assert "samesite=lax" in answer.headers["set-cookie"].lower()
        csrf = answer.json()["csrf_token"]
        assert client.get(API + "/me").json()["role"] == "credit_manager"
        body = {"customer_code": "C8", "name": "Delta"}
        assert client.post(API + "/customers", json=body).status_code == 403
        assert client.post(API + "/customers", json=body, headers={"X-CSRF-Token": csrf}).status_code == 201
        assert client.delete(API + "/session", headers={"X-CSRF-Token": csrf}).status_code == 204
        assert client.get(API + "/me").status_code == 401


def test_five_wrong_passwords_lock_the_account(server, ledger, db):
    with server.client() as client:
        for _ in range(5):
            wrong = client.post(API + "/session", json={"username": "auditor", "password": "not it at all"})
            assert wrong.status_code == 401
        locked = client.post(API + "/session", json={"username": "auditor", "password": PASSWORD})
        unknown = client.post(API + "/session", json={"username": "nobody.here", "password": PASSWORD})
    # locked, the right password is refused, in the words an unknown name gets: no one learns which names exist
    assert locked.status_code == unknown.status_code == 401
    assert locked.json()["detail"] == unknown.json()["detail"] == "wrong user name or password"
    with db.connect() as conn:
        actions = conn.execute(select(audit_log.c.action).where(audit_log.c.entity == "user")).scalars().all()
    assert actions == ["lock"]  # the administrator sees the lock in the audit log and on the users page


def test_cookie_secure_marks_the_session_cookie_secure_behind_a_proxy(db, ledger):
    """Served over HTTPS by a proxy that speaks HTTP to credo, CREDO_COOKIE_SECURE makes the session
    cookie Secure; without it a cookie over plain HTTP is not."""
    from web_support import start_server

    url = db.url.render_as_string(hide_password=False)
    for secure in (True, False):
        running, stop = start_server(url, cookie_secure=secure, sign_in_attempts=1000)
        try:
            with running.client() as client:
                answer = client.post(API + "/session", json={"username": "auditor", "password": PASSWORD})
            cookie = answer.headers["set-cookie"]
            assert answer.status_code == 200 and ("; secure" in cookie.lower()) is secure, cookie
        finally:
            stop()


def test_sign_in_attempts_from_one_address_are_throttled(engine, db, company):
    with db.begin() as conn:
        add_user(conn, "someone", "auditor")
    running, stop = start_server(engine.url.render_as_string(hide_password=False), sign_in_attempts=3)
    try:
        with running.client() as client:
            codes = [client.post(API + "/session", json={"username": "someone", "password": "x"}).status_code
                     for _ in range(4)]
            assert codes == [401, 401, 401, 429]
            assert int(client.post(API + "/session", json={"username": "someone", "password": PASSWORD})
                       .headers["retry-after"]) > 0
    finally:
        stop()


def test_without_credentials_every_route_answers_401_as_problem_json(server, ledger):
    answer = get(server, None, "/customers")
    assert answer.status_code == 401 and answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["title"] == "Unauthorized"
    assert get(server, "credo_not-a-token", "/customers").status_code == 401


def test_a_nul_character_anywhere_is_refused_as_a_bad_request(server, ledger, tokens):
    assert get(server, tokens["admin"], "/customers/C%001").status_code == 400
    assert get(server, tokens["admin"], "/customers", q="a\x00b").status_code == 400
    body = {"customer_code": "C\x009", "name": "Nul Co"}
    answer = post(server, tokens["admin"], "/customers", body)
    assert answer.status_code == 422 and "NUL" in answer.json()["detail"]
