"""Close a period, reopen the last one, list the closes and read what they stored.

Closing month-end D makes D the company's lock date (services/periods.py refuses what is dated on
or before it) and stores, for every month-end from the previous lock date (or D alone, at the first
close) to D, the four figures of services/closing/figures.py with their settings and input
digests. Reopening moves the lock date back to the close before; the reopened close keeps its
row and its figures, marked reopened (by whom, when, why). Each is one transaction, audit-logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.domain.periods import is_month_end, month_end, month_ends
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.services.closing.figures import Figure, compute, current_settings
from credo.services.companies import Company
from credo.services.periods import lock_of
from credo.store.period_tables import SNAPSHOT_KINDS, close_snapshots, period_closes


class NotAMonthEnd(InvalidInput):
    """A period closes at a month-end; `month_end` is the one of the day's month."""

    def __init__(self, day: date) -> None:
        self.values = {"day": day, "month_end": month_end(day)}  # the days it names, for a page to say it
        super().__init__(f"a period closes at a month-end: {day} is not one (say {month_end(day)})")


class NotEnded(InvalidInput):
    """The period has not ended: its month-end is today or later."""

    def __init__(self, day: date, today: date) -> None:
        self.values = {"day": day, "today": today}
        super().__init__(f"the period to {day} has not ended yet (today is {today})")


class AlreadyClosed(Conflict):
    """The day is on or before the lock date."""

    def __init__(self, code: str, locked_until: date) -> None:
        self.values = {"locked_until": locked_until}
        super().__init__(f"{code} is already closed up to {locked_until}")


class NoReason(InvalidInput):
    """A reopening says why."""


class NothingToReopen(NotFound):
    """No close in force."""


@dataclass(frozen=True)
class Closed:
    """One close and the month-ends whose figures it stored."""

    id: int
    period_end: date
    closed_at: str
    closed_by: str
    month_ends: tuple[date, ...]
    reopened_at: str | None = None
    reopened_by: str | None = None
    reopen_reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "period_end": self.period_end.isoformat(), "closed_at": self.closed_at,
                "closed_by": self.closed_by, "month_ends": [d.isoformat() for d in self.month_ends],
                "reopened_at": self.reopened_at, "reopened_by": self.reopened_by, "reopen_reason": self.reopen_reason}


def close_period(conn: Connection, company: Company, period_end: date, actor: str, today: date) -> Closed:
    """Close every day up to `period_end` (a month-end before today) and store its month-ends' figures."""
    if not is_month_end(period_end):
        raise NotAMonthEnd(period_end)
    if period_end >= today:
        raise NotEnded(period_end, today)
    lock = lock_of(conn, company.id)
    if lock.closes(period_end):
        raise AlreadyClosed(company.code, lock.locked_until)
    ends = month_ends(lock.locked_until, period_end)
    now = clock.now()
    close_id = conn.execute(insert(period_closes).values(
        company_id=company.id, period_end=period_end, closed_at=now, closed_by=actor)
        .returning(period_closes.c.id)).scalar_one()
    settings = {kind: current_settings(conn, company, kind) for kind in SNAPSHOT_KINDS}
    for day in ends:
        known: dict[str, str] = {}  # the ledger's digests, read once per month-end
        figures = [compute(conn, company, kind, day, settings[kind], known) for kind in SNAPSHOT_KINDS]
        conn.execute(insert(close_snapshots), [_row(company, close_id, figure) for figure in figures])
    audit.record(conn, actor=actor, action="close", entity="period", key=period_end.isoformat(),
                 company_id=company.id, before={"locked_until": lock.locked_until},
                 after={"locked_until": period_end, "month_ends": ",".join(d.isoformat() for d in ends)})
    return Closed(close_id, period_end, _moment(now), actor, tuple(ends))


def _row(company: Company, close_id: int, figure: Figure) -> dict[str, Any]:
    return dict(company_id=company.id, close_id=close_id, as_of=figure.as_of, kind=figure.kind,
                settings=_json(figure.settings), digest=figure.digest, inputs=_json(figure.inputs),
                body=_json(figure.body))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _moment(value) -> str:
    return audit.as_utc(value).isoformat()


def reopen_period(conn: Connection, company: Company, actor: str, reason: str) -> Closed:
    """Reopen the last close: the lock date goes back to the close before it (or none)."""
    if not reason.strip():
        raise NoReason("say why the period is reopened (--reason)")
    c = period_closes.c
    last = conn.execute(select(period_closes).where(c.company_id == company.id, c.reopened_at.is_(None))
                        .order_by(c.period_end.desc()).limit(1)).first()
    if last is None:
        raise NothingToReopen(f"{company.code} has no closed period to reopen")
    now = clock.now()
    conn.execute(update(period_closes).where(c.id == last.id)
                 .values(reopened_at=now, reopened_by=actor, reopen_reason=reason.strip()))
    after = lock_of(conn, company.id)
    audit.record(conn, actor=actor, action="reopen", entity="period", key=last.period_end.isoformat(),
                 company_id=company.id, before={"locked_until": last.period_end},
                 after={"locked_until": after.locked_until, "reason": reason.strip()})
    return _closed(conn, conn.execute(select(period_closes).where(c.id == last.id)).one())


def list_closes(conn: Connection, company: Company) -> list[Closed]:
    """Every close, the latest period first, reopened ones too."""
    c = period_closes.c
    rows = conn.execute(select(period_closes).where(c.company_id == company.id)
                        .order_by(c.period_end.desc(), c.id.desc())).all()
    return [_closed(conn, row) for row in rows]


def _closed(conn: Connection, row) -> Closed:
    s = close_snapshots.c
    ends = tuple(sorted(set(conn.execute(select(s.as_of).where(s.close_id == row.id)).scalars())))
    return Closed(row.id, row.period_end, _moment(row.closed_at), row.closed_by, ends,
                  None if row.reopened_at is None else _moment(row.reopened_at), row.reopened_by, row.reopen_reason)


def stored_figures(conn: Connection, company: Company, as_of: date | None = None,
                   kinds: tuple[str, ...] = SNAPSHOT_KINDS) -> list[Figure]:
    """The figures the closes in force stored (of one month-end when given), by day then kind."""
    s, c = close_snapshots.c, period_closes.c
    query = (select(close_snapshots).select_from(close_snapshots.join(period_closes, c.id == s.close_id))
             .where(s.company_id == company.id, c.reopened_at.is_(None), s.kind.in_(kinds)))
    if as_of is not None:
        query = query.where(s.as_of == as_of)
    rows = conn.execute(query.order_by(s.as_of, s.kind)).all()
    if as_of is not None and not rows:
        raise NotFound(f"no closed month-end {as_of} of {company.code}: `credo close list` shows the closes")
    return [Figure(row.kind, row.as_of, json.loads(row.settings), json.loads(row.inputs), json.loads(row.body))
            for row in rows]
