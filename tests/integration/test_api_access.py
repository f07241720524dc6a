"""Every API route with every role: the allowed answers and the refused ones, against a table
written here by hand (not read from the code), and every route listed in it and documented."""

from __future__ import annotations

import pytest
from credo.api.app import API_PREFIX

pytestmark = pytest.mark.db

ALL = {"admin", "credit_manager", "collector", "sales", "controller", "auditor"}
WRITE_LEDGER = {"admin", "credit_manager", "controller"}
REPORTS = {"admin", "credit_manager", "controller", "auditor"}
CREDIT_READ = {"admin", "credit_manager", "controller", "auditor", "sales"}  # sales: their portfolio (C2)
CREDIT_MANAGE = {"admin", "credit_manager"}
ORDERS = {"admin", "credit_manager", "controller", "sales"}
APPROVE = {"admin", "credit_manager", "controller"}
COLLECTIONS = {"admin", "credit_manager", "collector", "sales"}  # collectors and sales: their portfolio
DUNNING = {"admin", "credit_manager"}
WAIVE = {"admin", "credit_manager", "controller"}
WORK = COLLECTIONS  # collections.work, within the portfolio
WRITE_OFFS = {"admin", "controller"}  # write_offs.approve, provisions.manage
RISK = {"admin", "credit_manager", "controller"}  # risk.manage
CLOSE = {"admin", "controller"}  # periods.close

