"""The provision service on two small ledgers (SQLite and PostgreSQL), every figure by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from credo.domain.risk.provisioning import ladder
from credo.errors import InvalidInput, NotFound
from credo.services import audit
from credo.services.access import Scope
from credo.services.credit.requests import Person
from credo.services.risk.provision import company_provision, provision_report, roll_steps
from credo.services.risk.provision_settings import (change_provision_settings, end_specific, list_specific,
                                                    provision_settings_of, read_rate_file, set_specific)
from builders import write_csv
from credo.services.risk.write_offs import approve_write_off, request_write_off
from provision_support import roll_ledger, skipping_ledger, small_ledger, worked_ledger

JUNE = date(2024, 6, 30)
IFRS9 = ladder((30, 60, 90), (D("0.003"), D("0.016"), D("0.036"), D("0.066"), D("0.106")))


@pytest.fixture
def small(db, company, tmp_path):
    return small_ledger(db, company, tmp_path)


@pytest.fixture
def rolled(db, company, tmp_path):
    return roll_ledger(db, company, tmp_path)


def _buckets(report):
    return [(b.bucket, b.balance, b.allowance) for b in report.buckets]


def test_a_given_matrix_applies_to_the_aging_by_days_past_due_in_the_base_currency(db, small):
    with db.connect() as conn:
        report = provision_report(conn, small, JUNE, rates=IFRS9)
    # current: 10,000 x 0.3 % = 30; 1-30: 3,000 x 1.6 % = 48; >90: (7,000 + 2,000) x 10.6 % = 742 + 212.
    assert _buckets(report) == [("not_due", D("10000.00"), D("30.00")), ("1-30", D("3000.00"), D("48.00")),
                                ("31-60", D("0.00"), D("0.00")), ("61-90", D("0.00"), D("0.00")),
                                (">90", D("9000.00"), D("954.00"))]
    assert report.total_allowance == D("1032.00")
    assert [(c.code, c.provision.allowance) for c in report.customers] == [
        ("C2", D("742.00")), ("C3", D("212.00")), ("C1", D("78.00"))]
    data = report.to_json()
    assert data["method"] == "matrix" and data["source"] == "given" and data["total_allowance"] == "1032.00"
    assert data["buckets"][0] == {"bucket": "not_due", "low": None, "high": 0, "balance": "10000.00",
                                  "rate": "0.003", "allowance": "30.00"}


def test_the_aging_table_ages_by_invoice_date(db, small):
    with db.connect() as conn:
        report = provision_report(conn, small, JUNE, method="aging-table")
    # Within a year: (13,000 + 7,000) x 5 % = 1,000; I4 is 897 days old (2-3 years): 2,000 x 30 % = 600.
    assert report.basis == "invoice" and report.source == "default"
    assert [(b.bucket, b.allowance) for b in report.buckets if b.balance] == [("1年以内", D("1000.00")),
                                                                              ("2-3年", D("600.00"))]
    assert report.total_allowance == D("1600.00")


def test_a_specific_provision_overrides_from_its_date_and_until_its_end(db, small):
    with db.begin() as conn:
        made = set_specific(conn, small, "tester", customer="C2", rate="50%", reason="in liquidation",
                            valid_from=date(2024, 6, 1))
        set_specific(conn, small, "tester", customer="C3", amount="500", reason="court ruling",
                     valid_from=date(2024, 7, 1))
    with db.connect() as conn:
        # C2: 7,000 x 50 % = 3,500 in place of 742; C3's starts in July.
        assert provision_report(conn, small, JUNE, rates=IFRS9).total_allowance == D("3790.00")
        assert provision_report(conn, small, date(2024, 5, 31), rates=IFRS9).customers[0].provision.basis == "matrix"
        july = provision_report(conn, small, date(2024, 7, 1), rates=IFRS9)
        assert {c.code: (c.provision.basis, c.provision.allowance) for c in july.customers}["C3"] == (
            "specific-amount", D("500.00"))
    with db.begin() as conn:
        end_specific(conn, small, "tester", made["id"], date(2024, 6, 29))
        assert [s["customer"] for s in list_specific(conn, small, as_of=JUNE)] == []
        assert len(list_specific(conn, small)) == 2  # history kept
        assert [e["action"] for e in audit.entries(conn, entity="specific_provision")] == ["end", "create", "create"]
    with db.connect() as conn:
        assert provision_report(conn, small, JUNE, rates=IFRS9).total_allowance == D("1032.00")
        assert provision_report(conn, small, date(2024, 6, 15), rates=IFRS9).total_allowance == D("3790.00")


def test_an_insured_share_reduces_the_customers_expected_loss(db, small):
    customer_id = _id(db, "C1")
    with db.connect() as conn:
        report = provision_report(conn, small, JUNE, rates=IFRS9, insured={customer_id: D("0.5")})
    # C1: (30 + 48) x (1 - 50 %) = 39.
    assert {c.code: c.provision.allowance for c in report.customers}["C1"] == D("39.00")
    assert report.total_allowance == D("993.00")


def test_a_portfolio_sees_its_own_customers_only(db, small):
    with db.connect() as conn:
        report = provision_report(conn, small, JUNE, rates=IFRS9, scope=Scope("collector", "wang"))
    assert [c.code for c in report.customers] == ["C1"]
    assert report.total_allowance == D("78.00")


def test_the_steps_hold_and_roll_what_the_ledger_had_open_every_30_days(db, rolled):
    with db.connect() as conn:
        dates, steps = roll_steps(conn, rolled, JUNE, ladder((30, 60)), 2)
    # Two months back from 06-30 is 04-30, 61 days: two steps of 30 days, from 05-01.
    assert dates == [date(2024, 5, 1), date(2024, 5, 31), JUNE]
    # 05-01: A, B not due (2,000); C 26 days past due (500); F 52 days (300). 05-31: A 16 days (1,000
    # unpaid), B paid, C 56 days (300), F 82 days (300): rolled 1,000, 300, 300.
    assert (steps[0].held, steps[0].rolled) == (tuple(map(D, ("2000.00", "500.00", "300.00", "0.00"))),
                                                tuple(map(D, ("1000.00", "300.00", "300.00", "0.00"))))
    # 05-31: D not due (2,000), A (1,000), C (300), F (300). 06-30: D 20 days (1,000), A 46 days
    # (1,000), C 86 days (150); E was issued after 05-31.
    assert (steps[1].held, steps[1].rolled) == (tuple(map(D, ("2000.00", "1000.00", "300.00", "300.00"))),
                                                tuple(map(D, ("1000.00", "1000.00", "150.00", "0.00"))))


def test_what_each_step_holds_is_the_aging_as_of_its_first_day(db, rolled, small):
    # Both ledgers together (the small one's USD invoice converted at each day's rate), 12 months.
    table = ladder((30, 60))
    with db.connect() as conn:
        dates, steps = roll_steps(conn, rolled, JUNE, table, 12)
        assert len(dates) == 13 and dates[0] == date(2023, 7, 6)  # 366 days back, 12 steps of 30 days
        for step in steps:
            aging = provision_report(conn, rolled, step.start, rates=table)
            assert step.held == tuple(b.balance for b in aging.buckets)


def test_the_matrix_is_derived_from_the_ledgers_roll_rates(db, rolled):
    with db.begin() as conn:
        change_provision_settings(conn, rolled, "tester", limits="30,60", lookback_months=2)
    with db.connect() as conn:
        report = company_provision(conn, rolled, JUNE)
    # Rolls (the steps above): (1000 + 1000) / (2000 + 2000) = 0.5, (300 + 1000) / (500 + 1000) = 13/15,
    # (300 + 150) / (300 + 300) = 0.75.
    # Loss rates: 0.5 x 13/15 x 0.75 = 0.325, 13/15 x 0.75 = 0.65, 0.75, 1.
    assert report.source == "derived" and report.lookback_months == 2
    assert report.roll_rates == (D("0.5"), D(13) / D(15), D("0.75"))
    assert [b.rate for b in report.buckets] == [D("0.325000"), D("0.650000"), D("0.750000"), D("1.000000")]
    # C1: 800 x 0.325 + 1,000 x 0.75 = 1,010; C3: 1,000 x 0.65 + 150 x 1 = 800.
    assert [(c.code, c.provision.allowance) for c in report.customers] == [("C1", D("1010.00")), ("C3", D("800.00"))]
    assert report.total_allowance == D("1810.00")


def test_the_forward_looking_factor_raises_the_derived_rates_up_to_100_percent(db, rolled):
    with db.begin() as conn:
        change_provision_settings(conn, rolled, "tester", limits="30,60", lookback_months=2, forward_factor="1.1")
    with db.connect() as conn:
        report = company_provision(conn, rolled, JUNE)
    # 0.3575, 0.715, 0.825, 1 (capped): C1 800 x 0.3575 + 1,000 x 0.825 = 1,111; C3 715 + 150 = 865.
    assert [b.rate for b in report.buckets] == [D("0.3575"), D("0.715"), D("0.825"), D("1")]
    assert report.total_allowance == D("1976.00")


def test_the_same_date_gives_the_same_report(db, rolled):
    with db.connect() as conn:
        first = company_provision(conn, rolled, JUNE).to_json()
        assert company_provision(conn, rolled, JUNE).to_json() == first


def test_settings_keep_their_defaults_until_changed_and_every_change_is_audited(db, company):
    with db.begin() as conn:
        assert provision_settings_of(conn, company).to_json()["limits"] == "30,60,90,120,150,180"
        changed = change_provision_settings(conn, company, "tester", method="aging-table", forward_factor="1.05")
        assert (changed.method, changed.forward_factor, changed.lookback_months) == ("aging-table", D("1.05"), 12)
        assert provision_settings_of(conn, company) == changed
        entry = audit.entries(conn, entity="provision_settings")[0]
        assert entry["actor"] == "tester" and "aging-table" in str(entry["after"])
        with pytest.raises(InvalidInput, match="method"):
            change_provision_settings(conn, company, "tester", method="guess")


def _write_off_y(db, company):
    with db.begin() as conn:
        asked = request_write_off(conn, company, Person("user:li", "credit_manager"), reason="bankrupt",
                                  on=date(2024, 3, 20), today=date(2024, 12, 1), invoices_named=["Y"])
        approve_write_off(conn, company, asked["id"], Person("user:wu", "controller"))


def test_a_written_off_invoice_is_a_loss_that_rolled_not_a_cure(db, company, tmp_path):
    worked = worked_ledger(db, company, tmp_path)
    _write_off_y(db, worked)
    with db.begin() as conn:
        change_provision_settings(conn, worked, "tester", limits="30,60", lookback_months=3)
    with db.connect() as conn:
        report = company_provision(conn, worked, date(2024, 4, 30))
    # docs/risk.md's worked example. Observed 01-31, 03-01, 03-31, 04-30. Y's 300 written off on
    # 03-20 was in 31-60 at 03-01 and counts as unpaid at 03-31: 31-60 rolls (300 + 600) / (300 + 600)
    # = 1 (taken as a cure it rolled 600 / 900 = 0.666667, and 1-30's loss rate fell from 0.3 to 0.2).
    assert report.observations == (date(2024, 1, 31), date(2024, 3, 1), date(2024, 3, 31), date(2024, 4, 30))
    assert report.roll_rates == (D(5) / D(6), D("0.3"), D(1))
    assert [b.rate for b in report.buckets] == [D("0.250000"), D("0.300000"), D("1.000000"), D("1.000000")]
    # As of 04-30 only X's 600 is open, 81 days past due: 600 x 100 %.
    assert [(b.bucket, b.balance, b.allowance) for b in report.buckets if b.balance] == [
        (">60", D("600.00"), D("600.00"))]
    assert report.total_allowance == D("600.00")


def test_a_recovery_reinstates_the_balance_without_moving_the_roll_rates(db, company, tmp_path):
    from credo.services.risk.write_offs import recover

    worked = worked_ledger(db, company, tmp_path)
    _write_off_y(db, worked)
    with db.begin() as conn:
        written = conn.exec_driver_sql("SELECT id FROM write_offs").scalar_one()
        recover(conn, worked, written, "user:li", on=date(2024, 4, 20))
        change_provision_settings(conn, worked, "tester", limits="30,60", lookback_months=3)
    with db.connect() as conn:
        # Reinstated on 04-20 and still unpaid: neither the write-off nor its reversal moved anything,
        # the roll rates are the example's; Y's 300 is open again, 101 days past due: 600 + 300.
        report = company_provision(conn, worked, date(2024, 4, 30))
        assert report.roll_rates == (D(5) / D(6), D("0.3"), D(1))
        assert report.total_allowance == D("900.00")


def test_an_invoice_cannot_skip_a_bucket_between_two_observations(db, company, tmp_path):
    ledger = skipping_ledger(db, company, tmp_path)
    with db.begin() as conn:
        change_provision_settings(conn, ledger, "tester", limits="30,60", lookback_months=2)
    with db.connect() as conn:
        report = company_provision(conn, ledger, date(2024, 3, 31))
    # Observed 01-31, 03-01, 03-31 (30 days apart): W is 1, 31 and 61 days past due, one bucket a
    # step; V is not due at 03-01 and 16 days past due at 03-31. Every roll is 500/500 or 1,000/1,000
    # = 1, every loss rate 100 %: 500 + 1,000 = 1,500. (At the month ends 01-31, 02-29, 03-31 W stayed
    # in 1-30 for February and then skipped 31-60: rolls (1,000 + 500) / 500 = 3 (capped at 1), 0 / 2,000
    # and 1,000 / 0 (31-60 never held anything: 0), loss rates 0, 0, 0, 100 %, and V's 500 in 1-30 had
    # no allowance: 1,000 in all.)
    assert report.observations == (date(2024, 1, 31), date(2024, 3, 1), date(2024, 3, 31))
    assert report.roll_rates == (D(1), D(1), D(1))
    assert [(b.bucket, b.balance, b.allowance) for b in report.buckets if b.balance] == [
        ("1-30", D("500.00"), D("500.00")), (">60", D("1000.00"), D("1000.00"))]
    assert report.total_allowance == D("1500.00")


def test_a_ladder_of_unequal_buckets_cannot_give_roll_rates(db, company):
    with db.begin() as conn, pytest.raises(InvalidInput, match="one width: 30 days each"):
        change_provision_settings(conn, company, "tester", limits="30,90")


def test_the_specific_rule_is_a_setting_shown_in_the_report_and_audited(db, small):
    with db.begin() as conn:
        assert provision_settings_of(conn, small).specific_rule == "replace"  # the default
        set_specific(conn, small, "tester", customer="C2", amount="500", reason="partly secured",
                     valid_from=date(2024, 6, 1))
    with db.connect() as conn:
        replaced = provision_report(conn, small, JUNE, rates=IFRS9)
    # C2: collective 7,000 x 10.6 % = 742; specific 500 replaces it: 1,032 - 742 + 500 = 790.
    line = {c.code: c.provision for c in replaced.customers}["C2"]
    assert (line.collective, line.specific, line.allowance, line.basis) == (
        D("742.00"), D("500.00"), D("500.00"), "specific-amount")
    assert replaced.collective_allowance == D("1032.00") and replaced.specific_adjustment == D("-242.00")
    assert replaced.total_allowance == D("790.00") and replaced.to_json()["specific_rule"] == "replace"
    with db.begin() as conn:
        change_provision_settings(conn, small, "tester", specific_rule="higher")
        entry = audit.entries(conn, entity="provision_settings")[0]
        assert '"specific_rule": "replace"' in entry["before"] and '"specific_rule": "higher"' in entry["after"]
        with pytest.raises(InvalidInput, match="specific rule 'lower'"):
            change_provision_settings(conn, small, "tester", specific_rule="lower")
    with db.connect() as conn:
        higher = provision_report(conn, small, JUNE, rates=IFRS9)
    # The higher of 742 and 500: 742, both shown.
    line = {c.code: c.provision for c in higher.customers}["C2"]
    assert (line.collective, line.specific, line.allowance, line.basis) == (
        D("742.00"), D("500.00"), D("742.00"), "matrix")
    assert higher.total_allowance == D("1032.00") and higher.specific_rule == "higher"
    assert "specific rule: higher" in higher.table().title


@pytest.mark.parametrize("rows, message", [
    ([["current", "", "0", "0.3%"], [">0", "1", "", "12"]], r"rates.csv: row 3, column rate: 12 is more than 100 %"),
    ([["current", "", "x", "1%"]], r"rates.csv: row 2, column high_days: 'x' is not a whole number of days"),
    ([["current", "", "0", "1%"], [">30", "31", "", "5%"]], r"rates.csv: bucket '>30' must start the day after"),
    ([["", "", "", "1%"]], r"rates.csv: row 2, column bucket: no bucket name"),
])
def test_a_bad_rates_file_names_the_file_row_column_and_reason(tmp_path, rows, message):
    path = write_csv(tmp_path / "rates.csv", ["bucket", "low_days", "high_days", "rate"], rows)
    with pytest.raises(InvalidInput, match=message):
        read_rate_file(path)


def test_the_example_aging_table_file_is_the_default_table():
    from pathlib import Path

    from credo.domain.risk.provisioning import DEFAULT_AGING_TABLE

    assert read_rate_file(Path(__file__).parents[2] / "examples" / "aging-table-rates.csv") == DEFAULT_AGING_TABLE


def test_a_specific_provision_for_an_unknown_customer_is_not_found(db, company):
    with db.begin() as conn, pytest.raises(NotFound):
        set_specific(conn, company, "tester", customer="NOPE", rate="0.1", reason="x", valid_from=JUNE)


def _id(db, code):
    from sqlalchemy import select

    from credo.store.tables import customers

    with db.connect() as conn:
        return conn.execute(select(customers.c.id).where(customers.c.code == code)).scalar_one()


def test_the_provision_balance_is_the_aging_total_to_the_cent(db, acme, tmp_path):
    """C2 owes USD 300.00 (I3, 92 days past due) and two invoices of USD 0.05, one 15 days past due
    and one not due, at 7.1 on 2024-06-30: 2,130.00 + 0.355 + 0.355. Rounded bucket by bucket the
    provision made 2,130.72; converted once, as the aging does, 300.10 x 7.1 = 2,130.71, the parts
    2,130.00 + 0.36 + 0.35."""
    from builders import INVOICES, load
    from credo.services.reports.aging import aging_report

    load(db, acme, "fx-rates", write_csv(tmp_path / "fx.csv", ["currency", "rate_date", "rate"],
                                         [["USD", "2024-06-25", "7.1000"]]))
    load(db, acme, "invoices", write_csv(tmp_path / "small.csv", INVOICES, [
        ["X1", "C2", "2024-06-01", "2024-06-15", "", "0.05", "USD"],
        ["X2", "C2", "2024-06-20", "2024-07-20", "", "0.05", "USD"]]))
    as_of = date(2024, 6, 30)
    with db.connect() as conn:
        report = company_provision(conn, acme, as_of, method="aging-table")
        matrix = company_provision(conn, acme, as_of)
        aging = aging_report(conn, acme, as_of)
    c2 = next(line for line in matrix.customers if line.code == "C2")
    assert c2.provision.balance == D("2130.71") and sorted(c2.provision.balances, reverse=True)[:3] == [
        D("2130.00"), D("0.36"), D("0.35")]
    assert report.total_balance == matrix.total_balance == aging.totals.total == D("6130.71")
