from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.domain.metrics import (
    ar_turnover,
    average_days_delinquent,
    best_possible_dso,
    cei,
    collection_rate,
    countback_months,
    countback_unexplained,
    dso_countback,
    dso_standard,
    month_ends,
    month_windows,
    overdue_ratio,
    turnover_days,
    weighted_average,
)

D = Decimal


def cents(value):
    return None if value is None else value.quantize(D("0.01"))


@pytest.mark.parametrize(
    ("receivables", "sales", "days", "expected"),
    [
        ("150000", "1800000", 365, "30.42"),  # 150k / 1.8M x 365 = 30.4166...
        ("100", "300", 30, "10.00"),  # multiplied first, so exactly 10, not 9.999...
        ("0", "300", 30, "0.00"),
        ("100", "0", 30, None),  # no sales: undefined, not infinite
        ("100", "-50", 30, None),  # net returns: undefined, not negative
    ],
)
def test_standard_dso_is_receivables_over_sales_times_days(receivables, sales, days, expected):
    result = dso_standard(D(receivables), D(sales), days)
    assert cents(result) == (None if expected is None else D(expected))


def test_standard_dso_keeps_exact_answers_exact():
    assert dso_standard(D("100"), D("300"), 30) == D("10")


@pytest.mark.parametrize(
    ("receivables", "periods", "expected"),
    [
        # Published example (support.benjipays.com, "Mastering DSO Calculation: The Count-Back
        # Method Explained"; also trymesha.com): AR 212,000, monthly sales 100k, 80k, 70k of
        # 30 days each, newest first. 212k - 100k - 80k = 32k left: 30 + 30 + 32/70 x 30
        # = 73.714... -> 73.7 days.
        ("212000", [("100000", 30), ("80000", 30), ("70000", 30)], "73.71"),
        # Real month lengths: 1M - 400k (June, 30) - 350k (May, 31) = 250k of April's 500k
        # -> 30 + 31 + 250/500 x 30 = 76
        ("1000000", [("400000", 30), ("350000", 31), ("500000", 30)], "76.00"),
        # Receivables inside the newest month: 50k / 100k x 30 = 15
        ("50000", [("100000", 30), ("80000", 31)], "15.00"),
        # Exactly two whole months: 100k + 80k -> 30 + 31 = 61, the third month not touched
        ("180000", [("100000", 30), ("80000", 31), ("70000", 30)], "61.00"),
        # A month without sales explains nothing and is walked through whole:
        # 30 + 31 + 50k / 100k x 30 = 76
        ("150000", [("0", 30), ("100000", 31), ("100000", 30)], "76.00"),
        # More receivables than all sales given: capped at all days, 30 + 31 + 30 = 91
        ("300000", [("100000", 30), ("80000", 31), ("70000", 30)], "91.00"),
        ("0", [("100000", 30)], "0.00"),
        ("-500", [("100000", 30)], "0.00"),  # a credit balance owes no days
        ("100", [], None),  # no history to count back through
    ],
)
def test_countback_dso_walks_back_month_by_month(receivables, periods, expected):
    result = dso_countback(D(receivables), [(D(sales), days) for sales, days in periods])
    assert cents(result) == (None if expected is None else D(expected))


@given(
    receivables=st.decimals(min_value=0, max_value=10**7, places=2),
    sales=st.decimals(min_value="0.01", max_value=10**6, places=2),
    count=st.integers(1, 12),
)
def test_countback_equals_standard_dso_when_sales_are_flat(receivables, sales, count):
    periods = [(sales, 30)] * count
    countback = dso_countback(receivables, periods)
    if receivables <= sales * count:
        assert abs(countback - dso_standard(receivables, sales * count, 30 * count)) < D("1e-20")
    else:
        assert countback == 30 * count  # the documented cap


@given(
    receivables=st.decimals(min_value=-1000, max_value=10**7, places=2),
    periods=st.lists(
        st.tuples(st.decimals(min_value=-1000, max_value=10**6, places=2), st.integers(28, 31)),
        min_size=1,
        max_size=12,
    ),
)
def test_countback_dso_lies_between_zero_and_all_days(receivables, periods):
    result = dso_countback(receivables, periods)
    assert 0 <= result <= sum(days for _, days in periods)


