"""Receivables measures (DESIGN.md section 4) over aggregates the database has already summed.

Every measure returns `Decimal | None`: None when its denominator is zero or negative, since a
ratio over no sales (or net returns) is undefined, not zero, and a negative DSO would mislead.
Numerators are multiplied before dividing so that exact answers stay exact (100 x 30 / 300 is
10, not 9.999...). Results are unrounded; round only for display.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from credo.domain.money import ZERO

HUNDRED = Decimal(100)


def dso_standard(receivables: Decimal, credit_sales: Decimal, days: int) -> Decimal | None:
    """Days sales outstanding = ending receivables / credit sales in period x days in period."""
    return _ratio(receivables * days, credit_sales)


def dso_countback(receivables: Decimal, periods: Sequence[tuple[Decimal, int]]) -> Decimal | None:
    """Countback DSO: how many days of the latest sales the receivables amount to.

    `periods` are (credit sales, days in period), newest first. Whole periods are taken while
    receivables remain, then the fraction of the last. If receivables exceed all the sales
    given, the answer is capped at the sum of all days (the history is too short to say more).
    None when there are receivables but no periods.
    """
    if receivables <= 0:
        return ZERO
    if not periods:
        return None
    remaining, counted = receivables, ZERO
    for sales, days in periods:
        if remaining <= 0:
            break
        if remaining < sales:
            return counted + remaining * days / sales
        # A period without positive sales is walked through whole: it explains nothing.
        remaining -= sales
        counted += days
    return counted


def countback_unexplained(receivables: Decimal, sales: Sequence[Decimal]) -> Decimal:
    """What of the receivables the countback has not explained after these periods' sales (newest
    first): zero when `dso_countback` ends within them, so older periods need not be read."""
    remaining = receivables
    for amount in sales:
        if remaining <= 0 or remaining < amount:
            return ZERO
        remaining -= amount
    return max(remaining, ZERO)


def countback_months(receivables: Decimal, credit_sales: Decimal, days: int, available: int) -> int:
    """How many month windows (newest first) a countback is likely to need, from the standard DSO
    of the same receivables: its days and a quarter more (sales that were smaller further back
    stretch the walk), in the shortest months, plus the month in progress; all `available` when
    there were no sales to measure by. A guess that only saves reading: a report reads the older
    windows when these leave receivables unexplained (`countback_unexplained`)."""
    if receivables <= 0:
        return min(1, available)
    if credit_sales <= 0:
        return available
    stretched = receivables / credit_sales * days * Decimal("1.25")
    return min(available, int(stretched / 28) + 2)


def best_possible_dso(
    current_receivables: Decimal, credit_sales: Decimal, days: int
) -> Decimal | None:
    """DSO if every customer paid on time: current (not yet due) receivables only."""
    return dso_standard(current_receivables, credit_sales, days)


def average_days_delinquent(dso: Decimal | None, bpdso: Decimal | None) -> Decimal | None:
    """ADD = DSO - best possible DSO: the days lost to late payment."""
    if dso is None or bpdso is None:
        return None
    return dso - bpdso


def ar_turnover(net_credit_sales: Decimal, average_receivables: Decimal) -> Decimal | None:
    """How many times the receivables were collected in the period."""
    return _ratio(net_credit_sales, average_receivables)


def turnover_days(period_days: int, turnover: Decimal | None) -> Decimal | None:
    """Days to collect = period days / turnover."""
    if turnover is None:
        return None
    return _ratio(Decimal(period_days), turnover)


def cei(
    opening: Decimal, credit_sales: Decimal, closing_total: Decimal, closing_current: Decimal
) -> Decimal | None:
    """Collection effectiveness index: collected / collectible x 100 (100 is perfect)."""
    collectible = opening + credit_sales
    return _ratio((collectible - closing_total) * HUNDRED, collectible - closing_current)


def collection_rate(collected: Decimal, due: Decimal) -> Decimal | None:
    """Percent of the amount that fell due which was collected."""
    return _ratio(collected * HUNDRED, due)


def overdue_ratio(overdue: Decimal, total: Decimal) -> Decimal | None:
    """Percent of the open balance that is past due."""
    return _ratio(overdue * HUNDRED, total)


def weighted_average(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """sum(value x weight) / sum(weight), e.g. days past due weighted by open amount."""
    total, weights = ZERO, ZERO
    for value, weight in pairs:
        total += value * weight
        weights += weight
    return _ratio(total, weights)


def month_windows(as_of: date, count: int) -> list[tuple[date, date]]:
    """`count` consecutive month-long windows ending at `as_of`, newest first, inclusive.

    Each window ends on the same day of month as `as_of` (clamped to shorter months) and
    starts the day after the previous one ends. A month-end `as_of` anchors on month ends, so
    the windows are whole calendar months (as_of 2024-04-30 -> March ends on 03-31, not 03-30).
    """
    if count < 0:
        raise ValueError(f"count of month windows must not be negative, got {count}")
    anchor = 31 if as_of == _month_end(as_of.year, as_of.month) else as_of.day
    ends = [_shift_months(as_of, -back, anchor) for back in range(count + 1)]
    return [(ends[k + 1] + timedelta(days=1), ends[k]) for k in range(count)]


def month_ends(start: date, end: date) -> list[date]:
    """Month-end dates within [start, end], then `end` itself if it is not one (for trends)."""
    if start > end:
        raise ValueError(f"start {start.isoformat()} is after end {end.isoformat()}")
    result = []
    day = _month_end(start.year, start.month)
    while day <= end:
        result.append(day)
        day = _shift_months(day, 1, 31)
    if not result or result[-1] != end:
        result.append(end)
    return result


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator <= 0:
        return None
    return numerator / denominator


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, months: int, anchor_day: int) -> date:
    """The date `months` later (or earlier) on `anchor_day`, clamped to the month's length."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor_day, last))
