"""Ledger totals the measures are made of, each as of a date or over a period, per key or overall.

Every function returns {key: {name: Decimal}} in the report currency; key "*" when not grouped.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Sequence

from sqlalchemy import Connection, case, func, select

from credo.services.companies import Company
from credo.services.reports.common import Converter, sum_by
from credo.store import queries

ALL = "*"


def _grouped(conn, query, sums, by: str | None, convert: Converter) -> dict[str, dict[str, Any]]:
    names = [n for n, _ in sums]
    # Converted per customer and currency, as the aging is, so totals agree to the cent.
    lines = sum_by(conn, queries.grouped(query, sums, by or "customer"), convert, names)
    if by:
        return lines
    merged = {n: convert(0, convert.currency) for n in names}
    for line in lines.values():
        for n in names:
            merged[n] += line[n]
    return {ALL: {"name": None, **merged}}


def _total(sub):
    return func.sum(sub.c.open_amount)


def receivables(conn: Connection, company: Company, as_of: date, convert: Converter, by: str | None = None):
    """Net receivables: invoices - credit notes - payments (not reversed) dated on or before as_of."""
    return _grouped(conn, queries.net_receivables(company.id, as_of), [("receivables", _total)], by, convert)


def open_split(conn: Connection, company: Company, as_of: date, convert: Converter, by: str | None = None):
    """Open invoices as of a date: total, not yet due (current) and overdue."""
    fast = not queries.allocations_after(conn, company.id, as_of)

    def current(sub):
        return func.sum(case((sub.c.due_date >= as_of, sub.c.open_amount), else_=0))

    def overdue(sub):
        return func.sum(case((sub.c.due_date < as_of, sub.c.open_amount), else_=0))

    sums = [("open", _total), ("current", current), ("overdue", overdue)]
    return _grouped(conn, queries.open_invoices(company.id, as_of, fast), sums, by, convert)


def sales(conn: Connection, company: Company, start: date, end: date, convert: Converter, by: str | None = None):
    """Net credit sales (invoices less credit notes) issued from start to end inclusive."""
    return _grouped(conn, queries.net_sales(company.id, start, end), [("sales", _total)], by, convert)


def sales_by_window(conn, company: Company, windows: Sequence[tuple[date, date]], convert: Converter,
                    by: str | None = None):
    """Net sales per contiguous window (newest first) as w0, w1, ...: one pass over the period."""
    starts = [(f"w{i}", start) for i, (start, _) in enumerate(windows)]
    sums = queries.bucket_sums("issue_date", starts, prefix="w")[:-1]
    query = queries.net_sales(company.id, windows[-1][0], windows[0][1])
    return _grouped(conn, query, sums, by, convert)


def collections(conn: Connection, company: Company, start: date, end: date, convert: Converter):
    """What fell due in the period (open at its start, or issued in it, due by its end), credited, collected."""
    zero = convert(0, convert.currency)
    out = {"due": zero, "credited": zero, "collected": zero}
    for query in queries.collection_sums(company.id, start, end):
        for row in conn.execute(query):
            for name in out:
                if name in row._fields:
                    out[name] += convert(getattr(row, name), row.currency)
    return out


def day_before(day: date) -> date:
    return day - timedelta(days=1)
