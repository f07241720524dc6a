"""What credo ships as a starting point: an expert scorecard and a credit policy, as data a credit
manager edits (`Scorecard.from_dict`, and the policy's fields). Points total 100; the best bin of
each factor earns its whole weight: payment behaviour with us 20, liquidity, leverage, Z zone and
the qualitative review 15 each, interest cover and years in business 10 each."""

from __future__ import annotations

from credo.domain.credit.policy import Policy, Rating
from credo.domain.credit.scorecard import Scorecard

EXPERT_SCORECARD = {
    "name": "credo expert scorecard v1",
    "factors": [
        {"name": "days_late", "label_en": "Days late with us", "label_zh": "平均逾期天数", "unknown": 10, "bins": [
            {"high": 5, "points": 20},
            {"low": 5, "high": 15, "points": 14, "reason_en": "pays us 5-15 days late on average",
             "reason_zh": "平均逾期 5-15 天付款"},
            {"low": 15, "high": 30, "points": 8, "reason_en": "pays us 15-30 days late on average",
             "reason_zh": "平均逾期 15-30 天付款"},
            {"low": 30, "high": 60, "points": 3, "reason_en": "pays us 30-60 days late on average",
             "reason_zh": "平均逾期 30-60 天付款"},
            {"low": 60, "points": 0, "reason_en": "pays us over 60 days late on average",
             "reason_zh": "平均逾期超过 60 天付款"}]},
        {"name": "current_ratio", "label_en": "Current ratio", "label_zh": "流动比率", "unknown": 4, "bins": [
            {"high": 1, "points": 2, "reason_en": "current ratio below 1: short-term debts exceed liquid assets",
             "reason_zh": "流动比率低于 1：短期负债超过流动资产"},
            {"low": 1, "high": "1.5", "points": 8, "reason_en": "current ratio 1-1.5: thin liquidity",
             "reason_zh": "流动比率 1-1.5：流动性偏紧"},
            {"low": "1.5", "high": 2, "points": 12, "reason_en": "current ratio 1.5-2",
             "reason_zh": "流动比率 1.5-2"},
            {"low": 2, "points": 15}]},
        {"name": "debt_to_assets", "label_en": "Debt to assets", "label_zh": "资产负债率", "unknown": 4, "bins": [
            {"high": "0.4", "points": 15},
            {"low": "0.4", "high": "0.6", "points": 10, "reason_en": "debts are 40-60 % of assets",
             "reason_zh": "资产负债率 40%-60%"},
            {"low": "0.6", "high": "0.8", "points": 6, "reason_en": "debts are 60-80 % of assets: highly leveraged",
             "reason_zh": "资产负债率 60%-80%：负债较重"},
            {"low": "0.8", "points": 0, "reason_en": "debts are over 80 % of assets",
             "reason_zh": "资产负债率超过 80%"}]},
        {"name": "z_zone", "label_en": "Altman Z zone", "label_zh": "Altman Z 区间", "unknown": 5, "bins": [
            {"categories": ["safe"], "points": 15},
            {"categories": ["grey"], "points": 8, "reason_en": "Altman Z in the grey zone",
             "reason_zh": "Altman Z 值处于灰色区间"},
            {"categories": ["distress"], "points": 0, "reason_en": "Altman Z in the distress zone",
             "reason_zh": "Altman Z 值处于困境区间"}]},
        {"name": "qualitative", "label_en": "Qualitative review", "label_zh": "定性评估", "unknown": 5, "bins": [
            {"high": 40, "points": 0, "reason_en": "weak qualitative review (management, industry, relationship)",
             "reason_zh": "定性评估偏弱（管理、行业、合作关系）"},
            {"low": 40, "high": 60, "points": 5, "reason_en": "middling qualitative review",
             "reason_zh": "定性评估一般"},
            {"low": 60, "high": 80, "points": 10, "reason_en": "qualitative review good, not strong",
             "reason_zh": "定性评估良好"},
            {"low": 80, "points": 15}]},
        {"name": "interest_coverage", "label_en": "Interest cover", "label_zh": "利息保障倍数", "unknown": 3,
         "bins": [
            {"high": "1.5", "points": 0, "reason_en": "earnings barely cover interest (below 1.5x)",
             "reason_zh": "利息保障倍数低于 1.5"},
            {"low": "1.5", "high": 3, "points": 5, "reason_en": "interest covered 1.5-3x",
             "reason_zh": "利息保障倍数 1.5-3"},
            {"low": 3, "high": 6, "points": 8, "reason_en": "interest covered 3-6x", "reason_zh": "利息保障倍数 3-6"},
            {"low": 6, "points": 10}]},
        {"name": "years_in_business", "label_en": "Years in business", "label_zh": "经营年限", "unknown": 3, "bins": [
            {"high": 2, "points": 2, "reason_en": "in business under 2 years", "reason_zh": "经营不足 2 年"},
            {"low": 2, "high": 5, "points": 6, "reason_en": "in business 2-5 years", "reason_zh": "经营 2-5 年"},
            {"low": 5, "high": 10, "points": 8, "reason_en": "in business 5-10 years", "reason_zh": "经营 5-10 年"},
            {"low": 10, "points": 10}]},
    ],
}

DEFAULT_POLICY = Policy(ratings=(
    Rating("A", 80, 90, True, 12, "strong: up to 90 days", "优：最长 90 天账期"),
    Rating("B", 65, 60, True, 12, "good: up to 60 days", "良：最长 60 天账期"),
    Rating("C", 50, 30, True, 6, "fair: up to 30 days", "中：最长 30 天账期"),
    Rating("D", 35, 0, False, 3, "weak: prepayment only", "差：仅限预付款"),
    Rating("E", 0, 0, False, 3, "no credit", "不予赊销"),
))


def expert_scorecard() -> Scorecard:
    return Scorecard.from_dict(EXPERT_SCORECARD)