def test_countback_unexplained_is_what_the_walk_has_left_after_the_periods():
    sales = [D("100"), D("200"), D("300")]
    assert countback_unexplained(D("250"), sales) == 0  # ends in the second period
    assert countback_unexplained(D("300"), sales) == 0  # exactly the first two: nothing is left
    assert countback_unexplained(D("700"), sales) == D("100")
    assert countback_unexplained(D("-5"), sales) == 0


@given(
    receivables=st.decimals(min_value=-1000, max_value=10**7, places=2),
    periods=st.lists(st.tuples(st.decimals(min_value=-1000, max_value=10**6, places=2), st.integers(28, 31)),
                     min_size=1, max_size=24),
    first=st.integers(0, 24),
)
def test_older_periods_change_no_countback_the_first_ones_explain(receivables, periods, first):
    """The DSO report reads the older months only when the newer leave something unexplained."""
    if countback_unexplained(receivables, [sales for sales, _ in periods[:first]]) == 0:
        older = [(D("0"), days) for _, days in periods[first:]]
        assert dso_countback(receivables, periods[:first] + older) == dso_countback(receivables, periods)


def test_countback_months_are_the_standard_dso_stretched_by_a_quarter_plus_the_month_in_progress():
    # 6,160 owed on 2,500 of sales in 90 days: 221.76 days x 1.25 = 277.2 = 9.9 short months -> 9 + 2
    assert countback_months(D("6160"), D("2500"), 90, 24) == 11
    assert countback_months(D("100"), D("3000"), 90, 24) == 2  # 3.75 days: this month and the last
    assert countback_months(D("1000000"), D("1"), 90, 24) == 24  # capped
    assert countback_months(D("500"), D("0"), 90, 24) == 24  # no sales to measure by: all of them
    assert countback_months(D("500"), D("-20"), 90, 24) == 24
    assert countback_months(D("0"), D("3000"), 90, 24) == 1  # nothing owed: one window answers 0
    assert countback_months(D("-5"), D("3000"), 90, 0) == 0


@given(
    receivables=st.decimals(min_value=0, max_value=10**7, places=2),
    sales=st.decimals(min_value="0.01", max_value=10**6, places=2),
    count=st.integers(1, 24),
)
def test_countback_months_cover_the_countback_when_sales_are_flat(receivables, sales, count):
    """Month by month sales as steady as the last 90 days': the first read explains the receivables."""
    periods = [(sales * 30 / 90, 30)] * count
    first = countback_months(receivables, sales, 90, count)
    if first < count:
        assert countback_unexplained(receivables, [s for s, _ in periods[:first]]) == 0


def test_days_delinquent_are_dso_less_best_possible_dso():
    dso = dso_standard(D("120000"), D("180000"), 90)  # 120/180 x 90 = 60
    bpdso = best_possible_dso(D("60000"), D("180000"), 90)  # 60/180 x 90 = 30
    assert (dso, bpdso) == (D("60"), D("30"))
    assert average_days_delinquent(dso, bpdso) == D("30")
    assert average_days_delinquent(None, bpdso) is None
    assert average_days_delinquent(dso, None) is None


@pytest.mark.parametrize(
    ("sales", "average", "period_days", "turnover", "days"),
    [
        ("1200000", "150000", 360, "8", "45"),  # 1.2M / 150k = 8 times; 360 / 8 = 45 days
        ("1000000", "400000", 365, "2.5", "146"),  # 1M / 400k = 2.5; 365 / 2.5 = 146
        ("0", "400000", 365, "0", None),  # nothing sold: turnover 0, days undefined
        ("1000000", "0", 365, None, None),  # nothing owed on average: undefined
    ],
)
def test_turnover_and_its_days(sales, average, period_days, turnover, days):
    result = ar_turnover(D(sales), D(average))
    assert result == (None if turnover is None else D(turnover))
    assert turnover_days(period_days, result) == (None if days is None else D(days))


