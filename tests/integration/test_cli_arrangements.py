"""`credo dispute|promise|plan` on the acme ledger: help on every command, table and JSON output,
and bad input as a clear message with exit status 2."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.db


@pytest.fixture
def acme(cli_acme):
    """The acme ledger (tests/conftest.py) imported through the command line."""
    return cli_acme


@pytest.mark.parametrize("group", ["dispute", "promise", "plan"])
def test_each_group_and_command_answers_help(cli, group):
    code, out, _ = cli(group, "--help")
    assert code == 0 and "Usage" in out
    commands = {"dispute": ["open", "investigate", "resolve", "list", "report"], "promise": ["add", "cancel", "list"],
                "plan": ["add", "cancel", "show", "list"]}[group]
    for command in commands:
        code, out, _ = cli(group, command, "--help")
        assert code == 0 and "--company" in out, f"credo {group} {command} --help"


def test_a_dispute_is_opened_resolved_by_credit_note_and_reported(cli, acme):
    code, out, err = cli("dispute", "open", "I2", "--reason", "price", "--owner", "li", "--amount", "600",
                         "--on", "2024-04-01", "--format", "json")
    assert code == 0, err
    dispute = json.loads(out)
    assert (dispute["amount"], dispute["status"]) == ("600.00", "open")
    code, out, _ = cli("dispute", "report", "--as-of", "2024-04-15", "--format", "json")
    assert json.loads(out)["by_age"][0] == {"key": "0-30", "count": 1, "amount": "600.00"}
    code, out, _ = cli("dispute", "list")
    assert code == 0 and "price" in out
    code, out, err = cli("dispute", "resolve", str(dispute["id"]), "--resolution", "credit_note", "--on", "2024-04-16")
    assert code == 0 and "CN-D" in out, err


def test_bad_input_is_a_clear_message_with_exit_status_2(cli, acme):
    code, _, err = cli("dispute", "open", "I2", "--reason", "price", "--owner", "li", "--amount", "1600",
                       "--on", "2024-04-01")
    assert code == 2 and "more than the 1500.00 open" in err
    code, _, err = cli("dispute", "resolve", "1")
    assert code == 2 and "needs a resolution" in err
    code, _, err = cli("promise", "add", "C2", "--date", "20 April", "--amount", "300")
    assert code == 2 and "--date" in err
    code, _, err = cli("plan", "add", "C1", "--invoice", "I2", "--count", "3", "--first-due", "2024-04-30",
                       "--frequency", "yearly", "--on", "2024-04-02")
    assert code == 2 and "frequency" in err


def test_a_promise_and_a_plan_are_recorded_and_listed(cli, acme):
    code, out, err = cli("promise", "add", "C2", "--date", "2024-04-20", "--amount", "300", "--grace-days", "2",
                         "--invoice", "I3", "--on", "2024-04-12", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["currency"] == "USD"
    code, out, _ = cli("promise", "list", "--as-of", "2024-04-23", "--standing", "broken", "--format", "json")
    assert [p["customer"] for p in json.loads(out)] == ["C2"]
    code, out, err = cli("plan", "add", "C1", "--invoice", "I2", "--count", "3", "--first-due", "2024-04-30",
                         "--on", "2024-04-02")
    assert code == 0 and "2024-06-30" in out, err
    code, out, _ = cli("plan", "show", "1", "--as-of", "2024-05-01", "--format", "json")
    assert [i["standing"] for i in json.loads(out)["instalments"]] == ["broken", "open", "open"]
    code, out, _ = cli("plan", "list", "--breached", "--as-of", "2024-05-01")
    assert code == 0 and "C1" in out
    code, out, _ = cli("plan", "cancel", "1", "--on", "2024-05-02")
    assert code == 0 and "cancelled on 2024-05-02" in out
