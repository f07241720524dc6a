"""The SQL the report services run, captured while they run (so plans and per-statement timings follow
whatever `credo.store.queries` builds today, with no copy of it here).

`capture(conn, fn)` runs fn once with a cursor listener and returns every (sql, parameters) the
driver received, already in the driver's form, so each one can be re-run or EXPLAINed as is.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy import event


@dataclass(frozen=True)
class Captured:
    report: str
    index: int
    sql: str
    params: object

    @property
    def name(self) -> str:
        return f"{self.report}.{self.index}"

    @property
    def tables(self) -> str:
        """The tables it reads, in order of first mention (to tell the statements apart)."""
        seen: list[str] = []
        for name in re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)\b", self.sql, flags=re.IGNORECASE):
            if name.lower() not in ("select",) and not name.startswith(("anon_", "later_")) and name not in seen:
                seen.append(name)
        return ",".join(seen)

    def label(self) -> str:
        return f"{self.name} [{self.tables}]"


def capture(conn, report: str, fn: Callable[[], object]) -> list[Captured]:
    seen: list[tuple[str, object]] = []

    def listen(_conn, _cursor, statement, parameters, _context, executemany):
        if not executemany:  # a copy: the driver's parameters may be reused by the next statement
            seen.append((statement, copy.deepcopy(parameters)))

    event.listen(conn, "before_cursor_execute", listen)
    try:
        fn()
    finally:
        event.remove(conn, "before_cursor_execute", listen)
    return [Captured(report, k + 1, sql, params) for k, (sql, params) in enumerate(seen)]


def report_calls(company, as_of: date, past: date):
    """The report calls measured, by name."""
    from credo.services.reports.aging import aging_report
    from credo.services.reports.dso import dso_report

    return {
        "aging_current": lambda conn: aging_report(conn, company, as_of),
        "aging_past": lambda conn: aging_report(conn, company, past),
        "dso_standard": lambda conn: dso_report(conn, company, as_of, days=90),
        "dso_countback": lambda conn: dso_report(conn, company, as_of, days=90, method="countback"),
    }


def captured_reports(conn, company, as_of: date, past: date) -> list[Captured]:
    out: list[Captured] = []
    for name, call in report_calls(company, as_of, past).items():
        out.extend(capture(conn, name, lambda call=call: call(conn)))
    return out


def aging_starts(as_of: date) -> list[tuple[str, date | None]]:
    from credo.domain.aging import bucket_start_dates, parse_buckets

    return bucket_start_dates(as_of, parse_buckets(None, "due"), "due")


def literal_sql(sql: str, params, dialect: str) -> str:
    """The statement with its values inlined, for reading."""
    def shown(value):
        if isinstance(value, str):
            return "'" + value.replace("'", "''") + "'"
        if isinstance(value, date):
            return f"'{value.isoformat()}'"
        return "NULL" if value is None else str(value)

    if isinstance(params, dict):
        for name in sorted(params, key=len, reverse=True):
            sql = sql.replace(f"%({name})s", shown(params[name]))
        return sql
    if params:
        parts = sql.split("?" if dialect == "sqlite" else "%s")
        out = [parts[0]]
        for value, part in zip(params, parts[1:]):
            out += [shown(value), part]
        return "".join(out)
    return sql
