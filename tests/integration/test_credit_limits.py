"""Exposure, the credit check and the lines in force on a hand-built ledger (tests/credit_support.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from credit_support import credit_ledger, grant
from credo.services.credit.check import check_credit
from credo.services.credit.exposure import exposure
from credo.services.credit.lines import customer_holder, reviews_due, set_hold
from credo.services.access import EVERYONE

pytestmark = pytest.mark.db
AS_OF = date(2026, 6, 15)


@pytest.fixture
def ledger(db, company, tmp_path):
    credit_ledger(db, company, tmp_path)
    return company


def test_exposure_is_receivables_less_unapplied_credit_plus_open_orders(db, ledger):
    with db.begin() as conn:
        k1 = exposure(conn, ledger, AS_OF, customer_holder(conn, ledger, EVERYONE, "K1").among(ledger))
        group = check_credit(conn, ledger, "K1", D(0), AS_OF).group_exposure
    assert (k1.receivables, k1.open_orders, k1.total) == (D(35_000), D(10_000), D(45_000))
    assert (group.receivables, group.open_orders, group.total) == (D(55_000), D(15_000), D(70_000))


@pytest.mark.parametrize("amount, decision, codes", [
    (D(9_000), "approve", []),  # group 79,000 of 80,000
    (D(14_000), "warn", ["group_over_limit_within_tolerance"]),  # 84,000: exactly 5 % over
    (D(15_000), "block", ["group_over_limit"]),  # 85,000
    (D(60_000), "block", ["over_limit_within_tolerance", "group_over_limit"]),  # K1 105,000 of 100,000
])
def test_the_group_limit_and_the_tolerance_decide_between_warn_and_block(db, ledger, amount, decision, codes):
    with db.begin() as conn:
        result = check_credit(conn, ledger, "K1", amount, AS_OF)
    assert result.decision == decision and [r.code for r in result.result.reasons] == codes


def test_an_invoice_past_due_beyond_n_days_blocks(db, ledger):
    with db.begin() as conn:
        late = check_credit(conn, ledger, "K1", D(1), date(2026, 7, 1))  # A1 31 days past due
        on_time = check_credit(conn, ledger, "K1", D(1), date(2026, 6, 30))  # 30 days
    assert late.oldest_days_past_due == 31 and "overdue" in [r.code for r in late.result.reasons]
    assert on_time.decision == "approve"


def test_a_temporary_limit_replaces_the_permanent_one_until_it_expires(db, ledger):
    with db.begin() as conn:
        grant(conn, ledger, 50_000, customer="K3", valid_from=date(2026, 6, 1), valid_to=date(2026, 6, 30))
        during = check_credit(conn, ledger, "K3", D(20_000), date(2026, 6, 30))
        after = check_credit(conn, ledger, "K3", D(20_000), date(2026, 7, 1))
    assert (during.decision, during.result.limit) == ("approve", D(50_000))
    assert (after.decision, after.result.limit) == ("block", D(10_000))


def test_the_line_in_force_as_of_a_date_is_kept_in_history(db, ledger):
    with db.begin() as conn:
        grant(conn, ledger, 30_000, customer="K3", valid_from=date(2026, 7, 15))
        before = check_credit(conn, ledger, "K3", D(0), date(2026, 7, 14))
        after = check_credit(conn, ledger, "K3", D(0), date(2026, 7, 15))
        nothing = check_credit(conn, ledger, "K3", D(0), date(2025, 12, 31))
    assert (before.result.limit, after.result.limit) == (D(10_000), D(30_000))
    assert [r.code for r in nothing.result.reasons] == ["no_credit_line"]


def test_a_hold_blocks_from_its_date_and_its_release_lifts_it(db, ledger):
    with db.begin() as conn:
        set_hold(conn, ledger, EVERYONE, "K3", True, "disputed delivery", "user:li", date(2026, 6, 10))
        set_hold(conn, ledger, EVERYONE, "K3", False, "settled", "user:li", date(2026, 6, 20))
        held = check_credit(conn, ledger, "K3", D(1), AS_OF)
        free = check_credit(conn, ledger, "K3", D(1), date(2026, 6, 20))
    assert held.hold["reason"] == "disputed delivery" and held.decision == "block"
    assert free.decision == "approve"


def test_reviews_due_lists_the_lines_in_force_whose_review_date_has_come(db, ledger):
    with db.begin() as conn:
        grant(conn, ledger, 20_000, customer="K3", valid_from=date(2026, 3, 1), review_due=date(2026, 6, 1))
        due = reviews_due(conn, ledger, EVERYONE, AS_OF)
        later = reviews_due(conn, ledger, EVERYONE, date(2027, 1, 1))
    assert [(d["customer"], d["amount"]) for d in due] == [("K3", "20000.00")]
    assert {(d["customer"], d["group"]) for d in later} == {("K1", None), ("K3", None), (None, "G9")}
