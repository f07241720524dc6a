"""Dunning policies as plain data: what ships goes through JSON and back unchanged, and a faulty
file is refused naming the policy, step and field."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from credo.domain.dunning import Action
from credo.domain.dunning_data import policies_from_data, policies_to_data
from credo.domain.dunning_defaults import DEFAULT_POLICIES

TEMPLATES = ("due", "escalation", "final_demand", "notice", "pre_due", "reminder", "statement")


def _shipped():
    return json.loads(json.dumps(policies_to_data(DEFAULT_POLICIES)))


def test_the_shipped_policies_go_through_json_and_back_unchanged():
    assert policies_from_data(_shipped(), TEMPLATES) == DEFAULT_POLICIES


def test_the_data_reads_as_a_person_would_write_it():
    firm = _shipped()[0]
    assert (firm["code"], firm["ratings"], firm["segments"], firm["repeat_every_days"]) == ("firm", ["D", "E"], None, 7)
    assert firm["steps"][1]["actions"] == ["email", "sms"] and firm["steps"][1]["min_open"] == "100"


def test_a_company_may_write_its_own_ladder():
    mine = [{"code": "all", "name": "Our way", "steps": [
        {"level": 1, "name": "note", "offset_days": -2, "actions": ["email"], "template": "pre_due"},
        {"level": 2, "name": "call", "offset_days": 10, "actions": ["call", "email"], "template": "notice",
         "min_open": "500", "fee": "25.00"}]}]
    [policy] = policies_from_data(mine, TEMPLATES)
    assert policy.steps[1].actions == (Action.CALL, Action.EMAIL)
    assert (policy.steps[1].min_open, policy.steps[1].fee, policy.steps[0].min_open) == (Decimal(500), Decimal("25.00"), 0)


@pytest.mark.parametrize("change, message", [
    (lambda d: d.__setitem__(3, {**d[3], "ratings": ["C"]}), "the last one (standard) must be a catch-all"),
    (lambda d: d[0]["steps"][0].__setitem__("actions", ["fax"]), "policy 1 (firm), step 1: actions ['fax']"),
    (lambda d: d[0]["steps"][0].__setitem__("template", "rude"), "step 1: template 'rude': use one of"),
    (lambda d: d[1]["steps"][0].__setitem__("min_open", "lots"), "policy 2 (key_accounts), step 1: min_open 'lots'"),
    (lambda d: d[1]["steps"][0].__setitem__("offset_days", "5"), "offset_days '5': a whole number"),
    (lambda d: d[2]["steps"][1].__setitem__("offset_days", -9), "each step must trigger later than the one before"),
    (lambda d: d[2].__setitem__("colour", "red"), "policy 3 (gentle): unknown field colour"),
    (lambda d: d[2]["steps"][0].pop("template"), "policy 3 (gentle), step 1: template is missing"),
    (lambda d: d[0]["steps"][2].__setitem__("fee", "-1"), "step 3: fee: zero or more"),
    (lambda d: d.__setitem__(1, {**d[1], "code": "firm"}), "each code once (firm repeats)"),
])
def test_a_faulty_policy_is_refused_naming_where(change, message):
    data = _shipped()
    change(data)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]")):
        policies_from_data(data, TEMPLATES)


def test_an_empty_or_non_list_file_is_refused():
    for data in ([], {}, "x"):
        with pytest.raises(ValueError, match="a JSON list of one or more policies"):
            policies_from_data(data, TEMPLATES)


def test_the_wait_and_the_longest_stay_are_data_with_defaults_for_policies_stored_before_them():
    data = _shipped()
    standard = data[3]
    assert (standard["min_days_between_steps"], standard["max_days_on_step"]) == (7, 30)
    assert [s["wait_days"] for s in standard["steps"]] == [None, 6, None, None, None, None]
    for policy in data:  # a version stored before the fields existed
        policy.pop("min_days_between_steps"), policy.pop("max_days_on_step")
        for step in policy["steps"]:
            step.pop("wait_days")
    old = policies_from_data(data, TEMPLATES)
    assert {(p.min_days_between_steps, p.max_days_on_step) for p in old} == {(7, 30)}
    data[3]["max_days_on_step"] = None  # no limit: the last step repeats for ever
    assert policies_from_data(data, TEMPLATES)[3].max_days_on_step is None


@pytest.mark.parametrize("change, message", [
    (lambda d: d[3].__setitem__("min_days_between_steps", -1), "the wait between steps must be zero days or more"),
    (lambda d: d[3]["steps"][1].__setitem__("wait_days", -2), "the wait between steps must be zero days or more"),
    (lambda d: d[3].__setitem__("max_days_on_step", 0), "the maximum stay on a step must be at least one day"),
    (lambda d: d[3].__setitem__("max_days_on_step", "30"), "max_days_on_step '30': a whole number"),
])
def test_a_wrong_wait_or_stay_is_refused_naming_the_policy(change, message):
    data = _shipped()
    change(data)
    with pytest.raises(ValueError, match=message):
        policies_from_data(data, TEMPLATES)
