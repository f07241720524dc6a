"""The business clock: credo's one source of "now" and "today".

Every service and adapter asks it for the moment (`now`, in UTC) and for the business day
(`today(zone)`, in the company's time zone, CREDO_TIME_ZONE), never `date.today()` or
`datetime.now()`: on a host whose system zone is UTC those put a payment entered at 07:00 in
Shanghai on the day before. The domain never reads it: its as-of date is a parameter.

The clock can be pinned to one moment (CREDO_CLOCK, or the tests' `--business-clock` option), so
that a demo, a replay or a test gives the same answers on whatever day and hour it runs. A pinned
clock stands still to the second: each reading is one microsecond after the one before (a million
readings make a second), so records stamped one after the other keep their order, and a ledger built
again under the same pin is told from the one before it (services/snapshots.py keys its cache by the
newest audit entry's id and moment).
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from typing import Iterator
from zoneinfo import ZoneInfo

# The company's time zone (CREDO_TIME_ZONE, set by `Settings.apply_clock` when an adapter starts)
# for the few services that default a date themselves; adapters pass their settings' zone.
_zone = "Asia/Shanghai"
_pinned: datetime | None = None
_readings = itertools.count()  # of the pinned clock, over the whole process: never reset


def now() -> datetime:
    """The current moment, timezone-aware in UTC (the pinned one when the clock is pinned)."""
    if _pinned is None:
        return datetime.now(timezone.utc)
    return _pinned + timedelta(microseconds=next(_readings))


def today(zone: str | None = None) -> date:
    """The business day now in `zone` (an IANA name; default the company's CREDO_TIME_ZONE)."""
    return now().astimezone(ZoneInfo(zone or _zone)).date()


def set_zone(zone: str) -> None:
    global _zone
    ZoneInfo(zone)  # an unknown name fails here, not at the first "today"
    _zone = zone


def pin(moment: datetime | None) -> None:
    """Make the clock stand at `moment` (timezone-aware); None lets it run with the real time again."""
    global _pinned
    if moment is not None and moment.utcoffset() is None:
        raise ValueError(f"the business clock needs a moment with its UTC offset, not {moment.isoformat()}")
    _pinned = None if moment is None else moment.astimezone(timezone.utc)


def pinned_at() -> datetime | None:
    """The moment the clock is pinned to, or None when it runs with the real time."""
    return _pinned


@contextmanager
def pinned(moment: datetime) -> Iterator[datetime]:
    """The clock pinned to `moment` for a block (a test that needs a working day), then as it was."""
    before = _pinned
    pin(moment)
    try:
        yield _pinned
    finally:
        pin(before)


def parse_moment(text: str) -> datetime:
    """An ISO 8601 moment with its offset (2026-12-06T23:30+08:00), as CREDO_CLOCK and the tests take it."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an ISO 8601 moment, e.g. 2026-12-06T23:30+08:00") from None
    if moment.utcoffset() is None:
        raise ValueError(f"{text!r} has no UTC offset: write e.g. 2026-12-06T23:30+08:00")
    return moment
