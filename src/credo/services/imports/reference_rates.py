"""Import the statutes' reference rates: one rate (percent) per statute and half-year.

Columns: statute (eu_2011_7: the ECB main refinancing rate; uk_1998: the Bank of England base
rate), half_year (its first day, 1 January or 1 July), rate. Reference rates are public figures,
shared by every company of the database (the table has no company). A re-import changes nothing;
a changed rate is updated with its before and after in the audit log.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Connection, insert, select, update

from credo.channels.files import SourceRow, parse_date
from credo.domain.interest import Statute
from credo.domain.money import parse_decimal
from credo.services import audit
from credo.services.companies import Company
from credo.services.imports.common import (
    Field, ImportOptions, ImportResult, RowIssues, check_header, parse_rows, settle_errors,
)
from credo.store.collections_tables import reference_rates

STATUTES = tuple(s.value for s in Statute if s is not Statute.CONTRACT)


def _statute(text: str) -> str:
    value = text.strip().lower()
    if value not in STATUTES:
        raise ValueError(f"{text!r}: use one of {', '.join(STATUTES)}")
    return value


def _half_year(text: str, date_format: str | None) -> date:
    day = parse_date(text, date_format)
    if (day.month, day.day) not in ((1, 1), (7, 1)):
        raise ValueError(f"{day} is not the first day of a half-year (1 January or 1 July)")
    return day


def _rate(text: str) -> str:
    value = parse_decimal(text.replace("%", "").strip())
    if value < 0 or value > 100:
        raise ValueError("must be a percent between 0 and 100")
    return str(value)


def import_reference_rates(
    conn: Connection, company: Company, path: Path, header: list[str], rows: list[SourceRow],
    options: ImportOptions, actor: str,
) -> ImportResult:
    result = ImportResult("reference-rates", str(path), rows=len(rows))
    fields = [Field("statute", _statute, required=True),
              Field("half_year", lambda t: _half_year(t, options.date_format), required=True),
              Field("rate", _rate, required=True)]
    check_header(path.name, header, fields)
    issues = RowIssues(path.name)
    seen: dict[tuple, int] = {}
    good = []
    for item in parse_rows(rows, fields, issues):
        key = (item.values["statute"], item.values["half_year"])
        if key in seen:
            issues.add(item.source, "half_year", f"{key[0]} {key[1]} appears already at row {seen[key]}")
        else:
            seen[key] = item.source.row
            good.append(item)
    settle_errors(result, issues, header, options, path)
    for item in good:
        _write(conn, result, company, item.values, actor)
    return result


def _write(conn: Connection, result: ImportResult, company: Company, values: dict, actor: str) -> None:
    r = reference_rates.c
    where = (r.statute == values["statute"], r.half_year == values["half_year"])
    old = conn.execute(select(r.rate).where(*where)).scalar()
    key = f"{values['statute']} {values['half_year']}"
    if old is None:
        conn.execute(insert(reference_rates).values(**values))
        result.inserted += 1
    elif old == values["rate"]:
        result.unchanged += 1
    else:
        conn.execute(update(reference_rates).where(*where).values(rate=values["rate"]))
        audit.record(conn, actor=actor, action="update", entity="reference_rate", key=key, company_id=company.id,
                     before={"rate": old}, after={"rate": values["rate"]})
        result.updated += 1
