"""Import FX rates: units of the company's base currency for one unit of a currency, by date.

A rate dated in a closed period would change the closed figures translated at it: a new or changed
one is a row error (also with `to_open_period`: a rate is the rate of its day, it does not move)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, select

from credo.channels.files import SourceRow, parse_currency, parse_date
from credo.domain.money import parse_decimal
from credo.services.companies import Company
from credo.services.imports.common import (
    Field, ImportOptions, ImportResult, Parsed, RowIssues, check_header, parse_rows, settle_errors, count,
)
from credo.services.imports.staging import Merge, merge
from credo.services.periods import lock_of
from credo.store.tables import fx_rates

MERGE = Merge(fx_rates, ("currency", "rate_date"), ("rate",))


def _rate(text: str) -> str:
    value = parse_decimal(text.replace(",", ""))
    if value <= 0:
        raise ValueError("must be positive")
    if value.as_tuple().exponent < -10:
        raise ValueError("more than 10 decimals")
    return str(value.normalize() if value == value.to_integral() else value)


def import_fx_rates(
    conn: Connection, company: Company, path: Path, header: list[str], rows: list[SourceRow],
    options: ImportOptions, actor: str,
) -> ImportResult:
    result = ImportResult("fx-rates", str(path), rows=len(rows))
    fields = [
        Field("currency", parse_currency, required=True),
        Field("rate_date", lambda t: parse_date(t, options.date_format), required=True),
        Field("rate", _rate, required=True),
    ]
    check_header(path.name, header, fields)
    issues = RowIssues(path.name)
    parsed = parse_rows(rows, fields, issues)
    seen: dict[tuple, int] = {}
    good = []
    for item in parsed:
        v = item.values
        key = (v["currency"], v["rate_date"])
        if v["currency"] == company.base_currency:
            issues.add(item.source, "currency", f"{v['currency']} is the base currency (its rate is 1)")
        elif key in seen:
            issues.add(item.source, "rate_date", f"{v['currency']} {v['rate_date']} appears already at row {seen[key]}")
        else:
            seen[key] = item.source.row
            good.append(item)
    good = _refuse_closed(conn, company, good, issues)
    settle_errors(result, issues, header, options, path)
    rows_out = [(i.source.row, i.values["currency"],
                 i.values["rate_date"], i.values["rate"]) for i in good]
    outcome = merge(conn, MERGE, company.id, rows_out, entity="fx_rate", actor=actor, settle=lambda conflicts: None)
    count(result, outcome)
    return result



def _refuse_closed(conn: Connection, company: Company, items: list[Parsed], issues: RowIssues) -> list[Parsed]:
    """The rows left once those dated in a closed period that are not the rate held already are refused."""
    lock = lock_of(conn, company.id)
    closed = [item for item in items if lock.closes(item.values["rate_date"])]
    if not closed:
        return items
    r = fx_rates.c
    first = min(item.values["rate_date"] for item in closed)
    held = {(row.currency, row.rate_date): row.rate for row in conn.execute(select(r.currency, r.rate_date, r.rate).where(
        r.company_id == company.id, r.rate_date >= first, r.rate_date <= lock.locked_until))}
    for item in closed:
        v = item.values
        if held.get((v["currency"], v["rate_date"])) != v["rate"]:
            issues.add(item.source, "rate_date", f"the {v['currency']} rate dated {v['rate_date']} falls in a closed "
                       f"period (locked up to {lock.locked_until}): the closed figures were translated at the "
                       "rates held then, which cannot be added to or changed")
    return [item for item in items if not issues.has(item.source.row)]