# (method, path as routed, concrete path, body or files) -> roles the route answers.
MATRIX = [
    ("GET", "/me", "/me", None, ALL),
    ("DELETE", "/session", "/session", None, ALL),
    ("GET", "/customers", "/customers", None, ALL),
    ("GET", "/customers/{code}", "/customers/C1", None, ALL),
    ("POST", "/customers", "/customers", {"customer_code": "N1", "name": "New Co"}, {"admin", "credit_manager"}),
    ("GET", "/customer-groups", "/customer-groups", None, ALL),
    ("GET", "/invoices", "/invoices", None, ALL),
    ("GET", "/invoices/{number}", "/invoices/I1", None, ALL),
    ("POST", "/invoices", "/invoices",
     {"invoice_number": "X1", "customer_code": "C1", "invoice_date": "2024-07-01", "amount": "10.00"}, WRITE_LEDGER),
    ("GET", "/payments", "/payments", None, ALL),
    ("GET", "/payments/{ref}", "/payments/P1", None, ALL),
    ("POST", "/payments", "/payments",
     {"payment_ref": "Y1", "customer_code": "C1", "payment_date": "2024-07-01", "amount": "1.00"}, WRITE_LEDGER),
    ("POST", "/payments/{ref}/reversal", "/payments/P2/reversal", {"date": "2024-07-01", "reason": "returned"},
     WRITE_LEDGER),
    ("POST", "/payments/apply", "/payments/apply", None, WRITE_LEDGER),
    ("GET", "/credit-notes", "/credit-notes", None, ALL),
    ("GET", "/credit-notes/{number}", "/credit-notes/CN1", None, ALL),
    ("POST", "/credit-notes", "/credit-notes",
     {"credit_note_number": "Z1", "customer_code": "C1", "issue_date": "2024-07-01", "amount": "1.00"}, WRITE_LEDGER),
    ("GET", "/orders", "/orders", None, ALL),
    ("GET", "/orders/{number}/history", "/orders/R1/history", None, ALL),
    ("POST", "/orders", "/orders",
     {"order_number": "R1", "customer_code": "C1", "order_date": "2024-07-01", "amount": "10.00"}, ORDERS),
    ("POST", "/orders/{number}/delivery", "/orders/R1/delivery", {"date": "2024-07-02"}, ORDERS),
    ("POST", "/credit-checks", "/credit-checks", {"customer_code": "C1", "amount": "10.00"}, ALL),
    ("GET", "/credit/queue", "/credit/queue", None, ALL),
    ("POST", "/credit/queue/{item_id}/release", "/credit/queue/1/release", {"reason": "paid ahead"}, APPROVE),
    ("GET", "/credit/reviews", "/credit/reviews", None, ALL),
    ("POST", "/customers/{code}/hold", "/customers/C3/hold", {"on_hold": True, "reason": "dispute"}, APPROVE),
    ("POST", "/limit-requests", "/limit-requests",
     {"customer_code": "C1", "amount": "1000.00", "term_days": 30, "rating": "C", "reason": "new"},
     {"admin", "credit_manager", "sales"}),
    ("GET", "/limit-requests", "/limit-requests", None, ALL),
    ("GET", "/limit-requests/{request_id}", "/limit-requests/1", None, ALL),
    ("POST", "/limit-requests/{request_id}/approval", "/limit-requests/1/approval", {"note": "ok"}, APPROVE),
    ("POST", "/limit-requests/{request_id}/rejection", "/limit-requests/1/rejection", {"note": "no"}, APPROVE),
    ("POST", "/limit-requests/{request_id}/withdrawal", "/limit-requests/1/withdrawal", {"note": "no"},
     {"admin", "credit_manager", "sales"}),
    ("GET", "/credit/settings", "/credit/settings", None, ALL),
    ("PUT", "/credit/settings", "/credit/settings", {"overdue_days": 45}, {"admin", "credit_manager"}),
    ("POST", "/imports/{kind}", "/imports/fx-rates", "upload", WRITE_LEDGER),
    ("POST", "/imports/{kind}", "/imports/credit-facts", "upload credit facts", CREDIT_MANAGE),
    ("GET", "/customers/{code}/credit-file", "/customers/C2/credit-file", None, CREDIT_READ),
    ("GET", "/customers/{code}/assessment", "/customers/C2/assessment?as_of=2024-06-30", None, CREDIT_READ),
    ("POST", "/customers/{code}/assessments", "/customers/C2/assessments?as_of=2024-06-30", None, CREDIT_MANAGE),
    ("GET", "/customers/{code}/assessments", "/customers/C2/assessments", None, CREDIT_READ),
    ("POST", "/customers/{code}/reviews", "/customers/C2/reviews?as_of=2024-06-30", None, CREDIT_MANAGE),
    ("GET", "/credit/models/{kind}", "/credit/models/policy", None, CREDIT_READ),
    ("PUT", "/credit/models/{kind}", "/credit/models/policy", "the default policy", CREDIT_MANAGE),
    ("GET", "/dunning", "/dunning?as_of=2024-06-30", None, {"admin", "credit_manager"}),
    ("POST", "/dunning/runs", "/dunning/runs?as_of=2024-06-30", {"ignore_window": True}, {"admin", "credit_manager"}),
    ("GET", "/dunning/policies", "/dunning/policies", None, ALL),
    ("PUT", "/dunning/policies", "/dunning/policies", "the shipped dunning policies", {"admin", "credit_manager"}),
    ("GET", "/reports/aging", "/reports/aging", None, ALL),
    ("GET", "/reports/behaviour", "/reports/behaviour", None, ALL),
    ("GET", "/reports/dso", "/reports/dso", None, REPORTS),
    ("GET", "/reports/metrics", "/reports/metrics", None, REPORTS),
    ("GET", "/reports/trends", "/reports/trends", None, REPORTS),
    ("GET", "/audit", "/audit", None, REPORTS),
    ("GET", "/users", "/users", None, {"admin"}),
    ("POST", "/users", "/users", {"username": "u9", "role": "auditor", "password": "long enough pw"}, {"admin"}),
    ("POST", "/users/{username}/tokens", "/users/auditor/tokens", {"name": "erp"}, {"admin"}),
    ("GET", "/disputes", "/disputes", None, ALL),
    ("POST", "/disputes", "/disputes",
     {"invoice_number": "I2", "amount": "100.00", "reason": "price", "owner": "li", "opened_on": "2024-04-01"},
     COLLECTIONS),
    ("POST", "/disputes/{dispute_id}/investigation", "/disputes/1/investigation", {}, COLLECTIONS),
    ("POST", "/disputes/{dispute_id}/resolution", "/disputes/1/resolution", {"resolution": "valid"}, COLLECTIONS),
    ("GET", "/reports/disputes", "/reports/disputes", None, ALL),
    ("GET", "/promises", "/promises", None, ALL),
    ("POST", "/promises", "/promises",
     {"customer_code": "C1", "promised_on": "2024-07-10", "amount": "100.00", "made_on": "2024-07-01"}, COLLECTIONS),
    ("POST", "/promises/{promise_id}/cancellation", "/promises/1/cancellation", {}, COLLECTIONS),
    ("GET", "/payment-plans", "/payment-plans", None, ALL),
    ("POST", "/payment-plans", "/payment-plans",
     {"customer_code": "C1", "invoice_numbers": ["I2"], "count": 2, "first_due": "2024-07-31",
      "agreed_on": "2024-07-01"}, COLLECTIONS),
    ("GET", "/payment-plans/{plan_id}", "/payment-plans/1", None, ALL),
    ("POST", "/payment-plans/{plan_id}/cancellation", "/payment-plans/1/cancellation", {}, COLLECTIONS),
    ("GET", "/interest/terms", "/interest/terms", None, ALL),
    ("POST", "/interest/terms", "/interest/terms",
     {"customer_code": "C1", "valid_from": "2024-01-01", "rate": "0.05", "basis": "daily", "grace_days": 5,
      "raise_debit_note": True}, DUNNING),
    ("GET", "/interest/settings", "/interest/settings", None, ALL),
    ("PUT", "/interest/settings", "/interest/settings", {"debit_note_days": 7}, {"admin", "credit_manager"}),
    ("GET", "/reports/interest", "/reports/interest?as_of=2024-04-15", None, REPORTS),
    ("POST", "/interest/charges", "/interest/charges", {"as_of": "2024-04-15"}, DUNNING),
    ("GET", "/interest/waivers", "/interest/waivers", None, ALL),
    ("POST", "/interest/waivers", "/interest/waivers",
     {"invoice_number": "I2", "amount": "0.01", "reason": "goodwill", "as_of": "2024-04-15"}, DUNNING),
    ("POST", "/interest/waivers/{waiver_id}/approval", "/interest/waivers/1/approval", {"note": "ok"}, WAIVE),
    ("POST", "/interest/waivers/{waiver_id}/rejection", "/interest/waivers/1/rejection", {"note": "no"}, WAIVE),
    ("GET", "/worklist", "/worklist", None, ALL),
    ("GET", "/customers/{code}/activities", "/customers/C1/activities", None, ALL),
    ("POST", "/customers/{code}/activities", "/customers/C1/activities", {"kind": "call", "outcome": "ok"}, WORK),
    ("GET", "/customers/{code}/contacts", "/customers/C1/contacts", None, ALL),
    ("POST", "/customers/{code}/contacts", "/customers/C1/contacts", {"name": "李会计"}, WORK),
    ("GET", "/tasks", "/tasks", None, ALL),
    ("POST", "/tasks", "/tasks", {"customer_code": "C1", "kind": "call", "due_on": "2024-07-01", "title": "call"},
     WORK),
    ("POST", "/tasks/{task_id}/completion", "/tasks/1/completion", {"outcome": "paid"}, WORK),
    ("POST", "/tasks/{task_id}/cancellation", "/tasks/1/cancellation", {"reason": "paid"}, WORK),
    ("GET", "/collection-cases", "/collection-cases", None, ALL),
    ("POST", "/collection-cases", "/collection-cases",
     {"customer_code": "C2", "kind": "agency", "handler": "华信", "recovery_rate": "50"}, DUNNING),
    ("POST", "/collection-cases/{case_id}/recovery", "/collection-cases/1/recovery", {"amount": "10.00"}, DUNNING),
    ("POST", "/collection-cases/{case_id}/closure", "/collection-cases/1/closure", {}, DUNNING),
    ("GET", "/discount-offers", "/discount-offers", None, ALL),
    ("POST", "/discount-offers", "/discount-offers",
     {"customer_code": "C1", "invoice_numbers": ["I2"], "percent": "2", "pay_by": "2024-07-10",
      "offered_on": "2024-07-01"}, WORK),
    ("GET", "/discount-offers/{offer_id}", "/discount-offers/1", None, ALL),
    ("POST", "/discount-offers/{offer_id}/withdrawal", "/discount-offers/1/withdrawal", {}, WORK),
]
PROVISIONS = {"admin", "controller"}  # provisions.manage
MATRIX += [
    ("GET", "/risk/provision", "/risk/provision?as_of=2024-06-30", None, REPORTS),
    ("GET", "/risk/specific-provisions", "/risk/specific-provisions", None, REPORTS),
    ("POST", "/risk/specific-provisions", "/risk/specific-provisions",
     {"customer_code": "C1", "rate": "50%", "reason": "in liquidation", "valid_from": "2024-06-01"}, PROVISIONS),
    ("POST", "/risk/specific-provisions/{provision_id}/end", "/risk/specific-provisions/1/end",
     {"until": "2024-06-15"}, PROVISIONS),
    ("GET", "/risk/provision-settings", "/risk/provision-settings", None, REPORTS),
    ("PUT", "/risk/provision-settings", "/risk/provision-settings", {"forward_factor": "1.05"}, PROVISIONS),
    ("GET", "/write-offs", "/write-offs", None, ALL),
    ("POST", "/write-offs", "/write-offs", {"invoice_numbers": ["I2"], "reason": "bankrupt", "as_of": "2024-07-31"},
     WRITE_LEDGER),
    # 99: none such (404) for those who may approve; approving one's own request is refused (four eyes)
    ("POST", "/write-offs/{write_off_id}/approval", "/write-offs/99/approval", {"note": "ok"}, WRITE_OFFS),
    ("POST", "/write-offs/{write_off_id}/rejection", "/write-offs/1/rejection", {"note": "no"}, WRITE_OFFS),
    ("POST", "/write-offs/{write_off_id}/recovery", "/write-offs/1/recovery", {"as_of": "2024-08-01"}, WRITE_LEDGER),
    ("GET", "/write-offs/accounts", "/write-offs/accounts", None, REPORTS),
    ("PUT", "/write-offs/accounts", "/write-offs/accounts", {"allowance": "1231.01"}, WRITE_OFFS),
    ("GET", "/reports/provision-movement", "/reports/provision-movement?from=2024-07-01&to=2024-07-31", None,
     REPORTS),
    ("GET", "/reports/provision-journal", "/reports/provision-journal?from=2024-07-01&to=2024-07-31&format=csv",
     None, REPORTS),
    ("GET", "/risk/insurance/policies", "/risk/insurance/policies", None, CREDIT_READ),
    ("POST", "/risk/insurance/policies", "/risk/insurance/policies",
     {"insurer": "中国信保", "number": "SS-1", "period_from": "2024-01-01", "period_to": "2024-12-31",
      "max_credit_days": 60, "report_overdue_days": 30, "claim_days": 60}, RISK),
    ("GET", "/risk/insurance/limits", "/risk/insurance/limits", None, CREDIT_READ),
    ("POST", "/risk/insurance/limits/requests", "/risk/insurance/limits/requests",
     {"policy": "SS-1", "customer_code": "C1", "amount": "2000"}, RISK),
    ("POST", "/risk/insurance/limits/decisions", "/risk/insurance/limits/decisions",
     {"policy": "SS-1", "customer_code": "C1", "amount": "1000", "decided_on": "2024-01-15"}, RISK),
    ("GET", "/risk/insurance/split", "/risk/insurance/split?as_of=2024-04-15", None, CREDIT_READ),
    ("GET", "/risk/insurance/beyond-limit", "/risk/insurance/beyond-limit?as_of=2024-04-15", None, CREDIT_READ),
    ("GET", "/risk/insurance/deadlines", "/risk/insurance/deadlines?as_of=2024-04-25", None, CREDIT_READ),
    ("GET", "/risk/insurance/overdue-reports", "/risk/insurance/overdue-reports", None, CREDIT_READ),
    ("POST", "/risk/insurance/overdue-reports", "/risk/insurance/overdue-reports",
     {"policy": "SS-1", "customer_code": "C1", "reported_on": "2024-04-25"}, RISK),
    ("GET", "/risk/insurance/claims", "/risk/insurance/claims", None, CREDIT_READ),
    ("POST", "/risk/insurance/claims", "/risk/insurance/claims",
     {"policy": "SS-1", "customer_code": "C1", "amount": "1500", "draft": True}, RISK),
    ("POST", "/risk/insurance/claims/{claim_id}/status", "/risk/insurance/claims/1/status",
     {"status": "filed", "on": "2024-06-18"}, RISK),
    ("POST", "/risk/scans", "/risk/scans", {"as_of": "2024-06-30"}, RISK),
    ("GET", "/risk/alerts", "/risk/alerts", None, CREDIT_READ),
    ("GET", "/risk/alerts/{alert_id}", "/risk/alerts/1", None, CREDIT_READ),
    ("POST", "/risk/alerts/{alert_id}/comments", "/risk/alerts/1/comments", {"body": "calling"}, RISK),
    ("POST", "/risk/alerts/{alert_id}/status", "/risk/alerts/1/status", {"status": "acknowledged"}, RISK),
    ("GET", "/risk/rules", "/risk/rules", None, CREDIT_READ),
    ("PUT", "/risk/rules/{code}", "/risk/rules/dpd_90", {"threshold": "120"}, RISK),
    ("GET", "/risk/flags", "/risk/flags", None, CREDIT_READ),
    ("POST", "/risk/flags", "/risk/flags", {"customer_code": "C1", "kind": "news", "note": "重组传闻"}, RISK),
    ("POST", "/risk/flags/{flag_id}/clearance", "/risk/flags/1/clearance", {}, RISK),
    ("GET", "/reports/warnings", "/reports/warnings?as_of=2024-06-30", None, REPORTS),
    # Last: a close locks 2024-06-30, the day the rows above write on; reopened at once
    ("GET", "/closes", "/closes", None, REPORTS),
    ("POST", "/closes", "/closes", {"period_end": "2024-06-30"}, CLOSE),
    ("GET", "/closes/verify", "/closes/verify", None, REPORTS),
    ("GET", "/closes/{as_of}/{kind}", "/closes/2024-06-30/aging", None, REPORTS),
    ("POST", "/closes/reopen", "/closes/reopen", {"reason": "the matrix"}, CLOSE),
]
PUBLIC = {("POST", "/session")}


