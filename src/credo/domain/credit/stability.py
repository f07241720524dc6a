"""Population stability index (PSI): how far a model's score distribution on new data has moved
from the one it was validated on. PSI = sum over bins of (actual - expected) x ln(actual / expected),
the bins cut at the expected scores' deciles. Read by the usual rule: under 0.1 stable, 0.1 to
0.25 some shift (watch), over 0.25 a shift large enough to re-fit the model."""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Sequence

FLOOR = 1e-4  # an empty bin counts as this share (ln(0) is undefined)


def decile_cuts(expected: Sequence[float], bins: int = 10) -> list[float]:
    ordered = sorted(expected)
    if not ordered:
        raise ValueError("PSI needs the expected scores")
    cuts = [ordered[min(len(ordered) - 1, (len(ordered) * k) // bins)] for k in range(1, bins)]
    return sorted(set(cuts))


def shares(scores: Sequence[float], cuts: Sequence[float]) -> list[float]:
    counts = [0] * (len(cuts) + 1)
    for score in scores:
        counts[bisect_right(cuts, score)] += 1
    total = len(scores)
    return [max(c / total, FLOOR) for c in counts]


def psi(expected: Sequence[float], actual: Sequence[float], bins: int = 10) -> float:
    if not actual:
        raise ValueError("PSI needs the new scores")
    cuts = decile_cuts(expected, bins)
    return sum((a - e) * math.log(a / e) for e, a in zip(shares(expected, cuts), shares(actual, cuts)))


def stability(value: float) -> str:
    return "stable" if value < 0.1 else "shifted" if value <= 0.25 else "re-fit"
