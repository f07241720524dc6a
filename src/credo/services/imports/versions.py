"""Imports into the credit file's versioned tables: a changed entry is a new version, never an
overwrite (`domain.credit.file`).

Each row names its owner (`customer_code`, or `group_code` where a group may hold the entry) and
the date it speaks of. It is compared with the version in force on its `recorded_on` (the row's
`recorded_on` column, else the import's `--recorded-on`, else today): the same values write
nothing; different values write a new version recorded that day, or correct the version recorded
that same day (the audit log keeps what it said). Every new or corrected version has its audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable, Sequence

from sqlalchemy import Connection, Table, insert, select, update

from credo import clock
from credo.channels.files import SourceRow, parse_date, parse_text
from credo.services import audit
from credo.services.companies import Company
from credo.services.imports.common import (Field, ImportOptions, ImportResult, Parsed, RowIssues, check_header,
                                           parse_rows, settle_errors)
from credo.services.imports.lookups import CustomerIndex
from credo.store.tables import customer_groups


@dataclass(frozen=True)
class Owner:
    column: str  # customer_id or customer_group_id
    id: int
    code: str
    currency: str  # the customer's currency (a group's: the company's base currency)


@dataclass(frozen=True)
class VersionedKind:
    """One credit file kind: its table, columns, what names an entry, and how a row becomes values."""

    kind: str
    entity: str  # in the audit log
    table: Table
    fields: Callable[[ImportOptions], list[Field]]
    key: tuple[str, ...]  # table columns that, with the owner, name an entry (e.g. period_end)
    # Parsed values (recorded_on resolved) + owner -> {table column: value}; RowIssue names the column of a
    # value it refuses.
    values: Callable[[dict[str, Any], Owner], dict[str, Any]]
    groups: bool = False  # a customer group may own the entry
    dated: str | None = None  # the column of the date it speaks of, which must not be after recorded_on


class RowIssue(ValueError):
    """A value that parsed but cannot be booked, naming its column."""

    def __init__(self, column: str, reason: str):
        super().__init__(reason)
        self.column = column


def import_versioned(spec: VersionedKind, conn: Connection, company: Company, path: Path, header: list[str],
                     rows: list[SourceRow], options: ImportOptions, actor: str) -> ImportResult:
    result = ImportResult(spec.kind, str(path), rows=len(rows))
    fields = [*spec.fields(options), Field("recorded_on", lambda t: parse_date(t, options.date_format))]
    owners = ("customer_code", "group_code") if spec.groups else ("customer_code",)
    fields += [Field(name, lambda t: parse_text(t, 64)) for name in owners]
    check_header(path.name, header, fields, either=owners)
    issues = RowIssues(path.name)
    parsed = parse_rows(rows, fields, issues)
    entries = _entries(spec, conn, company, parsed, options, issues)
    settle_errors(result, issues, header, options, path)
    for owner, recorded_on, values in entries:
        outcome = _write(spec, conn, company, owner, recorded_on, values, actor)
        setattr(result, outcome, getattr(result, outcome) + 1)
    return result


def _entries(spec: VersionedKind, conn: Connection, company: Company, parsed: Sequence[Parsed],
             options: ImportOptions, issues: RowIssues) -> list[tuple[Owner, date, dict]]:
    find = _owner_finder(conn, company, issues)
    recorded_default = options.recorded_on or clock.today()
    seen: dict[tuple, int] = {}
    out = []
    for item in parsed:
        owner = find(item)
        if owner is None:
            continue
        recorded_on = item.values["recorded_on"] or recorded_default
        try:
            values = spec.values({**item.values, "recorded_on": recorded_on}, owner)
        except RowIssue as issue:
            issues.add(item.source, issue.column, str(issue))
            continue
        if spec.dated and values[spec.dated] > recorded_on:
            issues.add(item.source, spec.dated, f"{values[spec.dated]} is after recorded_on {recorded_on}: "
                       "credo cannot have learned it before that day")
            continue
        key = (owner.column, owner.id, recorded_on, *[values[k] for k in spec.key])
        if key in seen:
            issues.add(item.source, spec.key[0] if spec.key else "customer_code",
                       f"the same entry appears already at row {seen[key]}")
            continue
        seen[key] = item.source.row
        out.append((owner, recorded_on, values))
    return out


def _owner_finder(conn: Connection, company: Company, issues: RowIssues) -> Callable[[Parsed], Owner | None]:
    customers = CustomerIndex.load(conn, company)
    groups = dict(conn.execute(select(customer_groups.c.code, customer_groups.c.id)
                               .where(customer_groups.c.company_id == company.id)).all())

    def find(item: Parsed) -> Owner | None:
        customer, group = item.values["customer_code"], item.values.get("group_code")
        if bool(customer) == bool(group):
            issues.add(item.source, "customer_code", "give a customer_code or a group_code, not both"
                       if customer else "is empty (or give a group_code)")
            return None
        if customer:
            ref = customers.find(customer, item.source, issues)
            return None if ref is None else Owner("customer_id", ref.id, ref.code, ref.currency)
        if group not in groups:
            issues.add(item.source, "group_code", f"unknown customer group {group!r}: name it on a customer "
                       "with `credo import customers` first")
            return None
        return Owner("customer_group_id", groups[group], group, company.base_currency)
    return find


def _write(spec: VersionedKind, conn: Connection, company: Company, owner: Owner, recorded_on: date,
           values: dict, actor: str) -> str:
    """inserted (a new version), updated (that day's version corrected) or unchanged."""
    t = spec.table
    match = [t.c.company_id == company.id, t.c[owner.column] == owner.id, *[t.c[k] == values[k] for k in spec.key]]
    names = list(values)
    current = conn.execute(select(t.c.id, t.c.recorded_on, *[t.c[n] for n in names]).where(
        *match, t.c.recorded_on <= recorded_on).order_by(t.c.recorded_on.desc()).limit(1)).first()
    before = None if current is None else {n: getattr(current, n) for n in names}
    if before == values:
        return "unchanged"
    key = " ".join([owner.code, *[str(values[k]) for k in spec.key]])
    after = values | {"recorded_on": recorded_on}
    if current is not None and current.recorded_on == recorded_on:
        conn.execute(update(t).where(t.c.id == current.id).values(**values))
        audit.record(conn, actor=actor, action="update", entity=spec.entity, key=key, company_id=company.id,
                     before=before, after=after)
        return "updated"
    conn.execute(insert(t).values(company_id=company.id, **{owner.column: owner.id}, recorded_on=recorded_on,
                                  **values))
    audit.record(conn, actor=actor, action="create" if current is None else "version", entity=spec.entity,
                 key=key, company_id=company.id, before=before, after=after)
    return "inserted"
