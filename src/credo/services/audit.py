"""The audit log: who changed what, when, with the values before and after."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Mapping

from sqlalchemy import Connection, insert, select

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
            at=datetime.now(timezone.utc),
            actor=actor,
            action=action,
            entity=entity,
            entity_key=key,
            before=_dump(before),
            after=_dump(after),
        )
    )


def entries(conn: Connection, *, entity: str | None = None, key: str | None = None, limit: int = 50):
    """Newest entries first, optionally for one entity (and key)."""
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if entity:
        query = query.where(audit_log.c.entity == entity)
    if key:
        query = query.where(audit_log.c.entity_key == key)
    return [dict(row._mapping) for row in conn.execute(query)]
