"""Ledger totals the measures are made of, each as of a date or over a period, per key or overall.

Every function returns {key: {name: Decimal}} in the report currency; key "*" when not grouped.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Sequence

from sqlalchemy import Connection, Date, Select, case

from credo.services.companies import Company
from credo.services.reports.common import Converter, fetch, sum_by
from credo.store import queries

ALL = "*"


def _grouped(conn, sides, by: str | None, convert: Converter, parts=None) -> dict[str, dict[str, Any]]:
    """sides: (relation, sums) pairs, summed side by side on one row per key (`queries.side_by_side`);
    parts: the sums that are parts of one whole (`sum_minor`)."""
    names = [n for _, sums in sides for n, _ in sums]
    # Converted per customer and currency, as the aging is, so totals agree to the cent.
    if by:
        return sum_by(conn, queries.side_by_side(sides, by, report_currency=convert.currency), convert, names,
                      parts=parts)
    return _totals(conn, queries.totals_side_by_side(sides, convert.base), convert, names, parts=parts)


def _totals(conn, statement, convert: Converter, names: Sequence[str], params: dict | None = None, parts=None):
    lines = sum_by(conn, statement, convert, names, params, parts)
    return lines or {ALL: {"name": None, **{n: convert(0, convert.currency) for n in names}}}


_total = queries.total_open


def receivables(conn: Connection, company: Company, as_of: date, convert: Converter, by: str | None = None,
                among: Select | None = None):
    """As of a date: open invoices (open), not yet due (current), overdue, unapplied cash and credit
    notes (unapplied) and the net receivables (open less unapplied: the aging's net), from one
    statement; of the customers `among` when given."""
    current, overdue = queries.due_split(as_of)
    sides = queries.receivable_sides(company.id, as_of, among, [("current", current), ("overdue", overdue)],
                                     credit="unapplied")
    # Current and overdue as the parts of the open amount: it then equals the aging's total to the cent.
    lines = _grouped(conn, sides, by, convert, parts=(1, 3))
    for line in lines.values():
        line["open"] = line["current"] + line["overdue"]
        line["receivables"] = line["open"] - line["unapplied"]
    return lines


def sales(conn: Connection, company: Company, start: date, end: date, convert: Converter, by: str | None = None,
          among: Select | None = None):
    """Net credit sales (invoices less credit notes) issued from start to end inclusive."""
    return _grouped(conn, [(queries.net_sales(company.id, start, end, among), [("sales", _total)])], by, convert)


def sales_since(conn: Connection, company: Company, starts: Sequence[date], end: date, convert: Converter,
                by: str | None = None, among: Select | None = None, customer_id: int | None = None):
    """Net sales from each start to `end` inclusive, as s0, s1, ...: periods that end on the same
    day (a 90-day DSO and 12 months of purchases) in one pass; each summed before it is converted,
    so each equals `sales` of its period to the cent. `customer_id`: one customer's, from a
    statement built once."""
    if customer_id is not None:
        values = {f"start_{index}": start for index, start in enumerate(starts)}
        names = [f"s{index}" for index in range(len(starts))]
        return _totals(conn, _one_customer_sales(len(starts), convert.base), convert, names,
                       queries.one_customer(company.id, customer_id, first=min(starts), end=end, **values))
    sums = [(f"s{index}", _since(start)) for index, start in enumerate(starts)]
    return _grouped(conn, [(queries.net_sales(company.id, min(starts), end, among), sums)], by, convert)


def _since(start):
    return lambda sub: queries.money_sum(case((sub.c.issue_date >= start, sub.c.open_amount), else_=0))


@lru_cache(maxsize=16)
def _one_customer_sales(count: int, base_currency: str) -> Select:
    """`sales_since` of one customer over `count` periods, with named parameters."""
    sums = [(f"s{index}", _since(queries.named(f"start_{index}", Date))) for index in range(count)]
    arms = queries.net_sales(queries.named("company_id"), queries.named("first", Date), queries.named("end", Date),
                             queries.ONE_CUSTOMER)
    return queries.grouped_totals(arms, sums, base_currency)


def sales_by_window(conn, company: Company, windows: Sequence[tuple[date, date]], convert: Converter,
                    by: str | None = None, among: Select | None = None):
    """Net sales per contiguous window (newest first) as w0, w1, ...: one pass over the period.

    The portfolio's figure is summed by day in SQL (a few hundred rows) and put into windows here;
    per customer, one CASE per window does it in SQL."""
    query = queries.net_sales(company.id, windows[-1][0], windows[0][1], among)
    if by:
        starts = [(f"w{i}", start) for i, (start, _) in enumerate(windows)]
        return _grouped(conn, [(query, queries.bucket_sums("issue_date", starts, prefix="w"))], by, convert)
    rows = fetch(conn, queries.by_day(query))
    starts = sorted(start for start, _ in windows)
    zero = convert(0, convert.currency)
    line: dict[str, Any] = {"name": None, **{f"w{i}": zero for i in range(len(windows))}}
    for currency, day, amount in rows:
        newest_first = len(windows) - bisect_right(starts, day)
        line[f"w{newest_first}"] += convert.into(currency)(amount)
    return {ALL: line}


def collections(conn: Connection, company: Company, start: date, end: date, convert: Converter):
    """What fell due in the period (open at its start, or issued in it, due by its end), credited, collected."""
    zero = convert(0, convert.currency)
    out = {"due": zero, "credited": zero, "collected": zero}
    for query in queries.collection_sums(company.id, start, end):
        for row in fetch(conn, query):
            for name in out:
                if name in row._fields:
                    out[name] += convert(getattr(row, name), row.currency)
    return out


def day_before(day: date) -> date:
    return day - timedelta(days=1)
