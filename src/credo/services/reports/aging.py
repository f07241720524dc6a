"""The aging report (账龄分析) as of any date, by customer, group, collector, segment or currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Sequence

from sqlalchemy import Connection, Select

from credo.domain.aging import bucket_start_dates, parse_buckets
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular, money_text, sum_by
from credo.store import queries


@dataclass(frozen=True)
class AgingLine:
    key: str
    name: str | None
    buckets: dict[str, Decimal]
    total: Decimal
    unapplied: Decimal

    @property
    def net(self) -> Decimal:
        return self.total - self.unapplied

    def to_json(self) -> dict:
        return {
            "key": self.key, "name": self.name,
            "buckets": {label: money_text(v) for label, v in self.buckets.items()},
            "total": money_text(self.total), "unapplied": money_text(self.unapplied), "net": money_text(self.net),
        }


@dataclass(frozen=True)
class AgingReport:
    as_of: date
    currency: str
    by: str
    basis: str
    labels: tuple[str, ...]
    rows: tuple[AgingLine, ...]
    totals: AgingLine

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(), "currency": self.currency, "by": self.by, "basis": self.basis,
            "buckets": list(self.labels), "rows": [r.to_json() for r in self.rows],
            "totals": {k: v for k, v in self.totals.to_json().items() if k not in ("key", "name")},
        }

    def table(self) -> Tabular:
        columns = [self.by, "name", *self.labels, "total", "unapplied", "net"]
        rows = [[r.key, r.name or "", *r.buckets.values(), r.total, r.unapplied, r.net] for r in self.rows]
        t = self.totals
        footer = ["total", "", *t.buckets.values(), t.total, t.unapplied, t.net]
        return Tabular(f"Aging as of {self.as_of} ({self.currency}, by {self.by})", columns, rows, footer)


def aging_report(
    conn: Connection, company: Company, as_of: date, limits: str | Sequence[int] | None = None, *,
    by: str = "customer", basis: str = "due", currency: str | None = None, among: Select | None = None,
) -> AgingReport:
    """Open invoices split by bucket plus unapplied credit, converted to the base currency.

    limits: the bucket ladder's upper bounds in days ("30,60,90,180,365" when None); among: only
    these customers (`queries.among_customers`: a portfolio, one customer)."""
    try:
        buckets = parse_buckets(limits, basis)
    except ValueError as error:
        raise InvalidInput(f"buckets: {error}") from None
    starts = bucket_start_dates(as_of, buckets, basis)
    labels = tuple(label for label, _ in starts)
    column = "due_date" if basis == "due" else "issue_date"
    convert = Converter.load(conn, company, as_of, only=currency)
    names = [f"b{index}" for index in range(len(labels))]
    owed = sum_by(conn, queries.filter_currency(queries.grouped(
        queries.open_invoices(company.id, as_of, among), queries.bucket_sums(column, starts), by), currency), convert, names)
    credit = sum_by(conn, queries.filter_currency(queries.grouped(
        queries.unapplied_credit(company.id, as_of, among), [("total", queries.total_open)], by), currency), convert, ["total"])
    zero = convert(0, convert.currency)
    nothing = dict.fromkeys(names, zero)
    rows = []
    for key in sorted(owed.keys() | credit.keys()):
        line, unapplied = owed.get(key), credit.get(key)
        amounts = [(line or nothing)[n] for n in names]
        rows.append(AgingLine(key, (line or unapplied)["name"], dict(zip(labels, amounts)), sum(amounts, zero),
                              unapplied["total"] if unapplied else zero))
    return AgingReport(as_of, convert.currency, by, basis, labels, tuple(rows), _totals(rows, labels, zero))


def _totals(rows, labels, zero: Decimal) -> AgingLine:
    columns = zip(*(r.buckets.values() for r in rows)) if rows else ([] for _ in labels)
    buckets = {label: sum(column, zero) for label, column in zip(labels, columns)}
    return AgingLine("total", None, buckets, sum(buckets.values(), zero), sum((r.unapplied for r in rows), zero))
