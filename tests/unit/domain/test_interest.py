"""Late interest against worked examples: the UK government's, the EU directive's half-years,
a Chinese contract's 万分之五 a day, and the declining balance of partial payments."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from credo.domain.interest import (
    COSTS_INTEREST_PRINCIPAL,
    InterestRule,
    Part,
    RateBasis,
    ReferenceRates,
    compensation,
    eu_directive,
    late_interest,
    settle_parts,
    uk_late_payment,
)

UK_RATES = ReferenceRates({date(2024, 1, 1): D("4.25"), date(2024, 7, 1): D("5.25"), date(2025, 1, 1): D("4.75")})
EU_RATES = ReferenceRates({date(2024, 1, 1): D("4.50"), date(2024, 7, 1): D("4.25"), date(2025, 1, 1): D("3.15")})


def test_five_thousand_pounds_at_twelve_and_a_quarter_percent_for_101_days_is_169_49():
    # 5,000 x 12.25 % = 612.50 a year; / 365 x 101 days = 169.486...; base rate 4.25 % + 8.
    result = late_interest(D("5000.00"), "GBP", date(2024, 3, 1), [], date(2024, 6, 10), uk_late_payment(), UK_RATES)
    assert [p.days for p in result.periods] == [101]
    assert result.periods[0].rate == D("12.25")
    assert result.interest == D("169.49")
    assert result.compensation == D("70.00")  # a debt of 1,000-9,999.99
    assert result.total == D("239.49")


def test_the_uk_rate_stays_the_one_of_the_half_year_the_debt_became_overdue():
    # Overdue from 2024-06-01 (rate 4.25 + 8); the base rate of July does not apply to it.
    result = late_interest(D("365.00"), "GBP", date(2024, 5, 31), [], date(2024, 7, 30), uk_late_payment(), UK_RATES)
    assert [(p.days, p.rate) for p in result.periods] == [(60, D("12.25"))]
    assert result.interest == D("7.35")  # 365 x 12.25 % x 60 / 365


def test_the_eu_rate_follows_each_half_year():
    # 2024-06-21..06-30 at 4.50 + 8 = 12.50 %, 07-01..07-10 at 4.25 + 8 = 12.25 %, on EUR 36,500:
    # 36,500 x 12.50 % x 10/365 = 125.00 and 36,500 x 12.25 % x 10/365 = 122.50.
    result = late_interest(D("36500.00"), "EUR", date(2024, 6, 20), [], date(2024, 7, 10), eu_directive(), EU_RATES)
    assert [(p.start, p.end, p.rate) for p in result.periods] == [
        (date(2024, 6, 21), date(2024, 6, 30), D("12.50")), (date(2024, 7, 1), date(2024, 7, 10), D("12.25"))]
    assert result.interest == D("247.50")
    assert result.compensation == D("40.00")


def test_a_daily_contract_rate_of_wan_fen_zhi_wu_on_ten_thousand_yuan_is_five_yuan_a_day():
    rule = InterestRule(rate=D("0.05"), basis=RateBasis.DAILY)
    result = late_interest(D("10000.00"), "CNY", date(2024, 3, 31), [], date(2024, 4, 30), rule)
    assert result.interest == D("150.00")  # 30 days x 5.00
    assert result.compensation == D("0.00")


def test_partial_payments_reduce_the_balance_from_their_own_dates():
    # 10,000 due 03-31; 4,000 paid 04-11 (10 days at 10,000), the rest paid 04-21 (10 days at 6,000).
    rule = InterestRule(rate=D("0.05"), basis=RateBasis.DAILY)
    payments = [(date(2024, 4, 11), D("4000.00")), (date(2024, 4, 21), D("6000.00"))]
    result = late_interest(D("10000.00"), "CNY", date(2024, 3, 31), payments, date(2024, 6, 30), rule)
    assert [(p.days, p.balance) for p in result.periods] == [(10, D("10000.00")), (10, D("6000.00"))]
    assert result.interest == D("80.00")  # 10 x 5.00 + 10 x 3.00


def test_grace_days_are_free_and_payment_within_them_owes_nothing():
    rule = InterestRule(rate=D("18"), day_basis=360, grace_days=5, fixed_fee=D("50"))
    paid_in_grace = late_interest(D("3600.00"), "CNY", date(2024, 1, 31), [(date(2024, 2, 5), D("3600.00"))],
                                  date(2024, 3, 31), rule)
    assert paid_in_grace.periods == () and paid_in_grace.total == D("0.00")
    late = late_interest(D("3600.00"), "CNY", date(2024, 1, 31), [], date(2024, 2, 15), rule)
    assert [(p.start, p.days) for p in late.periods] == [(date(2024, 2, 6), 10)]
    assert late.interest == D("18.00")  # 3,600 x 18 % x 10 / 360
    assert late.compensation == D("50.00")


def test_payments_after_the_as_of_date_are_not_yet_known():
    rule = InterestRule(rate=D("0.05"), basis=RateBasis.DAILY)
    later = late_interest(D("1000.00"), "CNY", date(2024, 1, 31), [(date(2024, 3, 1), D("1000.00"))],
                          date(2024, 2, 10), rule)
    assert later.interest == D("5.00")  # 10 days x 0.50


@pytest.mark.parametrize("amount, fee", [(D("999.99"), D("40.00")), (D("1000.00"), D("70.00")),
                                         (D("9999.99"), D("70.00")), (D("10000.00"), D("100.00"))])
def test_the_uk_fixed_sum_grows_with_the_debt(amount, fee):
    assert compensation(amount, "GBP", uk_late_payment()) == fee


def test_a_statute_fixed_sum_in_another_currency_asks_for_a_conversion():
    with pytest.raises(ValueError, match="set in EUR"):
        compensation(D("100"), "CNY", eu_directive())


def test_a_statute_without_reference_rates_is_refused_with_a_reason():
    with pytest.raises(ValueError, match="needs reference rates"):
        late_interest(D("100"), "EUR", date(2024, 1, 1), [], date(2024, 2, 1), eu_directive())
    with pytest.raises(ValueError, match="no reference rate for the half-year starting 2023-07-01"):
        late_interest(D("100"), "EUR", date(2023, 12, 1), [], date(2024, 2, 1), eu_directive(), EU_RATES)


def test_a_payment_settles_costs_then_interest_then_principal():
    owed = {Part.COSTS: D("40.00"), Part.INTEREST: D("12.50"), Part.PRINCIPAL: D("1000.00")}
    paid, left = settle_parts(D("100.00"), owed, COSTS_INTEREST_PRINCIPAL)
    assert paid == {Part.COSTS: D("40.00"), Part.INTEREST: D("12.50"), Part.PRINCIPAL: D("47.50")}
    assert left == D("0.00")
    paid, left = settle_parts(D("100.00"), owed, (Part.PRINCIPAL, Part.INTEREST, Part.COSTS))
    assert paid[Part.PRINCIPAL] == D("100.00") and paid[Part.COSTS] == D("0") and left == D("0.00")
    with pytest.raises(ValueError, match="once each"):
        settle_parts(D("1"), owed, (Part.COSTS, Part.COSTS, Part.PRINCIPAL))


@given(amount=st.integers(1, 10**9), paid=st.lists(st.tuples(st.integers(0, 400), st.integers(1, 10**8)), max_size=5),
       days=st.integers(0, 500))
def test_interest_never_exceeds_what_the_whole_amount_would_earn_unpaid(amount, paid, days):
    rule = InterestRule(rate=D("0.05"), basis=RateBasis.DAILY)
    due, as_of = date(2024, 1, 1), date(2024, 1, 1).fromordinal(date(2024, 1, 1).toordinal() + days)
    payments = [(date.fromordinal(due.toordinal() + d), D(p) / 100) for d, p in paid]
    result = late_interest(D(amount) / 100, "CNY", due, payments, as_of, rule)
    unpaid = late_interest(D(amount) / 100, "CNY", due, [], as_of, rule)
    assert D(0) <= result.interest <= unpaid.interest
    assert sum(p.days for p in result.periods) <= days
