"""A company's own dunning policies: stored as versions, checked on the way in, and used by the next
run; on the acme ledger as of 2024-04-15 (tests/integration/test_dunning.py works out the shipped
ladders: C1 at the gentle ladder's step 2, C2 at the standard one's step 2, its first step after the
due date)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from credo.errors import InvalidInput
from credo.services import audit
from credo.services.collections.dunning import dunning_proposals
from credo.services.collections.policies import policies_setting, set_policies
from integration.test_pages import rows_of
from integration.test_pages_admin import csrf

pytestmark = pytest.mark.db
AS_OF = date(2024, 4, 15)
# One ladder for everyone: a notice on the due date, a call two weeks after, then the agency.
OURS = [{"code": "ours", "name": "Our one ladder", "repeat_every_days": 30, "steps": [
    {"level": 1, "name": "notice", "offset_days": 0, "actions": ["email"], "template": "notice"},
    {"level": 2, "name": "call", "offset_days": 14, "actions": ["call"], "template": "reminder", "min_open": "1000"},
    {"level": 3, "name": "agency", "offset_days": 60, "actions": ["agency"], "template": "escalation"}]}]


def _proposed(db, company):
    with db.connect() as conn:
        return {p.customer: (p.policy, p.step.level, p.step.name) for p in dunning_proposals(conn, company, AS_OF).proposals}


def test_the_shipped_policies_are_version_0_until_a_company_sets_its_own(db, acme):
    with db.connect() as conn:
        shipped = policies_setting(conn, acme)
    assert shipped["version"] == 0 and [p["code"] for p in shipped["policies"]] == [
        "firm", "key_accounts", "gentle", "standard"]
    assert _proposed(db, acme) == {"C1": ("key_accounts", 2, "friendly reminder"), "C2": ("standard", 2, "first notice")}


def test_a_company_ladder_is_used_by_the_next_run_and_setting_it_again_writes_nothing(db, acme):
    with db.begin() as conn:
        stored = set_policies(conn, acme, OURS, "user:li")
        again = set_policies(conn, acme, json.loads(json.dumps(stored["policies"])), "user:li")
        [entry] = audit.entries(conn, entity="dunning_policies", limit=5)
    assert (stored["version"], again["version"], entry["actor"]) == (1, 1, "user:li")
    # C1: I2 due 03-31, 15 days past due, 1,500 open -> the call; C2: I3 due 03-30, 2,100 CNY -> the call
    # (the notice on the due date is past its day: an invoice found late starts at the next step).
    assert _proposed(db, acme) == {"C1": ("ours", 2, "call"), "C2": ("ours", 2, "call")}


def test_a_faulty_ladder_is_refused_naming_where_and_nothing_is_stored(db, acme):
    faulty = json.loads(json.dumps(OURS))
    faulty[0]["steps"][1]["actions"] = ["carrier pigeon"]
    with db.begin() as conn, pytest.raises(InvalidInput, match=r"policy 1 \(ours\), step 2: actions"):
        set_policies(conn, acme, faulty, "user:li")
    with db.connect() as conn:
        assert policies_setting(conn, acme)["version"] == 0


def test_the_cli_shows_and_sets_the_policies(cli, tmp_path):
    code, out, _ = cli("dunning", "policies", "show")
    assert code == 0 and json.loads(out)["version"] == 0
    (tmp_path / "ours.json").write_text(json.dumps({"version": 0, "policies": OURS}), encoding="utf-8")
    code, _, err = cli("dunning", "policies", "set", tmp_path / "ours.json")
    assert code == 0 and "version 1 in force" in err
    (tmp_path / "bad.json").write_text("[{", encoding="utf-8")
    code, _, err = cli("dunning", "policies", "set", tmp_path / "bad.json")
    assert code == 2 and "not a readable JSON file" in err


def test_the_page_shows_each_ladder_and_saves_a_new_version(pages):
    client = pages("credit_manager", "en")
    page = client.get("/dunning/policies").text
    assert 'id="policy-gentle"' in page and "friendly reminder" in page and "version 0 in force" in page
    saved = client.post("/dunning/policies", data={"body": json.dumps(OURS), "csrf_token": csrf(client)})
    assert saved.status_code == 303 and saved.headers["location"] == "/dunning/policies?saved=1"
    page = client.get("/dunning/policies").text
    assert "version 1 in force" in page and 'id="policy-gentle"' not in page
    assert 'id="policy-ours"' in page
    refused = client.post("/dunning/policies", data={"body": "[]", "csrf_token": csrf(client)})
    assert refused.status_code == 422 and "one or more policies" in refused.text
    assert pages("collector", "en").get("/dunning/policies").status_code == 403


def test_the_cli_shows_and_sets_the_company_sending_window(cli):
    assert cli("dunning", "window") == (0, "08:30-18:00\n", "")
    assert cli("dunning", "window", "09:00-17:30")[1] == "09:00-17:30\n"
    assert cli("dunning", "window")[1] == "09:00-17:30\n"
    code, _, err = cli("dunning", "window", "5pm")
    assert code == 2 and "write HH:MM-HH:MM" in err
    assert cli("dunning", "window", "--clear")[1] == "08:30-18:00\n"


def test_the_settings_page_sets_the_sending_window(pages):
    client = pages("admin", "en")
    assert 'id="send-window"' in client.get("/settings").text
    done = client.post("/settings/send-window", data={"send_window": "09:00-17:00", "csrf_token": csrf(client)})
    assert done.status_code == 303 and 'value="09:00-17:00"' in client.get("/settings").text
    refused = client.post("/settings/send-window", data={"send_window": "late", "csrf_token": csrf(client)})
    assert refused.status_code == 422 and "HH:MM-HH:MM" in refused.text


def test_the_wait_between_steps_and_the_longest_stay_are_shown_and_set_with_the_ladders(pages):
    client = pages("credit_manager", "en")
    page = client.get("/dunning/policies").text
    assert "at least 7 days between two steps" in page and "after 30 days on a step" in page
    [first_notice] = [r for r in rows_of(page, "policy-standard-steps") if r[1] == "first notice"]
    assert first_notice[-1] == "6"  # the ladder's own -3 .. +3 spacing, below the policy's 7
    assert "&#34;min_days_between_steps&#34;: 7" in page and "&#34;wait_days&#34;: 6" in page  # the JSON to edit
    ours = json.loads(json.dumps(OURS))
    ours[0] |= {"min_days_between_steps": 10, "max_days_on_step": None}
    ours[0]["steps"][1]["wait_days"] = 14
    assert client.post("/dunning/policies", data={"body": json.dumps(ours), "csrf_token": csrf(client)}).status_code == 303
    page = client.get("/dunning/policies").text
    assert "at least 10 days between two steps" in page and "no limit to the stay on a step" in page
    assert [r[-1] for r in rows_of(page, "policy-ours-steps")] == ["10", "14", "10"]
