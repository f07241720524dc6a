"""The `credo` command as a person uses it: help everywhere, clear errors with exit status 2, formats."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.main import get_command
from typer.testing import CliRunner

from builders import CUSTOMERS, INVOICES, PAYMENTS, write_csv
from credo.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_every_command_has_help_text():
    for path, command in _commands(get_command(app)):
        assert (command.help or "").strip(), f"credo {' '.join(path)} has no help"
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert (param.help or "").strip(), f"credo {' '.join(path)} --{param.name} has no help"


def test_the_examples_import_and_reimporting_changes_nothing(cli):
    for kind in ("customers", "fx-rates", "invoices", "payments", "credit-notes"):
        code, out, err = cli("import", kind, EXAMPLES / f"{kind}.csv")
        assert code == 0, err
    code, out, _ = cli("import", "invoices", EXAMPLES / "invoices.xlsx")
    assert code == 0 and "0 new, 0 updated, 20 unchanged" in out
    code, out, _ = cli("import", "payments", EXAMPLES / "payments.csv")
    assert "0 new, 0 updated, 11 unchanged" in out


def test_bad_rows_are_listed_by_file_row_and_column_and_nothing_is_imported(cli, tmp_path):
    cli("import", "customers", EXAMPLES / "customers.csv")
    bad = shutil.copy(EXAMPLES / "invoices-with-errors.csv", tmp_path / "bad.csv")
    code, out, err = cli("import", "invoices", bad)
    assert code == 2
    assert "bad.csv:3:invoice_date: no such date: '2024-02-30'" in err
    assert "bad.csv:5:amount:" in err and "nothing was imported" in err
    assert "Traceback" not in out + err
    code, out, err = cli("report", "aging", "--as-of", "2024-12-31", "--format", "json")
    assert json.loads(out)["totals"]["total"] == "0.00"


def test_skip_bad_rows_imports_the_good_ones_and_writes_the_rejects(cli, tmp_path):
    cli("import", "customers", EXAMPLES / "customers.csv")
    bad = shutil.copy(EXAMPLES / "invoices-with-errors.csv", tmp_path / "bad.csv")
    code, out, err = cli("import", "invoices", bad, "--skip-bad-rows")
    assert code == 0 and "3 new" in out and "2 rejected" in out
    rejects = (tmp_path / "bad.rejects.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rejects) == 3 and "_errors" in rejects[0]


def test_a_changed_amount_on_a_paid_invoice_is_a_conflict_and_a_changed_due_date_an_audited_update(cli, tmp_path):
    write_csv(tmp_path / "c.csv", CUSTOMERS, [["C1", "甲公司", "CNY", "NET30", "", "", ""]])
    write_csv(tmp_path / "i.csv", INVOICES, [["I1", "C1", "2024-01-10", "", "", "100", ""]])
    write_csv(tmp_path / "p.csv", PAYMENTS, [["P1", "C1", "2024-01-20", "40", "I1", ""]])
    for kind, name in (("customers", "c.csv"), ("invoices", "i.csv"), ("payments", "p.csv")):
        assert cli("import", kind, tmp_path / name)[0] == 0
    write_csv(tmp_path / "i.csv", INVOICES, [["I1", "C1", "2024-01-10", "", "", "120", ""]])
    code, _, err = cli("import", "invoices", tmp_path / "i.csv")
    assert code == 2 and "i.csv:2:amount: invoice I1 already has payments" in err
    write_csv(tmp_path / "i.csv", INVOICES, [["I1", "C1", "2024-01-10", "2024-03-01", "", "100", ""]])
    code, out, _ = cli("import", "invoices", tmp_path / "i.csv")
    assert code == 0 and "1 updated" in out
    write_csv(tmp_path / "p.csv", PAYMENTS, [["P1", "C1", "2024-01-21", "40", "I1", ""]])
    code, _, err = cli("import", "payments", tmp_path / "p.csv")
    assert code == 2 and "p.csv:2:amount: P1 is already applied to invoices" in err
    code, out, _ = cli("audit", "--entity", "invoice", "--key", "I1")
    assert "tester update invoice I1" in out and '"due_date": "2024-02-09"' in out and '"due_date": "2024-03-01"' in out


def test_gbk_files_and_foreign_column_names_import(cli, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("客户编号,客户名称\nK1,北京华泰商贸有限公司\n".encode("gbk"))
    code, out, err = cli("import", "customers", path, "--column", "customer_code=客户编号", "--column", "name=客户名称")
    assert code == 0, err
    code, out, _ = cli("report", "aging", "--format", "json")
    assert code == 0


def test_report_json_shapes_other_tools_rely_on(cli):
    for kind in ("customers", "fx-rates", "invoices", "payments", "credit-notes"):
        cli("import", kind, EXAMPLES / f"{kind}.csv")
    _, out, _ = cli("report", "aging", "--as-of", "2024-06-30", "--by", "customer", "--format", "json")
    aging = json.loads(out)
    assert aging["as_of"] == "2024-06-30" and aging["currency"] == "CNY"
    assert aging["buckets"] == ["not_due", "1-30", "31-60", "61-90", "91-180", "181-365", ">365"]
    row = aging["rows"][0]
    assert {"key", "name", "buckets", "total"} <= set(row) and set(row["buckets"]) == set(aging["buckets"])
    assert set(aging["totals"]) >= {"buckets", "total"}
    assert sum(map(float, aging["totals"]["buckets"].values())) == pytest.approx(float(aging["totals"]["total"]))
    _, out, _ = cli("report", "dso", "--as-of", "2024-06-30", "--days", "90", "--method", "countback",
                    "--by", "customer", "--format", "json")
    dso = json.loads(out)
    assert {"as_of", "days", "method", "dso", "receivables", "credit_sales", "rows"} <= set(dso)
    _, out, _ = cli("report", "metrics", "--from", "2024-01-01", "--to", "2024-06-30", "--format", "json")
    assert {"ar_turnover", "cei", "collection_rate", "overdue_ratio"} <= set(json.loads(out))


def test_csv_and_xlsx_outputs(cli, tmp_path):
    for kind in ("customers", "fx-rates", "invoices"):
        cli("import", kind, EXAMPLES / f"{kind}.csv")
    code, out, _ = cli("report", "aging", "--as-of", "2024-06-30", "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("customer,name,not_due")
    target = tmp_path / "aging.xlsx"
    assert cli("report", "trends", "--from", "2024-01-01", "--to", "2024-06-30", "--format", "xlsx", "--out", target)[0] == 0
    sheet = load_workbook(target).active
    assert sheet.cell(1, 1).value == "month_end" and sheet.max_row == 7
    # Dates, amounts and ratios are cells a spreadsheet can add up and plot, not text.
    header = [c.value for c in sheet[1]]
    june = {name: cell.value for name, cell in zip(header, sheet[7])}
    assert june["month_end"].date() == date(2024, 6, 30)
    assert all(isinstance(june[name], (int, float)) for name in ("receivables", "credit_sales", "dso", "cei"))
    _, out, _ = cli("report", "trends", "--from", "2024-06-01", "--to", "2024-06-30", "--format", "json")
    assert june["receivables"] == pytest.approx(float(json.loads(out)["months"][0]["receivables"]))
    target = tmp_path / "metrics.xlsx"
    assert cli("report", "metrics", "--from", "2024-01-01", "--to", "2024-06-30", "--format", "xlsx", "--out", target)[0] == 0
    measures = {row[0]: row[1] for row in load_workbook(target).active.iter_rows(min_row=2, values_only=True)}
    assert measures["days"] == 182 and isinstance(measures["closing_receivables"], (int, float))


@pytest.mark.parametrize("args, message", [
    (("report", "aging", "--as-of", "30/06/2024"), "--as-of '30/06/2024' is not a date"),
    (("report", "aging", "--buckets", "60,30"), "buckets:"),
    (("report", "aging", "--by", "planet"), "--by 'planet'"),
    (("report", "dso", "--method", "magic"), "unknown DSO method"),
    (("import", "widgets", "x.csv"), "unknown import kind"),
    (("import", "invoices", "missing.csv"), "missing.csv: no such file"),
    (("payments", "reverse", "NOPE", "--reason", "x"), "no payment 'NOPE'"),
    (("report", "aging", "--company", "ZZZ"), "no company 'ZZZ'"),
])
def test_bad_input_gives_a_clear_message_and_exit_status_2(cli, args, message):
    code, out, err = cli(*args)
    assert code == 2 and message in err and "Traceback" not in out + err


def test_a_database_behind_this_credo_asks_for_credo_init(tmp_path, monkeypatch):
    from alembic import command

    from credo.store.db import alembic_config, make_engine

    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    engine.dispose()
    monkeypatch.setenv("CREDO_DATABASE_URL", url)
    result = CliRunner().invoke(app, ["report", "aging"])
    assert result.exit_code == 2
    assert "schema is at revision 0003" in result.stderr and "credo init" in result.stderr
    assert CliRunner().invoke(app, ["init"]).exit_code == 0
    assert "schema is at revision" not in CliRunner().invoke(app, ["report", "aging"]).stderr


def test_the_credit_file_examples_import_once_and_credo_credit_assess_prints_its_json(cli):
    for kind in ("customers", "fx-rates", "invoices", "payments", "credit-notes", "financials", "credit-facts",
                 "credit-references", "credit-reviews"):
        code, out, err = cli("import", kind, EXAMPLES / f"{kind}.csv")
        assert code == 0, err
    code, out, _ = cli("import", "financials", EXAMPLES / "financials.csv")
    assert "0 new, 0 updated, 5 unchanged" in out
    code, out, err = cli("credit", "assess", "C003", "--as-of", "2025-06-30", "--format", "json", "--record")
    got = json.loads(out)
    assert code == 0 and {"customer", "as_of", "score", "rating", "reasons", "ratios", "z", "recommended_limit",
                          "recommended_term_days"} <= set(got)
    assert got["z"]["model"] == "Z''-EM" and got["ratios"]["current"] == "1.1200" and "recorded" in err
    code, out, _ = cli("credit", "file", "C002", "--as-of", "2025-06-30", "--format", "json")
    assert json.loads(out)["statements"][-1]["owner"] == "group HUALIAN"


@pytest.mark.parametrize("args, message", [
    (("credit", "assess", "NOPE"), "no customer 'NOPE'"),
    (("credit", "assess", "C001", "--as-of", "2025/06/30"), "--as-of '2025/06/30' is not a date"),
    (("credit", "assess", "C001", "--monthly-purchases", "lots"), "--monthly-purchases 'lots' is not an amount"),
    (("credit", "assess", "C001", "--format", "xlsx"), "--format xlsx needs --out FILE.xlsx"),
    (("credit", "file", "C001", "--as-of", "yesterday"), "is not a date"),
    (("import", "financials", "missing.csv"), "missing.csv: no such file"),
])
def test_credit_commands_refuse_bad_input_with_exit_status_2(cli, args, message):
    cli("import", "customers", EXAMPLES / "customers.csv")
    code, out, err = cli(*args)
    assert code == 2 and message in err and "Traceback" not in out + err


def test_a_company_sets_its_own_policy_and_a_bad_scorecard_is_refused(cli, tmp_path):
    code, out, _ = cli("credit", "policy", "show")
    policy = json.loads(out)
    assert code == 0 and policy["version"] == 0 and policy["body"]["ratings"][0]["min_score"] == 80
    policy["body"]["ratings"][0]["min_score"] = 85
    (tmp_path / "policy.json").write_text(json.dumps(policy), encoding="utf-8")
    code, _, err = cli("credit", "policy", "set", tmp_path / "policy.json")
    assert code == 0 and "policy version 1 in force" in err
    assert json.loads(cli("credit", "policy", "show")[1])["body"]["ratings"][0]["min_score"] == 85
    card = json.loads(cli("credit", "scorecard", "show")[1])["body"]
    card["factors"][0]["bins"][1]["low"] = 3  # overlaps the bin below 5
    (tmp_path / "card.json").write_text(json.dumps(card), encoding="utf-8")
    code, _, err = cli("credit", "scorecard", "set", tmp_path / "card.json")
    assert code == 2 and "bins overlap" in err


def _fresh(monkeypatch, url: str, **env: str):
    """A runner on its own database URL (not the test database), with CREDO_* from `env` only."""
    for name in ("CREDO_COMPANY", "CREDO_BASE_CURRENCY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CREDO_DATABASE_URL", url)
    monkeypatch.setenv("CREDO_ACTOR", "tester")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(a) for a in args])


def test_a_bare_credo_init_creates_the_one_company_so_an_import_follows_at_once(tmp_path, monkeypatch):
    run = _fresh(monkeypatch, f"sqlite:///{tmp_path / 'credo.db'}")
    done = run("init")
    assert done.exit_code == 0, done.output
    assert "company MAIN (CNY) created: MAIN is the default code, as neither --company nor CREDO_COMPANY" in done.stdout
    refused = run("import", "customers", EXAMPLES / "customers.csv")
    assert refused.exit_code == 2 and "add the first administrator: `credo user add NAME --role admin`" in refused.stderr
    assert run("user", "add", "tester", "--role", "admin", "--password", "correct horse battery").exit_code == 0
    imported = run("import", "customers", EXAMPLES / "customers.csv")
    assert imported.exit_code == 0 and "customers from customers.csv" in imported.stdout, imported.output
    again = run("init")  # upgrading again creates nothing and says nothing of companies
    assert again.exit_code == 0 and "company" not in again.stdout
    assert run("company", "list").stdout.split() == ["MAIN", "MAIN", "CNY", "-"]


def test_credo_init_takes_the_company_and_currency_from_the_settings_and_may_run_again(tmp_path, monkeypatch):
    run = _fresh(monkeypatch, f"sqlite:///{tmp_path / 'credo.db'}", CREDO_COMPANY="SH01", CREDO_BASE_CURRENCY="USD")
    done = run("init")
    assert done.exit_code == 0 and "company SH01 (USD) created (code from CREDO_COMPANY)" in done.stdout
    again = run("init", "--company", "SH01")
    assert again.exit_code == 0 and "company SH01 (USD) exists already" in again.stdout
    assert run("user", "add", "tester", "--role", "admin", "--password", "correct horse battery").exit_code == 0
    assert run("company", "list").stdout.split() == ["SH01", "SH01", "USD", "-"]


def test_without_a_company_a_command_says_exactly_what_to_run(cli, db):
    with db.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_log")
        conn.exec_driver_sql("DELETE FROM companies")
    code, _, err = cli("import", "customers", EXAMPLES / "customers.csv")
    assert code == 2 and "no company yet: run `credo init --company CODE`" in err


@pytest.mark.parametrize("where", ["missing-folder/credo.db", "credo.bd"])
def test_a_wrong_sqlite_url_is_refused_and_no_empty_database_is_left_behind(tmp_path, monkeypatch, where):
    (tmp_path / "credo.db").touch()  # the file meant; the URL names another
    url = f"sqlite:///{tmp_path / where}"
    run = _fresh(monkeypatch, url)
    for args in (("report", "aging"), ("import", "customers", EXAMPLES / "customers.csv"), ("company", "list")):
        refused = run(*args)
        assert refused.exit_code == 2, refused.output
        assert f"no database at {url}: run `credo init` to create it" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["credo.db"]  # no new file, no new folder
    made = run("init")  # init is the one command that creates the database
    assert made.exit_code == 0 and (tmp_path / where).is_file()
