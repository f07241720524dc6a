"""Four eyes (四眼原则) on every door: a limit, an interest waiver, a write-off and an insurance claim
asked for by the credit manager cannot be approved by the same person on the CLI, over the API or on
a page (one identity: `user:credit_manager` everywhere), nor by a role that may not approve; a
controller, a second person, may. And every CLI command acts as a named user with that user's role."""

from __future__ import annotations

from typer.testing import CliRunner

import pytest
import typer.main

from builders import contract_terms
from credo.cli import app
from credo.cli.identity import COMMAND_PERMISSIONS, NO_USER
from integration.test_api_insurance import POLICY
from integration.test_pages_admin import csrf
from web_support import signed_in

pytestmark = pytest.mark.db
API = "/api/v1"


def _commands(command, path=()):
    if hasattr(command, "commands"):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield " ".join(path)


def test_every_command_names_the_permission_it_needs():
    commands = set(_commands(typer.main.get_command(app)))
    assert commands - NO_USER == set(COMMAND_PERMISSIONS), "credo.cli.identity.COMMAND_PERMISSIONS is out of date"


def _api(server, token, path, body):
    with server.client(token) as client:
        return client.post(API + path, json=body)


def _cli(db, monkeypatch, *args):
    monkeypatch.setenv("CREDO_DATABASE_URL", db.url.render_as_string(hide_password=False))
    monkeypatch.delenv("CREDO_ACTOR", raising=False)
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _limit(server, tokens, db, by="credit_manager"):
    made = _api(server, tokens[by], "/limit-requests", {
        "customer_code": "C1", "amount": "50000", "term_days": 30, "rating": "B", "reason": "growth"})
    return made


def _waiver(server, tokens, db, by):
    contract_terms(db, _company(db))
    return _api(server, tokens[by], "/interest/waivers",
                {"invoice_number": "I2", "amount": "5.00", "reason": "goodwill"})


def _write_off(server, tokens, db, by):
    return _api(server, tokens[by], "/write-offs", {"reason": "insolvent", "invoice_numbers": ["I2"],
                                                                  "as_of": "2024-12-31"})


def _claim(server, tokens, db, by):
    assert _api(server, tokens[by], "/risk/insurance/policies", POLICY).status_code == 201
    granted = _api(server, tokens[by], "/risk/insurance/limits/decisions",
                   {"policy": "SS-1", "customer_code": "C1", "amount": "1000", "decided_on": "2024-01-15"})
    assert granted.status_code == 201, granted.text
    return _api(server, tokens[by], "/risk/insurance/claims",
                {"policy": "SS-1", "customer_code": "C1", "amount": "1500.00", "invoice_numbers": ["I2"],
                 "as_of": "2024-06-17"})


def _company(db):
    from credo.services.companies import get_company

    with db.connect() as conn:
        return get_company(conn, "ACME")


