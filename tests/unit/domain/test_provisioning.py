"""Bad-debt provisioning against the IFRS 9 illustrative example, a roll-rate history built by
hand, the 账龄分析法 table, specific provisions and insured shares."""

from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from credo.domain.risk.provisioning import (
    DEFAULT_AGING_TABLE,
    Band,
    Exposure,
    RateTable,
    Specific,
    derived_matrix,
    ladder,
    loss_rates,
    provide,
    roll_rates,
)

# IFRS 9 Financial Instruments, Illustrative Examples, Example 12 (IE74-IE77), "Provision matrix":
# Company F, trade receivables of CU30,000,000 in five buckets with these lifetime default rates.
# Verified against the stored copy of the same figures in Ind AS 109's Illustration 32 (Company M,
# https://solutioninn.com/study-help/questions/illustration-32-life-time-expected-credit-losses-provision-matrix-for-9207146),
# and IFRS 9 B5.5.35 naming the example (https://sdv.com.mx/compendio/ifrs9-en/ifrs9-en-b5-5-35/).
# The allowance column, each balance x rate: 45,000 + 120,000 + 144,000 + 165,000 + 106,000 = 580,000.
IFRS9_RATES = (D("0.003"), D("0.016"), D("0.036"), D("0.066"), D("0.106"))
IFRS9_BALANCES = (D("15000000"), D("7500000"), D("4000000"), D("2500000"), D("1000000"))
IFRS9_TABLE = ladder((30, 60, 90), IFRS9_RATES)


def test_the_ifrs9_example_12_portfolio_of_30_million_has_an_allowance_of_580_000():
    result = provide([Exposure(1, IFRS9_BALANCES)], IFRS9_TABLE, "EUR")
    assert [b.bucket for b in result.buckets] == ["not_due", "1-30", "31-60", "61-90", ">90"]
    assert [b.allowance for b in result.buckets] == [D("45000.00"), D("120000.00"), D("144000.00"),
                                                     D("165000.00"), D("106000.00")]
    assert result.balance == D("30000000")
    assert result.total_allowance == D("580000.00")


def test_the_ifrs9_example_spread_over_three_customers_gives_the_same_allowance():
    exposures = [
        Exposure(1, (D("5000000"), D("2500000"), D("1000000"), D("2500000"), D("250000"))),
        Exposure(2, (D("5000000"), D("2500000"), D("1000000"), D(0), D("250000"))),
        Exposure(3, (D("5000000"), D("2500000"), D("2000000"), D(0), D("500000"))),
    ]
    result = provide(exposures, IFRS9_TABLE, "EUR")
    # 15,000 + 40,000 + 36,000 + 165,000 + 26,500 for the first customer.
    assert [c.allowance for c in result.customers] == [D("282500.00"), D("117500.00"), D("180000.00")]
    assert result.total_allowance == D("580000.00")


def test_the_total_is_the_sum_of_each_customers_rounded_lines_not_the_rounded_portfolio():
    # 1,000,000 over 90 days in thirds: 333,333.33 x 10.6 % = 35,333.33298 -> 35,333.33, and
    # 333,333.34 x 10.6 % = 35,333.33404 -> 35,333.33: 105,999.99, one cent below 1,000,000 x 10.6 %.
    thirds = (D("333333.33"), D("333333.33"), D("333333.34"))
    result = provide([Exposure(c, (D(0),) * 4 + (b,)) for c, b in enumerate(thirds, 1)], IFRS9_TABLE, "EUR")
    assert result.buckets[-1].balance == D("1000000.00")
    assert result.total_allowance == D("105999.99")


# Month-end balances of not due, 1-30, 31-60 and >60 days past due, three month ends, oldest first.
HISTORY = [
    (D("1000"), D("400"), D("200"), D("50")),
    (D("1200"), D("300"), D("100"), D("80")),
    (D("1100"), D("600"), D("150"), D("90")),
]


@pytest.mark.parametrize("bucket, rolled, held", [
    (0, 300 + 600, 1000 + 1200),  # current -> 1-30 a month later, balance-weighted over the two months
    (1, 100 + 150, 400 + 300),
    (2, 80 + 90, 200 + 100),
])
def test_a_roll_rate_is_what_moved_one_bucket_older_over_what_was_there_a_month_before(bucket, rolled, held):
    assert roll_rates(HISTORY)[bucket] == D(rolled) / D(held)


