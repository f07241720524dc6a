"""The bad-debt provision (坏账准备) as of a date: the IFRS 9 provision matrix (loss rates from the
ledger's own roll rates, or a given table) or the 账龄分析法 table, applied to the as-of aging, with
specific provisions and insured shares, per bucket and per customer, in the base currency.

The aging is set-based SQL (`store.queries.open_invoices` + `bucket_sums`, summed per customer and
currency in the database); so is each month-end snapshot the roll rates are derived from (one
query per month end, summed per currency). Python sees one row per customer and currency. Nothing
is written: the same date gives the same report.
"""

from __future__ import annotations

from bisect import bisect_left
from calendar import monthrange
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Mapping

from sqlalchemy import ColumnElement, Connection, func, select, union_all

from credo.domain.money import ZERO, from_minor
from credo.domain.risk.provisioning import (BASES, DEFAULT_AGING_TABLE, BucketProvision, CustomerProvision,
                                            Exposure, RateTable, derived_matrix, ladder, provide, roll_rates)
from credo.errors import InvalidInput
from credo.services.access import EVERYONE, Scope
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular, fetch, gc_paused, money_text
from credo.services.risk.provision_settings import check_method, provision_settings_of, specific_in_force
from credo.store import queries
from credo.store.tables import allocations, customers, invoices

EARLIEST, LATEST = date(1900, 1, 1), date(9000, 12, 31)  # room for the look-back and the aging table's years


@dataclass(frozen=True)
class CustomerLine:
    code: str
    name: str
    provision: CustomerProvision

    def to_json(self, labels: tuple[str, ...]) -> dict:
        p = self.provision
        return {"customer": self.code, "name": self.name, "balance": money_text(p.balance),
                "allowance": money_text(p.allowance), "basis": p.basis, "insured": str(p.insured),
                "buckets": [{"bucket": label, "balance": money_text(b), "rate": str(r), "allowance": money_text(a)}
                            for label, b, r, a in zip(labels, p.balances, p.rates, p.allowances)]}


@dataclass(frozen=True)
class ProvisionReport:
    as_of: date
    currency: str
    method: str
    basis: str  # due (days past due) or invoice (days since the invoice date)
    source: str  # derived (roll rates), given (a rate table passed in), settings, default
    lookback_months: int | None
    forward_factor: Decimal
    rates: RateTable  # as applied (after the forward-looking factor)
    roll_rates: tuple[Decimal, ...] | None
    buckets: tuple[BucketProvision, ...]
    customers: tuple[CustomerLine, ...]  # by allowance, largest first
    by: str = "bucket"  # what table() shows: bucket or customer

    @property
    def total_balance(self) -> Decimal:
        return sum((b.balance for b in self.buckets), ZERO)

    @property
    def total_allowance(self) -> Decimal:
        return sum((b.allowance for b in self.buckets), ZERO)

    def top(self, count: int) -> tuple[CustomerLine, ...]:
        return self.customers[:count]

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(), "method": self.method, "currency": self.currency, "basis": self.basis,
            "source": self.source, "lookback_months": self.lookback_months, "forward_factor": str(self.forward_factor),
            "roll_rates": None if self.roll_rates is None else [str(r) for r in self.roll_rates],
            "buckets": [{"bucket": b.bucket, "low": b.low, "high": b.high, "balance": money_text(b.balance),
                         "rate": str(b.rate), "allowance": money_text(b.allowance)} for b in self.buckets],
            "customers": [c.to_json(self.rates.labels) for c in self.customers],
            "total_balance": money_text(self.total_balance), "total_allowance": money_text(self.total_allowance),
        }

    def table_of(self, by: str) -> Tabular:
        title = f"Provision as of {self.as_of} ({self.method}, {self.currency})"
        if by == "customer":
            rows = [[c.code, c.name, c.provision.basis, c.provision.insured, c.provision.balance, c.provision.allowance]
                    for c in self.customers]
            return Tabular(title, ["customer", "name", "basis", "insured", "balance", "allowance"], rows,
                           ["total", "", "", "", self.total_balance, self.total_allowance])
        rows = [[b.bucket, b.balance, f"{b.rate * 100:f}%", b.allowance] for b in self.buckets]
        return Tabular(title, ["bucket", "balance", "rate", "allowance"], rows,
                       ["total", self.total_balance, "", self.total_allowance])

    def table(self) -> Tabular:
        return self.table_of(self.by)


