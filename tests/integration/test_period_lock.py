"""The lock date (credo issue 19, "Decisions reproducible"): with the periods closed up to 2026-06-30,
every dated write into them is refused naming the lock date and writes nothing, or with
--to-open-period is booked on 2026-07-01; a write dated in the open period before the business day
(Monday 2026-07-20) says in the audit log that it is back-dated.

The acme ledger (tests/conftest.py) is of 2024: all of it lies in the closed period."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from builders import INVOICES, PAYMENTS, lock_until, write_csv
from credo import clock
from credo.store.limit_tables import credit_lines, limit_requests, order_events, orders
from credo.store.risk_insurance_tables import insured_limits
from credo.store.risk_provision_tables import specific_provisions
from credo.store.tables import allocations, audit_log, invoices, metadata, payments
from credo.store.write_off_tables import write_off_recoveries, write_offs

pytestmark = pytest.mark.db
MONDAY = datetime(2026, 7, 20, 10, 0, tzinfo=timezone(timedelta(hours=8)))
LOCK, FIRST_OPEN = date(2026, 6, 30), date(2026, 7, 1)
CLOSED, OPEN_PAST = "2026-06-15", "2026-07-10"
REFUSED = "locked up to 2026-06-30"


@pytest.fixture(autouse=True)
def business_day():
    with clock.pinned(MONDAY):
        yield


@pytest.fixture
def locked(cli_acme, db):
    """The acme ledger, a second person (zhou.cfo, controller) and an insurance policy; `lock()` closes
    the periods up to 2026-06-30."""
    cli_acme.user("zhou.cfo", "controller")
    run_ok(cli_acme, "risk", "policy", "add", "--number", "POL1", "--insurer", "Sinosure", "--from", "2024-01-01",
           "--to", "2026-12-31", "--max-credit-days", "90", "--report-days", "30", "--claim-days", "60")
    cli_acme.lock = lambda: lock_until(db, LOCK)
    return cli_acme


def run_ok(cli, *args) -> str:
    code, out, err = cli(*args)
    assert code == 0, err
    return out


def ledger_state(db) -> dict:
    """Every row of every table: what a refused write must leave as it was."""
    with db.connect() as conn:
        return {t.name: conn.execute(select(t).order_by(*t.primary_key.columns)).all() for t in metadata.sorted_tables}


def latest_after(db, entity: str) -> dict:
    with db.connect() as conn:
        text = conn.execute(select(audit_log.c.after).where(audit_log.c.entity == entity)
                            .order_by(audit_log.c.id.desc()).limit(1)).scalar()
    return json.loads(text)


@dataclass(frozen=True)
class Write:
    """A command that writes something dated: `{day}` in it (or in its setup, run before the lock)."""

    name: str
    command: tuple[str, ...]
    booked: object  # the column holding the day it is booked on (its latest value)
    entity: str  # the audit entry that says it is back-dated
    setup: tuple[tuple[str, ...], ...] = ()

    def args(self, parts, day: str) -> list[str]:
        return [part.format(day=day) for part in parts]


APPROVER = ("--as", "zhou.cfo")
WRITES = [
    Write("a payment reversal", ("payments", "reverse", "P1", "--as-of", "{day}", "--reason", "cheque bounced"),
          payments.c.reversed_on, "payment"),
    Write("a write-off request", ("risk", "write-off", "request", "I2", "--reason", "liquidation", "--as-of", "{day}"),
          write_offs.c.written_off_on, "write_off"),
    Write("a write-off approval", (*APPROVER, "risk", "write-off", "approve", "1"), write_offs.c.written_off_on,
          "write_off", setup=(("risk", "write-off", "request", "I2", "--reason", "liquidation", "--as-of", "{day}"),)),
    Write("a recovery", ("risk", "recover", "1", "--amount", "100", "--as-of", "{day}"), write_off_recoveries.c.recovered_on,
          "write_off", setup=(("risk", "write-off", "request", "I2", "--reason", "gone", "--as-of", "2026-06-01"),
                              (*APPROVER, "risk", "write-off", "approve", "1"))),
    Write("an insured limit granted", ("risk", "insured-limit", "grant", "C1", "--policy", "POL1", "--amount", "5000",
                                       "--as-of", "{day}"), insured_limits.c.dated_on, "insured_limit"),
    Write("an insured limit asked for", ("risk", "insured-limit", "request", "C1", "--policy", "POL1", "--amount",
                                         "5000", "--as-of", "{day}"), insured_limits.c.dated_on, "insured_limit"),
    Write("a credit line asked for", ("credit", "limit", "request", "--customer", "C1", "--amount", "5000",
                                      "--term-days", "30", "--rating", "B", "--reason", "new contract",
                                      "--valid-from", "{day}"), limit_requests.c.valid_from, "limit_request"),
    Write("a credit line approved", (*APPROVER, "credit", "limit", "approve", "1"), credit_lines.c.valid_from,
          "credit_line", setup=(("credit", "limit", "request", "--customer", "C1", "--amount", "5000", "--term-days",
                                 "30", "--rating", "B", "--reason", "new contract", "--valid-from", "{day}"),)),
    Write("a credit review", ("credit", "review", "C1", "--as-of", "{day}"), limit_requests.c.valid_from,
          "limit_request"),
    Write("a specific provision", ("risk", "specific", "set", "C1", "--rate", "50%", "--reason", "in liquidation",
                                   "--from", "{day}"), specific_provisions.c.valid_from, "specific_provision"),
    Write("late interest charged", ("interest", "charge", "--as-of", "{day}"), invoices.c.issue_date, "invoice",
          setup=(("interest", "terms", "set", "--customer", "C1", "--valid-from", "2024-01-01", "--rate", "0.05",
                  "--basis", "daily", "--debit-note"),)),
]
IDS = [write.name.replace(" ", "-") for write in WRITES]


def booked_on(db, write: Write) -> date:
    with db.connect() as conn:
        return conn.execute(select(func.max(write.booked))).scalar()


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_a_write_dated_in_a_closed_period_is_refused_naming_the_lock_date_and_writes_nothing(locked, db, write):
    for step in write.setup:
        run_ok(locked, *write.args(step, CLOSED))
    locked.lock()
    before = ledger_state(db)
    code, _, err = locked(*write.args(write.command, CLOSED))
    assert code == 2
    assert REFUSED in err and "2026-06-15" in err
    assert ledger_state(db) == before


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_a_write_dated_in_a_closed_period_is_booked_on_the_first_open_day_when_asked(locked, db, write):
    for step in write.setup:
        run_ok(locked, *write.args(step, CLOSED))
    locked.lock()
    run_ok(locked, *write.args(write.command, CLOSED), "--to-open-period")
    assert booked_on(db, write) == FIRST_OPEN
    assert latest_after(db, write.entity)["back_dated"] is True  # entered on the 20th


@pytest.mark.parametrize("write", WRITES, ids=IDS)
def test_a_write_dated_in_the_open_period_before_today_is_back_dated_in_the_audit_log(locked, db, write):
    for step in write.setup:
        run_ok(locked, *write.args(step, OPEN_PAST))
    locked.lock()
    run_ok(locked, *write.args(write.command, OPEN_PAST))
    assert booked_on(db, write) == date(2026, 7, 10)
    after = latest_after(db, write.entity)
    assert (after["back_dated"], after["effective"], after["entered"]) == (True, "2026-07-10", "2026-07-20")
    assert '"back_dated": true' in run_ok(locked, "audit", "--entity", write.entity, "--limit", "1")


# Changes the figures of a day read, without a document to move: refused in a closed period, no more.
FLAGGED = ("risk", "flag", "C1", "--kind", "lawsuit", "--note", "sued", "--as-of", "2026-06-01")
REFUSED_ONLY = {
    "a credit hold": (("credit", "hold", "C1", "--reason", "cheque returned", "--from", "{day}"), ()),
    "a dispute opened": (("dispute", "open", "I2", "--reason", "price", "--owner", "li", "--as-of", "{day}"), ()),
    "a dispute resolved": (("dispute", "resolve", "1", "--resolution", "valid", "--as-of", "{day}"),
                           (("dispute", "open", "I2", "--reason", "price", "--owner", "li", "--as-of", "2026-06-01"),)),
    "a flag": (FLAGGED[:-1] + ("{day}",), ()),
    "a flag cleared": (("risk", "unflag", "1", "--as-of", "{day}"), (FLAGGED,)),
    "a scan": (("risk", "scan", "--as-of", "{day}"), ()),
    "a promise made": (("promise", "add", "C1", "--date", "2026-07-30", "--amount", "300", "--as-of", "{day}"), ()),
    "a promise cancelled": (("promise", "cancel", "1", "--reason", "replaced", "--as-of", "{day}"),
                            (("promise", "add", "C1", "--date", "2026-07-30", "--amount", "300", "--as-of",
                              "2026-06-01"),)),
    "an alert acknowledged": (("risk", "alert", "ack", "1", "--as-of", "{day}"),
                              (FLAGGED, ("risk", "scan", "--as-of", "2026-06-01"))),
    "a specific provision ended": (("risk", "specific", "end", "1", "--until", "{day}"),
                                   (("risk", "specific", "set", "C1", "--rate", "50%", "--reason", "court case",
                                     "--from", "2026-06-01"),)),
}


@pytest.mark.parametrize("name", REFUSED_ONLY)
def test_a_change_dated_in_a_closed_period_is_refused_and_one_dated_in_the_open_period_is_taken(locked, db, name):
    command, setup = REFUSED_ONLY[name]
    for step in setup:
        run_ok(locked, *step)
    locked.lock()
    before = ledger_state(db)
    code, _, err = locked(*[part.format(day=CLOSED) for part in command])
    assert code == 2 and REFUSED in err
    assert ledger_state(db) == before
    run_ok(locked, *[part.format(day=OPEN_PAST) for part in command])
    assert ledger_state(db) != before


def test_a_write_dated_today_carries_no_back_dated_note(locked, db):
    locked.lock()
    run_ok(locked, "risk", "specific", "set", "C1", "--rate", "50%", "--reason", "in liquidation")
    assert "back_dated" not in latest_after(db, "specific_provision")


def test_an_invoices_file_with_a_row_in_the_closed_period_names_file_row_column_and_lock_date(locked, db,
                                                                                            tmp_path):
    locked.lock()
    path = write_csv(tmp_path / "june.csv", INVOICES, [["I8", "C1", "2026-07-02", "", "", "100", ""],
                                                       ["I9", "C1", "2026-06-15", "", "NET30", "200", ""],
                                                       ["I10", "C1", "2026-06-20", "", "COD", "300", ""]])
    before = ledger_state(db)
    code, _, err = locked("import", "invoices", path)
    assert code == 2
    assert "june.csv:3:invoice_date: invoice I9 dated 2026-06-15 falls in a closed period (locked up to 2026-06-30)" in err
    assert "june.csv:4:invoice_date: invoice I10 dated 2026-06-20" in err
    assert ledger_state(db) == before


def test_an_invoice_moved_to_the_open_period_keeps_its_terms_due_date_unless_before_the_new_issue_date(
        locked, db, tmp_path):
    locked.lock()
    path = write_csv(tmp_path / "june.csv", INVOICES, [["I9", "C1", "2026-06-15", "", "NET30", "200", ""],
                                                       ["I10", "C1", "2026-06-20", "", "COD", "300", ""]])
    out = run_ok(locked, "import", "invoices", path, "--to-open-period")
    assert "2 row(s) dated in a closed period booked on the first open day, 2026-07-01" in out
    with db.connect() as conn:
        dates = conn.execute(select(invoices.c.number, invoices.c.issue_date, invoices.c.due_date)
                             .where(invoices.c.number.in_(["I9", "I10"])).order_by(invoices.c.number)).all()
    # I9: net 30 from 2026-06-15 is 2026-07-15; I10 cash on delivery was due on 2026-06-20: the issue date then
    assert [tuple(row) for row in dates] == [("I10", FIRST_OPEN, FIRST_OPEN), ("I9", FIRST_OPEN, date(2026, 7, 15))]
    assert "0 new" in run_ok(locked, "import", "invoices", path, "--to-open-period")  # the same file again


def test_a_file_imported_before_the_close_imports_again_unchanged_but_cannot_change_a_closed_row(locked, ledger_files,
                                                                                                 tmp_path):
    locked.lock()
    assert "4 unchanged" in run_ok(locked, "import", "invoices", ledger_files / "invoices.csv")
    path = write_csv(tmp_path / "fix.csv", INVOICES, [["I4", "C3", "2024-05-20", "", "", "3100", ""]])
    code, _, err = locked("import", "invoices", path)
    assert code == 2
    assert "fix.csv:2:invoice_date: invoice I4 is dated 2024-05-20, in a closed period (locked up to 2026-06-30)" in err


def test_a_payments_file_with_a_row_in_the_closed_period_is_refused_or_moved(locked, db, tmp_path):
    locked.lock()
    path = write_csv(tmp_path / "cash.csv", PAYMENTS, [["P9", "C1", "2026-06-30", "700", "I2", ""]])
    code, _, err = locked("import", "payments", path)
    assert code == 2 and "cash.csv:2:payment_date: payment P9 dated 2026-06-30" in err
    run_ok(locked, "import", "payments", path, "--to-open-period")
    with db.connect() as conn:
        assert conn.execute(select(payments.c.payment_date).where(payments.c.ref == "P9")).scalar() == FIRST_OPEN
        assert conn.execute(select(allocations.c.alloc_date).order_by(allocations.c.id.desc())).first()[0] == FIRST_OPEN


def test_an_fx_rate_of_a_closed_day_is_refused_even_when_asked_to_move_it(locked, tmp_path):
    locked.lock()
    path = write_csv(tmp_path / "fx.csv", ["currency", "rate_date", "rate"], [["USD", "2026-06-30", "7.1"]])
    code, _, err = locked("import", "fx-rates", path, "--to-open-period")
    assert code == 2 and "fx.csv:2:rate_date: the USD rate dated 2026-06-30 falls in a closed period" in err


def test_money_applied_now_between_documents_of_a_closed_period_is_dated_the_first_open_day(locked, db, tmp_path):
    """A credit note of June left unapplied, applied after the close: the aging as of 2026-06-30 stays."""
    notes = write_csv(tmp_path / "cn.csv", ["credit_note_number", "customer_code", "issue_date", "amount"],
                      [["CN9", "C1", "2026-06-05", "300"]])
    run_ok(locked, "import", "credit-notes", notes)
    locked.lock()
    aging = run_ok(locked, "report", "aging", "--as-of", "2026-06-30", "--format", "json")
    assert "1 allocation(s)" in run_ok(locked, "payments", "apply")
    a = allocations.c
    with db.connect() as conn:
        made = conn.execute(select(a.alloc_date, a.issue_date, a.due_date, a.source_date).order_by(a.id.desc())).first()
    # dated the first open day; its copies stay those of I2 (issued 2024-03-01, due 03-31) and of CN9
    assert tuple(made) == (FIRST_OPEN, date(2024, 3, 1), date(2024, 3, 31), date(2026, 6, 5))
    assert run_ok(locked, "report", "aging", "--as-of", "2026-06-30", "--format", "json") == aging


def test_a_single_invoice_through_the_api_is_refused_or_moved_and_back_dated_in_the_log(server, acme, db, tokens):
    lock_until(db, LOCK)
    invoice = {"invoice_number": "I9", "customer_code": "C1", "invoice_date": CLOSED, "amount": "100.00"}
    with server.client(tokens["credit_manager"]) as client:
        refused = client.post("/api/v1/invoices", json=invoice)
        moved = client.post("/api/v1/invoices", json=invoice | {"to_open_period": True})
        late = client.post("/api/v1/invoices", json=invoice | {"invoice_number": "I10", "invoice_date": OPEN_PAST})
        reversal = client.post("/api/v1/payments/P1/reversal", json={"date": CLOSED, "reason": "bounced"})
    assert refused.status_code == 422 and REFUSED in refused.text
    assert (moved.status_code, late.status_code) == (201, 201)
    assert reversal.status_code == 409 and REFUSED in reversal.json()["detail"]
    with db.connect() as conn:
        entries = [json.loads(text) for text in conn.execute(
            select(audit_log.c.after).where(audit_log.c.entity == "invoice", audit_log.c.action == "create")
            .order_by(audit_log.c.id)).scalars()]
    assert {k: entries[0][k] for k in ("asked", "to_open_period", "effective")} == {
        "asked": CLOSED, "to_open_period": True, "effective": "2026-07-01"}
    assert (entries[1]["back_dated"], entries[1]["effective"]) == (True, OPEN_PAST)


# The two examples of the issue, on the demo company.


@pytest.fixture
def demo(cli, db, monkeypatch):
    monkeypatch.setenv("CREDO_COMPANY", "DEMO")
    run_ok(cli, "demo", "--customers", "10", "--months", "6", "--until", "2026-07-15")
    run_ok(cli, "risk", "policy", "add", "--number", "POL1", "--insurer", "Sinosure", "--from", "2026-01-01",
           "--to", "2026-12-31", "--max-credit-days", "90", "--report-days", "30", "--claim-days", "60")
    lock_until(db, LOCK, "DEMO")
    return cli


def test_a_credit_review_as_of_the_lock_date_is_refused_and_one_in_the_open_period_shows_as_back_dated(demo, db):
    check = ("credit", "check", "C0004", "--amount", "50000", "--as-of", "2026-06-30", "--format", "json")
    answer = demo(*check)[1]
    code, _, err = demo("credit", "review", "C0004", "--as-of", "2026-06-30")
    assert code == 2 and "the credit review of C0004 dated 2026-06-30 falls in a closed period" in err
    assert demo(*check)[1] == answer
    run_ok(demo, "credit", "review", "C0004", "--as-of", OPEN_PAST)
    assert latest_after(db, "limit_request")["back_dated"] is True


def test_an_insured_limit_dated_in_a_closed_period_is_refused_and_the_provision_as_of_may_stays(demo, db):
    provision = ("risk", "provision", "--as-of", "2026-05-31", "--by", "customer", "--format", "json")
    before = run_ok(demo, *provision)
    code, _, err = demo("risk", "insured-limit", "grant", "C0004", "--policy", "POL1", "--amount", "100000",
                        "--as-of", "2026-02-10")
    assert code == 2 and "the insured limit of C0004 dated 2026-02-10 falls in a closed period" in err
    run_ok(demo, "risk", "insured-limit", "grant", "C0004", "--policy", "POL1", "--amount", "100000", "--as-of",
           OPEN_PAST, "--valid-from", "2026-02-10")
    assert run_ok(demo, *provision) == before  # a decision of July is not read as of May
    assert latest_after(db, "insured_limit")["back_dated"] is True


ORDERS = ["order_number", "customer_code", "order_date", "amount", "status", "status_date"]


def test_an_order_of_a_closed_period_or_a_change_taking_effect_in_one_is_a_row_error(locked, db, tmp_path):
    run_ok(locked, "import", "orders", write_csv(tmp_path / "may.csv", ORDERS, [["O1", "C1", "2026-05-10", "400", "", ""]]))
    locked.lock()
    path = write_csv(tmp_path / "orders.csv", ORDERS, [["O1", "C1", "2026-05-10", "400", "cancelled", "2026-06-20"],
                                                       ["O2", "C1", "2026-06-25", "900", "", ""]])
    code, _, err = locked("import", "orders", path)
    assert code == 2
    assert "orders.csv:2:status_date: the change of order O1 dated 2026-06-20 falls in a closed period" in err
    assert "orders.csv:3:order_date: order O2 dated 2026-06-25 falls in a closed period" in err
    run_ok(locked, "import", "orders", path, "--to-open-period")
    with db.connect() as conn:
        days = conn.execute(select(orders.c.number, order_events.c.status, order_events.c.effective_on)
                            .join_from(order_events, orders, orders.c.id == order_events.c.order_id)
                            .order_by(order_events.c.id)).all()
    # without a credit line the credit check blocks a new order (it waits in the credit queue)
    assert [tuple(row) for row in days] == [("O1", "blocked", date(2026, 5, 10)), ("O1", "cancelled", FIRST_OPEN),
                                            ("O2", "blocked", FIRST_OPEN)]
