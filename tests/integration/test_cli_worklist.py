"""`credo worklist`, `credo activity|contact|task|case|care ...` as a collector's day uses them.

K1 (collector wang) owes A1, 40,000.00 CNY issued 2026-05-01 NET30, due 05-31. As of 2026-06-15
(a Monday): 40,000.00 overdue 15 days, unrated (C), sales 40,000.00:
  40 (overdue, per thousand) + 7.5 (days) + 10 (C) + 4 (sales, per thousand x 0.1) = 61.50."""

from __future__ import annotations

import json

import pytest

from builders import CUSTOMERS, INVOICES, write_csv

pytestmark = pytest.mark.db


@pytest.fixture
def day_cli(cli, tmp_path):
    write_csv(tmp_path / "customers.csv", CUSTOMERS, [["K1", "甲方", "CNY", "NET30", "", "", "wang"],
                                                      ["K2", "乙方", "CNY", "NET30", "", "", "lee"]])
    write_csv(tmp_path / "invoices.csv", INVOICES, [["A1", "K1", "2026-05-01", "", "", "40000", ""]])
    for kind in ("customers", "invoices"):
        assert cli("import", kind, tmp_path / f"{kind}.csv")[0] == 0
    return cli


def test_the_worklist_shows_the_hand_computed_score_and_the_next_action(day_cli):
    code, out, err = day_cli("worklist", "--collector", "wang", "--as-of", "2026-06-15", "--format", "json")
    assert code == 0, err
    [line] = json.loads(out)["lines"]
    assert (line["customer"], line["score"], line["overdue"], line["days_past_due"]) == ("K1", "61.50", "40000.00", 15)
    assert line["next_action"] == "first notice (email)"  # never dunned: the first step after the due date
    code, out, _ = day_cli("worklist", "--collector", "lee", "--as-of", "2026-06-15")
    assert code == 0 and "0 customers" in out


def test_a_logged_call_with_a_next_date_becomes_a_task_that_is_then_done(day_cli):
    code, out, err = day_cli("activity", "log", "K1", "--kind", "call", "--on", "2026-06-15", "--contact", "李会计",
                             "--invoice", "A1", "--outcome", "pays Friday", "--next", "2026-06-19")
    assert code == 0, err
    assert "follow-up task 1 due 2026-06-19" in out
    code, out, _ = day_cli("task", "list", "--assignee", "wang", "--as-of", "2026-06-19", "--format", "json")
    [task] = json.loads(out)
    assert (task["kind"], task["title"], task["due"]) == ("follow_up", "pays Friday", True)
    code, out, _ = day_cli("task", "done", "1", "--outcome", "paid half", "--log", "call", "--on", "2026-06-19")
    assert code == 0 and "task 1 done" in out
    code, out, _ = day_cli("activity", "list", "K1", "--format", "json")
    assert [a["outcome"] for a in json.loads(out)] == ["paid half", "pays Friday"]


def test_contacts_cases_and_care_from_the_command_line(day_cli):
    code, out, err = day_cli("contact", "add", "K1", "--name", "李会计", "--phone", "13800138000", "--dunning")
    assert code == 0 and "contact 1" in out, err
    code, out, _ = day_cli("contact", "list", "K1", "--format", "json")
    assert json.loads(out)[0]["phone"] == "+8613800138000"
    assert day_cli("contact", "deactivate", "1")[0] == 0
    code, out, err = day_cli("case", "open", "K1", "--kind", "agency", "--handler", "华信", "--recovery-rate", "50",
                             "--commission", "10", "--on", "2026-06-15")
    # 40,000.00 x 50 % = 20,000.00; commission 10 % = 2,000.00; net 18,000.00
    assert code == 0 and "expected recovery 20000.00, cost 2000.00, net 18000.00" in out, err
    # 40,000.00 x 1 % = 400.00 against 500 + 10 % of 400 = 540.00: refused, then opened with --accept-loss
    loss = ("case", "open", "K1", "--kind", "legal", "--handler", "金杜", "--recovery-rate", "1", "--cost", "500",
            "--commission", "10", "--on", "2026-06-15")
    code, out, err = day_cli(*loss)
    assert code == 2 and "400.00 CNY is below the expected cost of 540.00 CNY (net -140.00)" in err, err
    code, out, err = day_cli(*loss, "--accept-loss")
    assert code == 0 and "net -140.00" in out, err
    assert day_cli("case", "close", "2", "--on", "2026-06-15")[0] == 0
    assert day_cli("case", "recover", "1", "--amount", "5000")[0] == 0
    code, out, _ = day_cli("case", "close", "1", "--on", "2026-07-01")
    assert code == 0 and "5000.00 recovered" in out
    # K1 was with the agency from 06-15 to 07-01: no courtesy call while the case was open.
    code, out, _ = day_cli("care", "schedule", "--as-of", "2026-06-15", "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = day_cli("care", "schedule", "--as-of", "2026-07-01", "--tasks-per-run", "5", "--format", "json")
    assert [(t["customer"], t["kind"], t["source"]) for t in json.loads(out)] == [("K1", "call", "care:K1:2026-07-01")]


@pytest.mark.parametrize("args, message", [
    (("activity", "log", "K1", "--kind", "fax"), "activity kind 'fax'"),
    (("activity", "log", "NOPE", "--kind", "call"), "no customer 'NOPE'"),
    (("activity", "log", "K1", "--kind", "call", "--next", "soon"), "not a date"),
    (("contact", "add", "K1", "--name", "A", "--phone", "12"), "phone number"),
    (("task", "add", "K1", "--kind", "lunch", "--due", "2026-06-16", "--title", "x"), "task kind 'lunch'"),
    (("task", "done", "9", "--outcome", "x"), "no task 9"),
    (("case", "open", "K2", "--kind", "legal", "--handler", "x", "--recovery-rate", "50"), "nothing overdue"),
    (("case", "open", "K1", "--kind", "court", "--handler", "x", "--recovery-rate", "50"), "agency or legal"),
    (("worklist", "--format", "xlsx"), "--format xlsx needs --out FILE.xlsx"),
    (("care", "schedule", "--tasks-per-run", "0"), "--tasks-per-run"),
])
def test_bad_input_exits_2_with_a_message(day_cli, args, message):
    code, _, err = day_cli(*args)
    assert code == 2 and message in err, err