def test_loss_rates_are_the_products_of_the_roll_rates_to_the_last_bucket():
    # 900/2200 x 250/700 x 170/300 = 0.0827922..., 250/700 x 170/300 = 0.2023809..., 170/300 = 0.5666...
    assert loss_rates(roll_rates(HISTORY)) == (D("0.082792"), D("0.202381"), D("0.566667"), D("1.000000"))
    assert loss_rates(roll_rates(HISTORY), D("0.5")) == (D("0.041396"), D("0.101190"), D("0.283333"), D("0.500000"))


def test_a_derived_matrix_keeps_the_bands_and_takes_the_loss_rates():
    table = derived_matrix(ladder((30, 60)), HISTORY)
    assert table.labels == ("not_due", "1-30", "31-60", ">60")
    assert table.rates[0] == D("0.082792")


@pytest.mark.parametrize("history, expected", [
    ([(D(0), D(0)), (D(0), D(5))], (D(0),)),  # nothing was ever in the bucket: rolls nothing
    ([(D(10), D(0)), (D(5), D(20))], (D(1),)),  # more arrived than was there (new invoices): capped at 100 %
])
def test_roll_rates_of_empty_and_overflowing_buckets(history, expected):
    assert roll_rates(history) == expected


def test_roll_rates_need_two_snapshots():
    with pytest.raises(ValueError, match="two month-end"):
        roll_rates([(D(1), D(2))])


@pytest.mark.parametrize("factor, rates", [
    (D("1"), IFRS9_RATES),
    (D("1.05"), (D("0.00315"), D("0.0168"), D("0.0378"), D("0.0693"), D("0.1113"))),
])
def test_the_forward_looking_factor_multiplies_the_rates(factor, rates):
    assert IFRS9_TABLE.adjusted(factor).rates == rates


def test_the_forward_looking_factor_caps_a_rate_at_100_percent():
    assert DEFAULT_AGING_TABLE.adjusted(D("1.5")).rates == (D("0.075"), D("0.15"), D("0.45"), D("0.75"), D(1), D(1))


def test_the_aging_table_method_applies_the_rate_of_each_year_of_age():
    # 10,000 within a year at 5 %, 3,000 of 1-2 years at 10 %, 500 over five years at 100 %.
    balances = (D("10000.00"), D("3000.00"), D(0), D(0), D(0), D("500.00"))
    result = provide([Exposure(7, balances)], DEFAULT_AGING_TABLE, "CNY", method="aging-table")
    assert [b.allowance for b in result.buckets] == [D("500.00"), D("300.00"), D("0.00"), D("0.00"), D("0.00"),
                                                     D("500.00")]
    assert result.total_allowance == D("1300.00")
    assert result.customers[0].basis == "aging-table"


def test_the_default_aging_table_is_a_year_per_bucket_from_the_invoice_date():
    assert [(b.bucket, b.low, b.high, b.rate) for b in DEFAULT_AGING_TABLE.bands] == [
        ("1年以内", 0, 365, D("0.05")), ("1-2年", 366, 730, D("0.10")), ("2-3年", 731, 1095, D("0.30")),
        ("3-4年", 1096, 1460, D("0.50")), ("4-5年", 1461, 1825, D("0.80")), ("5年以上", 1826, None, D("1"))]


TABLE = ladder((30,), (D("0.01"), D("0.10"), D("0.50")))


