"""The credit file and the assessment on a small hand-built customer, worked out by hand from the
default scorecard and policy, on SQLite and PostgreSQL.

K1 (CNY, NET30), manufacturer, not listed, founded 2012-03-01:
- ledger: A1 12,000.00 of 2025-01-10 paid 10 days late; A2 24,000.00 of 2025-03-10 paid on its due
  date; A3 9,000.00 of 2025-06-01 open. Days late = (12,000 x 10 + 24,000 x 0) / 36,000 = 3.3;
  sales of the 12 months to 2025-06-30 = 45,000.00, so monthly purchases 3,750.00; DSO over 90 days
  = 9,000 open / 9,000 sold x 90 = 90.0.
- statement FY2024 (recorded 2025-04-30): current ratio 800,000 / 400,000 = 2; debt to assets
  1,200,000 / 2,000,000 = 0.6; interest cover 240,000 / 60,000 = 4; Z' = 0.717 x 0.2 + 0.847 x 0.15
  + 3.107 x 0.12 + 0.420 x 0.6667 + 0.998 x 1.5 = 2.42 (grey).
- review of 2025-05-15: (80 x 30 + 60 x 25 + 90 x 25) / 80 = 76.9.
Points: days late 20 + current 15 + debt 6 + Z grey 8 + review 10 + interest 8 + 13 years 10 = 77:
rating B, 60 days, review in 12 months. Limit: 3,750 x (60 + 15) / 30 = 9,375, under the caps of
10 % of equity (80,000) and 20 % of working capital (80,000): 9,000 rounded down.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from builders import CUSTOMERS, INVOICES, PAYMENTS, load, write_csv
from credo.services.access import EVERYONE, Scope
from credo.services.audit import entries
from credo.services.credit.assessment import assess
from credo.services.imports import ImportFailed

pytestmark = pytest.mark.db

AS_OF = date(2025, 6, 30)
STATEMENT = ["customer_code", "group_code", "period_end", "recorded_on", "current_assets", "current_liabilities",
             "inventory", "cash", "total_assets", "total_liabilities", "equity", "retained_earnings", "sales", "ebit",
             "interest_expense"]
FY24 = ["2024-12-31", "2025-04-30", "800,000.00", "400000", "250000", "150000", "2000000", "1200000", "800000",
        "300000", "3000000", "240000", "60000"]
FACTS = ["customer_code", "group_code", "recorded_on", "listed", "manufacturer", "emerging_market", "founded_on"]
REVIEW = ["customer_code", "reviewed_on", "recorded_on", "reviewer", "management", "industry_outlook",
          "relationship", "interview"]


@pytest.fixture
def k1(db, company, tmp_path):
    files = {
        "customers": (CUSTOMERS, [["K1", "甲制造有限公司", "CNY", "NET30", "", "standard", "wang"],
                                  ["K2", "乙贸易有限公司", "CNY", "NET30", "G9", "standard", "wang"]]),
        "invoices": (INVOICES, [["A1", "K1", "2025-01-10", "", "", "12000.00", ""],
                                ["A2", "K1", "2025-03-10", "", "", "24000.00", ""],
                                ["A3", "K1", "2025-06-01", "", "", "9000.00", ""]]),
        "payments": (PAYMENTS, [["P1", "K1", "2025-02-19", "12000.00", "A1", ""],
                                ["P2", "K1", "2025-04-09", "24000.00", "A2", ""]]),
        "financials": (STATEMENT, [["K1", "", *FY24], ["", "G9", *FY24]]),
        "credit-facts": (FACTS, [["K1", "", "2025-04-30", "no", "yes", "no", "2012-03-01"]]),
        "credit-reviews": (REVIEW, [["K1", "2025-05-15", "2025-05-15", "li.credit", "80", "60", "90", ""]]),
    }
    for kind, (header, rows) in files.items():
        load(db, company, kind, write_csv(tmp_path / f"{kind}.csv", header, rows))
    return company


def _assess(db, company, code="K1", as_of=AS_OF, **options):
    with db.begin() as conn:
        return assess(conn, company, EVERYONE, code, as_of, **options).to_json()


def test_the_hand_built_customer_scores_77_and_gets_b_with_60_days_and_9000(db, k1):
    got = _assess(db, k1)
    assert {k: got[k] for k in ("customer", "as_of", "score", "rating", "recommended_limit",
                                "recommended_term_days", "review_due")} == {
        "customer": "K1", "as_of": "2025-06-30", "score": 77, "rating": "B", "recommended_limit": "9000",
        "recommended_term_days": 60, "review_due": "2026-06-30"}
    assert got["points"] == {"days_late": 20, "current_ratio": 15, "debt_to_assets": 6, "z_zone": 8,
                             "qualitative": 10, "interest_coverage": 8, "years_in_business": 10}
    assert [(r["factor"], r["points_lost"]) for r in got["reasons"]] == [
        ("debt_to_assets", 9), ("z_zone", 7), ("qualitative", 5), ("interest_coverage", 2)]
    assert got["reasons"][0]["zh"] == "资产负债率 60%-80%：负债较重"
    assert got["ratios"] == {"current": "2.0000", "quick": "1.3750", "cash": "0.3750", "debt_to_assets": "0.6000",
                             "debt_to_equity": "1.5000", "interest_coverage": "4.0000",
                             "working_capital": "400000.00", "dso": "90.0", "average_days_late": "3.3"}
    assert {k: got["z"][k] for k in ("model", "value", "zone")} == {"model": "Z'", "value": "2.42", "zone": "grey"}
    assert got["limit"]["monthly_purchases"] == "3750.00" and got["limit"]["binding"] == "purchases"
    assert got["qualitative_score"] == "76.9" and got["notes"] == []


def test_given_purchases_and_an_insured_limit_change_the_limit_and_name_the_binding_cap(db, k1):
    got = _assess(db, k1, monthly_purchases=Decimal("100000"))
    assert got["recommended_limit"] == "80000" and got["limit"]["binding"] == "equity"
    got = _assess(db, k1, insured_limit=Decimal("5500"))
    assert got["recommended_limit"] == "5000" and got["limit"]["binding"] == "insured"


def test_before_the_statement_was_recorded_there_are_no_ratios_and_no_z_and_it_says_why(db, k1):
    got = _assess(db, k1, as_of=date(2025, 4, 29))
    assert set(got["ratios"].values()) - {got["ratios"]["dso"], got["ratios"]["average_days_late"]} == {None}
    assert got["z"] == {"model": None, "value": None, "zone": None,
                        "reason": "no financial statement on or before 2025-04-29"}
    # unknown points: current 4, debt 4, Z 5, review 5, interest 3, years 3; days late 3.3 -> 20
    assert got["score"] == 44 and got["rating"] == "D" and got["recommended_limit"] == "0"


def test_an_assessment_of_a_past_date_ignores_what_was_recorded_after_it(db, k1, tmp_path):
    before = _assess(db, k1)
    restated = ["K1", "", "2024-12-31", "2025-07-15", *FY24[2:8], "100000", *FY24[9:]]  # equity 800,000 -> 100,000
    result = load(db, k1, "financials", write_csv(tmp_path / "restated.csv", STATEMENT, [restated]))
    assert (result.inserted, result.updated, result.unchanged) == (1, 0, 0)
    assert _assess(db, k1) == before
    later = _assess(db, k1, as_of=date(2025, 7, 15))
    assert later["statement"]["equity"] == "100000.00" and later["limit"]["caps"]["equity"] == "10000.00"


def test_reimporting_the_same_statement_writes_nothing_and_a_changed_one_a_new_audited_version(db, k1, tmp_path):
    same = load(db, k1, "financials", tmp_path / "financials.csv")
    assert (same.inserted, same.updated, same.unchanged) == (0, 0, 2)
    changed = ["K1", "", "2024-12-31", "", *FY24[2:]]
    changed[13] = "250000"  # ebit
    result = load(db, k1, "financials", write_csv(tmp_path / "changed.csv", STATEMENT, [changed]),
                  recorded_on=date(2025, 8, 1))
    assert (result.inserted, result.updated, result.unchanged) == (1, 0, 0)
    with db.begin() as conn:
        logged = entries(conn, entity="credit_statement", key="K1 2024-12-31")
    assert [e["action"] for e in logged] == ["version", "create"]
    assert json.loads(logged[0]["before"])["ebit"] == 24000000 and json.loads(logged[0]["after"])["ebit"] == 25000000


def test_a_correction_on_the_same_recorded_day_updates_that_version_with_an_audit_entry(db, k1, tmp_path):
    fixed = ["K1", "", *FY24]
    fixed[14] = "50000"  # interest expense
    result = load(db, k1, "financials", write_csv(tmp_path / "fixed.csv", STATEMENT, [fixed]))
    assert (result.inserted, result.updated) == (0, 1)
    assert _assess(db, k1)["ratios"]["interest_coverage"] == "4.8000"


def test_import_errors_name_file_row_and_column_and_nothing_is_written(db, k1, tmp_path):
    rows = [["K1", "", "2025-13-01", *FY24[1:]], ["NOPE", "", *FY24], ["K1", "G9", *FY24],
            ["K1", "", "2025-12-31", "2025-06-30", *FY24[2:]]]
    with pytest.raises(ImportFailed) as failed:
        load(db, k1, "financials", write_csv(tmp_path / "bad.csv", STATEMENT, rows))
    said = [str(e) for e in failed.value.errors]
    assert said[0].startswith("bad.csv:2:period_end:")
    assert said[1].startswith("bad.csv:3:customer_code: unknown customer 'NOPE'")
    assert said[2] == "bad.csv:4:customer_code: give a customer_code or a group_code, not both"
    assert said[3].startswith("bad.csv:5:period_end: 2025-12-31 is after recorded_on 2025-06-30")
    review = write_csv(tmp_path / "review.csv", REVIEW, [["K1", "2025-05-15", "", "li", "120", "", "", ""]])
    with pytest.raises(ImportFailed, match="review.csv:2:management: a score from 0 to 100, not 120"):
        load(db, k1, "credit-reviews", review)


def test_a_customer_without_its_own_file_is_assessed_on_its_groups_and_it_says_so(db, k1):
    got = _assess(db, k1, "K2")
    assert got["statement"]["owner"] == "group G9" and got["ratios"]["current"] == "2.0000"
    assert got["notes"] == ["financial statements: the customer has none on or before 2025-06-30; those of its "
                            "group G9 are used"]
    # no facts: a private non-manufacturer, Z'' = 6.56 x 0.2 + 3.26 x 0.15 + 6.72 x 0.12 + 1.05 x 0.6667 = 3.31
    assert got["z"]["model"] == "Z''" and got["z"]["value"] == "3.31" and "no company facts" in got["z"]["reason"]


def test_a_customer_outside_the_portfolio_is_not_found(db, k1):
    from credo.errors import NotFound

    with db.begin() as conn, pytest.raises(NotFound):
        assess(conn, k1, Scope("collector", "someone.else"), "K1", AS_OF)


ASSESSMENT_KEYS = {"customer", "as_of", "score", "rating", "reasons", "ratios", "z", "recommended_limit",
                   "recommended_term_days"}


def test_the_api_computes_records_and_lists_assessments_by_role(server, k1, tokens):
    path = "/api/v1/customers/K1"
    with server.client(tokens["auditor"]) as auditor:
        computed = auditor.get(f"{path}/assessment", params={"as_of": "2025-06-30"}).json()
        assert ASSESSMENT_KEYS <= set(computed) and computed["score"] == 77 and computed["recommended_limit"] == "9000"
        assert auditor.get(f"{path}/credit-file", params={"as_of": "2025-06-30"}).json()["reviews"][0]["management"] == 80
        assert auditor.post(f"{path}/assessments", params={"as_of": "2025-06-30"}).status_code == 403
        assert auditor.get(f"{path}/assessments").json() == []
    with server.client(tokens["credit_manager"]) as manager:
        recorded = manager.post(f"{path}/assessments", params={"as_of": "2025-06-30"})
        assert recorded.status_code == 201 and recorded.json()["rating"] == "B"
        history = manager.get(f"{path}/assessments").json()
    assert [(h["as_of"], h["score"], h["rating"], h["recommended_limit"], h["review_due"]) for h in history] == [
        ("2025-06-30", 77, "B", "9000.00", "2026-06-30")]
    assert history[0]["inputs"]["points"]["z_zone"] == 8 and history[0]["actor"] == "user:credit_manager"
    with server.client(tokens["collector"]) as collector:
        assert collector.get(f"{path}/assessment").status_code == 403
    with server.client(tokens["sales"]) as sales:  # K1 is not in zhao.min's portfolio
        assert sales.get(f"{path}/assessment").status_code == 404


def test_a_controller_may_not_import_the_credit_file(server, k1, tokens):
    content = b"customer_code,recorded_on,listed\nK1,2025-07-01,yes\n"
    with server.client(tokens["controller"]) as controller:
        answer = controller.post("/api/v1/imports/credit-facts", files={"file": ("facts.csv", content, "text/csv")})
    assert answer.status_code == 403
    with server.client(tokens["credit_manager"]) as manager:
        answer = manager.post("/api/v1/imports/credit-facts", files={"file": ("facts.csv", content, "text/csv")})
    assert answer.status_code == 200 and answer.json()["inserted"] == 1


def test_years_in_business_may_stand_for_the_founding_date_counted_back_from_recorded_on(db, k1, tmp_path):
    facts = write_csv(tmp_path / "years.csv", ["customer_code", "recorded_on", "years_in_business"],
                      [["K2", "2025-04-30", "7"]])
    load(db, k1, "credit-facts", facts)
    got = _assess(db, k1, "K2")
    assert got["facts"]["founded_on"] == "2018-04-30" and got["points"]["years_in_business"] == 8  # 7 years: 5-10


def test_a_review_records_the_assessment_and_puts_its_advice_in_force_through_the_maker_checker(db, k1):
    from credo.services.credit.lines import in_force
    from credo.services.credit.recorded import recorded_assessments
    from credo.services.credit.requests import Person
    from credo.services.credit.review import review_customer

    from credo.services.credit.requests import approve

    manager = Person("user:li.credit", "credit_manager")
    with db.begin() as conn:
        first = review_customer(conn, k1, EVERYONE, "K1", AS_OF, manager)
        # Run twice for the same customer and date, the review asks nothing new (and records nothing new).
        twice = review_customer(conn, k1, EVERYONE, "K1", AS_OF, manager)
        assert (twice["repeated"], twice["request"]["id"], twice["assessment"]["id"]) == (
            True, first["request"]["id"], first["assessment"]["id"])
        # 9,000 waits for a second person, whatever the reviewer's own level.
        assert (first["changed"], first["line_before"], first["request"]["status"]) == (True, None, "pending")
        approve(conn, k1, first["request"]["id"], Person("user:wu", "credit_manager"), "ok", AS_OF)
    assert {k: first["request"][k] for k in ("amount", "term_days", "rating", "valid_from", "review_due")} == {
        "amount": "9000.00", "term_days": 60, "rating": "B", "valid_from": "2025-06-30", "review_due": "2026-06-30"}
    with db.begin() as conn:
        again = review_customer(conn, k1, EVERYONE, "K1", AS_OF, manager)
        customer_id = conn.execute(select_customer_id("K1")).scalar_one()
        line = in_force(conn, k1, AS_OF, customer_id=customer_id).governing
        recorded = recorded_assessments(conn, k1, EVERYONE, "K1")
    assert again["changed"] is False and again["line_before"]["amount"] == "9000.00"
    assert (line.amount, line.term_days, line.rating) == (Decimal("9000.00"), 60, "B")
    assert [(r["score"], r["rating"], r["actor"]) for r in recorded] == [(77, "B", "user:li.credit")]  # once


def test_a_review_by_someone_who_may_not_approve_waits_for_a_credit_manager(db, k1):
    from credo.services.credit.requests import Person
    from credo.services.credit.review import review_customer

    with db.begin() as conn:
        found = review_customer(conn, k1, EVERYONE, "K1", AS_OF, Person("user:zhao.min", "sales"))
    assert found["request"]["status"] == "pending" and found["request"]["requested_by"] == "user:zhao.min"


def select_customer_id(code):
    from sqlalchemy import select

    from credo.store.tables import customers

    return select(customers.c.id).where(customers.c.code == code)