def provision_report(conn: Connection, company: Company, as_of: date, *, method: str = "matrix",
                     rates: RateTable | None = None, lookback_months: int = 12, forward_factor: Decimal = Decimal(1),
                     insured: Mapping[int, Decimal] | None = None, scope: Scope = EVERYONE) -> ProvisionReport:
    """The provision as of a date. rates: a table to apply (None: the company's settings decide: the
    matrix given there, or one derived from the ledger's roll rates over `lookback_months` on the
    settings' ladder; for the aging table, the settings' table or the default one). The forward
    factor multiplies every rate (capped at 100 %); insured: customer_id -> share covered."""
    check_method(method)
    if not (EARLIEST <= as_of <= LATEST):
        raise InvalidInput(f"as of {as_of}: use a date from {EARLIEST} to {LATEST}")
    if not (0 <= forward_factor <= 10):
        raise InvalidInput(f"the forward factor {forward_factor} is not between 0 and 10")
    settings = provision_settings_of(conn, company)
    basis, rolls, lookback = BASES[method], None, None
    if rates is not None:
        table, source = rates, "given"
    elif method == "aging-table":
        table, source = settings.aging_rates, "default" if settings.aging_rates == DEFAULT_AGING_TABLE else "settings"
    elif settings.matrix_rates is not None:
        table, source = settings.matrix_rates, "settings"
    else:
        if not 1 <= lookback_months <= 120:
            raise InvalidInput("the look-back is 1 to 120 months")
        shape = ladder(settings.limits)
        history = month_end_history(conn, company, as_of, shape, lookback_months)
        rolls = roll_rates(history)
        table, source, lookback = derived_matrix(shape, history, settings.loss_rate), "derived", lookback_months
    table = table.adjusted(forward_factor)
    convert = Converter.load(conn, company, as_of)
    among = queries.among_customers(company.id, scope.customers()) if scope.limited else None
    with gc_paused():
        names, exposures = customer_balances(conn, company, as_of, table, basis, convert, among)
        try:
            result = provide(exposures, table, convert.currency, specific=specific_in_force(conn, company, as_of),
                             insured=insured, method=method)
        except ValueError as error:  # an insured share outside [0, 1]
            raise InvalidInput(f"provision: {error}") from None
        lines = sorted((CustomerLine(*names[p.customer_id], p) for p in result.customers),
                       key=lambda line: (-line.provision.allowance, line.code))
    return ProvisionReport(as_of, convert.currency, method, basis, source, lookback, forward_factor, table, rolls,
                           result.buckets, tuple(lines))


def _per_customer(company: Company, as_of: date, table: RateTable, column: str, among):
    """customer_id, currency, b0..bn: each arm of the open invoices summed per customer and currency."""
    sums = queries.bucket_sums(column, table.start_dates(as_of))
    parts = []
    for arm in queries.open_invoices(company.id, as_of, among):
        sub = arm.subquery()
        parts.append(select(sub.c.customer_id, sub.c.currency, *[expr(sub).label(name) for name, expr in sums])
                     .group_by(sub.c.customer_id, sub.c.currency))
    return union_all(*parts)


def customer_balances(conn: Connection, company: Company, as_of: date, table: RateTable, basis: str,
                      convert: Converter, among=None) -> tuple[dict[int, tuple[str, str]], list[Exposure]]:
    """Each customer's open balance per band of the table in the base currency (each customer and
    currency converted and rounded once), and the customers' codes and names."""
    column = "due_date" if basis == "due" else "issue_date"
    minor: dict[int, list[int]] = {}
    for customer_id, currency, *amounts in fetch(conn, _per_customer(company, as_of, table, column, among)):
        if currency != convert.currency:
            amounts = list(map(convert.minor_into(currency), amounts))
        line = minor.get(customer_id)
        if line is None:
            minor[customer_id] = list(amounts)
        else:
            line[:] = [a + b for a, b in zip(line, amounts)]
    names: dict[int, tuple[str, str]] = {}
    if minor:
        c = customers.c
        for row in conn.execute(select(c.id, c.code, c.name).where(c.company_id == company.id)):
            if row.id in minor:
                names[row.id] = (row.code, row.name)
    cur = convert.currency
    exposures = [Exposure(customer_id, tuple(from_minor(m, cur) for m in amounts))
                 for customer_id, amounts in minor.items() if any(amounts)]
    return names, exposures


def month_ends(as_of: date, months: int) -> list[date]:
    """The last month end on or before as_of and the `months` before it, oldest first."""
    month_end = as_of.replace(day=monthrange(as_of.year, as_of.month)[1])
    last = as_of if as_of == month_end else as_of.replace(day=1) - timedelta(days=1)
    ends = [last]
    for _ in range(months):
        ends.append(ends[-1].replace(day=1) - timedelta(days=1))
    return ends[::-1]


