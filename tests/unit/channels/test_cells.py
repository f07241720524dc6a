"""Cell parsers: what each accepts, what it refuses and how the refusal reads."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.channels.cells import (
    RowError, SourceRow, infer_date_format, parse_amount, parse_choice, parse_currency, parse_date,
    parse_int, parse_row, parse_text, require_columns,
)
from credo.errors import InvalidInput

MARCH_5 = date(2024, 3, 5)


@pytest.mark.parametrize("text", [
    "2024-03-05", "2024/3/5", "2024.3.5", "20240305", "2024年3月5日", "2024 年 3 月 5 日",
    "2024-03-05 00:00:00", "2024-03-05T00:00", " 2024-03-05 ", "２０２４－０３－０５", "5 Mar 2024",
    "05-Mar-2024", "Mar 5, 2024",
])
def test_every_unambiguous_date_form_reads_as_the_same_day(text):
    assert parse_date(text) == MARCH_5


def test_a_time_of_day_after_the_date_is_ignored_and_the_date_taken_as_written():
    assert parse_date("2024-03-05 23:59:59") == MARCH_5
    assert parse_date("2024年3月5日 14:30") == MARCH_5


@pytest.mark.parametrize("text, expected", [
    ("13/5/2024", date(2024, 5, 13)),
    ("5/13/2024", date(2024, 5, 13)),
    ("5/5/2024", date(2024, 5, 5)),
])
def test_year_last_dates_are_read_when_a_part_above_twelve_tells_the_order(text, expected):
    assert parse_date(text) == expected


def test_an_ambiguous_date_asks_for_a_date_format():
    with pytest.raises(ValueError) as caught:
        parse_date("3/5/2024")
    assert str(caught.value) == "ambiguous date '3/5/2024': pass --date-format %m/%d/%Y or %d/%m/%Y"


def test_the_ambiguity_hint_uses_the_separator_of_the_file():
    with pytest.raises(ValueError, match=r"%m\.%d\.%Y or %d\.%m\.%Y"):
        parse_date("05.03.2024")


@pytest.mark.parametrize("fmt, expected", [("%m/%d/%Y", date(2024, 3, 5)), ("%d/%m/%Y", date(2024, 5, 3))])
def test_a_date_format_settles_an_ambiguous_date(fmt, expected):
    assert parse_date("3/5/2024", fmt) == expected


def test_with_a_date_format_the_unambiguous_forms_still_read():
    assert parse_date("2024-03-05", "%d/%m/%Y") == MARCH_5
    assert parse_date("2024年3月5日", "%d/%m/%Y") == MARCH_5


def test_with_a_date_format_a_year_last_date_that_contradicts_it_is_refused():
    with pytest.raises(ValueError, match=r"not a date in the format %m/%d/%Y: '13/5/2024'"):
        parse_date("13/5/2024", "%m/%d/%Y")


@pytest.mark.parametrize("text, fmt", [("2024-02-30", None), ("2023-02-29", None), ("20241301", None),
                                       ("2/30/2024", "%m/%d/%Y"), ("31/4/2024", None)])
def test_impossible_dates_are_refused_as_such(text, fmt):
    with pytest.raises(ValueError, match=f"no such date: '{text}'"):
        parse_date(text, fmt)


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("   ", "empty"), ("abc", "not a date: 'abc'"), ("3/5/24", "not a date"),
    ("2204-03-05", "year 2204 out of range"), ("45356", "spreadsheet date serial"),
])
def test_text_that_is_no_date_is_refused_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_date(text)


def test_a_column_of_dates_tells_its_order_from_one_telling_cell():
    assert infer_date_format(["1/2/2013", "3/4/2013", "1/26/2013"]) == "%m/%d/%Y"
    assert infer_date_format(["1.2.2013", "26.1.2013"]) == "%d.%m.%Y"
    assert infer_date_format(["1/2/2013", "2024-01-30"]) is None


def test_a_column_mixing_both_orders_is_refused():
    with pytest.raises(ValueError, match="mixes day-first"):
        infer_date_format(["13/1/2024", "1/13/2024"])


@pytest.mark.parametrize("text, expected", [
    ("1234.5", "1234.5"), ("1,234.50", "1234.50"), ("¥1,234.50", "1234.50"), ("￥1,234.50", "1234.50"),
    ("RMB 1,234.50", "1234.50"), ("CNY1234.50", "1234.50"), ("$1,234.50", "1234.50"), ("US$ 12", "12"),
    ("1,234.50 CNY", "1234.50"), ("1,234.50元", "1234.50"), ("-1,234.50", "-1234.50"),
    ("(1,234.50)", "-1234.50"), ("(¥1,234.50)", "-1234.50"), ("-¥1,234.50", "-1234.50"),
    ("1,234.50-", "-1234.50"), ("１２３４.５０", "1234.50"), ("１，２３４.５０", "1234.50"),
    ("  42  ", "42"), ("1,500", "1500"), ("1,234,567.89", "1234567.89"), ("0.10", "0.10"),
    ("-0.00", "0.00"), ("\u22125", "-5"),
])
def test_amount_forms_read_as_the_exact_decimal(text, expected):
    value = parse_amount(text)
    assert value == Decimal(expected) and str(value) == expected


@pytest.mark.parametrize("text, reason", [
    ("", "empty"), ("abc", "not a number: 'abc'"), ("1,23,4", "misplaced thousands separator"),
    ("NaN", "not a number"), ("Infinity", "not a number"), ("-inf", "not a number"),
    ("1e5", "exponent notation"), ("1.5E+3", "exponent notation"),
    ("1.234,50", "comma as decimal point"), ("€1.234,50", "comma as decimal point"),
    ("12,5", "comma as decimal point"), ("1.2.3", "more than one decimal point"),
    ("--5", "more than one minus sign"), ("(-5)", "more than one minus sign"),
    ("INV-001", "not a number"), ("12 34", "not a number"), ("1_000", "not a number"),
    ("9999999999999999", "too large"),
])
def test_text_that_is_no_plain_amount_is_refused_with_a_reason(text, reason):
    with pytest.raises(ValueError, match=reason):
        parse_amount(text)


@given(st.decimals(min_value=Decimal("-999999999999.99"), max_value=Decimal("999999999999.99"),
                   places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["", "¥", "￥", "RMB ", "CNY"]), st.booleans())
def test_a_two_place_amount_formatted_with_separators_reads_back_unchanged(amount, symbol, brackets):
    body = f"{symbol}{abs(amount):,.2f}"
    text = (f"({body})" if brackets else f"-{body}") if amount < 0 else body
    assert parse_amount(text) == amount


@pytest.mark.parametrize("text, expected", [("30", 30), (" 1,200 ", 1200), ("-3", -3), ("30.0", 30), ("４５", 45)])
def test_whole_numbers_read_with_separators_and_full_width_digits(text, expected):
    assert parse_int(text) == expected


@pytest.mark.parametrize("text", ["", "30.5", "thirty", "1e3"])
def test_a_fraction_or_word_is_no_whole_number(text):
    with pytest.raises(ValueError):
        parse_int(text)


def test_a_choice_matches_ignoring_case_and_returns_the_choice_as_given():
    assert parse_choice(" yes ", ["Yes", "No"]) == "Yes"
    with pytest.raises(ValueError, match="expected one of Yes, No: 'maybe'"):
        parse_choice("maybe", ["Yes", "No"])


def test_text_is_kept_as_written_within_its_length():
    assert parse_text("  上海华联贸易有限公司 ", 10) == "上海华联贸易有限公司"
    with pytest.raises(ValueError, match="longer than 5 characters"):
        parse_text("上海华联贸易有限公司", 5)
    with pytest.raises(ValueError, match="control characters"):
        parse_text("ACME\x00", 20)


@pytest.mark.parametrize("text, expected", [
    ("cny", "CNY"), (" usd ", "USD"), ("¥", "CNY"), ("￥", "CNY"), ("RMB", "CNY"), ("rmb", "CNY"),
    ("人民币", "CNY"), ("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("ＥＵＲ", "EUR"), ("HK$", "HKD"),
])
def test_currency_codes_and_symbols_read_as_iso_codes(text, expected):
    assert parse_currency(text) == expected


@pytest.mark.parametrize("text", ["", "US", "EURO", "12A"])
def test_a_currency_that_is_no_three_letter_code_is_refused(text):
    with pytest.raises(ValueError):
        parse_currency(text)


def test_a_row_error_reads_as_file_row_column_and_reason():
    assert str(RowError("invoices.csv", 7, "amount", "not a number: 'abc'")) == \
        "invoices.csv:7:amount: not a number: 'abc'"
    assert str(RowError("invoices.csv", 7, "", "too many cells")) == "invoices.csv:7:: too many cells"


def test_parse_row_collects_every_bad_cell_and_leaves_blank_optional_cells_none():
    source = SourceRow(4, {"amount": "abc", "invoice_date": "2024-02-30", "due_date": "", "terms": ""})
    parsers = {"amount": parse_amount, "invoice_date": parse_date, "due_date": parse_date, "terms": str}
    values, errors = parse_row("invoices.csv", source, parsers, required={"terms"})
    assert values == {"amount": None, "invoice_date": None, "due_date": None, "terms": None}
    assert [str(e) for e in errors] == [
        "invoices.csv:4:amount: not a number: 'abc'",
        "invoices.csv:4:invoice_date: no such date: '2024-02-30'",
        "invoices.csv:4:terms: required",
    ]


def test_a_file_without_a_needed_column_is_refused_whole():
    with pytest.raises(InvalidInput, match="invoices.csv: missing column.s. amount"):
        require_columns("invoices.csv", ["invoice_number"], ["invoice_number", "amount"])
