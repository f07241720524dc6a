from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.domain.terms import (
    MAX_ROLL_DAYS,
    PaymentTerms,
    TermsKind,
    discount_amount,
    discount_date,
    due_date,
    parse_terms,
    roll_forward,
)

NET, EOM = TermsKind.NET, TermsKind.END_OF_MONTH


@pytest.mark.parametrize(
    ("text", "code", "kind", "days"),
    [
        ("NET30", "NET30", NET, 30),
        ("N30", "NET30", NET, 30),
        ("net 30", "NET30", NET, 30),
        ("  Net30  ", "NET30", NET, 30),
        ("30", "NET30", NET, 30),
        ("net 30 days", "NET30", NET, 30),
        ("NET60", "NET60", NET, 60),
        ("EOM30", "EOM30", EOM, 30),
        ("EOM+30", "EOM30", EOM, 30),
        ("eom 30", "EOM30", EOM, 30),
        ("EOM", "EOM0", EOM, 0),
        ("月结30", "EOM30", EOM, 30),
        ("月结30天", "EOM30", EOM, 30),
        ("月结 60 天", "EOM60", EOM, 60),
        ("月结３０天", "EOM30", EOM, 30),  # full-width digits from a Chinese input method
        ("COD", "NET0", NET, 0),
        ("cod", "NET0", NET, 0),
        ("现结", "NET0", NET, 0),
    ],
)
def test_terms_are_read_the_way_people_write_them(text, code, kind, days):
    terms = parse_terms(text)
    assert (terms.code, terms.kind, terms.days) == (code, kind, days)
    assert terms.discount_days is None and terms.discount_percent is None


@pytest.mark.parametrize(
    ("text", "code", "percent", "discount_days", "days"),
    [
        ("2/10 NET30", "2/10 NET30", Decimal("2"), 10, 30),
        ("2/10 N30", "2/10 NET30", Decimal("2"), 10, 30),
        ("2/10NET30", "2/10 NET30", Decimal("2"), 10, 30),
        ("2 / 10 net 30", "2/10 NET30", Decimal("2"), 10, 30),
        ("1.5/10 net 45", "1.5/10 NET45", Decimal("1.5"), 10, 45),
        ("2.0/10 NET30", "2/10 NET30", Decimal("2"), 10, 30),
        ("2/10 EOM30", "2/10 EOM30", Decimal("2"), 10, 30),
    ],
)
def test_cash_discount_terms_keep_percent_and_period(text, code, percent, discount_days, days):
    terms = parse_terms(text)
    assert terms.code == code
    assert (terms.discount_percent, terms.discount_days, terms.days) == (
        percent,
        discount_days,
        days,
    )


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("XYZ", "unknown payment terms 'XYZ': use NET30, EOM30 (月结30) or 2/10 NET30"),
        ("", "unknown payment terms"),
        ("NET", "unknown payment terms"),
        ("NET30X", "unknown payment terms"),
        ("2/10", "unknown payment terms"),
        ("NET-5", "must not be negative"),
        ("EOM-5", "must not be negative"),
        ("-30", "must not be negative"),
        ("2/30 NET30", "discount period (30 days) must be shorter than the net period (30 days)"),
        ("2/45 NET30", "must be shorter"),
        ("0/10 NET30", "between 0 and 100 percent"),
        ("100/10 NET30", "between 0 and 100 percent"),
        ("NET99999", "surely a typo"),
    ],
)
def test_unreadable_terms_are_refused_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_terms(text)


@pytest.mark.parametrize(
    ("text", "invoice_date", "expected"),
    [
        ("NET30", date(2024, 3, 5), date(2024, 4, 4)),  # 3/5 + 30 days
        ("NET0", date(2024, 3, 5), date(2024, 3, 5)),
        ("NET30", date(2024, 12, 15), date(2025, 1, 14)),  # 16 days to 12/31, 14 into January
        ("月结30", date(2024, 3, 5), date(2024, 4, 30)),  # 3/31 + 30
        ("EOM30", date(2024, 3, 31), date(2024, 4, 30)),  # already month end
        ("EOM30", date(2024, 2, 1), date(2024, 3, 30)),  # 2/29 (leap) + 30
        ("EOM30", date(2023, 2, 1), date(2023, 3, 30)),  # 2/28 + 30
        ("EOM0", date(2024, 6, 10), date(2024, 6, 30)),
        ("EOM60", date(2024, 11, 20), date(2025, 1, 29)),  # 11/30 + 60: 31 in Dec, 29 in Jan
    ],
)
def test_end_of_month_terms_run_from_the_last_day_of_the_invoice_month(
    text, invoice_date, expected
):
    assert due_date(parse_terms(text), invoice_date) == expected


