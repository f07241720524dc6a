"""The credit check: every reason on its own, hand-computed, and the decision the worst one makes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, strategies as st

from credo.domain.credit.check import APPROVE, BLOCK, REASONS, WARN, CheckInput, check_credit

AS_OF = date(2026, 6, 30)
# Limit 100,000, exposure 60,000, an order of 30,000: 90,000 after, 10,000 headroom.
CLEAN = CheckInput(as_of=AS_OF, amount=D(30_000), exposure=D(60_000), line_limit=D(100_000),
                   tolerance_share=D("0.05"), oldest_days_past_due=10, overdue_days=30,
                   review_due=date(2026, 12, 31), rating="B")

CASES = [
    # (what changes, decision, reason codes)
    ("nothing", {}, APPROVE, []),
    ("exactly at the limit", {"amount": D(40_000)}, APPROVE, []),
    ("over by 4,000, within 5 % of 100,000", {"amount": D(44_000)}, WARN, ["over_limit_within_tolerance"]),
    ("over by exactly the tolerance, 5,000", {"amount": D(45_000)}, WARN, ["over_limit_within_tolerance"]),
    ("over by 5,000.01", {"amount": D("45000.01")}, BLOCK, ["over_limit"]),
    ("no line at all", {"line_limit": None}, BLOCK, ["no_credit_line"]),
    ("31 days past due with N = 30", {"oldest_days_past_due": 31}, BLOCK, ["overdue"]),
    ("30 days past due with N = 30", {"oldest_days_past_due": 30}, APPROVE, []),
    ("review was due yesterday", {"review_due": date(2026, 6, 29)}, WARN, ["review_expired"]),
    ("review due today", {"review_due": AS_OF}, APPROVE, []),
    ("rating D", {"rating": "D"}, BLOCK, ["rating_no_credit"]),
    ("rating E", {"rating": "E"}, BLOCK, ["rating_no_credit"]),
    ("on hold", {"on_hold": True}, BLOCK, ["on_hold"]),
    ("group at 480,000 of 500,000 plus 30,000: 510,000 is within 5 %",
     {"group_exposure": D(480_000), "group_limit": D(500_000)}, WARN, ["group_over_limit_within_tolerance"]),
    ("group at 496,000 of 500,000 plus 30,000: 526,000 is beyond 5 %",
     {"group_exposure": D(496_000), "group_limit": D(500_000)}, BLOCK, ["group_over_limit"]),
    ("only a group line, with room", {"line_limit": None, "group_exposure": D(0), "group_limit": D(500_000)},
     APPROVE, []),
    ("a temporary limit of 80,000 replaces 100,000", {"temporary_limit": D(80_000)}, BLOCK, ["over_limit"]),
    ("a temporary limit of 150,000 lets 100,000 more through", {"temporary_limit": D(150_000), "amount": D(90_000)},
     APPROVE, []),
    ("everything at once", {"amount": D(50_000), "oldest_days_past_due": 45, "review_due": date(2026, 1, 1),
                            "rating": "E", "on_hold": True, "group_exposure": D(0), "group_limit": D(10_000)},
     BLOCK, ["over_limit", "group_over_limit", "overdue", "review_expired", "rating_no_credit", "on_hold"]),
]


@pytest.mark.parametrize("what, changes, decision, codes", CASES, ids=[c[0] for c in CASES])
def test_each_reason_gives_its_decision(what, changes, decision, codes):
    result = check_credit(replace(CLEAN, **changes))
    assert result.decision == decision
    assert [r.code for r in result.reasons] == codes


def test_the_headroom_is_the_limit_less_the_exposure_after_the_amount():
    result = check_credit(CLEAN)
    assert (result.limit, result.exposure_after, result.headroom) == (D(100_000), D(90_000), D(10_000))
    assert check_credit(replace(CLEAN, line_limit=None)).headroom is None


def test_every_reason_has_its_words_in_english_and_chinese():
    for code, (weight, en, zh) in REASONS.items():
        assert weight in (WARN, BLOCK) and en and zh and not zh.isascii(), code
    blocked = check_credit(replace(CLEAN, on_hold=True)).to_json()
    assert blocked["reasons"][0]["zh"] == "客户已被冻结信用" and blocked["decision"] == "block"


RANK = {APPROVE: 0, WARN: 1, BLOCK: 2}


@given(first=st.decimals(0, 300_000, places=2), more=st.decimals(0, 300_000, places=2),
       limit=st.one_of(st.none(), st.decimals(0, 200_000, places=2)),
       tolerance=st.decimals(0, "0.5", places=2), days=st.integers(0, 120), hold=st.booleans())
def test_a_larger_amount_never_gets_a_kinder_decision(first, more, limit, tolerance, days, hold):
    given_input = replace(CLEAN, amount=first, line_limit=limit, tolerance_share=tolerance,
                          oldest_days_past_due=days, on_hold=hold)
    smaller, larger = check_credit(given_input), check_credit(replace(given_input, amount=first + more))
    assert RANK[larger.decision] >= RANK[smaller.decision]
    assert smaller.decision == max((r.weight for r in smaller.reasons), key=RANK.get, default=APPROVE)
