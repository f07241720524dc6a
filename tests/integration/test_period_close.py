"""Period close: the lock date, the month-end figures a close stores, reports for closed days that
equal them, and `credo close verify` naming what changed.

The acme ledger (tests/conftest.py) as of 2024-06-30, by hand:
  C1 (NET30): I1 1,000.00 and I2 2,000.00 (due 2024-03-31); P1 1,500.00 pays I1 and 500.00 of I2:
     I2 has 1,500.00 open, 91 days past due.
  C2 (USD, EOM30): I3 $500.00 due 2024-03-30, P2 $200.00 on it: $300.00 open, 92 days past due,
     at 7.2000 (the rate of 2024-06-01) = 2,160.00.
  C3 (NET60): I4 3,000.00 due 2024-07-19 less CN1 500.00: 2,500.00 not due.
  Aging: not due 2,500.00; 91-180 3,660.00; total 6,160.00.
  DSO (standard, 90 days: 2024-04-02 to 06-30): net credit sales are I4 less CN1, 2,500.00;
  6,160.00 / 2,500.00 x 90 = 221.76.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import insert, select, update

from credo import clock
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import closing
from credo.services.periods import lock_of
from credo.services.reports.aging import aging_report
from credo.services.risk.provision import company_provision
from credo.services.risk.provision_settings import change_provision_settings
from credo.services.settings import set_aging_buckets
from credo.store.tables import invoices

TODAY = date(2024, 12, 7)
DECEMBER = clock.parse_moment("2024-12-07T10:00:00+08:00")  # the business clock of the command and the API
JUNE = date(2024, 6, 30)


def close(db, company, day=JUNE, actor="user:zhou.cfo"):
    with db.begin() as conn:
        return closing.close_period(conn, company, day, actor, TODAY)


def test_closing_june_stores_its_aging_dso_provision_and_warnings(db, acme):
    closed = close(db, acme)
    assert closed.period_end == JUNE and closed.month_ends == (JUNE,)
    with db.connect() as conn:
        assert lock_of(conn, acme.id).locked_until == JUNE
        stored = {f.kind: f for f in closing.stored_figures(conn, acme, JUNE)}
    assert sorted(stored) == ["aging", "dso", "provision", "warnings"]
    aging = stored["aging"].body["totals"]
    assert aging["buckets"]["not_due"] == "2500.00" and aging["buckets"]["91-180"] == "3660.00"
    assert aging["total"] == "6160.00"
    assert {row["key"]: row["total"] for row in stored["aging"].body["rows"]} == {
        "C1": "1500.00", "C2": "2160.00", "C3": "2500.00"}
    assert "name" not in stored["aging"].body["rows"][0]  # a renamed customer changes no figure
    assert stored["dso"].body["standard"]["dso"] == "221.8"  # shown to one decimal
    assert stored["dso"].body["standard"]["credit_sales"] == "2500.00"
    provision = stored["provision"].body
    assert provision["total_balance"] == "6160.00" and provision["roll_matrix"] is not None
    assert stored["provision"].settings["method"] == "matrix"
    assert set(stored["warnings"].body) == {"breaches", "alerts_open"}
    assert len(stored["aging"].digest) == 64 and set(stored["aging"].inputs) >= {"invoices", "allocations", "fx_rates"}


def test_a_report_for_a_closed_day_equals_the_stored_one_after_the_settings_change(db, acme):
    close(db, acme)
    with db.connect() as conn:
        stored = {f.kind: f for f in closing.stored_figures(conn, acme, JUNE)}
    with db.begin() as conn:
        set_aging_buckets(conn, acme, "45,90", "user:li")
        change_provision_settings(conn, acme, "user:li", forward_factor="1.5", loss_rate="0.9")
    with db.connect() as conn:
        june = aging_report(conn, acme, JUNE)
        july = aging_report(conn, acme, date(2024, 7, 31))
        provision = company_provision(conn, acme, JUNE)
        later = company_provision(conn, acme, date(2024, 7, 31))
    assert june.labels == ("not_due", "1-30", "31-60", "61-90", "91-180", "181-365", ">365")
    assert closing_json(june.to_json()) == stored["aging"].body
    assert july.labels == ("not_due", "1-45", "46-90", ">90")  # an open period: the new ladder
    assert closing_json(provision.to_json()) == stored["provision"].body
    assert provision.forward_factor == 1 and later.forward_factor == 1.5


def closing_json(body: dict) -> dict:
    from credo.services.closing.figures import nameless

    return json.loads(json.dumps(nameless(body)))


def test_verify_agrees_then_names_the_rows_written_past_the_lock(db, acme):
    close(db, acme)
    with db.connect() as conn:
        assert closing.verify_closes(conn, acme).agrees
        c1 = conn.execute(select(invoices.c.customer_id).where(invoices.c.number == "I1")).scalar()
    with db.begin() as conn:  # written around the services (an edit of the database): only verify sees it
        conn.execute(insert(invoices).values(company_id=acme.id, customer_id=c1, number="LATE-1",
                                             issue_date=date(2024, 6, 1), due_date=date(2024, 7, 1),
                                             currency="CNY", amount=40_000))
    with db.connect() as conn:
        found = closing.verify_closes(conn, acme)
    assert not found.agrees
    shown = {(d.kind, d.what): (d.stored, d.now) for d in found.differences}
    assert ("aging", "inputs: invoices") in shown and ("dso", "inputs: invoices") in shown
    assert shown[("aging", "totals.buckets.not_due")] == ("2500.00", "2900.00")
    assert shown[("aging", "rows.C1.total")] == ("1500.00", "1900.00")
    assert shown[("dso", "standard.credit_sales")] == ("2500.00", "2900.00")


def test_a_second_close_stores_every_month_end_since_the_first(db, acme):
    close(db, acme)
    second = close(db, acme, date(2024, 9, 30))
    assert second.month_ends == (date(2024, 7, 31), date(2024, 8, 31), date(2024, 9, 30))
    with db.connect() as conn:
        assert [c.period_end for c in closing.list_closes(conn, acme)] == [date(2024, 9, 30), JUNE]
        assert len(closing.stored_figures(conn, acme)) == 16
        assert closing.verify_closes(conn, acme).agrees


@pytest.mark.parametrize("day, error, words", [
    (date(2024, 6, 15), InvalidInput, "not one (say 2024-06-30)"),
    (date(2024, 12, 31), InvalidInput, "has not ended yet (today is 2024-12-07)"),
    (date(2024, 5, 31), Conflict, "already closed up to 2024-06-30"),
    (JUNE, Conflict, "already closed up to 2024-06-30"),
])
def test_a_close_is_refused_when_its_day_cannot_close(db, acme, day, error, words):
    close(db, acme)
    with pytest.raises(error, match=words.replace("(", r"\(").replace(")", r"\)")), db.begin() as conn:
        closing.close_period(conn, acme, day, "user:zhou.cfo", TODAY)


def test_reopening_moves_the_lock_back_and_keeps_the_figures_marked(db, acme):
    close(db, acme, date(2024, 5, 31))
    close(db, acme)
    with db.begin() as conn:
        reopened = closing.reopen_period(conn, acme, "user:zhou.cfo", "a late credit note of June")
        assert lock_of(conn, acme.id).locked_until == date(2024, 5, 31)
    assert reopened.period_end == JUNE and reopened.reopened_by == "user:zhou.cfo"
    with db.connect() as conn:
        closes = closing.list_closes(conn, acme)
        assert [(c.period_end, c.reopen_reason) for c in closes] == [(JUNE, "a late credit note of June"),
                                                                     (date(2024, 5, 31), None)]
        assert [f.as_of for f in closing.stored_figures(conn, acme)] == [date(2024, 5, 31)] * 4
        with pytest.raises(NotFound, match="no closed month-end 2024-06-30"):
            closing.stored_figures(conn, acme, JUNE)
    with pytest.raises(InvalidInput, match="say why"), db.begin() as conn:
        closing.reopen_period(conn, acme, "user:zhou.cfo", " ")


def test_closing_and_reopening_are_in_the_audit_log(db, acme):
    from credo.services import audit

    close(db, acme)
    with db.begin() as conn:
        closing.reopen_period(conn, acme, "user:zhou.cfo", "wrong month")
    with db.connect() as conn:
        entries = audit.entries(conn, entity="period")
    assert [(e["action"], e["entity_key"]) for e in entries] == [("reopen", "2024-06-30"), ("close", "2024-06-30")]
    assert json.loads(entries[0]["after"]) == {"locked_until": None, "reason": "wrong month"}


def test_the_command_line_closes_verifies_and_refuses_a_collector(cli_acme, db):
    cli = cli_acme
    cli.user("zhou.cfo", "controller")
    cli.user("wang.li", "collector", "wang")
    cli.user("audit", "auditor")
    with clock.pinned(DECEMBER):
        code, _, err = cli("--as", "wang.li", "close", "period", "--as-of", "2024-06-30")
        assert code != 0 and "may not" in err
        code, out, err = cli("--as", "zhou.cfo", "close", "period", "--as-of", "2024-06-30", "--format", "json")
        assert code == 0, err
        assert json.loads(out)[0]["month_ends"] == ["2024-06-30"]
        code, out, _ = cli("--as", "audit", "close", "show", "--as-of", "2024-06-30", "--kind", "aging")
        assert json.loads(out)["figures"]["totals"]["total"] == "6160.00"
        code, out, _ = cli("--as", "audit", "close", "verify", "--format", "json")
        assert code == 0 and json.loads(out)["agrees"] is True
        with db.begin() as conn:
            conn.execute(update(invoices).where(invoices.c.number == "I4").values(amount=310_000))
        code, out, _ = cli("--as", "audit", "close", "verify")
        assert code == 1 and "inputs: invoices" in out and "rows.C3.total" in out
        code, _, err = cli("--as", "zhou.cfo", "close", "reopen", "--reason", "I4 corrected")
        assert code == 0, err


def test_the_api_closes_lists_and_verifies(acme, tokens, server):
    with clock.pinned(DECEMBER), server.client(tokens["controller"]) as controller, \
            server.client(tokens["collector"]) as collector:
        assert collector.post("/api/v1/closes", json={"period_end": "2024-06-30"}).status_code == 403
        made = controller.post("/api/v1/closes", json={"period_end": "2024-06-30"})
        assert made.status_code == 201, made.text
        assert controller.get("/api/v1/closes").json()[0]["period_end"] == "2024-06-30"
        assert controller.get("/api/v1/closes/verify").json()["agrees"] is True
        stored = controller.get("/api/v1/closes/2024-06-30/aging").json()
        assert stored["figures"]["totals"]["buckets"]["91-180"] == "3660.00"
        again = controller.post("/api/v1/closes", json={"period_end": "2024-06-30"})
        assert again.status_code == 409 and "already closed up to 2024-06-30" in again.text
        assert controller.post("/api/v1/closes/reopen", json={"reason": "late credit note"}).status_code == 200


def test_an_early_warning_scan_as_of_a_closed_day_is_refused(db, acme):
    from credo.errors import PeriodClosed
    from credo.services.risk.scan import scan

    close(db, acme)
    with pytest.raises(PeriodClosed, match="an early-warning scan dated 2024-06-30 falls in a closed period "
                                           r"\(locked up to 2024-06-30\)"), db.begin() as conn:
        scan(conn, acme, JUNE, "user:li")
    with db.begin() as conn:
        assert scan(conn, acme, date(2024, 7, 1), "user:li").as_of == date(2024, 7, 1)