def _weekdays(day: date) -> bool:
    return day.weekday() < 5


@pytest.mark.parametrize(
    ("text", "invoice_date", "expected"),
    [
        ("NET30", date(2024, 6, 1), date(2024, 7, 1)),  # 7/1 is a Monday: stays
        ("NET29", date(2024, 6, 1), date(2024, 7, 1)),  # Sunday 6/30 -> Monday 7/1
        ("NET28", date(2024, 6, 1), date(2024, 7, 1)),  # Saturday 6/29 -> Monday 7/1
        ("EOM0", date(2024, 8, 5), date(2024, 9, 2)),  # Saturday 8/31 -> Monday 9/2
    ],
)
def test_a_due_date_on_a_closed_day_rolls_to_the_next_business_day(text, invoice_date, expected):
    assert due_date(parse_terms(text), invoice_date, _weekdays) == expected


def test_roll_forward_gives_up_on_a_calendar_without_business_days():
    with pytest.raises(ValueError, match=f"no business day within {MAX_ROLL_DAYS} days"):
        roll_forward(date(2024, 1, 1), lambda day: False)


def test_roll_forward_accepts_a_business_day_a_full_year_away():
    target = date(2024, 1, 1) + timedelta(days=MAX_ROLL_DAYS)
    assert roll_forward(date(2024, 1, 1), lambda day: day == target) == target


@pytest.mark.parametrize(
    ("text", "invoice_date", "calendar", "expected"),
    [
        ("2/10 NET30", date(2024, 3, 5), None, date(2024, 3, 15)),  # 3/5 + 10
        ("2/10 NET30", date(2024, 6, 5), _weekdays, date(2024, 6, 17)),  # Sat 6/15 -> Mon 6/17
        ("2/10 EOM30", date(2024, 3, 5), None, date(2024, 4, 10)),  # 3/31 + 10
        ("NET30", date(2024, 3, 5), None, None),
    ],
)
def test_the_discount_date_counts_from_the_same_base_as_the_due_date(
    text, invoice_date, calendar, expected
):
    assert discount_date(parse_terms(text), invoice_date, calendar) == expected


@pytest.mark.parametrize(
    ("text", "amount", "currency", "expected"),
    [
        ("2/10 NET30", "1000.00", "CNY", "20.00"),  # 1000 x 2%
        ("2/10 NET30", "1234.56", "CNY", "24.69"),  # 24.6912 -> 24.69
        ("2/10 NET30", "0.25", "CNY", "0.01"),  # 0.005 -> 0.01 (HALF_UP, not half-even 0.00)
        ("1.5/10 NET45", "999.99", "USD", "15.00"),  # 14.99985 -> 15.00
        ("2/10 NET30", "12345", "JPY", "247"),  # 246.9 -> 247, no minor unit
        ("NET30", "1000.00", "CNY", "0"),
    ],
)
def test_the_discount_is_rounded_half_up_to_the_minor_unit(text, amount, currency, expected):
    assert discount_amount(parse_terms(text), Decimal(amount), currency) == Decimal(expected)


def test_terms_are_plain_values():
    assert parse_terms("net 30") == parse_terms("N30") == PaymentTerms("NET30", NET, 30)


@given(
    kind=st.sampled_from(["NET", "EOM", "月结", "N", ""]),
    days=st.integers(min_value=0, max_value=3660),
)
def test_the_canonical_code_reads_back_to_the_same_terms(kind, days):
    terms = parse_terms(f"{kind}{days}")
    assert parse_terms(terms.code) == terms


@given(
    percent=st.decimals(min_value="0.1", max_value="99.9", places=1),
    discount_days=st.integers(min_value=0, max_value=100),
    extra=st.integers(min_value=1, max_value=100),
)
def test_discount_codes_read_back_to_the_same_terms(percent, discount_days, extra):
    terms = parse_terms(f"{percent}/{discount_days} net {discount_days + extra}")
    assert parse_terms(terms.code) == terms


@given(
    text=st.sampled_from(["NET30", "EOM30", "EOM0", "NET0", "2/10 NET30", "月结60"]),
    invoice_date=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
)
def test_a_business_day_due_date_is_never_before_the_calendar_one(text, invoice_date):
    terms = parse_terms(text)
    plain = due_date(terms, invoice_date)
    rolled = due_date(terms, invoice_date, _weekdays)
    assert plain <= rolled <= plain + timedelta(days=2)
    assert _weekdays(rolled)
    assert plain >= invoice_date
