"""The audit log: who changed what, when, with the values before and after."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterable, Mapping

from sqlalchemy import Connection, insert, select

from credo import clock
from credo.store.bulk import copy_rows
from credo.store.tables import audit_log


def _plain(value: Any) -> Any:
    if isinstance(value, (Decimal, date)):
        return str(value)
    return value


def _dump(values: Mapping[str, Any] | None) -> str | None:
    if values is None:
        return None
    return json.dumps({k: _plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


def record(
    conn: Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    key: str | None,
    company_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Append one entry; the caller's transaction makes it stand or fall with the change."""
    conn.execute(
        insert(audit_log).values(
            company_id=company_id,
            at=clock.now(),
            actor=actor,
            action=action,
            entity=entity,
            entity_key=key,
            before=_dump(before),
            after=_dump(after),
        )
    )


AUDIT_COLUMNS = ("company_id", "at", "actor", "action", "entity", "entity_key", "before", "after")


def record_many(conn: Connection, *, actor: str, action: str, entity: str, company_id: int | None,
                changes: Iterable[tuple[str, Mapping[str, Any] | None, Mapping[str, Any] | None]]) -> None:
    """Append one entry per (key, before, after), all at one moment, through the bulk path (COPY
    on PostgreSQL): a first risk scan logs some 170,000 alerts at once."""
    now = clock.now()
    copy_rows(conn, audit_log, AUDIT_COLUMNS, ((company_id, now, actor, action, entity, key, _dump(before), _dump(after))
                                               for key, before, after in changes))


def entries(conn: Connection, *, entity: str | None = None, key: str | None = None, limit: int = 50):
    """Newest entries first, optionally for one entity (and key)."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if entity:
        query = query.where(audit_log.c.entity == entity)
    if key:
        query = query.where(audit_log.c.entity_key == key)
    return [dict(row._mapping) for row in conn.execute(query)]


@dataclass(frozen=True)
class AuditFilter:
    actor: str | None = None
    action: str | None = None
    entity: str | None = None
    key: str | None = None
    company_id: int | None = None
    since: datetime | None = None  # at or after
    until: datetime | None = None  # before


def as_utc(moment: datetime) -> datetime:
    """Moments are stored in UTC; SQLite gives them back without their zone and compares the wall
    time it is given, so a moment goes in and comes out in UTC, with the offset written out."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def search(conn: Connection, where: AuditFilter, page):
    """Entries matching every given filter, newest first by default; a page of them."""
    from credo.services.browse.paging import paginate
    from credo.store.tables import companies

    a = audit_log.c
    query = (select(a.id, a.at, a.actor, a.action, a.entity, a.entity_key, companies.c.code.label("company"),
                    a.before, a.after)
             .select_from(audit_log.outerjoin(companies, companies.c.id == a.company_id)))
    for column, value in ((a.actor, where.actor), (a.action, where.action), (a.entity, where.entity),
                          (a.entity_key, where.key), (a.company_id, where.company_id)):
        if value is not None:
            query = query.where(column == value)
    if where.since is not None:
        query = query.where(a.at >= as_utc(where.since))
    if where.until is not None:
        query = query.where(a.at < as_utc(where.until))

    def shape(row) -> dict[str, Any]:
        return {"id": row.id, "at": as_utc(row.at).isoformat(), "actor": row.actor, "action": row.action,
                "entity": row.entity, "entity_key": row.entity_key, "company": row.company,
                "before": json.loads(row.before) if row.before else None,
                "after": json.loads(row.after) if row.after else None}

    return paginate(conn, query, {"at": a.id, "actor": a.actor, "entity": a.entity}, "-at", page, shape)
