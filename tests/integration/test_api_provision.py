"""The provision routes on the small ledger (tests/provision_support.py): as of 2024-06-30 the
IFRS 9 rates give 1,032.00; the 账龄分析法 table 1,600.00."""

from __future__ import annotations

import pytest

from credo.api.app import API_PREFIX as API
from provision_support import small_ledger

pytestmark = pytest.mark.db
IFRS9 = [{"bucket": "current", "high": 0, "rate": "0.3%"}, {"bucket": "1-30", "low": 1, "high": 30, "rate": "1.6%"},
         {"bucket": "31-60", "low": 31, "high": 60, "rate": "3.6%"},
         {"bucket": "61-90", "low": 61, "high": 90, "rate": "6.6%"}, {"bucket": ">90", "low": 91, "rate": "10.6%"}]


@pytest.fixture
def small(db, company, tmp_path):
    return small_ledger(db, company, tmp_path)


def call(server, token, verb, path, json=None, **params):
    with server.client(token) as client:
        return client.request(verb, API + path, json=json, params=params)


def test_a_controller_sets_the_matrix_and_a_specific_provision_and_the_auditor_reads_the_provision(
        server, small, tokens):
    put = call(server, tokens["controller"], "PUT", "/risk/provision-settings", {"matrix_rates": IFRS9})
    assert put.status_code == 200, put.text
    assert put.json()["matrix_rates"][0] == {"bucket": "current", "low": None, "high": 0, "rate": "0.003"}
    found = call(server, tokens["auditor"], "GET", "/risk/provision", as_of="2024-06-30").json()
    assert (found["method"], found["source"], found["total_allowance"]) == ("matrix", "settings", "1032.00")
    assert [(b["bucket"], b["allowance"]) for b in found["buckets"]] == [
        ("current", "30.00"), ("1-30", "48.00"), ("31-60", "0.00"), ("61-90", "0.00"), (">90", "954.00")]
    made = call(server, tokens["controller"], "POST", "/risk/specific-provisions",
                {"customer_code": "C3", "amount": "1500", "reason": "法院判决", "valid_from": "2024-06-01"})
    assert made.status_code == 201, made.text
    found = call(server, tokens["auditor"], "GET", "/risk/provision", as_of="2024-06-30").json()
    # C3: 1,500 assessed in place of 2,000 x 10.6 % = 212.
    assert found["total_allowance"] == "2320.00"
    assert found["customers"][0]["customer"] == "C3" and found["customers"][0]["basis"] == "specific-amount"
    ended = call(server, tokens["controller"], "POST", f"/risk/specific-provisions/{made.json()['id']}/end",
                 {"until": "2024-06-29"})
    assert ended.json()["valid_until"] == "2024-06-29"
    assert call(server, tokens["auditor"], "GET", "/risk/specific-provisions", as_of="2024-06-30").json() == []


def test_the_aging_table_method_and_a_forward_factor_by_query(server, small, tokens):
    found = call(server, tokens["auditor"], "GET", "/risk/provision", as_of="2024-06-30", method="aging-table",
                 forward_factor="1.1").json()
    assert found["total_allowance"] == "1760.00"


def test_the_specific_rule_is_a_setting_of_the_api_and_in_the_report(server, small, tokens):
    put = call(server, tokens["controller"], "PUT", "/risk/provision-settings", {"specific_rule": "higher"})
    assert put.status_code == 200 and put.json()["specific_rule"] == "higher"
    assert call(server, tokens["auditor"], "GET", "/risk/provision", as_of="2024-06-30").json()["specific_rule"] == (
        "higher")
    answer = call(server, tokens["controller"], "PUT", "/risk/provision-settings", {"specific_rule": "lower"})
    assert answer.status_code == 422 and "specific rule 'lower'" in answer.text


def test_bad_settings_answer_422_with_the_reason(server, small, tokens):
    answer = call(server, tokens["controller"], "PUT", "/risk/provision-settings",
                  {"matrix_rates": [{"bucket": "all", "rate": "150"}]})
    assert answer.status_code == 422 and "more than 100 %" in answer.text
    answer = call(server, tokens["auditor"], "GET", "/risk/provision", as_of="2024-06-30", method="guess")
    assert answer.status_code == 422 and "method 'guess'" in answer.text


def test_no_generated_request_to_the_provision_routes_makes_the_server_fail(server, small, tokens):
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error

    schema = schemathesis.openapi.from_url(f"{server.url}/api/v1/openapi.json")
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    operations = [r.ok() for r in schema.get_all_operations()
                  if r.ok().path.startswith(("/api/v1/risk/provision", "/api/v1/risk/specific-provisions"))]
    assert len(operations) == 6
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def exercise(case):
            response = case.call(base_url=server.url, headers=headers)
            case.validate_response(response, checks=[not_a_server_error])

        exercise()
