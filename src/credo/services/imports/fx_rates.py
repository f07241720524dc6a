"""Import FX rates: units of the company's base currency for one unit of a currency, by date."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

from credo.channels.files import SourceRow, parse_currency, parse_date
from credo.domain.money import parse_decimal
from credo.services.companies import Company
from credo.services.imports.common import (
    Field, ImportOptions, ImportResult, RowIssues, check_header, parse_rows, settle_errors, count,
)
from credo.services.imports.staging import Merge, merge
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
    settle_errors(result, issues, header, options, path)
    rows_out = [(i.source.row, i.values["currency"],
                 i.values["rate_date"], i.values["rate"]) for i in good]
    outcome = merge(conn, MERGE, company.id, rows_out, entity="fx_rate", actor=actor, settle=lambda conflicts: None)
    count(result, outcome)
    return result