# kind: (who asks, who approves, ask, API approval path and body, CLI approval, page approval path); who
# asks holds the permission to approve, so that only the four-eyes rule stands in their way.
KINDS = {
    "limit": ("credit_manager", "controller", _limit, "/limit-requests/{id}/approval", {"note": "ok"}, ("credit", "limit", "approve", "{id}"),
              "/credit/requests/{id}/approval"),
    "waiver": ("credit_manager", "controller", _waiver, "/interest/waivers/{id}/approval", {"note": "ok"}, ("interest", "approve", "{id}"),
               "/waivers/{id}/approval"),
    "write-off": ("controller", "admin", _write_off, "/write-offs/{id}/approval", {"note": "ok"}, ("risk", "write-off", "approve", "{id}"),
                  "/risk/write-offs/{id}/approval"),
    "claim": ("credit_manager", "controller", _claim, "/risk/insurance/claims/{id}/status", {"status": "filed", "on": "2024-06-18"},
              ("risk", "claim", "update", "{id}", "--status", "filed", "--on", "2024-06-18"),
              "/risk/insurance/claims/{id}/status"),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_requester_never_approves_on_any_door_and_a_second_person_does(kind, server, acme, tokens, db,
                                                                          monkeypatch):
    maker, checker, ask, path, body, command, page_path = KINDS[kind]
    asked = ask(server, tokens, db, maker)
    assert asked.status_code == 201, asked.text
    item = str(asked.json()["id"])
    assert asked.json()["status"] in ("pending", "draft")  # nobody decides alone, whatever the amount

    code, _, err = _cli(db, monkeypatch, "--as", maker, *(a.format(id=item) for a in command))
    assert code == 2 and "four eyes" in err and f"user:{maker}" in err
    own = _api(server, tokens[maker], path.format(id=item), body)
    assert own.status_code == 403 and "four eyes" in own.json()["detail"]
    client = signed_in(server, maker, "en")
    answer = client.post(page_path.format(id=item), data={**body, "note": "ok", "csrf_token": csrf(client)})
    assert answer.status_code == 403 and "four eyes" in answer.text
    client.close()
    assert _api(server, tokens["collector"], path.format(id=item), body).status_code == 403
    approved = _api(server, tokens[checker], path.format(id=item), body)
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] in ("approved", "filed")


def test_a_collector_on_the_cli_may_not_approve_a_limit(server, acme, tokens, db, monkeypatch):
    asked = _limit(server, tokens, db).json()
    code, _, err = _cli(db, monkeypatch, "--as", "collector", "credit", "limit", "approve", asked["id"])
    assert code == 2 and "the role collector may not do this (limits.approve)" in err
    monkeypatch.setenv("CREDO_ACTOR", "collector")  # the environment names the same user
    result = CliRunner().invoke(app, ["credit", "limit", "approve", str(asked["id"])])
    assert result.exit_code == 2 and "limits.approve" in result.stderr


def test_a_command_acts_as_a_named_user_of_credo(acme, tokens, db, monkeypatch):
    code, _, err = _cli(db, monkeypatch, "summary")
    assert code == 2 and "credo --as USER summary" in err
    code, _, err = _cli(db, monkeypatch, "--as", "nobody", "summary")
    assert code == 2 and "--as nobody: no active user of that name" in err
    code, out, _ = _cli(db, monkeypatch, "--as", "auditor", "audit")
    assert code == 0
    code, _, err = _cli(db, monkeypatch, "--as", "auditor", "payments", "apply")
    assert code == 2 and "the role auditor may not do this (ledger.write)" in err


def test_a_collector_on_the_cli_sees_only_their_portfolio(acme, tokens, db, monkeypatch):
    code, out, _ = _cli(db, monkeypatch, "--as", "collector", "promise", "list", "--format", "json")
    assert code == 0
    code, _, err = _cli(db, monkeypatch, "--as", "collector", "promise", "add", "C2", "--date", "2024-05-01",
                        "--amount", "10")
    assert code == 2 and "C2" in err  # C2 is not in the collector's portfolio (wang.li holds none of acme's)


def test_a_controller_approves_any_limit_where_the_company_sets_no_bound_for_it(server, acme, tokens, db,
                                                                             monkeypatch):
    asked = _api(server, tokens["credit_manager"], "/limit-requests", {
        "customer_code": "C1", "amount": "5000000", "term_days": 30, "rating": "A", "reason": "group guarantee"})
    path = f"/limit-requests/{asked.json()['id']}/approval"
    refused = _api(server, tokens["controller"], path, {"note": "ok"})
    assert refused.status_code == 403 and "needs approval by the role admin or above, not controller" in \
        refused.json()["detail"]
    code, out, err = _cli(db, monkeypatch, "--as", "admin", "credit", "settings", "--levels",
                          "100000:credit_manager,controller")
    assert code == 0, err
    assert _api(server, tokens["controller"], path, {"note": "ok"}).json()["status"] == "approved"
