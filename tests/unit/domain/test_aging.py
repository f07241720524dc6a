from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.domain.aging import (
    DEFAULT_LIMITS,
    Bucket,
    age_items,
    bucket_label,
    bucket_start_dates,
    parse_buckets,
)
from credo.domain.money import ZERO
from credo.domain.records import AgedItem

AS_OF = date(2024, 6, 30)
DUE_LABELS = ("not_due", "1-30", "31-60", "61-90", "91-180", "181-365", ">365")
INVOICE_LABELS = ("0-30", "31-60", "61-90", "91-180", "181-365", ">365")


def item(key, days_past_due, amount, days_since_invoice=None):
    """An open item `days_past_due` days past due as of AS_OF (issued 30 days before due)."""
    due = AS_OF - timedelta(days=days_past_due)
    if days_since_invoice is None:
        issue = due - timedelta(days=30)
    else:
        issue = AS_OF - timedelta(days=days_since_invoice)
    return AgedItem(key, issue, due, Decimal(amount))


@pytest.mark.parametrize(
    ("spec", "labels"),
    [
        (None, DUE_LABELS),
        ("30,60,90,180,365", DUE_LABELS),
        (" 30 , 60, 90,180 ,365 ", DUE_LABELS),
        ("30，60，90，180，365", DUE_LABELS),  # full-width commas
        ([30, 60, 90, 180, 365], DUE_LABELS),
        ((15,), ("not_due", "1-15", ">15")),
        ("30,60,90,120,150,180,270,365,720", ("not_due", "1-30", "31-60", "61-90", "91-120",
                                              "121-150", "151-180", "181-270", "271-365",
                                              "366-720", ">720")),
    ],
)
def test_bucket_limits_become_a_days_past_due_ladder(spec, labels):
    assert tuple(bucket.label for bucket in parse_buckets(spec)) == labels


def test_the_days_past_due_ladder_counts_due_today_as_not_due():
    buckets = parse_buckets(None)
    assert buckets[0] == Bucket("not_due", None, 0)
    assert buckets[1] == Bucket("1-30", 1, 30)
    assert buckets[-1] == Bucket(">365", 366, None)


def test_the_days_since_invoice_ladder_starts_at_zero():
    buckets = parse_buckets(DEFAULT_LIMITS, basis="invoice")
    assert tuple(bucket.label for bucket in buckets) == INVOICE_LABELS
    assert buckets[0] == Bucket("0-30", None, 30)
    assert buckets[1] == Bucket("31-60", 31, 60)
    assert buckets[-1] == Bucket(">365", 366, None)


@pytest.mark.parametrize(
    ("spec", "basis", "reason"),
    [
        ("30,60,60", "due", "must increase: 60 follows 60"),
        ("60,30", "due", "must increase: 30 follows 60"),
        ("0,30", "due", "must be a positive number"),
        ("-30,60", "due", "must be a positive number"),
        ("30,abc", "due", "'abc' is not a whole number"),
        ("30,45.5", "due", "'45.5' is not a whole number"),
        ([30, 45.5], "due", "45.5 is not a whole number"),
        ([True], "due", "True is not a whole number"),
        ("", "due", "no bucket limits given"),
        ([], "due", "no bucket limits given"),
        ("30,,60", "due", "'' is not a whole number"),
        (None, "paid", "unknown aging basis 'paid'"),
    ],
)
def test_bad_bucket_limits_are_refused_with_a_reason(spec, basis, reason):
    with pytest.raises(ValueError, match=reason):
        parse_buckets(spec, basis)


@pytest.mark.parametrize(
    ("days", "label"),
    [
        (-10, "not_due"),
        (0, "not_due"),  # due today is not yet late
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (90, "61-90"),
        (91, "91-180"),
        (365, "181-365"),
        (366, ">365"),
        (5000, ">365"),
    ],
)
def test_each_day_count_falls_in_exactly_one_bucket(days, label):
    assert bucket_label(days, parse_buckets(None)) == label


def test_a_ladder_with_a_gap_is_reported():
    with pytest.raises(ValueError, match="gap"):
        bucket_label(5, (Bucket("a", None, 0), Bucket("b", 10, None)))