def month_end_history(conn: Connection, company: Company, as_of: date, table: RateTable,
                      months: int) -> list[tuple[Decimal, ...]]:
    """The company's open invoices per band of the table (days past due) as of each month end of
    the look-back, in the base currency at each month end's rates, from two grouped passes:

        open at month end m = sum of invoices issued by m - sum of their allocations dated by m

    The invoices are summed per (issue month, due date, currency) and the allocations per (month,
    due date of their invoice, currency) in SQL (a few thousand rows each, whatever the ledger's
    size); each month end then takes the rows of months up to its own and buckets them by due date.
    An allocation is dated on or after its invoice, so one dated by m is on an invoice issued by m."""
    ends = month_ends(as_of, months)
    last = ends[-1]
    i, a = invoices.c, allocations.c
    issued_month, settled_month = _month(conn, i.issue_date), _month(conn, a.alloc_date)
    issued = (select(issued_month, i.due_date, i.currency, queries.money_sum(i.amount))
              .where(i.company_id == company.id, i.issue_date <= last)
              .group_by(issued_month, i.due_date, i.currency))
    settled = (select(settled_month, i.due_date, i.currency, queries.money_sum(a.amount))
               .select_from(allocations.join(invoices, invoices.c.id == a.invoice_id))
               .where(a.company_id == company.id, a.alloc_date <= last)
               .group_by(settled_month, i.due_date, i.currency))
    rows = [(month, due, currency, amount) for month, due, currency, amount in conn.execute(issued)]
    rows += [(month, due, currency, -amount) for month, due, currency, amount in conn.execute(settled)]
    highs = [b.high for b in table.bands[:-1]]
    history = []
    for end in ends:
        key, convert = f"{end.year:04d}-{end.month:02d}", Converter.load(conn, company, end)
        sums: dict[tuple[str, int], int] = {}
        for month, due, currency, amount in rows:
            if month <= key:
                where = (currency, bisect_left(highs, (end - _day(due)).days))
                sums[where] = sums.get(where, 0) + amount
        totals = [0] * len(table.bands)
        for (currency, index), amount in sums.items():
            totals[index] += convert.minor_into(currency)(amount)
        history.append(tuple(from_minor(t, convert.currency) for t in totals))
    return history


def _month(conn: Connection, column) -> ColumnElement:
    """YYYY-MM of a date column, in the database (SQLite keeps dates as ISO text)."""
    if conn.dialect.name == "sqlite":
        return func.substr(column, 1, 7)
    return func.to_char(column, "YYYY-MM")


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def month_end_history_as_of(conn: Connection, company: Company, as_of: date, table: RateTable,
                            months: int) -> list[tuple[Decimal, ...]]:
    """The same history from the aging as of each month end (one `open_invoices` aggregate per
    month end): the first way, kept as the oracle of `month_end_history` and for the benchmark
    (154 s at 2.6M invoices on SQLite, docs/performance.md)."""
    history = []
    for end in month_ends(as_of, months):
        convert = Converter.load(conn, company, end)
        sums = queries.bucket_sums("due_date", table.start_dates(end))
        parts = []
        for arm in queries.open_invoices(company.id, end):
            sub = arm.subquery()
            parts.append(select(sub.c.currency, *[expr(sub).label(name) for name, expr in sums])
                         .group_by(sub.c.currency))
        totals = [0] * len(table.bands)
        for currency, *amounts in conn.execute(union_all(*parts)):
            to_minor = convert.minor_into(currency)
            totals = [t + to_minor(a) for t, a in zip(totals, amounts)]
        history.append(tuple(from_minor(t, convert.currency) for t in totals))
    return history


def company_provision(conn: Connection, company: Company, as_of: date, *, method: str | None = None,
                      rates: RateTable | None = None, lookback_months: int | None = None,
                      forward_factor: Decimal | None = None, insured: Mapping[int, Decimal] | None = None,
                      scope: Scope = EVERYONE, by: str = "bucket") -> ProvisionReport:
    """`provision_report` with what is not given taken from the company's provision settings, and
    the insured shares from its credit insurance (what the command, the API and the page call)."""
    from credo.services.risk.insurance import insured_fractions

    if by not in ("bucket", "customer"):
        raise InvalidInput(f"by {by!r}: use bucket or customer")
    if insured is None:
        insured = insured_fractions(conn, company, as_of)
    settings = provision_settings_of(conn, company)
    report = provision_report(
        conn, company, as_of, method=method or settings.method, rates=rates,
        lookback_months=settings.lookback_months if lookback_months is None else lookback_months,
        forward_factor=settings.forward_factor if forward_factor is None else forward_factor,
        insured=insured, scope=scope)
    return replace(report, by=by)

