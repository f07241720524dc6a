"""The demo generator: deterministic rows that the imports accept and a credit manager believes."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from credo.demo import HABITS, generate
from credo.demo.generator import COLUMNS, KINDS, business_days, first_month
from credo.domain.terms import due_date, parse_terms

UNTIL = date(2026, 6, 30)
# Every date that records an event; due dates of recent invoices lie ahead, as they should.
DATE_COLUMNS = {
    "fx-rates": ("rate_date",), "invoices": ("invoice_date",), "payments": ("payment_date",),
    "credit-notes": ("issue_date",),
}
MONEY_FILES = ("invoices", "payments", "credit-notes")


@pytest.fixture(scope="module")
def demo():
    return generate(customers=200, months=24, seed=7, until=UNTIL)


@pytest.fixture(scope="module")
def small():
    return generate(customers=40, months=12, seed=7, until=UNTIL)


def _dates(data):
    for kind, columns in DATE_COLUMNS.items():
        for row in data.rows[kind]:
            for column in columns:
                if row[column]:
                    yield kind, row, date.fromisoformat(row[column])


def test_the_same_arguments_give_the_same_rows(small):
    again = generate(customers=40, months=12, seed=7, until=UNTIL)
    assert dict(again.rows) == dict(small.rows)
    assert dict(again.habits) == dict(small.habits)


def test_another_seed_gives_other_rows(small):
    other = generate(customers=40, months=12, seed=8, until=UNTIL)
    assert other.rows["invoices"] != small.rows["invoices"]
    assert other.rows["customers"] != small.rows["customers"]


def test_every_file_has_exactly_its_columns(demo):
    assert KINDS == ("customers", "fx-rates", "invoices", "payments", "credit-notes")
    for kind in KINDS:
        assert demo.rows[kind], kind
        assert all(tuple(row) == COLUMNS[kind] for row in demo.rows[kind]), kind


def test_nothing_is_dated_after_until(demo):
    assert max(day for _, _, day in _dates(demo)) <= UNTIL


def test_invoices_start_in_the_first_of_the_months_asked_for(demo):
    issued = [date.fromisoformat(r["invoice_date"]) for r in demo.rows["invoices"]]
    assert first_month(UNTIL, 24) == date(2024, 7, 1)
    assert min(issued) >= date(2024, 7, 1)
    assert min(issued) < date(2024, 7, 15)


def test_every_payment_and_credit_note_names_a_customer_that_exists(demo):
    codes = {row["customer_code"] for row in demo.rows["customers"]}
    for kind in ("invoices", "payments", "credit-notes"):
        assert {row["customer_code"] for row in demo.rows[kind]} <= codes, kind


def test_an_invoice_named_by_a_payment_or_credit_note_is_the_customers_own(demo):
    owner = {row["invoice_number"]: row["customer_code"] for row in demo.rows["invoices"]}
    for kind in ("payments", "credit-notes"):
        for row in demo.rows[kind]:
            for number in filter(None, row["invoice_number"].split(";")):
                assert owner[number] == row["customer_code"], (kind, row)


def test_amounts_are_positive_with_at_most_two_decimals(demo):
    for kind in MONEY_FILES:
        for row in demo.rows[kind]:
            amount = Decimal(row["amount"])
            assert amount > 0, row
            assert amount.as_tuple().exponent >= -2, row


def test_keys_are_unique_and_numbers_carry_their_year(demo):
    invoices = demo.rows["invoices"]
    assert len({r["invoice_number"] for r in invoices}) == len(invoices)
    assert all(re.fullmatch(rf"INV-{r['invoice_date'][:4]}-\d{{6}}", r["invoice_number"]) for r in invoices)
    notes = demo.rows["credit-notes"]
    assert all(re.fullmatch(rf"CN-{r['issue_date'][:4]}-\d{{4}}", r["credit_note_number"]) for r in notes)
    refs = [r["payment_ref"] for r in demo.rows["payments"]]
    assert refs == [f"PAY-{n:06d}" for n in range(1, len(refs) + 1)]


def test_each_invoice_gives_its_terms_or_a_due_date_never_both(demo):
    for row in demo.rows["invoices"]:
        assert bool(row["terms"]) != bool(row["due_date"]), row
        if row["terms"]:
            parse_terms(row["terms"])
    assert any(row["due_date"] for row in demo.rows["invoices"])


def test_every_habit_is_present_among_200_customers(demo):
    counts = Counter(demo.habits.values())
    assert set(counts) == set(HABITS)
    assert 2 <= counts["write_off"] <= 4
    assert counts["prompt"] > counts["late"] > counts["disputing"]


def test_chinese_and_english_names_are_both_present(demo):
    names = [row["name"] for row in demo.rows["customers"]]
    chinese = [n for n in names if n.endswith("有限公司")]
    english = [n for n in names if n.isascii()]
    assert len(chinese) + len(english) == len(names)
    assert 0.55 < len(chinese) / len(names) < 0.85
    assert len(set(names)) == len(names)


def test_language_follows_the_name_and_emails_are_on_example_domains(demo):
    for row in demo.rows["customers"]:
        assert row["language"] == ("en" if row["name"].isascii() else "zh"), row
        assert re.fullmatch(r"[a-z.0-9]+@example\.(com|cn)", row["contact_email"]), row
    emails = [row["contact_email"] for row in demo.rows["customers"]]
    assert len(set(emails)) == len(emails)


def test_a_few_groups_of_two_to_four_customers(demo):
    groups = Counter(row["group_code"] for row in demo.rows["customers"] if row["group_code"])
    assert 3 <= len(groups) <= 5
    assert all(2 <= n <= 4 for n in groups.values())


def test_fx_rates_cover_each_month_for_each_foreign_currency_used(demo):
    used = {row["currency"] for row in demo.rows["customers"]} - {"CNY"}
    rates = demo.rows["fx-rates"]
    assert used and {r["currency"] for r in rates} == used
    for currency in used:
        assert sum(r["currency"] == currency for r in rates) == 24
    bounds = {"USD": (Decimal("7.10"), Decimal("7.30")), "EUR": (Decimal("7.70"), Decimal("7.95"))}
    for rate in rates:
        low, high = bounds[rate["currency"]]
        assert low <= Decimal(rate["rate"]) <= high and Decimal(rate["rate"]).as_tuple().exponent == -4


def test_no_invoice_is_left_with_more_open_than_its_amount_or_less_than_nothing(demo):
    amounts = {r["invoice_number"]: Decimal(r["amount"]) * 100 for r in demo.rows["invoices"]}
    assert set(demo.open_amounts) == set(amounts)
    assert all(0 <= demo.open_amounts[n] <= amounts[n] for n in amounts)


def test_payments_mostly_name_invoices_some_name_none_and_some_several(demo):
    named = Counter(min(len(r["invoice_number"].split(";")), 2) if r["invoice_number"] else 0
                    for r in demo.rows["payments"])
    total = sum(named.values())
    assert named[1] / total > 0.8
    assert named[0] > 0 and named[2] > 0


def test_credit_notes_are_two_to_three_percent_of_invoices_some_naming_none(demo):
    notes, invoices = demo.rows["credit-notes"], demo.rows["invoices"]
    assert 0.015 < len(notes) / len(invoices) < 0.035
    assert any(not r["invoice_number"] for r in notes)
    assert any("quality claim" in r["reason"] or "price difference" in r["reason"] for r in notes)


def _due_date(row, is_business_day) -> date:
    if row["due_date"]:
        return date.fromisoformat(row["due_date"])
    return due_date(parse_terms(row["terms"]), date.fromisoformat(row["invoice_date"]), is_business_day)


def test_the_portfolio_at_until_is_plausible(demo):
    """Roughly 15-25 % of the open balance overdue, some of it far behind; recent invoices mostly open."""
    is_business_day = business_days("CN")
    open_total = overdue = far_behind = not_due = not_due_open = 0
    for row in demo.rows["invoices"]:
        left = demo.open_amounts[row["invoice_number"]]
        days_late = (UNTIL - _due_date(row, is_business_day)).days
        open_total += left
        overdue += left if days_late > 0 else 0
        far_behind += left if days_late > 180 else 0
        not_due += days_late <= 0
        not_due_open += days_late <= 0 and left > 0
    assert 0.12 < overdue / open_total < 0.30
    assert far_behind > 0
    assert not_due_open / not_due > 0.7


def test_too_small_a_demo_is_refused():
    from credo.errors import InvalidInput

    with pytest.raises(InvalidInput):
        generate(customers=0, months=12, seed=7, until=UNTIL)
    with pytest.raises(InvalidInput):
        generate(customers=5, months=0, seed=7, until=UNTIL)


@pytest.mark.parametrize("customers, months", [(1, 1), (3, 2), (7, 40)])
def test_tiny_and_long_demos_still_generate(customers, months):
    data = generate(customers=customers, months=months, seed=1, until=date(2026, 1, 5))
    assert len(data.rows["customers"]) == customers
    assert all(day <= date(2026, 1, 5) for _, _, day in _dates(data))