def test_every_route_is_in_the_matrix_and_has_a_summary(server):
    with server.client() as client:
        document = client.get(API_PREFIX + "/openapi.json").json()
    routes = {(method.upper(), path.removeprefix(API_PREFIX)) for path, operations in document["paths"].items()
              for method in operations}
    assert routes - PUBLIC == {(method, path) for method, path, *_ in MATRIX}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), f"{method.upper()} {path} has no summary"


def _ask(client, method: str, path: str, body):
    if body == "upload":
        content = b"currency,rate_date,rate\nUSD,2024-07-01,7.1000\n"
        return client.post(API_PREFIX + path, files={"file": ("fx.csv", content, "text/csv")})
    if body == "upload credit facts":
        content = b"customer_code,recorded_on,listed,manufacturer\nC2,2024-07-01,no,yes\n"
        return client.post(API_PREFIX + path, files={"file": ("facts.csv", content, "text/csv")})
    if body == "the default policy":
        from credo.domain.credit.defaults import DEFAULT_POLICY
        from credo.domain.credit.policy import policy_to_dict

        return client.request(method, API_PREFIX + path, json=policy_to_dict(DEFAULT_POLICY))
    if body == "the shipped dunning policies":
        from credo.domain.dunning_data import policies_to_data
        from credo.domain.dunning_defaults import DEFAULT_POLICIES

        return client.request(method, API_PREFIX + path, json={"policies": policies_to_data(DEFAULT_POLICIES)})
    return client.request(method, API_PREFIX + path, json=body)


@pytest.mark.parametrize("role", sorted(ALL))
def test_each_role_gets_what_its_row_allows_and_403_elsewhere(server, acme, tokens, role):
    with server.client(tokens[role]) as client:
        for method, routed, path, body, allowed in MATRIX:
            if routed == "/session":
                continue  # signing out ends nothing for a token; checked below
            answer = _ask(client, method, path, body)
            status = answer.status_code
            if role in allowed:  # the role may; its own request it may not approve (test_four_eyes.py)
                four_eyes = status == 403 and "four eyes" in answer.json().get("detail", "")
                assert status not in (401, 403) or four_eyes, f"{role} refused {method} {path}: {status}"
            else:
                assert status == 403, f"{role} got {status} for {method} {path}, wanted 403"
        assert client.delete(API_PREFIX + "/session").status_code == 204


def test_without_a_token_every_route_but_sign_in_answers_401(server, acme):
    with server.client() as client:
        for method, _, path, body, _ in MATRIX:
            assert _ask(client, method, path, body).status_code == 401, f"{method} {path}"
