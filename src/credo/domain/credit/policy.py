"""A credit policy (信用政策): ratings from scores, each with its payment term and review interval,
and the recommended credit limit.

Recommended limit = expected monthly purchases x (term days + buffer days) / 30: what the customer
owes at most if it buys evenly and pays on the last day of its term plus the buffer. It is capped
by a share of the customer's book equity, by a share of its working capital (a customer should not
owe one supplier more than a slice of what it owns) and by the insured limit, whichever binds
first, and rounded down to a round amount. A rating without credit (prepayment, none) gets 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Rating:
    letter: str
    min_score: int  # the lowest score with this rating
    term_days: int  # the longest payment term (0 with no credit)
    credit: bool  # False: prepayment or no sale on terms
    review_months: int
    meaning_en: str
    meaning_zh: str


@dataclass(frozen=True)
class Policy:
    ratings: tuple[Rating, ...]  # best first
    buffer_days: int = 15
    equity_share: Decimal = Decimal("0.10")
    working_capital_share: Decimal = Decimal("0.20")
    round_to: Decimal = Decimal(1000)

    def __post_init__(self) -> None:
        scores = [r.min_score for r in self.ratings]
        if not self.ratings or scores != sorted(scores, reverse=True) or len(set(scores)) != len(scores):
            raise ValueError("policy ratings: best first, each with a lower min_score than the one before")

    def rating(self, score: int) -> Rating:
        """The best rating whose minimum the score reaches; the last rating takes every score below."""
        for rating in self.ratings:
            if score >= rating.min_score:
                return rating
        return self.ratings[-1]


@dataclass(frozen=True)
class LimitAdvice:
    amount: Decimal  # recommended, rounded down to the policy's round amount
    uncapped: Decimal  # monthly purchases x (term + buffer) / 30, unrounded
    binding: str  # "purchases", "equity", "working_capital", "insured" or "no credit"
    caps: dict[str, Decimal]  # the caps that applied, by name

    def to_json(self) -> dict:
        return {"amount": str(self.amount), "uncapped": str(self.uncapped), "binding": self.binding,
                "caps": {k: str(v) for k, v in self.caps.items()}}


def recommended_limit(policy: Policy, rating: Rating, monthly_purchases: Decimal, *,
                      equity: Decimal | None = None, working_capital: Decimal | None = None,
                      insured_limit: Decimal | None = None) -> LimitAdvice:
    if monthly_purchases < 0:
        raise ValueError("expected monthly purchases cannot be negative")
    if not rating.credit:
        return LimitAdvice(ZERO, ZERO, "no credit", {})
    uncapped = monthly_purchases * (rating.term_days + policy.buffer_days) / 30
    caps: dict[str, Decimal] = {}
    if equity is not None:
        caps["equity"] = max(equity, ZERO) * policy.equity_share
    if working_capital is not None:
        caps["working_capital"] = max(working_capital, ZERO) * policy.working_capital_share
    if insured_limit is not None:
        caps["insured"] = insured_limit
    binding, amount = "purchases", uncapped
    for name, cap in caps.items():
        if cap < amount:
            binding, amount = name, cap
    rounded = (amount / policy.round_to).to_integral_value(ROUND_DOWN) * policy.round_to
    return LimitAdvice(rounded, uncapped, binding, caps)
