"""The aging report (账龄分析) as of any date, by customer, group, collector, segment or currency."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Callable, Sequence

from sqlalchemy import Connection, Select

from credo.domain.aging import bucket_start_dates, parse_buckets
from credo.errors import InvalidInput
from credo.services.collections.dispute_report import disputed_by
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular, gc_paused, money_text, sum_minor
from credo.services.settings import aging_buckets
from credo.store import queries


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs four times as much
class AgingLine:
    """One line of an aging (read-only by convention). It keeps whole minor units of the report
    currency (exact) and makes Decimals when asked: a 10M-invoice ledger has 200,000 lines, and
    eight Decimals each were most of the report's time and memory (docs/performance.md)."""

    key: str
    name: str | None
    labels: tuple[str, ...]  # the report's, shared by every line
    minor: tuple[int, ...]  # one per label, in minor units
    unapplied_minor: int
    decimal: Callable[[int], Decimal] = field(compare=False, repr=False)  # minor units -> Decimal
    disputed_minor: int = 0  # under open disputes: shown apart, the buckets keep the whole open amount

    @property
    def amounts(self) -> tuple[Decimal, ...]:
        return tuple(map(self.decimal, self.minor))

    @property
    def buckets(self) -> dict[str, Decimal]:
        return dict(zip(self.labels, self.amounts))

    @property
    def total(self) -> Decimal:
        return self.decimal(sum(self.minor))

    @property
    def unapplied(self) -> Decimal:
        return self.decimal(self.unapplied_minor)

    @property
    def disputed(self) -> Decimal:
        return self.decimal(self.disputed_minor)

    @property
    def net(self) -> Decimal:
        return self.decimal(sum(self.minor) - self.unapplied_minor)

    @property
    def overdue(self) -> Decimal:
        """Past due: all but the first bucket of an aging by due date (its first is not yet due)."""
        return self.decimal(self.overdue_minor)

    @property
    def overdue_minor(self) -> int:
        return sum(self.minor) - self.minor[0]

    def to_json(self) -> dict:
        return {
            "key": self.key, "name": self.name,
            "buckets": {label: money_text(v) for label, v in self.buckets.items()},
            "total": money_text(self.total), "unapplied": money_text(self.unapplied), "net": money_text(self.net),
            "disputed": money_text(self.disputed),
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
        columns = [self.by, "name", *self.labels, "total", "unapplied", "net", "disputed"]
        rows = [[r.key, r.name or "", *r.amounts, r.total, r.unapplied, r.net, r.disputed] for r in self.rows]
        t = self.totals
        footer = ["total", "", *t.amounts, t.total, t.unapplied, t.net, t.disputed]
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
    # The garbage collector is paused while up to 200,000 rows and lines are made: its passes over
    # them cost more than making them (`gc_paused`).
    with gc_paused():
        owed = sum_minor(conn, queries.filter_currency(queries.grouped(
            queries.open_invoices(company.id, as_of, among), queries.bucket_sums(column, starts), by), currency),
            convert, len(names))
        credit = sum_minor(conn, queries.filter_currency(queries.grouped(
            queries.unapplied_credit(company.id, as_of, among), [("total", queries.total_open)], by), currency),
            convert, 1)
        rows, totals = _lines(owed, credit, labels, convert.decimal)
    _merge_disputed(rows, totals, disputed_by(conn, company, as_of, by, convert, currency, among))
    return AgingReport(as_of, convert.currency, by, basis, labels, tuple(rows), totals)


def _merge_disputed(rows: list[AgingLine], totals: AgingLine, disputed: dict[str, int]) -> None:
    """Each line's disputed figure (a key with a dispute has an open invoice, so it has a line)."""
    if not disputed:
        return
    for line in rows:
        line.disputed_minor = disputed.get(line.key, 0)
    totals.disputed_minor = sum(disputed.values())


def _lines(owed: dict, credit: dict, labels: tuple[str, ...], decimal) -> tuple[list[AgingLine], AgingLine]:
    """Each key's line, in key order, and the totals line; amounts stay in minor units (exact)."""
    rows, nothing = [], (None, (0,) * len(labels))
    for key in sorted(owed.keys() | credit.keys()):
        name, amounts = owed.pop(key, nothing)  # popped: one copy in memory at a time
        paid_ahead = credit.pop(key, None)
        if paid_ahead is None:
            rows.append(AgingLine(key, name, labels, tuple(amounts), 0, decimal))
        else:
            rows.append(AgingLine(key, paid_ahead[0] if name is None else name, labels, tuple(amounts),
                                  paid_ahead[1][0], decimal))
    columns = tuple(map(sum, zip(*(line.minor for line in rows)))) or nothing[1]
    return rows, AgingLine("total", None, labels, columns, sum(line.unapplied_minor for line in rows), decimal)
