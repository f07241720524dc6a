"""Promises and payment plans judged from payments, with hand-computed instalments."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from credo.domain.arrangements import (
    Interval,
    Promise,
    Standing,
    instalments,
    next_due,
    plan_standing,
    promise_standing,
)

PROMISE = Promise(date(2024, 5, 10), D("5000.00"), made_on=date(2024, 5, 1), grace_days=2)


@pytest.mark.parametrize("payments, as_of, standing", [
    ([], date(2024, 5, 12), Standing.OPEN),  # the last day of grace
    ([], date(2024, 5, 13), Standing.BROKEN),
    ([(date(2024, 5, 9), D("3000.00")), (date(2024, 5, 12), D("2000.00"))], date(2024, 5, 20), Standing.KEPT),
    ([(date(2024, 5, 9), D("3000.00"))], date(2024, 5, 20), Standing.BROKEN),  # part paid is broken
    ([(date(2024, 5, 13), D("5000.00"))], date(2024, 5, 20), Standing.BROKEN),  # paid too late
    ([(date(2024, 4, 30), D("5000.00"))], date(2024, 5, 20), Standing.BROKEN),  # before it was made
    # Dated the day it was made: the money may have come before the call, so it does not count.
    ([(date(2024, 5, 1), D("5000.00"))], date(2024, 5, 20), Standing.BROKEN),
    ([(date(2024, 5, 1), D("5000.00"))], date(2024, 5, 1), Standing.OPEN),
    ([(date(2024, 5, 2), D("5000.00"))], date(2024, 5, 2), Standing.KEPT),  # the day after: it counts
])
def test_a_promise_is_kept_broken_or_open_by_the_payments_dated_within_it(payments, as_of, standing):
    assert promise_standing(PROMISE, payments, as_of) is standing


def test_three_monthly_instalments_of_a_hundred_yuan_leave_the_odd_cent_on_the_last():
    plan = instalments(D("100.00"), "CNY", 3, date(2024, 1, 31))
    assert [(i.due_date, i.principal, i.interest) for i in plan] == [
        (date(2024, 1, 31), D("33.33"), D("0.00")), (date(2024, 2, 29), D("33.33"), D("0.00")),
        (date(2024, 3, 31), D("33.34"), D("0.00"))]


def test_plan_interest_runs_on_the_declining_balance():
    # 12,000 in 3 monthly parts at 12 % a year: 12,000 x 12 % x 31/365 = 122.30 for Jan-Feb 1,
    # then 8,000 x 12 % x 29/365 = 76.27, then 4,000 x 12 % x 31/365 = 40.77.
    plan = instalments(D("12000.00"), "CNY", 3, date(2024, 2, 1), annual_rate=D("12"))
    assert [(i.principal, i.interest) for i in plan] == [
        (D("4000.00"), D("122.30")), (D("4000.00"), D("76.27")), (D("4000.00"), D("40.77"))]
    assert plan[0].amount == D("4122.30")


def test_weekly_and_fortnightly_plans_step_by_seven_and_fourteen_days():
    assert [i.due_date for i in instalments(D("90"), "CNY", 3, date(2024, 1, 1), Interval.WEEKLY)] == [
        date(2024, 1, 1), date(2024, 1, 8), date(2024, 1, 15)]
    assert [i.due_date for i in instalments(D("90"), "CNY", 2, date(2024, 1, 1), Interval.FORTNIGHTLY)] == [
        date(2024, 1, 1), date(2024, 1, 15)]


def test_a_missed_instalment_is_a_breach_and_the_next_unpaid_date_replaces_the_due_date():
    plan = instalments(D("300.00"), "CNY", 3, date(2024, 1, 31))
    standing = plan_standing(plan, [(date(2024, 1, 30), D("100.00")), (date(2024, 3, 5), D("50.00"))],
                             date(2024, 3, 5), grace_days=3)
    assert [(s.paid, s.standing) for s in standing] == [
        (D("100.00"), Standing.KEPT), (D("50.00"), Standing.BROKEN), (D("0.00"), Standing.OPEN)]
    assert next_due(standing) == date(2024, 2, 29)


def test_credit_notes_and_write_offs_take_the_last_instalments_away_and_never_pay_one():
    """300.00 in three: a 150.00 credit note takes 100.00 of the third and 50.00 of the second; the
    first is still owed in full, unpaid past 01-31 + 3 days: broken. 100.00 of money on 02-10 pays it."""
    plan = instalments(D("300.00"), "CNY", 3, date(2024, 1, 31))
    cut = [(date(2024, 1, 20), D("150.00"))]
    before = plan_standing(plan, [], date(2024, 2, 5), grace_days=3, reductions=cut)
    assert [(s.reduced, s.owed, s.standing) for s in before] == [
        (D("0"), D("100.00"), Standing.BROKEN), (D("50.00"), D("50.00"), Standing.OPEN),
        (D("100.00"), D("0.00"), Standing.KEPT)]
    after = plan_standing(plan, [(date(2024, 2, 10), D("100.00"))], date(2024, 2, 10), grace_days=3, reductions=cut)
    assert [(s.paid, s.standing) for s in after] == [
        (D("100.00"), Standing.KEPT), (D("0"), Standing.OPEN), (D("0"), Standing.KEPT)]


@pytest.mark.parametrize("count, amount, message", [(0, D("1"), "1 to 120"), (3, D("0"), "above zero")])
def test_a_plan_that_cannot_be_is_refused_with_its_reason(count, amount, message):
    with pytest.raises(ValueError, match=message):
        instalments(amount, "CNY", count, date(2024, 1, 1))


@given(cents=st.integers(1, 10**10), count=st.integers(1, 60))
def test_the_instalments_principal_adds_up_to_the_amount(cents, count):
    amount = D(cents) / 100
    plan = instalments(amount, "CNY", count, date(2024, 1, 31))
    assert sum(i.principal for i in plan) == amount and len(plan) == count
    assert all(i.principal >= 0 for i in plan)
