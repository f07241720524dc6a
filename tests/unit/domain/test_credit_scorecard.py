"""The expert scorecard and the credit policy, with hand-computed points, ratings and limits."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.domain.credit.defaults import DEFAULT_POLICY, EXPERT_SCORECARD, expert_scorecard
from credo.domain.credit.policy import Policy, Rating, recommended_limit
from credo.domain.credit.scorecard import Scorecard

CARD = expert_scorecard()
STRONG = {"days_late": D(2), "current_ratio": D("2.5"), "debt_to_assets": D("0.3"), "z_zone": "safe",
          "qualitative": D(85), "interest_coverage": D(8), "years_in_business": D(12)}
WEAK = {"days_late": D(45), "current_ratio": D("0.8"), "debt_to_assets": D("0.85"), "z_zone": "distress",
        "qualitative": None, "interest_coverage": D("1.2"), "years_in_business": D(3)}
MIDDLE = {"days_late": D(10), "current_ratio": D("1.7"), "debt_to_assets": D("0.5"), "z_zone": "grey",
          "qualitative": D(70), "interest_coverage": D(4), "years_in_business": D(7)}


def test_the_shipped_scorecard_totals_100_and_a_strong_customer_earns_it_all():
    assert CARD.best == 100
    result = CARD.score(STRONG)
    assert (result.score, result.reasons) == (100, ())
    rating = DEFAULT_POLICY.rating(result.score)
    assert (rating.letter, rating.term_days, rating.review_months) == ("A", 90, 12)


def test_a_weak_customer_scores_16_with_its_reasons_in_order_of_points_lost():
    result = CARD.score(WEAK)
    assert result.points == {"days_late": 3, "current_ratio": 2, "debt_to_assets": 0, "z_zone": 0, "qualitative": 5,
                             "interest_coverage": 0, "years_in_business": 6}
    assert result.score == 16 == sum(result.points.values())
    assert [(r.factor, r.points_lost) for r in result.reasons] == [
        ("days_late", 17), ("debt_to_assets", 15), ("z_zone", 15), ("current_ratio", 13),
        ("interest_coverage", 10), ("qualitative", 10), ("years_in_business", 4)]
    first = result.reasons[0]
    assert (first.en, first.zh) == ("pays us 30-60 days late on average", "平均逾期 30-60 天付款")
    assert result.reasons[5].en == "Qualitative review: not known" and result.reasons[5].zh == "定性评估：未提供"
    assert [r["factor"] for r in result.to_json()["reasons"]] == ["days_late", "debt_to_assets", "z_zone"]
    assert DEFAULT_POLICY.rating(result.score).letter == "E"


def test_a_middle_customer_is_b_and_its_limit_is_capped_by_the_insurer():
    result = CARD.score(MIDDLE)
    assert result.score == 14 + 12 + 10 + 8 + 10 + 8 + 8 == 70
    rating = DEFAULT_POLICY.rating(result.score)
    assert (rating.letter, rating.term_days) == ("B", 60)
    advice = recommended_limit(DEFAULT_POLICY, rating, D(100_000), insured_limit=D(200_000))
    assert advice.uncapped == D(250_000)  # 100,000 x (60 + 15) / 30
    assert (advice.amount, advice.binding) == (D(200_000), "insured")


def test_bins_include_their_lower_bound():
    assert CARD.score({**STRONG, "current_ratio": D(2)}).points["current_ratio"] == 15
    assert CARD.score({**STRONG, "current_ratio": D("1.5")}).points["current_ratio"] == 12
    assert CARD.score({**STRONG, "current_ratio": D("1.4999")}).points["current_ratio"] == 8


def test_values_the_scorecard_does_not_know_are_errors_of_its_data():
    with pytest.raises(ValueError, match="no bin holds 'bankrupt'"):
        CARD.score({**STRONG, "z_zone": "bankrupt"})
    with pytest.raises(ValueError, match="no factor colour"):
        CARD.score({**STRONG, "colour": "red"})
    overlapping = {**EXPERT_SCORECARD, "factors": [{"name": "x", "label_en": "X", "label_zh": "X", "bins": [
        {"high": 5, "points": 1}, {"low": 4, "points": 2}]}]}
    with pytest.raises(ValueError, match="bins overlap at 4"):
        Scorecard.from_dict(overlapping)


def test_ratings_by_score_and_a_policy_out_of_order_is_refused():
    assert [DEFAULT_POLICY.rating(s).letter for s in (100, 80, 79, 65, 64, 50, 49, 35, 34, 0, -5)] == [
        "A", "A", "B", "B", "C", "C", "D", "D", "E", "E", "E"]
    with pytest.raises(ValueError, match="best first"):
        Policy(ratings=(Rating("B", 50, 30, True, 6, "", ""), Rating("A", 80, 90, True, 12, "", "")))


def test_the_limit_formula_and_its_caps_by_hand():
    a = DEFAULT_POLICY.rating(90)
    advice = recommended_limit(DEFAULT_POLICY, a, D(300_000), equity=D(20_000_000), working_capital=D(3_000_000))
    assert advice.uncapped == D(1_050_000)  # 300,000 x (90 + 15) / 30
    assert advice.caps == {"equity": D(2_000_000), "working_capital": D(600_000)}
    assert (advice.amount, advice.binding) == (D(600_000), "working_capital")
    rounded_down = recommended_limit(DEFAULT_POLICY, a, D("35273.59"))  # x 105 / 30 = 123,457.565
    assert (rounded_down.amount, rounded_down.binding) == (D(123_000), "purchases")
    broke = recommended_limit(DEFAULT_POLICY, a, D(300_000), equity=D(-5))
    assert (broke.amount, broke.binding) == (D(0), "equity")
    none = recommended_limit(DEFAULT_POLICY, DEFAULT_POLICY.rating(40), D(300_000))
    assert (none.amount, none.binding) == (D(0), "no credit")
    with pytest.raises(ValueError, match="cannot be negative"):
        recommended_limit(DEFAULT_POLICY, a, D(-1))


numbers = st.one_of(st.none(), st.decimals(min_value=D(-1000), max_value=D(1000), places=2, allow_nan=False,
                                           allow_infinity=False))


@given(days=numbers, current=numbers, leverage=numbers, cover=numbers, years=numbers, review=numbers,
       zone=st.sampled_from([None, "safe", "grey", "distress"]))
def test_points_add_up_to_the_score_within_0_and_the_best(days, current, leverage, cover, years, review, zone):
    result = CARD.score({"days_late": days, "current_ratio": current, "debt_to_assets": leverage,
                         "interest_coverage": cover, "years_in_business": years, "qualitative": review,
                         "z_zone": zone})
    assert result.score == sum(result.points.values()) and 0 <= result.score <= CARD.best
    assert sum(r.points_lost for r in result.reasons) == CARD.best - result.score
