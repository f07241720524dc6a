"""Company settings changed from the settings page: the aging ladder a company reports by, and the
hours its dunning messages may go out (the sending window).

A setting left empty (NULL) means the default; every change is written to the audit log with the
value before and after.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from credo.domain.aging import DEFAULT_LIMITS, parse_buckets
from credo.errors import InvalidInput
from credo.services import audit, lookups
from credo.services.companies import Company
from credo.store.tables import companies

MAX_LIMITS = 12  # more buckets than this no longer reads as a report


def aging_buckets(conn: Connection, company: Company) -> str | None:
    """The company's aging ladder as upper bounds in days ("30,60,90"), or None for the defaults
    (a `lookups.lasting` value: changed only by `set_aging_buckets`, which audits it)."""
    return lookups.lasting(("aging buckets", company.id), lambda: conn.execute(
        select(companies.c.aging_buckets).where(companies.c.id == company.id)).scalar())


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


def send_window(conn: Connection, company: Company) -> str | None:
    """The company's own sending window ("08:30-18:00"), or None: the installation's (CREDO_SEND_WINDOW)."""
    return conn.execute(select(companies.c.send_window).where(companies.c.id == company.id)).scalar()


def company_window(conn: Connection, company: Company, settings) -> str:
    """The hours a dunning run may send for the company: its own window, else CREDO_SEND_WINDOW."""
    return send_window(conn, company) or settings.send_window


def set_send_window(conn: Connection, company: Company, spec: str | None, actor: str) -> str | None:
    """Store the company's sending window (HH:MM-HH:MM, start before end); empty: the installation's."""
    from datetime import datetime

    spec = (spec or "").strip()
    stored = None
    if spec:
        try:
            start, end = (datetime.strptime(part.strip(), "%H:%M").time() for part in spec.split("-"))
        except ValueError:
            raise InvalidInput(f"sending window {spec!r}: write HH:MM-HH:MM, e.g. 08:30-18:00") from None
        if not start < end:
            raise InvalidInput(f"sending window {spec!r}: the start must come before the end")
        stored = f"{start:%H:%M}-{end:%H:%M}"
    before = send_window(conn, company)
    if stored == before:
        return stored
    conn.execute(update(companies).where(companies.c.id == company.id).values(send_window=stored))
    audit.record(conn, actor=actor, action="update", entity="company", key=company.code, company_id=company.id,
                 before={"send_window": before}, after={"send_window": stored})
    return stored
