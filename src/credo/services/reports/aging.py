"""The aging report (账龄分析) as of any date, by customer, group, collector, segment or currency."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from operator import attrgetter, eq, itemgetter
from typing import Callable, Iterable, Sequence

from functools import lru_cache

from sqlalchemy import Connection, Date, Select, String

from credo.domain.aging import bucket_start_dates, parse_buckets
from credo.errors import InvalidInput
from credo.services.collections.dispute_report import disputed_by
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular, fetch, gc_paused, money_text
from credo.services.periods import closed_settings
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
    customer_id: int | None = None,
) -> AgingReport:
    """Open invoices split by bucket plus unapplied credit, converted to the base currency.

    limits: the bucket ladder's upper bounds in days (None: the company's setting, else
    "30,60,90,180,365"); among: only these customers (`queries.among_customers`: a portfolio);
    customer_id: one customer's aging (by customer), from statements built once (the customer page)."""
    if limits is None:  # a closed period's ladder as its close stored it; else the company's own, if any
        stored = closed_settings(conn, company.id, as_of, "aging")
        limits = aging_buckets(conn, company) if stored is None else stored["buckets"]
    try:
        buckets = parse_buckets(limits, basis)
    except ValueError as error:
        raise InvalidInput(f"buckets: {error}") from None
    starts = bucket_start_dates(as_of, buckets, basis)
    labels = tuple(label for label, _ in starts)
    column = "due_date" if basis == "due" else "issue_date"
    convert = Converter.load(conn, company, as_of, only=currency)
    # The garbage collector is paused while up to 200,000 rows and lines are made: its passes over
    # them cost more than making them (`gc_paused`).
    params = None
    if customer_id is not None:  # one customer: a statement built once per shape, run with its values
        query = _one_customer(column, tuple(start is None for _, start in starts), currency)
        bounds = {f"start_{index}": start for index, (_, start) in enumerate(starts) if start is not None}
        params = queries.one_customer(company.id, customer_id, as_of=as_of, **bounds,
                                      **({"currency": currency} if currency else {}))
    else:
        query = _statement(company.id, as_of, among, column, starts, by, currency,
                           queries.any_issued_after(conn, company.id, as_of), convert.currency)
    with gc_paused():
        rows, totals = _lines(fetch(conn, query, params), convert, labels)
    _merge_disputed(rows, totals, disputed_by(conn, company, as_of, by, convert, currency, among, customer_id))
    return AgingReport(as_of, convert.currency, by, basis, labels, tuple(rows), totals)


def _statement(company_id, as_of, among: Select | None, column: str, starts, by: str, currency,
               issued_after: bool = True, report_currency: str | None = None):
    """The unapplied credit and the open invoices by bucket beside it, grouped `by`, in one currency
    or all: key, name, currency, credit, b0..bN. The buckets are summed cumulatively, then taken
    apart (`queries.per_bucket`): one comparison per open item and bucket."""
    sums = queries.bucket_sums(column, starts, cumulative=True)
    sides = queries.receivable_sides(company_id, as_of, among, sums, issued_after=issued_after)
    return queries.per_bucket(queries.side_by_side(sides, by, currency, report_currency), [name for name, _ in sums])


@lru_cache(maxsize=64)
def _one_customer(column: str, open_ended: tuple[bool, ...], currency: str | None):
    """`_statement` of one customer, with named parameters instead of values (company_id, as_of,
    customer_id, currency, start_N): a customer page's aging spent two thirds of its 17 ms building
    the same union of arms and bucket sums again for each customer (docs/performance.md)."""
    starts = [(f"b{index}", None if unbounded else queries.named(f"start_{index}", Date))
              for index, unbounded in enumerate(open_ended)]
    return _statement(queries.named("company_id"), queries.named("as_of", Date), queries.ONE_CUSTOMER, column,
                      starts, "customer", None if currency is None else queries.named("currency", String))


def _merge_disputed(rows: list[AgingLine], totals: AgingLine, disputed: dict[str, int]) -> None:
    """Each line's disputed figure (a key with a dispute has an open invoice, so it has a line)."""
    if not disputed:
        return
    for line in rows:
        line.disputed_minor = disputed.get(line.key, 0)
    totals.disputed_minor = sum(disputed.values())


def _lines(rows: Iterable, convert: Converter, labels: tuple[str, ...]) -> tuple[list[AgingLine], AgingLine]:
    """Each key's line, in key order, and the totals line, from rows (key, name, currency, credit,
    bucket sums...): a key on one row per currency, and in a currency to convert one row per
    customer (`queries.grouped`), whose amounts are converted (rounded HALF_UP) once, the buckets
    as parts of the total (docs/decisions.md); amounts stay in minor units of the report currency."""
    lines: list[AgingLine] = []
    same, decimal, append = convert.currency, convert.decimal, lines.append
    for key, name, currency, credit, *amounts in rows:
        if currency != same:  # one customer's amounts in that currency (its arms added in SQL)
            # The buckets as parts of its total, which then equals its total converted once (DSO's).
            credit, *amounts = convert.row_into(currency, (1, None))([credit, *amounts])
        append(AgingLine(key, name, labels, tuple(amounts), credit, decimal))
    # The rows come as the database grouped them (by customer: mostly in id order, which mostly
    # follows the codes): timsort takes such runs whole. A key's other lines (another currency,
    # another customer of the key in a foreign one) are then its neighbours, found without a dict
    # of every key (20 MB at 10M).
    lines.sort(key=attrgetter("key"))
    key, minor = attrgetter("key"), attrgetter("minor")
    if any(map(eq, map(key, lines), map(key, islice(lines, 1, None)))):
        lines = _one_per_key(lines)
    # Column by column through itemgetter, no list made: 0.04 s for 200,000 lines (zip: 0.08 s).
    columns = tuple(sum(map(itemgetter(index), map(minor, lines))) for index in range(len(labels)))
    return lines, AgingLine("total", None, labels, columns, sum(map(attrgetter("unapplied_minor"), lines)), decimal)


def _one_per_key(lines: list[AgingLine]) -> list[AgingLine]:
    """Lines in key order with a key's neighbouring lines (one per currency, or per customer in a
    foreign currency) added into one."""
    out: list[AgingLine] = []
    for line in lines:
        if out and out[-1].key == line.key:
            last = out[-1]
            out[-1] = AgingLine(last.key, last.name or line.name, last.labels,
                                tuple(map(int.__add__, last.minor, line.minor)),
                                last.unapplied_minor + line.unapplied_minor, last.decimal)
        else:
            out.append(line)
    return out
