"""The ledger's own history as labelled records (credo credit history), by hand on the acme ledger
(tests/conftest.py), and a scorecard trained on the demo ledger's history."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from credo.errors import InvalidInput
from credo.services.credit import statistical
from credo.services.credit.history import COLUMNS, labelled_history

LATER = date(2024, 12, 31)  # "today" for the label's look-ahead


@pytest.mark.db
def test_features_as_of_a_date_and_the_label_by_hand(acme, db):
    with db.connect() as conn:
        six = labelled_history(conn, acme, date(2024, 3, 15), 6, today=LATER)
        three = labelled_history(conn, acme, date(2024, 3, 15), 3, today=LATER)
    rows = {r[0]: dict(zip(COLUMNS, r)) for r in six.rows}
    assert list(rows) == ["C1", "C2"]  # C3's first invoice (I4) is dated 2024-05-20, after the date
    # C1: I1 (1,000, issued 01-10, due 02-09) paid 02-20: 41 days to pay, 11 late; I2 open 1,500, not yet due.
    assert {k: rows["C1"][k] for k in ("settled_12m", "late_share", "average_days_to_pay", "average_days_late",
                                       "open_amount", "overdue_share", "over_90_share")} == {
        "settled_12m": 1, "late_share": "1.0000", "average_days_to_pay": "41.0", "average_days_late": "11.0",
        "open_amount": "1500.00", "overdue_share": "0.0000", "over_90_share": "0.0000"}
    # C2: I3 USD 500 due 03-30, nothing settled yet: 3,500.00 at the rate of the date (7.0).
    assert (rows["C2"]["settled_12m"], rows["C2"]["late_share"], rows["C2"]["open_amount"]) == (0, "", "3500.00")
    assert (rows["C2"]["segment"], rows["C2"]["currency"]) == ("standard", "USD")
    # Within 6 months (to 2024-09-15) I2 (due 03-31) and I3 (due 03-30) were still open 90 days on: bad.
    assert [rows[c]["label"] for c in ("C1", "C2")] == ["bad", "bad"] and six.bad == 2
    # Within 3 months (to 2024-06-15) their 90th day had not come: good.
    assert [r[-1] for r in three.rows] == ["good", "good"]


@pytest.mark.db
def test_the_label_needs_its_months_to_have_passed(acme, db):
    with db.connect() as conn, pytest.raises(InvalidInput, match="use a date on or before 2023-12-31"):
        labelled_history(conn, acme, date(2024, 3, 15), 12, today=LATER)


def test_a_scorecard_trains_on_the_demo_ledgers_history(tmp_path):
    from credo.demo import build_demo
    from credo.store.db import make_engine, upgrade

    engine = make_engine(f"sqlite:///{tmp_path}/demo.db")
    upgrade(engine)
    with engine.begin() as conn:
        build_demo(conn, customers=100, months=24, seed=7, until=date(2026, 6, 30), folder=tmp_path / "files")
    with engine.connect() as conn:
        from credo.services.companies import get_company

        found = labelled_history(conn, get_company(conn, None), date(2025, 6, 30), 12, today=date(2026, 6, 30))
    engine.dispose()
    path = tmp_path / "history.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([list(COLUMNS), *found.rows])
    assert 0 < found.bad < len(found.rows)
    model = statistical.train(path, "label", folds=5, repeats=1, id_column="customer_code")
    assert "customer_code" not in model.features and "label" not in model.features
    scored = statistical.score(model, path)
    assert [r["customer_code"] for r in scored.rows] == [r[0] for r in found.rows]
    assert 0 <= model.metrics["auc"] <= 1  # synthetic behaviour: the figure is reported, not judged