@pytest.mark.parametrize(
    ("opening", "sales", "closing_total", "closing_current", "expected"),
    [
        # Textbook: (100k + 60k - 90k) / (100k + 60k - 60k) x 100 = 70k / 100k x 100 = 70
        ("100000", "60000", "90000", "60000", "70"),
        # Everything collectible collected: closing total = closing current -> 100
        ("50000", "50000", "30000", "30000", "100"),
        # Nothing collectible: denominator 0 -> undefined
        ("0", "0", "0", "0", None),
    ],
)
def test_collection_effectiveness_index(opening, sales, closing_total, closing_current, expected):
    result = cei(D(opening), D(sales), D(closing_total), D(closing_current))
    assert result == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("function", "part", "whole", "expected"),
    [
        (collection_rate, "45000", "50000", "90"),  # 45/50 x 100
        (collection_rate, "1", "3", "33.33"),  # 33.333...
        (collection_rate, "10", "0", None),
        (overdue_ratio, "25000", "100000", "25"),  # 25/100 x 100
        (overdue_ratio, "0", "100000", "0"),
        (overdue_ratio, "10", "0", None),
    ],
)
def test_rates_are_percentages_and_undefined_over_nothing(function, part, whole, expected):
    result = function(D(part), D(whole))
    assert cents(result) == (None if expected is None else D(expected).quantize(D("0.01")))


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([("10", "100"), ("40", "300")], "32.5"),  # (10x100 + 40x300) / 400 = 13000 / 400
        ([("7", "1")], "7"),
        ([("5", "0"), ("9", "0")], None),  # no weight at all
        ([], None),
    ],
)
def test_weighted_average_weights_each_value(pairs, expected):
    result = weighted_average((D(value), D(weight)) for value, weight in pairs)
    assert result == (None if expected is None else D(expected))


@pytest.mark.parametrize(
    ("as_of", "count", "expected"),
    [
        (date(2024, 6, 30), 3, [  # a month end: whole calendar months
            (date(2024, 6, 1), date(2024, 6, 30)),
            (date(2024, 5, 1), date(2024, 5, 31)),
            (date(2024, 4, 1), date(2024, 4, 30)),
        ]),
        (date(2024, 6, 15), 2, [
            (date(2024, 5, 16), date(2024, 6, 15)),
            (date(2024, 4, 16), date(2024, 5, 15)),
        ]),
        (date(2024, 3, 31), 2, [  # February 2024 has 29 days
            (date(2024, 3, 1), date(2024, 3, 31)),
            (date(2024, 2, 1), date(2024, 2, 29)),
        ]),
        (date(2024, 4, 30), 2, [  # month end anchors on month ends: March ends on the 31st
            (date(2024, 4, 1), date(2024, 4, 30)),
            (date(2024, 3, 1), date(2024, 3, 31)),
        ]),
        (date(2024, 3, 30), 2, [  # not a month end: the 30th, clamped to 2/29
            (date(2024, 3, 1), date(2024, 3, 30)),
            (date(2024, 1, 31), date(2024, 2, 29)),
        ]),
        (date(2024, 1, 31), 2, [  # across the year
            (date(2024, 1, 1), date(2024, 1, 31)),
            (date(2023, 12, 1), date(2023, 12, 31)),
        ]),
        (date(2024, 6, 15), 0, []),
    ],
)
def test_month_windows_end_at_the_as_of_date_newest_first(as_of, count, expected):
    assert month_windows(as_of, count) == expected


def test_a_negative_count_of_windows_is_refused():
    with pytest.raises(ValueError, match="must not be negative"):
        month_windows(date(2024, 6, 30), -1)


@given(as_of=st.dates(date(1990, 1, 1), date(2090, 12, 31)), count=st.integers(1, 36))
def test_month_windows_are_contiguous_month_long_and_end_at_as_of(as_of, count):
    windows = month_windows(as_of, count)
    assert len(windows) == count
    assert windows[0][1] == as_of
    for (start, end), (_, older_end) in zip(windows, windows[1:]):
        assert start == older_end + timedelta(days=1)
    for start, end in windows:
        assert 28 <= (end - start).days + 1 <= 31


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2024, 1, 15), date(2024, 4, 10),
         [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 10)]),
        (date(2024, 1, 1), date(2024, 3, 31),
         [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]),
        (date(2023, 11, 30), date(2024, 1, 31),
         [date(2023, 11, 30), date(2023, 12, 31), date(2024, 1, 31)]),
        (date(2024, 6, 10), date(2024, 6, 20), [date(2024, 6, 20)]),
        (date(2024, 6, 30), date(2024, 6, 30), [date(2024, 6, 30)]),
    ],
)
def test_month_ends_list_each_month_end_and_finish_on_the_end_date(start, end, expected):
    assert month_ends(start, end) == expected


def test_month_ends_refuse_a_range_that_runs_backwards():
    with pytest.raises(ValueError, match="after end"):
        month_ends(date(2024, 6, 30), date(2024, 6, 1))
