"""Bad-debt provisioning against the IFRS 9 illustrative example, a roll-rate history built by
hand, the 账龄分析法 table, specific provisions and insured shares."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from credo.domain.money import ZERO, quantize
from credo.domain.risk.provisioning import (
    DEFAULT_AGING_TABLE,
    Band,
    Exposure,
    RateTable,
    Specific,
    derived_matrix,
    ladder,
    provide,
)
from credo.domain.risk.roll_rates import Step, loss_rates, roll_rates

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


def test_a_buckets_allowance_is_its_balance_times_its_rate_and_the_customers_share_it_out():
    # 1,000,000 over 90 days in thirds: 1,000,000 x 10.6 % = 106,000.00 for the bucket (it was
    # 105,999.99, the sum of three lines rounded one by one). The parts, largest remainder:
    # 333,333.33 x 10.6 % = 35,333.33298, 35,333.33298, and 333,333.34 x 10.6 % = 35,333.33404;
    # floors 35,333.33 x 3 = 105,999.99, one cent left, to the largest remainder (0.404 of a cent).
    thirds = (D("333333.33"), D("333333.33"), D("333333.34"))
    result = provide([Exposure(c, (D(0),) * 4 + (b,)) for c, b in enumerate(thirds, 1)], IFRS9_TABLE, "EUR")
    assert result.buckets[-1].balance == D("1000000.00")
    assert result.buckets[-1].allowance == D("106000.00")
    assert [c.allowance for c in result.customers] == [D("35333.33"), D("35333.33"), D("35333.34")]
    assert result.total_allowance == D("106000.00")


def test_a_bucket_of_3946_at_half_a_percent_is_19_73_whoever_holds_it():
    # 3,946.00 x 0.5 % = 19.73. Held by four customers, 986.80 x 3 and 985.60: 4.934 x 3 and 4.928,
    # each rounded 4.93, added up 19.72 (the defect). Largest remainder: floors 4.93, 4.93, 4.93,
    # 4.92 = 19.71; 2 cents left: to 0.8 (the fourth) and to the first of the three 0.4s.
    table = RateTable((Band("all", None, None, D("0.005")),))
    result = provide([Exposure(c, (D(b),)) for c, b in enumerate(("986.80", "986.80", "986.80", "985.60"), 1)],
                     table, "CNY")
    assert result.buckets[0].balance == D("3946.00")
    assert result.buckets[0].allowance == D("19.73")
    assert [c.allowance for c in result.customers] == [D("4.94"), D("4.93"), D("4.93"), D("4.93")]
    assert result.total_allowance == D("19.73")


def test_a_100_percent_bucket_is_provided_in_full_and_an_insured_share_is_shown_apart():
    # >60 at 100 %: 600 + 400 = 1,000 provided, bucket line = balance. Customer 2 is 40 % insured:
    # relief 400 x 40 % = 160 on its own line; the total 1,000 - 160 = 840 (the bucket showed 840
    # before, below its balance at 100 %).
    result = provide([Exposure(1, (D(0), D(0), D("600.00"))), Exposure(2, (D(0), D(0), D("400.00")))],
                     TABLE.with_rates((D("0.01"), D("0.10"), D("1"))), "CNY", insured={2: D("0.4")})
    assert result.buckets[-1].allowance == result.buckets[-1].balance == D("1000.00")
    assert result.collective_allowance == D("1000.00")
    assert result.insured_relief == D("160.00")
    assert [(c.collective, c.relief, c.allowance) for c in result.customers] == [
        (D("600.00"), D("0.00"), D("600.00")), (D("400.00"), D("160.00"), D("240.00"))]
    assert result.total_allowance == D("840.00")


# Two steps of not due, 1-30, 31-60 and >60 days past due: what each bucket held at the step's
# start and, of that, what was still unpaid (past due) at its end.
STEPS = [
    Step(date(2024, 5, 1), date(2024, 5, 31), (D("1000"), D("400"), D("200"), D("50")), (D("300"), D("100"), D("80"), D(0))),
    Step(date(2024, 5, 31), date(2024, 6, 30), (D("1200"), D("300"), D("100"), D("80")), (D("600"), D("150"), D("90"), D(0))),
]


@pytest.mark.parametrize("bucket, rolled, held", [
    (0, 300 + 600, 1000 + 1200),  # not due -> 1-30 a step later, weighted by what each step held
    (1, 100 + 150, 400 + 300),
    (2, 80 + 90, 200 + 100),
])
def test_a_roll_rate_is_what_stayed_unpaid_a_step_later_over_what_was_there(bucket, rolled, held):
    assert roll_rates(STEPS)[bucket] == D(rolled) / D(held)


def test_loss_rates_are_the_products_of_the_roll_rates_to_the_last_bucket():
    # 900/2200 x 250/700 x 170/300 = 0.0827922..., 250/700 x 170/300 = 0.2023809..., 170/300 = 0.5666...
    assert loss_rates(roll_rates(STEPS)) == (D("0.082792"), D("0.202381"), D("0.566667"), D("1.000000"))
    assert loss_rates(roll_rates(STEPS), D("0.5")) == (D("0.041396"), D("0.101190"), D("0.283333"), D("0.500000"))


def test_a_derived_matrix_keeps_the_bands_and_takes_the_loss_rates():
    table = derived_matrix(ladder((30, 60)), STEPS)
    assert table.labels == ("not_due", "1-30", "31-60", ">60")
    assert table.rates[0] == D("0.082792")


def test_a_bucket_that_never_held_anything_rolls_nothing():
    assert roll_rates([Step(date(2024, 5, 1), date(2024, 5, 31), (D(0), D(5)), (D(0), D(0)))]) == (D(0),)


def test_roll_rates_need_a_step():
    with pytest.raises(ValueError, match="at least one step"):
        roll_rates([])


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


# Customer 1: 1,000 not due, 200 of 1-30, 600 over 30 days: collective 10 + 20 + 300 = 330.
# Customer 2: 100 not due: 1.00.
@pytest.mark.parametrize("specific, insured, rule, collective, figure, relief, allowance, basis", [
    (None, None, "replace", "330.00", None, "0.00", "330.00", "matrix"),
    # A rate of the balance: 1,800 x 50 % = 900 replaces 330.
    (Specific(rate=D("0.5")), None, "replace", "330.00", "900.00", "0.00", "900.00", "specific-rate"),
    # An amount as assessed: 700; above the balance it is the balance, 1,800.
    (Specific(amount=D("700")), None, "replace", "330.00", "700.00", "0.00", "700.00", "specific-amount"),
    (Specific(amount=D("5000")), None, "replace", "330.00", "1800.00", "0.00", "1800.00", "specific-amount"),
    # Replace: a lower specific figure counts all the same (100 < 330); higher: the collective 330.
    (Specific(amount=D("100")), None, "replace", "330.00", "100.00", "0.00", "100.00", "specific-amount"),
    (Specific(amount=D("100")), None, "higher", "330.00", "100.00", "0.00", "330.00", "matrix"),
    (Specific(amount=D("700")), None, "higher", "330.00", "700.00", "0.00", "700.00", "specific-amount"),
    # 40 % insured: relief 330 x 40 % = 132, 198 stays.
    (None, D("0.4"), "replace", "330.00", None, "132.00", "198.00", "matrix"),
    # A specific rate is relieved too: 900 x 40 % = 360, 540 stays.
    (Specific(rate=D("0.5")), D("0.4"), "replace", "330.00", "900.00", "360.00", "540.00", "specific-rate"),
    # An assessed amount is the loss after cover: not relieved again; higher compares after relief:
    # 150 against 330 - 132 = 198.
    (Specific(amount=D("700")), D("0.4"), "replace", "330.00", "700.00", "0.00", "700.00", "specific-amount"),
    (Specific(amount=D("150")), D("0.4"), "higher", "330.00", "150.00", "132.00", "198.00", "matrix"),
    (None, D("1"), "replace", "330.00", None, "330.00", "0.00", "matrix"),
])
def test_a_customer_assessed_individually_shows_its_collective_and_its_specific_figure(
        specific, insured, rule, collective, figure, relief, allowance, basis):
    exposures = [Exposure(1, (D("1000.00"), D("200.00"), D("600.00"))), Exposure(2, (D("100.00"), D(0), D(0)))]
    result = provide(exposures, TABLE, "CNY", specific={1: specific} if specific else None,
                     insured={1: insured} if insured is not None else None, rule=rule)
    first, second = result.customers
    assert first.allowances == (D("10.00"), D("20.00"), D("300.00"))  # the collective parts stay
    assert (first.collective, first.specific, first.relief, first.allowance, first.basis) == (
        D(collective), None if figure is None else D(figure), D(relief), D(allowance), basis)
    assert second.allowance == D("1.00")  # the other customer keeps the matrix
    assert [(b.rate, b.allowance) for b in result.buckets] == [(D("0.01"), D("11.00")), (D("0.10"), D("20.00")),
                                                               (D("0.50"), D("300.00"))]
    assert result.total_allowance == D(allowance) + D("1.00")
    assert result.total_allowance == result.collective_allowance + result.specific_adjustment - result.insured_relief


def test_the_specific_rule_is_replace_or_higher():
    with pytest.raises(ValueError, match="specific rule"):
        provide([], TABLE, "CNY", rule="lower")


def test_each_bucket_is_rounded_half_up_once_and_shared_out_by_largest_remainder():
    # 3 x 10.50 = 31.50 x 5 % = 1.575 -> 1.58 (half-up; half-even would give 1.58 too, 1.575 -> 1.58);
    # each 0.525: floors 0.52 x 3 = 1.56, 2 cents left to the first two of three equal remainders.
    table = RateTable((Band("all", None, None, D("0.05")),))
    result = provide([Exposure(c, (D("10.50"),)) for c in (1, 2, 3)], table, "CNY")
    assert [c.allowance for c in result.customers] == [D("0.53"), D("0.53"), D("0.52")]
    assert result.total_allowance == D("1.58")
    # Half-up, not half-even: 10.50 x 5 % = 0.525 -> 0.53 (half-even 0.52).
    assert provide([Exposure(1, (D("10.50"),))], table, "CNY").total_allowance == D("0.53")


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


_cents = st.integers(min_value=0, max_value=10**11).map(lambda c: D(c).scaleb(-2))
_rate = st.integers(min_value=0, max_value=10**8).map(lambda r: D(r).scaleb(-8))
_specific = st.one_of(st.none(), _rate.map(lambda r: Specific(rate=r)), _cents.map(lambda a: Specific(amount=a)))


@given(st.lists(st.tuples(_cents, _cents, _cents), min_size=1, max_size=20), st.tuples(_rate, _rate, _rate),
       st.lists(_rate, min_size=20, max_size=20), st.lists(_specific, min_size=20, max_size=20),
       st.sampled_from(["replace", "higher"]), st.sampled_from(["CNY", "JPY", "KWD"]))
def test_the_lines_add_up_to_the_buckets_and_the_buckets_to_the_total(balances, rates, shares, specifics, rule,
                                                                       currency):
    table = ladder((30,), rates)
    exposures = [Exposure(i, tuple(quantize(b, currency) for b in line)) for i, line in enumerate(balances)]
    result = provide(exposures, table, currency, insured=dict(enumerate(shares)), rule=rule,
                     specific={i: s for i, s in enumerate(specifics) if s is not None})
    for i, bucket in enumerate(result.buckets):
        assert bucket.balance == sum(e.balances[i] for e in exposures)
        assert bucket.allowance == quantize(bucket.balance * bucket.rate, currency)  # rounded once, half-up
        assert sum(c.allowances[i] for c in result.customers) == bucket.allowance
        assert all(abs(c.allowances[i] - c.balances[i] * bucket.rate) < quantize(D(1), currency)
                   for c in result.customers)  # each part within a unit of its exact share
    assert result.collective_allowance == sum(b.allowance for b in result.buckets)
    assert sum(c.collective for c in result.customers) == result.collective_allowance
    assert result.total_allowance == sum(c.allowance for c in result.customers)
    assert all(ZERO <= c.allowance <= c.balance for c in result.customers)
