"""Credit insurance on the acme ledger (tests/conftest.py), worked out by hand.

Policy SS-1 of 中国信保, CNY, 2024: 90 % cover, deductible 1,000 per claim, credit periods up to
60 days, an overdue buyer reported within 30 days of the due date, the claim within 60 days of the
report, reminders 7 days ahead.
  C1: asked 2,000 on 01-05, granted 1,000 from 01-15. I1 (01-10) was issued before the limit: not
      insured. I2 (issued 03-01, due 03-31, 30 days) is: 1,500.00 open as of 04-15.
      Exposure 1,500; insured min(1,500, 1,000) x 0.9 = 900; uninsured 600; fraction 0.6; excess 500.
      I2's report deadline 03-31 + 30 = 04-30, its reminder on 04-23.
  C2: granted 5,000 CNY from 02-01. I3 (issued 02-15, due 03-30, 44 days): 300 USD open x 7.0 =
      2,100 CNY; insured 2,100 x 0.9 = 1,890; uninsured 210; fraction 0.9; within the limit.
      I3's report deadline 04-29, its reminder on 04-22.
  C3: no insured limit: not listed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from credo.config import Settings
from credo.errors import Conflict, Forbidden, InvalidInput
from credo.services.access import EVERYONE, Scope
from credo.services.credit.exposure import exposure
from credo.services.daily import run_daily
from credo.services.reports.common import Converter
from credo.services.risk import insurance as ins
from credo.services.credit.requests import Person
from credo.services.risk.insurance_claims import file_claim, list_claims, update_claim
from credo.store import queries
from credo.store.collections_tables import tasks
from credo.store.tables import audit_log, customers
from integration.test_credit_assessment import k1  # noqa: F401  (the fixture)

pytestmark = pytest.mark.db
CHECKER = Person("user:wu", "controller")  # files what user:li drafted (four eyes)
AS_OF = date(2024, 4, 15)


def insure(db, company):
    with db.begin() as conn:
        ins.add_policy(conn, company, "test", insurer="中国信保", number="SS-1", period_from=date(2024, 1, 1),
                       period_to=date(2024, 12, 31), coverage_share="0.90", deductible=D("1000"),
                       max_credit_days=60, report_overdue_days=30, claim_days=60)
        asked = ins.request_limit(conn, company, EVERYONE, "test", policy="SS-1", customer="C1", amount=D("2000"),
                                  requested_on=date(2024, 1, 5))
        ins.grant_limit(conn, company, EVERYONE, "test", policy="SS-1", customer="C1", amount=D("1000"),
                        decided_on=date(2024, 1, 15), request_id=asked["id"], reference="SS-L-88")
        ins.grant_limit(conn, company, EVERYONE, "test", policy="SS-1", customer="C2", amount=D("5000"),
                        decided_on=date(2024, 2, 1))


@pytest.fixture
def insured(db, acme):
    insure(db, acme)
    return acme


def _figures(rows):
    return [(r["customer"], r["exposure"], r["limit"], r["insured"], r["uninsured"], r["fraction"], r["excess"])
            for r in rows]


def test_each_insured_buyers_exposure_splits_into_the_hand_computed_insured_and_uninsured_parts(db, insured):
    with db.connect() as conn:
        rows = ins.insured_split(conn, insured, AS_OF)
        assert _figures(rows) == [("C1", "1500.00", "1000.00", "900.00", "600.00", "0.600000", "500.00"),
                                  ("C2", "2100.00", "5000.00", "1890.00", "210.00", "0.900000", "0.00")]
        c1, c2 = (conn.execute(select(customers.c.id).where(customers.c.code == code)).scalar_one()
                  for code in ("C1", "C2"))
        assert ins.insured_fractions(conn, insured, AS_OF) == {c1: D("0.6"), c2: D("0.9")}
        assert [(r["customer"], r["excess"]) for r in ins.beyond_insured_limit(conn, insured, AS_OF)] == [("C1", "500.00")]
        assert ins.granted_limit(conn, insured, c1, AS_OF) == D("1000.00")
        # The one-pass exposures are exposure()'s, customer by customer (C3, nothing yet, is left out).
        convert = Converter.load(conn, insured, AS_OF)
        every = queries.among_customers(insured.id, customers.c.id > 0)
        one_pass = ins.exposures(conn, insured, AS_OF, every, convert)
        assert one_pass == {"C1": D("1500.00"), "C2": D("2100.00")}
        for code in ("C1", "C2", "C3"):
            alone = exposure(conn, insured, AS_OF, queries.among_customers(insured.id, customers.c.code == code))
            assert one_pass.get(code, D("0.00")) == alone.total
        # Before C1's limit was decided, C1 is not insured (and the split is reproducible for that day).
        assert [r["customer"] for r in ins.insured_split(conn, insured, date(2024, 1, 14))] == []


def test_a_refusal_replaces_the_limit_and_puts_the_whole_exposure_beyond_it(db, insured):
    with db.begin() as conn:
        ins.grant_limit(conn, insured, EVERYONE, "test", policy="SS-1", customer="C2", amount=D("0"),
                        decided_on=date(2024, 4, 10), note="buyer downgraded")
    with db.connect() as conn:
        assert _figures(ins.insured_split(conn, insured, AS_OF))[1] == (
            "C2", "2100.00", "0.00", "0.00", "2100.00", "0.000000", "2100.00")
        # The day before: the 5,000 limit, and 500 USD open (the 200 came 04-10): 3,500 x 0.9.
        assert _figures(ins.insured_split(conn, insured, date(2024, 4, 9)))[1][3] == "3150.00"
        history = ins.list_limits(conn, insured, customer="C2")
        assert [(h["kind"], h["amount"], h["refused"]) for h in history] == [("decision", "5000.00", False),
                                                                          ("decision", "0.00", True)]


def test_a_sales_person_sees_the_split_of_the_portfolio_only(db, insured):
    with db.begin() as conn:
        conn.execute(customers.update().where(customers.c.code == "C2").values(salesperson="zhao.min"))
    with db.connect() as conn:
        assert [r["customer"] for r in ins.insured_split(conn, insured, AS_OF, Scope("salesperson", "zhao.min"))] == ["C2"]


def _insurance_tasks(db):
    with db.connect() as conn:
        return [(t.kind, t.due_on, t.source) for t in conn.execute(
            select(tasks).where(tasks.c.source.like("insurance-%")).order_by(tasks.c.id))]


def test_an_overdue_invoice_raises_its_reporting_task_on_exactly_the_right_day_and_once(db, insured):
    for day in (date(2024, 4, 20), date(2024, 4, 21)):
        with db.begin() as conn:
            assert ins.raise_deadline_tasks(conn, insured, day, "cron") == {"insurance_tasks": 0}
    with db.begin() as conn:  # I3's deadline 04-29: its reminder comes 04-22, I2's not yet
        assert ins.raise_deadline_tasks(conn, insured, date(2024, 4, 22), "cron") == {"insurance_tasks": 1}
    assert _insurance_tasks(db) == [("follow_up", date(2024, 4, 22), "insurance-report:SS-1:I3")]
    with db.begin() as conn:  # 04-23: I2's reminder (deadline 04-30); I3's is raised already
        assert ins.raise_deadline_tasks(conn, insured, date(2024, 4, 23), "cron") == {"insurance_tasks": 1}
    with db.begin() as conn:  # a second run the same day raises nothing
        assert ins.raise_deadline_tasks(conn, insured, date(2024, 4, 23), "cron") == {"insurance_tasks": 0}
    assert _insurance_tasks(db)[1] == ("follow_up", date(2024, 4, 23), "insurance-report:SS-1:I2")
    with db.connect() as conn:
        title = conn.execute(select(tasks.c.title).where(tasks.c.source == "insurance-report:SS-1:I2")).scalar_one()
    assert title == ("report overdue buyer C1 甲公司 to 中国信保 (policy SS-1) by 2024-04-30: invoice I2 due "
                     "2024-03-31, 1500.00 CNY open")


def test_the_daily_run_has_the_insurance_deadlines_job(db, insured):
    runs = []
    for _ in range(2):
        with db.connect() as conn:
            jobs = run_daily(conn, insured, date(2024, 4, 23), Settings(), "cron", send=False).jobs
            runs.append(next(job for job in jobs if job["job"] == "insurance deadlines"))
    assert runs[0] == {"job": "insurance deadlines", "status": "done", "insurance_tasks": 2}
    assert runs[1] == {"job": "insurance deadlines", "status": "done", "insurance_tasks": 0}


def test_the_deadlines_list_the_reporting_then_the_claim_and_a_claim_filed_ends_it(db, insured):
    with db.connect() as conn:
        due = ins.deadlines(conn, insured, date(2024, 4, 23), 7)
        assert [(d["kind"], d["customer"], d["invoice"], d["deadline"], d["passed"]) for d in due] == [
            ("report", "C2", "I3", "2024-04-29", False), ("report", "C1", "I2", "2024-04-30", False)]
        # Looking further ahead shows them earlier; a passed deadline stays until done.
        assert [d["invoice"] for d in ins.deadlines(conn, insured, date(2024, 4, 14), 16)] == ["I3", "I2"]
        assert [d["passed"] for d in ins.deadlines(conn, insured, date(2024, 5, 1), 7)] == [True, True]
    with db.begin() as conn:
        first = ins.report_overdue(conn, insured, EVERYONE, "test", policy="SS-1", customer="C1",
                                   reported_on=date(2024, 4, 25), reference="NPN-1")
        again = ins.report_overdue(conn, insured, EVERYONE, "test", policy="SS-1", customer="C1",
                                   reported_on=date(2024, 4, 25))
    assert (first["created"], again["created"]) == (True, False)
    with db.connect() as conn:
        # I2 reported: its reporting is done; the claim is due 04-25 + 60 = 06-24, its reminder 06-17.
        assert [(d["kind"], d["customer"]) for d in ins.deadlines(conn, insured, date(2024, 4, 25), 7)] == [
            ("report", "C2")]
        assert [d["kind"] for d in ins.deadlines(conn, insured, date(2024, 6, 16), 7)] == ["report"]
        claim = [d for d in ins.deadlines(conn, insured, date(2024, 6, 17), 7) if d["kind"] == "claim"]
        assert [(d["customer"], d["deadline"], d["open_amount"], d["source"]) for d in claim] == [
            ("C1", "2024-06-24", "1500.00", "insurance-claim:SS-1:C1:2024-04-25")]
    with db.begin() as conn:
        drafted = file_claim(conn, insured, EVERYONE, "user:li", policy="SS-1", customer="C1", amount=D("1500"),
                             filed_on=None, invoice_numbers=["I2"], on=date(2024, 6, 18))
        update_claim(conn, insured, EVERYONE, CHECKER, drafted["id"], "filed", on=date(2024, 6, 18))
    with db.connect() as conn:
        assert [d["kind"] for d in ins.deadlines(conn, insured, date(2024, 6, 18), 7)] == ["report"]
        # Reproducible: as of the day before the claim, it was still to do.
        assert "claim" in [d["kind"] for d in ins.deadlines(conn, insured, date(2024, 6, 17), 7)]


def test_an_invoice_paid_before_its_reminder_raises_nothing(db, insured):
    from credo.services.imports import ImportOptions, run_import
    from builders import PAYMENTS, write_csv
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = write_csv(Path(folder) / "p.csv", PAYMENTS, [["P9", "C1", "2024-04-20", "1500", "I2", ""]])
        with db.begin() as conn:
            run_import(conn, insured, "payments", path, ImportOptions(), "test")
    with db.connect() as conn:
        assert [d["invoice"] for d in ins.deadlines(conn, insured, date(2024, 4, 23), 7)] == ["I3"]


def test_a_claim_moves_along_its_statuses_each_move_audited(db, insured):
    with db.begin() as conn:
        made = file_claim(conn, insured, EVERYONE, "user:li", policy="SS-1", customer="C1", amount=D("1500.00"),
                          filed_on=None, invoice_numbers=["I2"], on=date(2024, 6, 17))
        with pytest.raises(Forbidden, match=r"four eyes: a claim is drafted by one person and filed by another"):
            file_claim(conn, insured, EVERYONE, "user:li", policy="SS-1", customer="C1", amount=D("1500.00"),
                       filed_on=date(2024, 6, 18), invoice_numbers=["I2"], on=date(2024, 6, 18))
        with pytest.raises(Forbidden, match=r"four eyes: a claim needs an approver other than its requester \(user:li\)"):
            update_claim(conn, insured, EVERYONE, Person("user:li", "credit_manager"), made["id"], "filed",
                         on=date(2024, 6, 18))
        assert (made["status"], made["invoices"], made["next"]) == ("draft", ["I2"], ["filed"])
        with pytest.raises(Conflict, match="draft: it can move to filed, not paid"):
            update_claim(conn, insured, EVERYONE, CHECKER, made["id"], "paid", on=date(2024, 7, 1),
                         paid_amount=D("1"))
        update_claim(conn, insured, EVERYONE, CHECKER, made["id"], "filed", on=date(2024, 6, 18))
        update_claim(conn, insured, EVERYONE, CHECKER, made["id"], "accepted", on=date(2024, 7, 20))
        with pytest.raises(InvalidInput, match="needs the amount"):
            update_claim(conn, insured, EVERYONE, CHECKER, made["id"], "paid", on=date(2024, 8, 1))
        # 1,500 within the 1,000 limit: 1,000 x 0.9 - 1,000 deductible = 0 ... the insurer paid 800 by agreement.
        paid = update_claim(conn, insured, EVERYONE, CHECKER, made["id"], "paid", on=date(2024, 8, 1),
                            paid_amount=D("800.00"))
    assert (paid["status"], paid["filed_on"], paid["decided_on"], paid["paid_amount"], paid["paid_on"], paid["next"]) == (
        "paid", "2024-06-18", "2024-07-20", "800.00", "2024-08-01", [])
    with db.connect() as conn:
        assert [c["status"] for c in list_claims(conn, insured)] == ["paid"]
        moves = [row.action for row in conn.execute(select(audit_log.c.action).where(
            audit_log.c.entity == "insurance_claim").order_by(audit_log.c.id))]
    assert moves == ["create", "filed", "accepted", "paid"]


def test_every_change_is_audited_and_a_policy_number_is_recorded_once(db, insured):
    with db.connect() as conn:
        entities = [(row.entity, row.action) for row in conn.execute(
            select(audit_log.c.entity, audit_log.c.action).where(audit_log.c.entity.in_(
                ("insurance_policy", "insured_limit"))).order_by(audit_log.c.id))]
    assert entities == [("insurance_policy", "create"), ("insured_limit", "request"), ("insured_limit", "grant"),
                        ("insured_limit", "grant")]
    with db.begin() as conn:
        with pytest.raises(Conflict, match="SS-1 is recorded already"):
            ins.add_policy(conn, insured, "test", insurer="x", number="SS-1", period_from=date(2024, 1, 1),
                           period_to=date(2024, 12, 31), coverage_share="90%", max_credit_days=60,
                           report_overdue_days=30, claim_days=60)
        with pytest.raises(InvalidInput, match="coverage share"):
            ins.add_policy(conn, insured, "test", insurer="x", number="SS-2", period_from=date(2024, 1, 1),
                           period_to=date(2024, 12, 31), coverage_share="1.5", max_credit_days=60,
                           report_overdue_days=30, claim_days=60)



def test_the_granted_insured_limit_caps_the_credit_assessments_recommended_limit(db, k1):  # noqa: F811
    """K1 of tests/integration/test_credit_assessment.py: 9,000 advised on its purchases; a
    granted insured limit of 5,500 binds (5,000 rounded down), from the day it is valid."""
    from credo.services.credit.assessment import assess

    with db.begin() as conn:
        ins.add_policy(conn, k1, "test", insurer="PICC", number="P-25", period_from=date(2025, 1, 1),
                       period_to=date(2025, 12, 31), coverage_share="0.8", max_credit_days=90,
                       report_overdue_days=60, claim_days=90)
        ins.grant_limit(conn, k1, EVERYONE, "test", policy="P-25", customer="K1", amount=D("5500"),
                        decided_on=date(2025, 6, 20))
    with db.connect() as conn:
        got = assess(conn, k1, EVERYONE, "K1", date(2025, 6, 30)).to_json()
        before = assess(conn, k1, EVERYONE, "K1", date(2025, 6, 19)).to_json()
        given = assess(conn, k1, EVERYONE, "K1", date(2025, 6, 30), insured_limit=D("4200")).to_json()
    assert (got["recommended_limit"], got["limit"]["binding"], got["limit"]["caps"]["insured"]) == (
        "5000", "insured", "5500.00")
    assert "insured" not in before["limit"]["caps"]
    assert (given["recommended_limit"], given["limit"]["caps"]["insured"]) == ("4000", "4200.00")  # given by hand wins


def test_the_company_provision_provides_only_for_the_uninsured_part(db, insured):
    """账龄分析法, 5 % within a year, as of 04-15: C1 1,500.00 x 5 % x (1 - 0.6) = 30.00; C2 2,100.00 x
    5 % x (1 - 0.9) = 10.50; 40.50 in all, where 180.00 would be provided with no insurance."""
    from credo.services.risk.provision import company_provision

    with db.connect() as conn:
        covered = company_provision(conn, insured, AS_OF, method="aging-table")
        bare = company_provision(conn, insured, AS_OF, method="aging-table", insured={})
    assert (covered.total_allowance, bare.total_allowance) == (D("40.50"), D("180.00"))


def test_a_claim_asks_for_no_more_than_is_open_and_insured_on_its_invoices(db, insured):
    """C1's I2 has 1,500.00 open on 06-18: 1,600.00 is refused, naming both; I1 (paid on 02-20) has
    nothing to claim. C2's I3, 300.00 USD open, is claimed in the policy's CNY: 300 x 7.2 (from 06-01)
    = 2,160.00 on 06-18, 300 x 7.0 = 2,100.00 on 05-31; naming no invoice takes I3, the open insured one."""
    with db.begin() as conn:
        with pytest.raises(InvalidInput, match=r"a claim of 1600\.00 CNY exceeds what is open and insured on its "
                                               r"invoices on 2024-06-18: 1500\.00 CNY \(I2 1500\.00\)"):
            file_claim(conn, insured, EVERYONE, "test", policy="SS-1", customer="C1", amount=D("1600"),
                       filed_on=None, on=date(2024, 6, 18), invoice_numbers=["I2"])
        with pytest.raises(InvalidInput, match="I1 has nothing open on 2024-06-18"):
            file_claim(conn, insured, EVERYONE, "test", policy="SS-1", customer="C1", amount=D("100"),
                       filed_on=None, on=date(2024, 6, 18), invoice_numbers=["I1"])
        with pytest.raises(InvalidInput, match=r"2160\.01 CNY exceeds .* 2160\.00 CNY \(I3 2160\.00\)"):
            file_claim(conn, insured, EVERYONE, "test", policy="SS-1", customer="C2", amount=D("2160.01"),
                       filed_on=None, on=date(2024, 6, 18))
        with pytest.raises(InvalidInput, match=r"2100\.00 CNY \(I3 2100\.00\)"):
            file_claim(conn, insured, EVERYONE, "test", policy="SS-1", customer="C2", amount=D("2160.00"),
                       filed_on=None, on=date(2024, 5, 31))
        made = file_claim(conn, insured, EVERYONE, "test", policy="SS-1", customer="C2", amount=D("2160.00"),
                          filed_on=None, on=date(2024, 6, 18))
    assert (made["amount"], made["currency"], made["invoices"]) == ("2160.00", "CNY", ["I3"])


def test_an_invoice_in_a_live_claim_is_not_claimed_twice_until_that_claim_is_rejected(db, insured):
    with db.begin() as conn:
        first = file_claim(conn, insured, EVERYONE, "test", policy="SS-1", customer="C1", amount=D("1500"),
                           filed_on=None, on=date(2024, 6, 18), invoice_numbers=["I2"])
        with pytest.raises(Conflict, match=f"I2 is in claim {first['id']} already"):
            file_claim(conn, insured, EVERYONE, "test", policy="SS-1", customer="C1", amount=D("1"),
                       filed_on=None, on=date(2024, 6, 19), invoice_numbers=["I2"])
        with pytest.raises(InvalidInput, match="C1 has nothing open and insured under SS-1"):
            file_claim(conn, insured, EVERYONE, "test", policy="SS-1", customer="C1", amount=D("1"),
                       filed_on=None, on=date(2024, 6, 19))
        update_claim(conn, insured, EVERYONE, CHECKER, first["id"], "filed", on=date(2024, 6, 18))
        update_claim(conn, insured, EVERYONE, CHECKER, first["id"], "rejected", on=date(2024, 7, 1))
        again = file_claim(conn, insured, EVERYONE, "test", policy="SS-1", customer="C1", amount=D("1500"),
                           filed_on=None, on=date(2024, 7, 2))
    assert again["invoices"] == ["I2"]
