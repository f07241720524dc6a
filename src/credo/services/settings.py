"""Company settings changed from the settings page: for now the aging ladder a company reports by.

A setting left empty (NULL) means the default; every change is written to the audit log with the
value before and after.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from credo.domain.aging import DEFAULT_LIMITS, parse_buckets
from credo.errors import InvalidInput
from credo.services import audit
from credo.services.companies import Company
from credo.store.tables import companies

MAX_LIMITS = 12  # more buckets than this no longer reads as a report


def aging_buckets(conn: Connection, company: Company) -> str | None:
    """The company's aging ladder as upper bounds in days ("30,60,90"), or None for the defaults."""
    return conn.execute(select(companies.c.aging_buckets).where(companies.c.id == company.id)).scalar()


def aging_limits(conn: Connection, company: Company) -> str:
    """The ladder the company's reports use when none is asked for."""
    return aging_buckets(conn, company) or ",".join(str(limit) for limit in DEFAULT_LIMITS)


def set_aging_buckets(conn: Connection, company: Company, spec: str | None, actor: str) -> str | None:
    """Store a new ladder (written back in its plain form, e.g. "30,60,90"); empty: the defaults."""
    spec = (spec or "").strip()
    stored = _plain(spec) if spec else None
    before = aging_buckets(conn, company)
    if stored == before:
        return stored
    conn.execute(update(companies).where(companies.c.id == company.id).values(aging_buckets=stored))
    audit.record(conn, actor=actor, action="update", entity="company", key=company.code, company_id=company.id,
                 before={"aging_buckets": before}, after={"aging_buckets": stored})
    return stored


def _plain(spec: str) -> str:
    try:
        buckets = parse_buckets(spec, "due")
    except ValueError as error:
        raise InvalidInput(f"aging buckets: {error}") from None
    limits = [bucket.high for bucket in buckets[1:-1]]
    if len(limits) > MAX_LIMITS:
        raise InvalidInput(f"aging buckets: at most {MAX_LIMITS} limits, not {len(limits)}")
    return ",".join(str(limit) for limit in limits)
