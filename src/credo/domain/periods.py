"""Period close (结账) rules: which days a lock date closes, where a late booking may go instead.

A company's lock date is the last day of its last closed period: every day on or before it is
closed. A document, allocation, insured limit, credit line or provision dated in a closed period is
refused, or, when the person asks for it, booked on the first open day (the day after the lock
date), as accounting systems post a late document in the open period. Periods close at month-ends.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def is_month_end(day: date) -> bool:
    return day == month_end(day)


def previous_month_end(day: date) -> date:
    """The last month-end before `day` (2024-05-31 for 2024-06-30 and for 2024-06-07)."""
    return day.replace(day=1) - timedelta(days=1)


def month_ends(after: date | None, upto: date) -> list[date]:
    """The month-ends in (after, upto]; only `upto` when there is no earlier close."""
    if after is None:
        return [month_end(upto)] if is_month_end(upto) else []
    ends, day = [], month_end(after + timedelta(days=1))
    while day <= upto:
        ends.append(day)
        day = month_end(day + timedelta(days=1))
    return ends


@dataclass(frozen=True)
class Lock:
    """The lock date of one company (None: nothing closed yet)."""

    locked_until: date | None = None

    def closes(self, day: date) -> bool:
        return self.locked_until is not None and day <= self.locked_until

    @property
    def first_open_day(self) -> date | None:
        return None if self.locked_until is None else self.locked_until + timedelta(days=1)

    def refusal(self, what: str, day: date) -> str:
        return (f"{what} dated {day} falls in a closed period (locked up to {self.locked_until}): "
                f"date it {self.first_open_day} or later, or ask to book it on the first open day")

    def booking_day(self, day: date, *, to_open_period: bool = False) -> date | None:
        """The day to book on: `day` itself when open, the first open day when asked to move it,
        None when it is closed and not to be moved (the caller refuses with `refusal`)."""
        if not self.closes(day):
            return day
        return self.first_open_day if to_open_period else None


def back_dated(day: date, today: date) -> bool:
    """Entered after the day it takes effect: the audit log says so."""
    return day < today
