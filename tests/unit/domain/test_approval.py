"""The one maker-checker rule (四眼原则): never the requester, whatever the role or the amount; the
decider's role reaches the level the amount calls for; the refusal names the roles."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from credo.domain.approval import APPROVER_RANK, ApprovalLevel, may_approve, parse_levels

DEFAULT = parse_levels("100000:credit_manager,1000000:controller,admin")
CFO_WITHOUT_BOUND = parse_levels("100000:credit_manager,controller")


@pytest.mark.parametrize("amount, approver_role, allowed, needed", [
    (D("100000"), "credit_manager", True, "credit_manager"),
    (D("100000.01"), "credit_manager", False, "controller"),
    (D("1000000"), "controller", True, "controller"),
    (D("1000000.01"), "controller", False, "admin"),
    (D("5000000"), "admin", True, "admin"),
])
def test_the_approvers_role_must_reach_the_level_of_the_amount(amount, approver_role, allowed, needed):
    verdict = may_approve("a limit", DEFAULT, amount, "user:li", "user:wu", approver_role)
    assert (verdict.allowed, verdict.needed_role) == (allowed, needed)
    if not allowed:
        assert verdict.reason == f"a limit of {amount} needs approval by the role {needed} or above, not {approver_role}"


def test_a_controller_approves_any_amount_where_the_company_sets_no_bound_for_it():
    # A CFO (controller) approves a 5,000,000 limit without the system administrator.
    assert may_approve("a limit", CFO_WITHOUT_BOUND, D(5_000_000), "user:li", "user:cfo", "controller").allowed
    assert not may_approve("a limit", DEFAULT, D(5_000_000), "user:li", "user:cfo", "controller").allowed


def test_the_requester_is_refused_with_the_role_needed_named():
    verdict = may_approve("a write-off", (ApprovalLevel(None, "controller"),), D(10), "user:li", "user:li", "admin")
    assert not verdict.allowed
    assert verdict.reason == ("four eyes: a write-off needs an approver other than its requester (user:li), "
                              "of the role controller or above")


@given(amount=st.decimals(min_value=0, max_value=10**9, places=2), role=st.sampled_from(sorted(APPROVER_RANK)),
       levels=st.sampled_from([DEFAULT, CFO_WITHOUT_BOUND, (ApprovalLevel(None, "credit_manager"),)]))
def test_nobody_ever_approves_their_own_request(amount, role, levels):
    assert not may_approve("a request", levels, amount, "user:li", "user:li", role).allowed
