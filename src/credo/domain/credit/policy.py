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


def needs_exception(policy: Policy, letter: str, limit: Decimal) -> bool:
    """Whether a limit above 0 for this rating goes against the policy: its rating gives no credit
    on terms (the default policy's D, prepayment only, and E, none), or the policy has no such
    rating. Such a line stands only with a recorded policy exception (政策例外) saying why."""
    rating = next((r for r in policy.ratings if r.letter == letter), None)
    return limit > 0 and (rating is None or not rating.credit)


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


RATING_FIELDS = ("letter", "min_score", "term_days", "credit", "review_months", "meaning_en", "meaning_zh")


def policy_to_dict(policy: Policy) -> dict:
    """The policy as plain data (JSON): numbers as strings where they are Decimals."""
    return {"ratings": [{name: getattr(r, name) for name in RATING_FIELDS} for r in policy.ratings],
            "buffer_days": policy.buffer_days, "equity_share": str(policy.equity_share),
            "working_capital_share": str(policy.working_capital_share), "round_to": str(policy.round_to)}


def policy_from_dict(data: dict) -> Policy:
    """A policy from plain data; ValueError (naming the field) when a value is missing or wrong."""
    try:
        ratings = tuple(Rating(str(r["letter"]), int(r["min_score"]), int(r["term_days"]), bool(r["credit"]),
                               int(r["review_months"]), str(r.get("meaning_en", "")), str(r.get("meaning_zh", "")))
                        for r in data["ratings"])
        shares = {name: Decimal(str(data.get(name, default))) for name, default in
                  (("equity_share", "0.10"), ("working_capital_share", "0.20"), ("round_to", "1000"))}
        buffer_days = int(data.get("buffer_days", 15))
    except (KeyError, TypeError, ArithmeticError, ValueError) as error:
        raise ValueError(f"policy: {type(error).__name__} {error}") from None
    for rating in ratings:
        if rating.term_days < 0 or rating.review_months < 1 or (rating.credit and rating.term_days == 0):
            raise ValueError(f"policy rating {rating.letter}: term days 0 or more (above 0 with credit), "
                             "review months 1 or more")
    if buffer_days < 0 or not all(v.is_finite() and v > 0 for v in shares.values()):
        raise ValueError("policy: buffer_days 0 or more, shares and round_to above 0")
    return Policy(ratings, buffer_days, shares["equity_share"], shares["working_capital_share"], shares["round_to"])
