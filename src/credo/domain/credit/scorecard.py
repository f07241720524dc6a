"""An expert scorecard (专家评分卡) for customers with no default history to learn from.

A scorecard is data: factors, each with bins and the points a bin earns. A customer's score is the
sum of the points of the bin each factor's value falls in, so the points always add up to the
score. A value the customer's file does not give falls in the factor's `unknown` points (low by
default: what is not known is not rewarded). Reason codes say which factors cost the most points
against the best bin of each, in words a sales person understands, in English and Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Mapping

Value = Decimal | str | None


@dataclass(frozen=True)
class Bin:
    """Numeric bins hold low <= value < high (None: unbounded); a category bin names its values."""

    points: int
    low: Decimal | None = None
    high: Decimal | None = None
    categories: tuple[str, ...] = ()
    reason_en: str = ""  # said when this bin costs points, e.g. "current ratio below 1"
    reason_zh: str = ""

    def holds(self, value: Decimal | str) -> bool:
        if self.categories:
            return isinstance(value, str) and value in self.categories
        if isinstance(value, str):
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value < self.high)


@dataclass(frozen=True)
class Factor:
    name: str
    label_en: str
    label_zh: str
    bins: tuple[Bin, ...]
    unknown: int = 0  # points when the value is missing

    @property
    def best(self) -> int:
        return max(b.points for b in self.bins)

    def bin_for(self, value: Value) -> Bin | None:
        """The bin a value falls in; None for a missing value. A value no bin holds is an error of
        the scorecard's data, not of the customer's: it raises."""
        if value is None:
            return None
        for b in self.bins:
            if b.holds(value):
                return b
        raise ValueError(f"factor {self.name}: no bin holds {value!r}")


@dataclass(frozen=True)
class Reason:
    factor: str
    points_lost: int  # against the factor's best bin
    en: str
    zh: str


@dataclass(frozen=True)
class Score:
    score: int
    points: dict[str, int]  # per factor; they add up to `score`
    reasons: tuple[Reason, ...]  # most points lost first

    def to_json(self, top: int = 3) -> dict:
        return {"score": self.score, "points": self.points,
                "reasons": [{"factor": r.factor, "points_lost": r.points_lost, "en": r.en, "zh": r.zh}
                            for r in self.reasons[:top]]}


@dataclass(frozen=True)
class Scorecard:
    name: str
    factors: tuple[Factor, ...]

    @property
    def best(self) -> int:
        return sum(f.best for f in self.factors)

    def score(self, values: Mapping[str, Value]) -> Score:
        unknown_names = set(values) - {f.name for f in self.factors}
        if unknown_names:
            raise ValueError(f"scorecard {self.name}: no factor {', '.join(sorted(unknown_names))}")
        points: dict[str, int] = {}
        reasons = []
        for factor in self.factors:
            chosen = factor.bin_for(values.get(factor.name))
            earned = factor.unknown if chosen is None else chosen.points
            points[factor.name] = earned
            lost = factor.best - earned
            if lost > 0:
                if chosen is None:
                    en, zh = f"{factor.label_en}: not known", f"{factor.label_zh}：未提供"
                else:
                    en = chosen.reason_en or f"{factor.label_en}: weak"
                    zh = chosen.reason_zh or f"{factor.label_zh}：偏弱"
                reasons.append(Reason(factor.name, lost, en, zh))
        reasons.sort(key=lambda r: (-r.points_lost, r.factor))
        return Score(sum(points.values()), points, tuple(reasons))

    @classmethod
    def from_dict(cls, data: Mapping) -> "Scorecard":
        """A scorecard from plain data (JSON, a settings file): numbers as strings or numbers."""
        def number(x):
            return None if x is None else Decimal(str(x))

        factors = []
        for f in data["factors"]:
            bins = tuple(Bin(int(b["points"]), number(b.get("low")), number(b.get("high")),
                             tuple(b.get("categories", ())), b.get("reason_en", ""), b.get("reason_zh", ""))
                         for b in f["bins"])
            factors.append(Factor(f["name"], f["label_en"], f["label_zh"], bins, int(f.get("unknown", 0))))
        card = cls(data["name"], tuple(factors))
        card.check()
        return card

    def check(self) -> None:
        """Numeric bins of a factor must not overlap: a value would otherwise earn two ways."""
        for factor in self.factors:
            numeric = sorted((b for b in factor.bins if not b.categories),
                             key=lambda b: Decimal("-Infinity") if b.low is None else b.low)
            for left, right in zip(numeric, numeric[1:]):
                if left.high is None or right.low is None or left.high > right.low:
                    raise ValueError(f"factor {factor.name}: bins overlap at {right.low}")
