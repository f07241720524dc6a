"""Credit insurance's rules against hand-computed splits and deadlines: a Sinosure-style policy
(90 % cover, report within 30 days of the due date, claim within 60 days of the report) and a
Euler Hermes-style one (claim counted from the due date)."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from credo.domain.risk.insurance import (LimitDecision, PolicyTerms, alert_day, insured_split, limit_in_force,
                                         may_move, next_statuses, report_alert_day, report_covers, uninsured_reason)

SINOSURE = PolicyTerms("中国信保", "SS-2024-001", date(2024, 1, 1), date(2024, 12, 31), "CNY", D("0.90"),
                       D("5000.00"), 90, 30, 60)
HERMES = PolicyTerms("Euler Hermes", "EH-77", date(2024, 1, 1), date(2024, 12, 31), "EUR", D("0.85"),
                     D("0"), 120, 60, 150, claim_from="due_date", alert_days=10)


@pytest.mark.parametrize("exposure, limit, insured, uninsured, fraction, excess", [
    # 80,000 exposed, 100,000 granted: all of it within the limit, 90 % of it insured.
    (D("80000.00"), D("100000.00"), D("72000.00"), D("8000.00"), D("0.900000"), D("0.00")),
    # 150,000 exposed beyond a 100,000 limit: 100,000 x 0.9 = 90,000; 90,000 / 150,000 = 0.6.
    (D("150000.00"), D("100000.00"), D("90000.00"), D("60000.00"), D("0.600000"), D("50000.00")),
    # 1,000.01 x 0.9 = 900.009 -> 900.01 (HALF_UP); the fraction from the unrounded 900.009.
    (D("1000.01"), D("5000.00"), D("900.01"), D("100.00"), D("0.900000"), D("0.00")),
    # 30,000 against 7,000: 6,300 insured; 6,300 / 30,000 = 0.21.
    (D("30000.00"), D("7000.00"), D("6300.00"), D("23700.00"), D("0.210000"), D("23000.00")),
    # refused (0) or no limit: nothing insured, the whole exposure in excess.
    (D("12000.00"), D("0"), D("0.00"), D("12000.00"), D("0"), D("12000.00")),
    (D("12000.00"), None, D("0.00"), D("12000.00"), D("0"), D("12000.00")),
    # a credit balance: nothing exposed, nothing insured.
    (D("-500.00"), D("1000.00"), D("0.00"), D("-500.00"), D("0"), D("0.00")),
])
def test_the_insured_part_is_the_share_of_the_exposure_up_to_the_limit(exposure, limit, insured, uninsured,
                                                                        fraction, excess):
    split = insured_split(exposure, limit, D("0.90"), "CNY")
    assert (split.insured, split.uninsured, split.fraction, split.excess) == (insured, uninsured, fraction, excess)


def test_a_third_insured_fraction_is_rounded_to_six_places():
    # 100 limit x 0.9 = 90 of 270 exposed = 0.333333...
    assert insured_split(D("270.00"), D("100.00"), D("0.90"), "CNY").fraction == D("0.333333")


@given(st.decimals(min_value=0, max_value=10**9, places=2), st.decimals(min_value=0, max_value=10**9, places=2))
def test_insured_and_uninsured_add_up_to_the_exposure(exposure, limit):
    split = insured_split(exposure, limit, D("0.85"), "CNY")
    assert split.insured + split.uninsured == exposure
    assert D(0) <= split.insured <= min(exposure, limit)


def test_the_latest_decision_valid_on_the_day_is_the_limit_in_force():
    decisions = [LimitDecision(D("100000"), date(2024, 1, 10), date(2024, 1, 10)),
                 LimitDecision(D("60000"), date(2024, 5, 1), date(2024, 6, 1)),  # reduced from June
                 LimitDecision(D("0"), date(2024, 9, 15), date(2024, 9, 15))]  # then refused (withdrawn)
    assert limit_in_force(decisions, date(2024, 1, 9)) is None
    assert limit_in_force(decisions, date(2024, 1, 10)) == D("100000")
    assert limit_in_force(decisions, date(2024, 5, 31)) == D("100000")  # the reduction is not valid yet
    assert limit_in_force(decisions, date(2024, 6, 1)) == D("60000")
    assert limit_in_force(decisions, date(2024, 9, 15)) == D("0")
    assert decisions[2].refused


def test_a_limit_valid_until_a_day_lapses_after_it():
    decisions = [LimitDecision(D("50000"), date(2024, 2, 1), date(2024, 2, 1), date(2024, 3, 31))]
    assert limit_in_force(decisions, date(2024, 3, 31)) == D("50000")
    assert limit_in_force(decisions, date(2024, 4, 1)) is None


def test_an_invoice_is_covered_when_issued_in_the_period_within_the_maximum_credit_period():
    assert SINOSURE.covers(date(2024, 3, 1), date(2024, 5, 30))  # 90 days
    assert not SINOSURE.covers(date(2024, 3, 1), date(2024, 5, 31))  # 91 days
    assert not SINOSURE.covers(date(2023, 12, 31), date(2024, 1, 30))  # issued before the period
    assert SINOSURE.covers(date(2024, 12, 31), date(2025, 1, 30))  # issued on its last day


def test_reporting_and_claim_deadlines_count_from_the_due_date_and_the_report():
    due = date(2024, 3, 31)
    assert SINOSURE.report_deadline(due) == date(2024, 4, 30)  # 30 days after the due date
    assert report_alert_day(SINOSURE, due, 7) == date(2024, 4, 23)  # 7 days before it
    assert SINOSURE.claim_deadline(date(2024, 4, 20), due) == date(2024, 6, 19)  # 60 days after the report
    assert alert_day(date(2024, 6, 19), 7) == date(2024, 6, 12)
    # Euler Hermes style: the claim 150 days from the due date, whenever the report came.
    assert HERMES.report_deadline(due) == date(2024, 5, 30)
    assert HERMES.claim_deadline(date(2024, 5, 2), due) == date(2024, 8, 28)


def test_a_reporting_reminder_never_comes_before_the_invoice_is_overdue():
    quick = PolicyTerms("PICC", "P-1", date(2024, 1, 1), date(2024, 12, 31), "CNY", D("0.8"), D("0"), 60, 5, 30)
    # deadline 04-05; 7 days before would be 03-29, before the due date: the day after it instead.
    assert report_alert_day(quick, date(2024, 3, 31), 7) == date(2024, 4, 1)


def test_a_report_covers_the_invoices_overdue_on_its_day():
    assert report_covers(date(2024, 4, 1), date(2024, 3, 31))
    assert not report_covers(date(2024, 3, 31), date(2024, 3, 31))  # due that day: not overdue yet


def test_the_indemnity_is_the_share_of_the_loss_up_to_the_limit_less_the_deductible_per_claim():
    # loss 80,000 within a 100,000 limit: 72,000 - 5,000 = 67,000
    assert SINOSURE.indemnity(D("80000.00"), D("100000.00")) == D("67000.00")
    # loss 150,000 beyond it: 90,000 - 5,000 = 85,000; a loss under the deductible: nothing.
    assert SINOSURE.indemnity(D("150000.00"), D("100000.00")) == D("85000.00")
    assert SINOSURE.indemnity(D("5000.00"), D("100000.00")) == D("0.00")


def test_claims_move_draft_filed_then_accepted_or_rejected_and_accepted_to_paid():
    assert next_statuses("draft") == ("filed",)
    assert may_move("filed", "accepted") and may_move("filed", "rejected") and may_move("accepted", "paid")
    assert not may_move("draft", "paid") and not may_move("rejected", "paid") and next_statuses("paid") == ()


@pytest.mark.parametrize("change, message", [
    (dict(coverage_share=D("1.1")), "coverage share"),
    (dict(coverage_share=D("0")), "coverage share"),
    (dict(period_to=date(2023, 12, 31)), "ends"),
    (dict(claim_from="report_date"), "claim days counted from"),
    (dict(deductible=D("-1")), "deductible"),
    (dict(report_overdue_days=-1), "report overdue days: from 0 to 3660 days"),
    (dict(claim_days=3661), "claim days: from 0 to 3660 days"),
])
def test_policy_terms_refuse_what_makes_no_sense(change, message):
    values = {**SINOSURE.__dict__, **change}
    with pytest.raises(ValueError, match=message):
        PolicyTerms(**values)


@pytest.mark.parametrize("issued, due, reason", [
    (date(2024, 3, 1), date(2024, 4, 30), None),  # 60 days (90 allowed), limit granted 02-01: insured
    (date(2023, 12, 20), date(2024, 1, 19), "outside the policy period 2024-01-01 to 2024-12-31"),
    (date(2024, 3, 1), date(2024, 5, 31), "a credit period of 91 days, beyond the policy's 90"),
    (date(2024, 1, 20), date(2024, 2, 19), "no limit granted to the buyer on its invoice date, 2024-01-20"),
    (date(2024, 6, 10), date(2024, 7, 10), "no limit granted"),  # refused (0) from 06-01
])
def test_an_invoice_is_insured_when_covered_and_the_buyer_held_a_limit_on_its_date(issued, due, reason):
    decisions = [LimitDecision(D("5000"), date(2024, 2, 1), date(2024, 2, 1)),
                 LimitDecision(D("0"), date(2024, 6, 1), date(2024, 6, 1))]
    found = uninsured_reason(SINOSURE, decisions, issued, due)
    assert found is None if reason is None else reason in found
