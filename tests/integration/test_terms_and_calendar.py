"""Due dates derived from terms at import, rolled over the company's holiday calendar."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from builders import CUSTOMERS, INVOICES, load, write_csv
from credo.services.companies import add_company
from credo.store.tables import invoices


def test_due_dates_follow_terms_and_roll_over_chinese_holidays(db, tmp_path):
    with db.begin() as conn:
        company = add_company(conn, code="CN1", name="华东", base_currency="CNY", calendar="CN", actor="t")
    write_csv(tmp_path / "c.csv", CUSTOMERS, [["K1", "甲", "CNY", "NET30", "", "", ""]])
    write_csv(tmp_path / "i.csv", INVOICES, [
        ["A", "K1", "2024-09-01", "", "", "100", ""],            # customer's NET30: 10-01 National Day -> 10-08
        ["B", "K1", "2024-03-05", "", "EOM30", "100", ""],       # 月结30: 03-31 + 30 = 04-30, a Tuesday
        ["C", "K1", "2024-06-03", "", "2/10 NET30", "1000", ""],  # discount until 06-13 (Thu), due 07-03 (Wed)
        ["D", "K1", "2024-09-01", "2024-10-01", "", "100", ""],  # an explicit due date is kept as given
    ])
    load(db, company, "customers", tmp_path / "c.csv")
    load(db, company, "invoices", tmp_path / "i.csv")
    with db.connect() as conn:
        rows = {r.number: r for r in conn.execute(select(invoices))}
    assert rows["A"].due_date == date(2024, 10, 8)
    assert rows["B"].due_date == date(2024, 4, 30) and rows["B"].terms == "EOM30"
    assert (rows["C"].discount_date, rows["C"].discount_amount, rows["C"].due_date) == (
        date(2024, 6, 13), 2000, date(2024, 7, 3))
    assert rows["D"].due_date == date(2024, 10, 1)