@pytest.mark.parametrize("specific, insured, allowances, basis", [
    (None, None, (D("10.00"), D("20.00"), D("300.00")), "matrix"),
    # A rate replaces every bucket's rate for the customer.
    (Specific(rate=D("0.5")), None, (D("500.00"), D("100.00"), D("300.00")), "specific-rate"),
    # An amount goes on the oldest buckets first: 700 = 600 in >60, 100 in 31-60.
    (Specific(amount=D("700")), None, (D("0.00"), D("100.00"), D("600.00")), "specific-amount"),
    # An amount above the balance is the balance.
    (Specific(amount=D("5000")), None, (D("1000.00"), D("200.00"), D("600.00")), "specific-amount"),
    # 40 % insured: 60 % of the expected loss stays.
    (None, D("0.4"), (D("6.00"), D("12.00"), D("180.00")), "matrix"),
    (Specific(rate=D("0.5")), D("0.4"), (D("300.00"), D("60.00"), D("180.00")), "specific-rate"),
    # An assessed amount is the loss after cover: not reduced again.
    (Specific(amount=D("700")), D("0.4"), (D("0.00"), D("100.00"), D("600.00")), "specific-amount"),
    (None, D("1"), (D("0.00"), D("0.00"), D("0.00")), "matrix"),
])
def test_specific_provisions_override_the_matrix_and_insured_shares_reduce_the_loss(specific, insured, allowances,
                                                                                   basis):
    exposures = [Exposure(1, (D("1000.00"), D("200.00"), D("600.00"))), Exposure(2, (D("100.00"), D(0), D(0)))]
    result = provide(exposures, TABLE, "CNY", specific={1: specific} if specific else None,
                     insured={1: insured} if insured is not None else None)
    first, second = result.customers
    assert first.allowances == allowances
    assert first.basis == basis
    assert second.allowances == (D("1.00"), D(0), D(0))  # the other customer keeps the matrix
    assert result.total_allowance == sum(allowances) + D("1.00")
    assert [b.rate for b in result.buckets] == list(TABLE.rates)  # the buckets show the table's rates


def test_each_line_is_rounded_half_up_and_the_total_is_the_sum_of_the_rounded_lines():
    # 10.50 x 5 % = 0.525 -> 0.53 (half-up; half-even would give 0.52), three customers: 1.59, not 1.575 -> 1.58.
    table = RateTable((Band("all", None, None, D("0.05")),))
    result = provide([Exposure(c, (D("10.50"),)) for c in (1, 2, 3)], table, "CNY")
    assert [c.allowance for c in result.customers] == [D("0.53")] * 3
    assert result.total_allowance == D("1.59")


def test_a_currency_without_minor_units_rounds_to_whole_units():
    table = RateTable((Band("all", None, None, D("0.016")),))
    assert provide([Exposure(1, (D("1234"),))], table, "JPY").total_allowance == D("20")  # 19.744


@pytest.mark.parametrize("bands, message", [
    ((Band("a", None, 30, D("0.1")), Band("b", 32, None, D("0.2"))), "must start the day after"),
    ((Band("a", None, 30, D("0.1")), Band("b", 31, 60, D("0.2"))), "must be open above"),
    ((Band("a", None, 30, D("1.2")), Band("b", 31, None, D("0.2"))), "not between 0 and 100"),
    ((Band("a", 5, 30, D("0.1")), Band("b", 31, None, D("0.2"))), "must start at 0"),
    ((Band("a", None, 30, D("0.1")), Band("a", 31, None, D("0.2"))), "comes twice"),
    ((), "at least one"),
])
def test_a_rate_table_must_cover_every_day_once(bands, message):
    with pytest.raises(ValueError, match=message):
        RateTable(bands)


@pytest.mark.parametrize("kwargs", [{}, {"rate": D("0.1"), "amount": D("5")}, {"rate": D("1.1")}, {"amount": D("-1")}])
def test_a_specific_provision_is_one_rate_or_one_amount(kwargs):
    with pytest.raises(ValueError):
        Specific(**kwargs)


def test_an_insured_share_above_one_is_refused():
    with pytest.raises(ValueError, match="insured share"):
        provide([Exposure(1, (D(1), D(1), D(1)))], TABLE, "CNY", insured={1: D("1.5")})


def test_a_rate_table_survives_its_json():
    assert RateTable.from_json(DEFAULT_AGING_TABLE.to_json()) == DEFAULT_AGING_TABLE


_cents = st.integers(min_value=0, max_value=10**9).map(lambda c: D(c).scaleb(-2))
_rate = st.integers(min_value=0, max_value=10**6).map(lambda r: D(r).scaleb(-6))


@given(st.lists(st.tuples(_cents, _cents, _cents), min_size=1, max_size=20), st.tuples(_rate, _rate, _rate),
       st.lists(_rate, min_size=20, max_size=20))
def test_the_allowance_adds_up_by_bucket_and_by_customer_and_never_exceeds_the_balance(balances, rates, shares):
    table = ladder((30,), rates)
    exposures = [Exposure(i, b) for i, b in enumerate(balances)]
    result = provide(exposures, table, "CNY", insured={i: s for i, s in enumerate(shares)})
    assert result.total_allowance == sum(c.allowance for c in result.customers)
    assert all(b.allowance <= b.balance for b in result.buckets)
    assert all(c.allowance <= c.balance for c in result.customers)
