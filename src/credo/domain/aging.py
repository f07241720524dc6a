"""Aging (账龄分析): bucket boundaries, and a pure reference implementation of the report.

The database produces the real aging reports in SQL; this module is the source of the bucket
boundaries it uses (`bucket_start_dates`) and the oracle the SQL is tested against (`age_items`).
Buckets are policy: they are parsed from a setting and passed in, never looked up here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from credo.domain.money import ZERO
from credo.domain.records import AgedItem

DEFAULT_LIMITS = (30, 60, 90, 180, 365)
BASES = ("due", "invoice")


@dataclass(frozen=True)
class Bucket:
    """Inclusive day bounds (days past due, or since invoice); None means open-ended."""

    label: str
    low: int | None
    high: int | None

    def holds(self, days: int) -> bool:
        return (self.low is None or days >= self.low) and (self.high is None or days <= self.high)


@dataclass(frozen=True)
class AgingRow:
    """Open balance of one key split by bucket label; every label is present."""

    key: str
    buckets: dict[str, Decimal]
    total: Decimal


@dataclass(frozen=True)
class AgingReport:
    as_of: date
    labels: tuple[str, ...]
    rows: tuple[AgingRow, ...]
    totals: AgingRow


MAX_BUCKET_DAYS = 36_500  # a bucket's bound stays a hundred years within the calendar of any as-of date


def parse_buckets(spec: str | Sequence[int] | None, basis: str = "due") -> tuple[Bucket, ...]:
    """Bucket ladder from limits such as "30,60,90,180,365" (None gives the defaults).

    Basis "due": `not_due` (days past due <= 0), `1-30`, ..., `>365`.
    Basis "invoice": `0-30`, `31-60`, ..., `>365` (days since invoice).
    """
    _check_basis(basis)
    limits = DEFAULT_LIMITS if spec is None else _limits(spec)
    if basis == "due":
        buckets = [Bucket("not_due", None, 0)]
        low = 1
    else:
        buckets = [Bucket(f"0-{limits[0]}", None, limits[0])]
        low, limits = limits[0] + 1, limits[1:]
    for limit in limits:
        buckets.append(Bucket(f"{low}-{limit}", low, limit))
        low = limit + 1
    buckets.append(Bucket(f">{low - 1}", low, None))
    return tuple(buckets)


def bucket_label(days: int, buckets: Sequence[Bucket]) -> str:
    """Label of the bucket holding `days`."""
    for bucket in buckets:
        if bucket.holds(days):
            return bucket.label
    raise ValueError(f"no bucket holds {days} days: the buckets leave a gap")


def age_items(
    items: Iterable[AgedItem],
    as_of: date,
    buckets: Sequence[Bucket],
    basis: str = "due",
) -> AgingReport:
    """Split open amounts by key and bucket; the reference the SQL reports are checked against."""
    _check_basis(basis)
    labels = tuple(bucket.label for bucket in buckets)
    sums: dict[str, dict[str, Decimal]] = {}
    for item in items:
        if item.open_amount == 0:
            continue
        since = item.due_date if basis == "due" else item.issue_date
        label = bucket_label((as_of - since).days, buckets)
        row = sums.setdefault(item.key, dict.fromkeys(labels, ZERO))
        row[label] += item.open_amount
    rows = tuple(_row(key, sums[key]) for key in sorted(sums))
    totals = {label: sum((row.buckets[label] for row in rows), ZERO) for label in labels}
    return AgingReport(as_of, labels, rows, _row("total", totals))


def bucket_start_dates(
    as_of: date, buckets: Sequence[Bucket], basis: str = "due"
) -> list[tuple[str, date | None]]:
    """For each bucket, the earliest due (or issue) date that falls in it; None: no bound.

    Lets SQL bucket with plain date comparisons, checked in order:
    `CASE WHEN due_date >= :d0 THEN 'not_due' WHEN due_date >= :d1 THEN '1-30' ... ELSE '>365'`.
    """
    _check_basis(basis)
    return [
        (bucket.label, None if bucket.high is None else as_of - timedelta(days=bucket.high))
        for bucket in buckets
    ]


def _row(key: str, buckets: dict[str, Decimal]) -> AgingRow:
    return AgingRow(key, buckets, sum(buckets.values(), ZERO))


def _check_basis(basis: str) -> None:
    if basis not in BASES:
        raise ValueError(f"unknown aging basis {basis!r}: use 'due' or 'invoice'")


def _limits(spec: str | Sequence[int]) -> tuple[int, ...]:
    if isinstance(spec, str):
        # NFKC folds the full-width comma (，) people type in Chinese input methods.
        parts = [part.strip() for part in unicodedata.normalize("NFKC", spec).split(",")]
        if parts == [""]:
            raise ValueError("no bucket limits given: use e.g. 30,60,90,180,365")
        limits = tuple(_limit(part) for part in parts)
    else:
        limits = tuple(_limit(part) for part in spec)
        if not limits:
            raise ValueError("no bucket limits given: use e.g. 30,60,90,180,365")
    for previous, limit in zip(limits, limits[1:]):
        if limit <= previous:
            raise ValueError(f"bucket limits must increase: {limit} follows {previous}")
    return limits


def _limit(part: object) -> int:
    if isinstance(part, str) and re.fullmatch(r"[+-]?[0-9]+", part):
        part = int(part)
    if not isinstance(part, int) or isinstance(part, bool):
        raise ValueError(f"bucket limit {part!r} is not a whole number of days")
    if part <= 0:
        raise ValueError(f"bucket limit {part} must be a positive number of days")
    if part > MAX_BUCKET_DAYS:
        raise ValueError(f"bucket limit {part} is over {MAX_BUCKET_DAYS:,} days (a hundred years)")
    return part
