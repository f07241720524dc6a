"""Roll rates and loss rates of the provision matrix (IFRS 9 simplified approach), measured on a
ladder that the observation cannot skip.

The ladder: not due, then buckets of days past due all `step` days wide (1-30, 31-60, ...), then
the last, open-ended one. The observations: the as-of date and every `step` days before it. Between
two observations an open invoice is exactly `step` days older, so one in bucket i (i >= 1) is in
bucket i + 1 at the next observation, never further: it cannot skip a bucket, and a roll rate
cannot exceed 100 %. (Buckets of 30 days observed at calendar month ends would let an invoice move
two buckets in a 31-day month, or stay put in February.)

For each step j (from observation t_j to t_(j+1)) and bucket i:

    held[j][i]   = what was open at t_j on the invoices in bucket i at t_j
    rolled[j][i] = of those same invoices, what is still unpaid at t_(j+1), if they are past due then

A write-off is not a payment: for the roll rates the amount written off stays unpaid and ages on
until the last bucket (a loss that rolled all the way), and its recovery's reinstatement is not a
movement either; cash received afterwards is. Invoices issued after t_j are not in step j at all (a
short-term invoice that is past due at t_(j+1) did not roll from anything).

    roll rate r_i = sum over j of rolled[j][i] / sum over j of held[j][i]      (0 if nothing was held)
    loss rate of bucket i = r_i x r_(i+1) x ... x r_(n-2) x loss rate of the last bucket

Each group of invoices is given as (issue date, due date, currency) with its amount, and the
allocations that settle them (cash, credit notes; not write-offs) as (date, issue date, due date,
currency) with their amount; the service sums both per group in the database.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping, Sequence

ZERO, ONE = Decimal(0), Decimal(1)
RATE_PLACES = 6  # a derived rate is kept to 0.0001 %, HALF_UP: the rate shown is the rate applied
Group = tuple[date, date, str]  # issue date, due date, currency


@dataclass(frozen=True)
class Step:
    """One step of the history, per bucket: held at its start and, of that, rolled by its end (in
    one currency's minor units, or converted; `rolled` of the last bucket is always 0)."""

    start: date
    end: date
    held: tuple[Decimal, ...]
    rolled: tuple[Decimal, ...]


def step_days(highs: Sequence[int]) -> int:
    """The width of a ladder's past-due buckets (its upper bounds after not due: 30, 60, 90 -> 30),
    which is also the observation step; ValueError unless they are all as wide as the first."""
    if not highs or highs[0] < 1:
        raise ValueError("a roll-rate ladder needs at least one bucket of days past due")
    width = highs[0]
    for index, high in enumerate(highs):
        if high != width * (index + 1):
            raise ValueError(f"the roll rates need buckets of one width: {width} days each "
                             f"({', '.join(str(width * (k + 1)) for k in range(len(highs)))}), not {high} "
                             f"as bucket {index + 2}'s end")
    return width


def observations(as_of: date, step: int, days: int) -> list[date]:
    """The as-of date and every `step` days before it, as far as `days` back, oldest first."""
    if step < 1:
        raise ValueError("the step is at least one day")
    count = max(days // step, 1)
    return [as_of - timedelta(days=step * k) for k in range(count, -1, -1)]


def bucket_of(days_past_due: int, highs: Sequence[int]) -> int:
    """The bucket index of a number of days past due (0: not due, <= 0 days)."""
    return bisect_left([0, *highs], days_past_due)


def roll_history(invoiced: Mapping[Group, int], settled: Iterable[tuple[date, Group, int]], dates: Sequence[date],
                 highs: Sequence[int]) -> dict[str, list[tuple[list[int], list[int]]]]:
    """Per currency, per step (dates[j] to dates[j + 1]): held and rolled per bucket in minor units
    (see the module's formulas). `invoiced`: amount per group; `settled`: (date, group, amount) of
    each allocation that is not a write-off (a date on or before dates[0] may stand for any earlier)."""
    paid: dict[Group, list[tuple[date, int]]] = {}
    for day, group, amount in settled:
        paid.setdefault(group, []).append((day, amount))
    width = len(highs) + 2
    out: dict[str, list[tuple[list[int], list[int]]]] = {}
    for group, amount in invoiced.items():
        issued, due, currency = group
        if issued > dates[-2]:
            continue
        events = sorted(paid.get(group, ()))
        days = [d for d, _ in events]
        running, total = [], 0
        for _, part in events:
            total += part
            running.append(total)
        open_at = [amount - (running[i - 1] if (i := bisect_right(days, t)) else 0) for t in dates]
        if not any(open_at):
            continue
        steps = out.setdefault(currency, [([0] * width, [0] * width) for _ in dates[:-1]])
        for j, start in enumerate(dates[:-1]):
            if issued > start or not open_at[j]:
                continue
            index = bucket_of((start - due).days, highs)
            held, rolled = steps[j]
            held[index] += open_at[j]
            if index < width - 1 and (dates[j + 1] - due).days > 0:
                rolled[index] += open_at[j + 1]
    return out


def roll_rates(steps: Sequence[Step]) -> tuple[Decimal, ...]:
    """The roll rate from each bucket to the next (one fewer than the buckets): what rolled over
    what was held, summed over the steps (the steps' ratios weighted by what each held)."""
    if not steps:
        raise ValueError("roll rates need at least one step (two observations)")
    width = len(steps[0].held)
    if any(len(s.held) != width or len(s.rolled) != width for s in steps):
        raise ValueError("every step needs a figure for each bucket")
    rates = []
    for i in range(width - 1):
        rolled = sum((s.rolled[i] for s in steps), ZERO)
        held = sum((s.held[i] for s in steps), ZERO)
        rates.append(min(max(rolled / held, ZERO), ONE) if held > 0 else ZERO)
    return tuple(rates)


def loss_rates(rolls: Sequence[Decimal], last_rate: Decimal = ONE) -> tuple[Decimal, ...]:
    """Each bucket's loss rate: the product of the roll rates from it to the last bucket, times the
    last bucket's rate; rounded to RATE_PLACES decimals HALF_UP."""
    rates = [last_rate]
    for roll in reversed(rolls):
        rates.append(roll * rates[-1])
    unit = Decimal(1).scaleb(-RATE_PLACES)
    return tuple(r.quantize(unit, rounding=ROUND_HALF_UP) for r in reversed(rates))
