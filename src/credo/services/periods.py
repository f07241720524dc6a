"""The lock date every dated write passes through (domain/periods.py holds the rule).

`booking_day` is what a service calls before it writes anything dated: it answers the day to book
on, or raises PeriodClosed naming the lock date. Imports read `lock_of` once and ask the Lock per
row, so a late row is a row error (file, row, column, reason) like any other. `back_dated_note`
is what the audit entry of a change carries when the change takes effect before the day it is
entered, so a back-dated credit line or insured limit stands out in the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from credo import clock
from credo.domain.periods import Lock, back_dated
from credo.errors import PeriodClosed
from credo.store.period_tables import close_snapshots, period_closes


def lock_of(conn: Connection, company_id: int) -> Lock:
    """The company's lock date: the latest period end of the closes not reopened."""
    c = period_closes.c
    until = conn.execute(select(func.max(c.period_end)).where(c.company_id == company_id,
                                                              c.reopened_at.is_(None))).scalar()
    return Lock(until)


def booking_day(conn: Connection, company_id: int, day: date, what: str, *, to_open_period: bool = False,
                lock: Lock | None = None) -> date:
    """`day` when its period is open; the first open day when it is closed and `to_open_period`;
    else PeriodClosed ("payment P-1 dated 2026-05-31 falls in a closed period (locked up to ...").

    what: the thing booked, as the person knows it ("invoice INV-1", "insured limit of C0004")."""
    lock = lock or lock_of(conn, company_id)
    booked = lock.booking_day(day, to_open_period=to_open_period)
    if booked is None:
        raise PeriodClosed(lock.refusal(what, day))
    return booked


def back_dated_note(day: date, today: date) -> dict[str, object]:
    """What an audit entry adds for a change effective before it was entered: nothing otherwise."""
    return {"effective": day, "entered": today, "back_dated": True} if back_dated(day, today) else {}


@dataclass(frozen=True)
class Booking:
    """A dated change as booked: the day the person gave, the day it is booked on, and what its
    audit entry adds (moved to the first open day, back-dated)."""

    asked: date
    day: date
    today: date

    @property
    def note(self) -> dict[str, object]:
        moved = {"asked": self.asked, "to_open_period": True} if self.day != self.asked else {}
        return moved | back_dated_note(self.day, self.today)


def book_on(conn: Connection, company_id: int, day: date, what: str, *, to_open_period: bool = False,
            lock: Lock | None = None) -> Booking:
    """`booking_day` with what the audit entry of the change adds (`Booking.note`)."""
    booked = booking_day(conn, company_id, day, what, to_open_period=to_open_period, lock=lock)
    return Booking(day, booked, clock.today())


def closed_settings(conn: Connection, company_id: int, as_of: date, kind: str) -> dict[str, Any] | None:
    """The settings a closed period's `kind` figures were stored with, for a day in that period (the
    close of the first month-end on or after it); None for a day in an open period. A report for a
    closed day reads them, so that a later change of the aging ladder or the provision rates
    leaves the closed figures as they were stored."""
    s, c = close_snapshots.c, period_closes.c
    found = conn.execute(
        select(s.settings).select_from(close_snapshots.join(period_closes, c.id == s.close_id))
        .where(s.company_id == company_id, s.kind == kind, s.as_of >= as_of, c.reopened_at.is_(None))
        .order_by(s.as_of).limit(1)).scalar()
    return None if found is None else json.loads(found)