def test_aging_splits_open_amounts_by_key_and_bucket():
    items = [
        item("C2", 0, "100.00"),  # due today: not due
        item("C1", 5, "200.00"),  # 1-30
        item("C1", 45, "50.50"),  # 31-60
        item("C1", 45, "49.50"),  # 31-60 again: 100.00
        item("C1", 400, "10.00"),  # >365
        item("C2", -3, "-20.00"),  # a credit note, not due yet
        item("C3", 10, "0"),  # settled: ignored, no row
    ]
    report = age_items(items, AS_OF, parse_buckets(None))
    assert report.as_of == AS_OF
    assert report.labels == DUE_LABELS
    assert [row.key for row in report.rows] == ["C1", "C2"]
    c1, c2 = report.rows
    assert c1.buckets == {"not_due": ZERO, "1-30": Decimal("200.00"), "31-60": Decimal("100.00"),
                          "61-90": ZERO, "91-180": ZERO, "181-365": ZERO, ">365": Decimal("10")}
    assert c1.total == Decimal("310.00")  # 200 + 100 + 10
    assert c2.buckets["not_due"] == Decimal("80.00")  # 100 - 20
    assert c2.total == Decimal("80.00")
    assert report.totals.buckets["not_due"] == Decimal("80.00")
    assert report.totals.buckets["1-30"] == Decimal("200.00")
    assert report.totals.total == Decimal("390.00")  # 310 + 80


def test_aging_by_invoice_date_counts_days_since_issue():
    items = [
        item("C1", -20, "100", days_since_invoice=10),  # 0-30
        item("C1", 10, "200", days_since_invoice=40),  # 31-60
        item("C1", 0, "300", days_since_invoice=-2),  # issued after as_of: 0-30
    ]
    report = age_items(items, AS_OF, parse_buckets(None, "invoice"), basis="invoice")
    assert report.labels == INVOICE_LABELS
    assert report.rows[0].buckets["0-30"] == Decimal("400")  # 100 + 300
    assert report.rows[0].buckets["31-60"] == Decimal("200")


def test_aging_of_nothing_has_zero_totals_for_every_label():
    report = age_items([], AS_OF, parse_buckets(None))
    assert report.rows == ()
    assert report.totals.buckets == dict.fromkeys(DUE_LABELS, ZERO)
    assert report.totals.total == ZERO


def test_bucket_start_dates_let_sql_bucket_by_comparing_dates():
    starts = bucket_start_dates(AS_OF, parse_buckets(None), "due")
    assert starts == [
        ("not_due", date(2024, 6, 30)),  # due today or later
        ("1-30", date(2024, 5, 31)),  # 6/30 - 30
        ("31-60", date(2024, 5, 1)),  # 6/30 - 60
        ("61-90", date(2024, 4, 1)),  # 6/30 - 90
        ("91-180", date(2024, 1, 2)),  # 6/30 - 180
        ("181-365", date(2023, 7, 1)),  # 6/30 - 365 (2024 is a leap year)
        (">365", None),  # everything older
    ]


def _classify_by_dates(day, starts):
    for label, start in starts:
        if start is None or day >= start:
            return label
    raise AssertionError("no bucket matched")


@pytest.mark.parametrize("basis", ["due", "invoice"])
@pytest.mark.parametrize("spec", [None, "15", "30,60,90,120,150,180,270,365,720"])
def test_date_comparisons_classify_every_day_as_the_day_count_does(basis, spec):
    buckets = parse_buckets(spec, basis)
    starts = bucket_start_dates(AS_OF, buckets, basis)
    for offset in range(-5, 801):
        day = AS_OF - timedelta(days=offset)
        assert _classify_by_dates(day, starts) == bucket_label(offset, buckets), offset


limits_strategy = st.lists(st.integers(1, 800), min_size=1, max_size=9, unique=True).map(sorted)
items_strategy = st.lists(
    st.builds(
        AgedItem,
        key=st.sampled_from(["A", "B", "C", "客户D"]),
        issue_date=st.dates(date(2020, 1, 1), date(2026, 12, 31)),
        due_date=st.dates(date(2020, 1, 1), date(2026, 12, 31)),
        open_amount=st.decimals(min_value="-1000000", max_value="1000000", places=2),
    ),
    max_size=40,
)


@given(
    items=items_strategy,
    as_of=st.dates(date(2020, 1, 1), date(2027, 12, 31)),
    limits=limits_strategy,
    basis=st.sampled_from(["due", "invoice"]),
)
def test_buckets_always_sum_to_the_open_balance(items, as_of, limits, basis):
    buckets = parse_buckets(limits, basis)
    report = age_items(items, as_of, buckets, basis)
    for row in report.rows:
        assert set(row.buckets) == set(report.labels)
        assert sum(row.buckets.values(), ZERO) == row.total
        assert row.total == sum((i.open_amount for i in items if i.key == row.key), ZERO)
    assert sum(report.totals.buckets.values(), ZERO) == report.totals.total
    assert report.totals.total == sum((i.open_amount for i in items), ZERO)
    assert [row.key for row in report.rows] == sorted({i.key for i in items if i.open_amount})
