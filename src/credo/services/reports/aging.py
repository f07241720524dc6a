"""The aging report (账龄分析) as of any date, by customer, group, collector, segment or currency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from operator import add
from typing import Sequence

from sqlalchemy import Connection, Select

from credo.domain.aging import bucket_start_dates, parse_buckets
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular, money_text, sum_minor
from credo.services.settings import aging_buckets
from credo.store import queries


@dataclass(frozen=True, slots=True)  # slots, amounts in a tuple: a 10M-invoice ledger has 200,000 lines
class AgingLine:
    key: str
    name: str | None
    labels: tuple[str, ...]  # the report's, shared by every line
    amounts: tuple[Decimal, ...]  # one per label
    total: Decimal
    unapplied: Decimal

    @property
    def buckets(self) -> dict[str, Decimal]:
        return dict(zip(self.labels, self.amounts))

    @property
    def net(self) -> Decimal:
        return self.total - self.unapplied

    @property
    def overdue(self) -> Decimal:
        """Past due: all but the first bucket of an aging by due date (its first is not yet due)."""
        return self.total - self.amounts[0]

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
        rows = [[r.key, r.name or "", *r.amounts, r.total, r.unapplied, r.net] for r in self.rows]
        t = self.totals
        footer = ["total", "", *t.amounts, t.total, t.unapplied, t.net]
        return Tabular(f"Aging as of {self.as_of} ({self.currency}, by {self.by})", columns, rows, footer)


def aging_report(
    conn: Connection, company: Company, as_of: date, limits: str | Sequence[int] | None = None, *,
    by: str = "customer", basis: str = "due", currency: str | None = None, among: Select | None = None,
) -> AgingReport:
    """Open invoices split by bucket plus unapplied credit, converted to the base currency.

    limits: the bucket ladder's upper bounds in days (None: the company's setting, else
    "30,60,90,180,365"); among: only these customers (`queries.among_customers`: a portfolio, one customer)."""
    if limits is None:
        limits = aging_buckets(conn, company)  # the company's own ladder, when it has one
    try:
        buckets = parse_buckets(limits, basis)
    except ValueError as error:
        raise InvalidInput(f"buckets: {error}") from None
    starts = bucket_start_dates(as_of, buckets, basis)
    labels = tuple(label for label, _ in starts)
    column = "due_date" if basis == "due" else "issue_date"
    convert = Converter.load(conn, company, as_of, only=currency)
    names = [f"b{index}" for index in range(len(labels))]
    owed = sum_minor(conn, queries.filter_currency(queries.grouped(
        queries.open_invoices(company.id, as_of, among), queries.bucket_sums(column, starts), by), currency),
        convert, len(names))
    credit = sum_minor(conn, queries.filter_currency(queries.grouped(
        queries.unapplied_credit(company.id, as_of, among), [("total", queries.total_open)], by), currency),
        convert, 1)
    # Added up in whole minor units (exact), each amount made a Decimal once, zeros shared.
    decimal = convert.decimal
    nothing = (None, [0] * len(names))
    rows, columns, paid_ahead_total = [], [0] * len(names), 0
    for key in sorted(owed.keys() | credit.keys()):
        name, amounts = owed.pop(key, nothing)  # popped: one copy in memory at a time
        paid_ahead = credit.pop(key, None)
        unapplied = paid_ahead[1][0] if paid_ahead else 0
        columns = list(map(add, columns, amounts))
        paid_ahead_total += unapplied
        rows.append(AgingLine(key, name if name is not None or paid_ahead is None else paid_ahead[0], labels,
                              tuple(map(decimal, amounts)), decimal(sum(amounts)), decimal(unapplied)))
    totals = AgingLine("total", None, labels, tuple(map(decimal, columns)), decimal(sum(columns)),
                       decimal(paid_ahead_total))
    return AgingReport(as_of, convert.currency, by, basis, labels, tuple(rows), totals)
