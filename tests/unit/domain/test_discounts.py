"""Early-payment discounts: what an offer gives, and whether a payment took it (figures by hand)."""

from datetime import date
from decimal import Decimal as D

import pytest

from credo.domain.discounts import Settled, Taken, discount_on, discount_taken, status_on

OFFERED, PAY_BY = date(2024, 4, 1), date(2024, 4, 10)
PAID_BEFORE = Settled(date(2024, 3, 1), D("500.00"), True)  # 2,000.00 invoice, 1,500.00 open on the offer


@pytest.mark.parametrize("open_amount, percent, currency, discount", [
    (D("1500.00"), D("2"), "CNY", D("30.00")),
    (D("1500.00"), D("0.333"), "CNY", D("5.00")),   # 4.995 rounds half up
    (D("333.33"), D("2"), "EUR", D("6.67")),        # 6.6666
    (D("10001"), D("2.5"), "JPY", D("250")),        # 250.025, no minor unit
])
def test_the_discount_is_the_share_of_what_is_open_half_up(open_amount, percent, currency, discount):
    assert discount_on(open_amount, percent, currency) == discount


@pytest.mark.parametrize("paid_on, paid, taken", [
    (date(2024, 4, 8), D("1470.00"), Taken(date(2024, 4, 8), D("30.00"))),
    (date(2024, 4, 10), D("1469.99"), Taken(date(2024, 4, 10), D("30.01"))),  # one minor unit short
    (date(2024, 4, 9), D("1469.98"), None),   # short
    (date(2024, 4, 11), D("1470.00"), None),  # late
    (date(2024, 3, 31), D("1470.00"), None),  # before the offer
    (date(2024, 4, 5), D("1500.00"), None),   # paid in full: nothing to credit
    (date(2024, 4, 5), D("1480.00"), Taken(date(2024, 4, 5), D("20.00"))),  # more than the net: the rest
])
def test_a_payment_on_time_covering_the_net_amount_takes_the_discount(paid_on, paid, taken):
    settled = [PAID_BEFORE, Settled(paid_on, paid, True)]
    assert discount_taken(D("2000.00"), settled, D("30.00"), "CNY", OFFERED, PAY_BY) == taken


def test_two_payments_take_it_on_the_day_of_the_second():
    settled = [PAID_BEFORE, Settled(date(2024, 4, 3), D("1000.00"), True), Settled(date(2024, 4, 9), D("470.00"), True)]
    assert discount_taken(D("2000.00"), settled, D("30.00"), "CNY", OFFERED, PAY_BY) == Taken(date(2024, 4, 9),
                                                                                              D("30.00"))


def test_a_reversed_payment_takes_nothing():
    settled = [PAID_BEFORE, Settled(date(2024, 4, 8), D("1470.00"), True), Settled(date(2024, 4, 8), D("-1470.00"), True)]
    assert discount_taken(D("2000.00"), settled, D("30.00"), "CNY", OFFERED, PAY_BY) is None


@pytest.mark.parametrize("stored, closed, as_of, status", [
    ("offered", None, date(2024, 4, 10), "offered"),
    ("offered", None, date(2024, 4, 11), "expired"),
    ("expired", date(2024, 4, 11), date(2024, 4, 5), "offered"),
    ("taken", date(2024, 4, 8), date(2024, 4, 7), "offered"),
    ("taken", date(2024, 4, 8), date(2024, 5, 1), "taken"),
    ("withdrawn", date(2024, 4, 3), date(2024, 4, 3), "withdrawn"),
])
def test_the_status_as_of_a_date(stored, closed, as_of, status):
    assert status_on(stored, closed, PAY_BY, as_of) == status
