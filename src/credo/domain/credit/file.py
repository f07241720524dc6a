"""The credit file as of a date (信用档案): which versions of its entries were in force then, and
the figures the scorecard reads from them (years in business, the weighted qualitative review).

Entries are never overwritten. Each version keeps the date it speaks of (a statement's period
end, a review's day; none for facts, which speak of the day they were learned) and the day credo
learned it (`recorded_on`). An assessment as of D reads, per entry, the versions dated on or
before D, and of those the latest recorded on or before D: what credo knew on D, so the same
assessment can be made again for any past date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Hashable, Iterable, Mapping


@dataclass(frozen=True)
class Version:
    key: Hashable  # what the entry speaks of, e.g. (owner, period_end) for a statement
    dated: date | None  # the date it speaks of; None: the day it was recorded
    recorded_on: date  # the day credo learned it
    values: Mapping[str, object]


def in_force(versions: Iterable[Version], as_of: date) -> list[Version]:
    """Per key, the latest version recorded on or before `as_of`, among the versions dated on or
    before it; oldest date first (then key), so the last one is the latest entry."""
    latest: dict[Hashable, Version] = {}
    for version in versions:
        dated = version.dated or version.recorded_on
        if dated > as_of or version.recorded_on > as_of:
            continue
        known = latest.get(version.key)
        if known is None or version.recorded_on > known.recorded_on:
            latest[version.key] = version
    return sorted(latest.values(), key=lambda v: (v.dated or v.recorded_on, v.recorded_on, str(v.key)))


def years_in_business(founded_on: date | None, as_of: date) -> Decimal | None:
    """Whole years from founding to the as-of date (a company founded later than it: None)."""
    if founded_on is None or founded_on > as_of:
        return None
    years = as_of.year - founded_on.year - ((as_of.month, as_of.day) < (founded_on.month, founded_on.day))
    return Decimal(years)


@dataclass(frozen=True)
class ReviewItem:
    name: str  # management, industry_outlook, relationship, interview
    score: int | None  # 0-100; None when the reviewer did not score it
    weight: int

    def __post_init__(self) -> None:
        if self.score is not None and not 0 <= self.score <= 100:
            raise ValueError(f"{self.name}: a score from 0 to 100, not {self.score}")
        if self.weight < 0:
            raise ValueError(f"{self.name}: a weight cannot be negative ({self.weight})")


# What an item weighs when the review does not say (they add up to 100).
DEFAULT_REVIEW_WEIGHTS = {"management": 30, "industry_outlook": 25, "relationship": 25, "interview": 20}


def qualitative_score(items: Iterable[ReviewItem]) -> Decimal | None:
    """The weighted average of the items scored (0-100, the scale of the scorecard's qualitative
    factor): an item not scored leaves its weight out. None when nothing weighted was scored."""
    scored = [item for item in items if item.score is not None and item.weight > 0]
    weight = sum(item.weight for item in scored)
    if not weight:
        return None
    return Decimal(sum(item.score * item.weight for item in scored)) / Decimal(weight)
