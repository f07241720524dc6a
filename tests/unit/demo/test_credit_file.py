"""The demo's credit files: deterministic rows, dated by `until`, strength following the habit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from credo.demo import generate
from credo.demo.credit_file import COLUMNS, credit_file_rows

UNTIL = date(2026, 6, 30)
DEMO = generate(customers=200, months=24, seed=7, until=UNTIL)


def test_the_same_seed_and_date_give_the_same_credit_file_rows():
    assert credit_file_rows(DEMO, 7, UNTIL) == credit_file_rows(generate(customers=200, months=24, seed=7,
                                                                          until=UNTIL), 7, UNTIL)


def test_every_row_has_exactly_its_columns_and_nothing_is_recorded_after_until():
    for kind, rows in credit_file_rows(DEMO, 7, UNTIL).items():
        assert rows, kind
        for row in rows:
            assert tuple(row) == COLUMNS[kind] or set(row) == set(COLUMNS[kind])
            assert date.fromisoformat(row["recorded_on"]) <= UNTIL


def test_two_years_of_statements_known_by_until_and_group_members_share_their_groups():
    statements = credit_file_rows(DEMO, 7, UNTIL)["financials"]
    assert {row["period_end"] for row in statements} == {"2024-12-31", "2025-12-31"}
    grouped = {c["customer_code"] for c in DEMO.rows["customers"] if c["group_code"]}
    assert not grouped & {row["customer_code"] for row in statements}
    assert any(row["group_code"] for row in statements)


def test_write_off_candidates_are_more_leveraged_than_prompt_payers():
    def leverage(habit):
        codes = {code for code, h in DEMO.habits.items() if h == habit}
        rows = [r for r in credit_file_rows(DEMO, 7, UNTIL)["financials"] if r["customer_code"] in codes]
        return sum(Decimal(r["total_liabilities"]) / Decimal(r["total_assets"]) for r in rows) / len(rows)
    assert leverage("write_off") > leverage("prompt") + Decimal("0.2")
