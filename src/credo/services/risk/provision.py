"""The bad-debt provision (坏账准备) as of a date: the IFRS 9 provision matrix (loss rates from the
ledger's own roll rates, or a given table) or the 账龄分析法 table, applied to the as-of aging, with
specific provisions and insured shares, per bucket and per customer, in the base currency.

The aging is set-based SQL (`store.queries.open_invoices` + `bucket_sums`, summed per customer and
currency in the database); the roll rates' history is three grouped statements (`roll_steps`).
Python sees one row per customer and currency, and one per group of invoices of the same dates
and currency for the history. Nothing is written: the same date gives the same report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Mapping

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, select, union_all

from credo.domain.money import ZERO, from_minor
from credo.domain.risk.provisioning import (BASES, DEFAULT_AGING_TABLE, BucketProvision, CustomerProvision,
                                            Exposure, Provision, RateTable, derived_matrix, ladder, provide)
from credo.domain.risk.roll_rates import Step, observations, roll_history, roll_rates, step_days
from credo.errors import InvalidInput
from credo.services.access import EVERYONE, Scope
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular, fetch, gc_paused, money_text
from credo.services.risk.provision_settings import (ProvisionSettings, check_method, provision_settings_at,
                                                    specific_in_force)
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
                "collective": money_text(p.collective),
                "specific": None if p.specific is None else money_text(p.specific),
                "adjustment": money_text(p.adjustment), "insured": str(p.insured),
                "insured_relief": money_text(p.relief), "allowance": money_text(p.allowance), "basis": p.basis,
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
    result: Provision  # the buckets (collective: balance x rate) and the totals
    customers: tuple[CustomerLine, ...]  # by allowance, largest first
    by: str = "bucket"  # what table() shows: bucket or customer
    specific_rule: str = "replace"  # replace or higher (the setting)
    observations: tuple[date, ...] | None = None  # the roll rates' observation dates, oldest first
    steps: tuple[Step, ...] | None = None  # the roll-rate matrix: per step, what each bucket held and rolled

    @property
    def buckets(self) -> tuple[BucketProvision, ...]:
        return self.result.buckets

    @property
    def total_balance(self) -> Decimal:
        return self.result.balance

    @property
    def collective_allowance(self) -> Decimal:
        return self.result.collective_allowance

    @property
    def specific_adjustment(self) -> Decimal:
        return self.result.specific_adjustment

    @property
    def insured_relief(self) -> Decimal:
        return self.result.insured_relief

    @property
    def total_allowance(self) -> Decimal:
        """The collective allowance + the specific provisions' adjustments - the insured reliefs
        (= the customers' allowances added up)."""
        return self.result.total_allowance

    def top(self, count: int) -> tuple[CustomerLine, ...]:
        return self.customers[:count]

    def to_json(self) -> dict:
        return {
            "as_of": self.as_of.isoformat(), "method": self.method, "currency": self.currency, "basis": self.basis,
            "source": self.source, "lookback_months": self.lookback_months, "forward_factor": str(self.forward_factor),
            "specific_rule": self.specific_rule,
            "observations": None if self.observations is None else [d.isoformat() for d in self.observations],
            "roll_rates": None if self.roll_rates is None else [str(r) for r in self.roll_rates],
            "roll_matrix": None if self.steps is None else [
                {"from": s.start.isoformat(), "to": s.end.isoformat(), "held": [money_text(x) for x in s.held],
                 "rolled": [money_text(x) for x in s.rolled]} for s in self.steps],
            "buckets": [{"bucket": b.bucket, "low": b.low, "high": b.high, "balance": money_text(b.balance),
                         "rate": str(b.rate), "allowance": money_text(b.allowance)} for b in self.buckets],
            "customers": [c.to_json(self.rates.labels) for c in self.customers],
            "total_balance": money_text(self.total_balance),
            "collective_allowance": money_text(self.collective_allowance),
            "specific_adjustment": money_text(self.specific_adjustment),
            "insured_relief": money_text(self.insured_relief), "total_allowance": money_text(self.total_allowance),
        }

    def table_of(self, by: str) -> Tabular:
        title = f"Provision as of {self.as_of} ({self.method}, {self.currency}, specific rule: {self.specific_rule})"
        if by == "customer":
            rows = [[c.code, c.name, c.provision.basis, c.provision.balance, c.provision.collective,
                     c.provision.specific, c.provision.insured, c.provision.relief, c.provision.allowance]
                    for c in self.customers]
            return Tabular(title, ["customer", "name", "basis", "balance", "collective", "specific", "insured",
                                   "insured relief", "allowance"], rows,
                           ["total", "", "", self.total_balance, self.collective_allowance, "", "",
                            self.insured_relief, self.total_allowance])
        rows = [[b.bucket, b.balance, f"{b.rate * 100:f}%", b.allowance] for b in self.buckets]
        rows += [["collective", self.total_balance, "", self.collective_allowance],
                 [f"specific provisions ({self.specific_rule})", "", "", self.specific_adjustment],
                 ["insured shares", "", "", ZERO - self.insured_relief]]
        return Tabular(title, ["bucket", "balance", "rate", "allowance"], rows,
                       ["total", self.total_balance, "", self.total_allowance])

    def table(self) -> Tabular:
        return self.table_of(self.by)


def provision_report(conn: Connection, company: Company, as_of: date, *, method: str = "matrix",
                     rates: RateTable | None = None, lookback_months: int = 12, forward_factor: Decimal = Decimal(1),
                     insured: Mapping[int, Decimal] | None = None, scope: Scope = EVERYONE,
                     settings: ProvisionSettings | None = None) -> ProvisionReport:
    """The provision as of a date (settings: the company's provision settings as of it). rates: a table to apply (None: the company's settings decide: the
    matrix given there, or one derived from the ledger's roll rates over `lookback_months` on the
    settings' ladder; for the aging table, the settings' table or the default one). The forward
    factor multiplies every rate (capped at 100 %); insured: customer_id -> share covered."""
    check_method(method)
    if not (EARLIEST <= as_of <= LATEST):
        raise InvalidInput(f"as of {as_of}: use a date from {EARLIEST} to {LATEST}")
    if not (0 <= forward_factor <= 10):
        raise InvalidInput(f"the forward factor {forward_factor} is not between 0 and 10")
    settings = settings or provision_settings_at(conn, company, as_of)
    basis, rolls, lookback, observed, steps = BASES[method], None, None, None, None
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
        observed, steps = roll_steps(conn, company, as_of, shape, lookback_months)
        rolls = roll_rates(steps)
        table, source, lookback = derived_matrix(shape, steps, settings.loss_rate), "derived", lookback_months
    table = table.adjusted(forward_factor)
    convert = Converter.load(conn, company, as_of)
    among = queries.among_customers(company.id, scope.customers()) if scope.limited else None
    with gc_paused():
        names, exposures = customer_balances(conn, company, as_of, table, basis, convert, among)
        try:
            result = provide(exposures, table, convert.currency, specific=specific_in_force(conn, company, as_of),
                             insured=insured, method=method, rule=settings.specific_rule)
        except ValueError as error:  # an insured share outside [0, 1]
            raise InvalidInput(f"provision: {error}") from None
        lines = sorted((CustomerLine(*names[p.customer_id], p) for p in result.customers),
                       key=lambda line: (-line.provision.allowance, line.code))
    return ProvisionReport(as_of, convert.currency, method, basis, source, lookback, forward_factor, table, rolls,
                           result, tuple(lines), specific_rule=settings.specific_rule,
                           observations=None if observed is None else tuple(observed),
                           steps=None if steps is None else tuple(steps))


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
    native: dict[tuple[int, str], list[int]] = {}  # the arms added up per customer and currency first
    for customer_id, currency, *amounts in fetch(conn, _per_customer(company, as_of, table, column, among)):
        line = native.get((customer_id, currency))
        if line is None:
            native[customer_id, currency] = [int(a or 0) for a in amounts]
        else:
            line[:] = [a + int(b or 0) for a, b in zip(line, amounts)]
    minor: dict[int, list[int]] = {}
    for (customer_id, currency), amounts in native.items():
        # the buckets converted as the parts of the customer's balance: they add up to the balance
        # converted once, the figure the aging and DSO show (decisions.md, "Report sums")
        converted = convert.row_into(currency, (0, None))(amounts)
        line = minor.get(customer_id)
        if line is None:
            minor[customer_id] = converted
        else:
            line[:] = [a + b for a, b in zip(line, converted)]
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


def roll_steps(conn: Connection, company: Company, as_of: date, table: RateTable,
               months: int) -> tuple[list[date], list[Step]]:
    """The observations (the as-of date and every step of the ladder's width before it, over the
    look-back) and, per step, what each bucket held and what of it rolled (`domain.risk.roll_rates`),
    in the base currency at the step's first day's rates (held and rolled of one step alike), from
    three grouped statements:

        the invoices issued by the as-of date, per (issue date, due date, currency);
        the allocations that are not write-offs, dated by the first observation, per the same;
        those dated after it, by the as-of date, per (date, issue date, due date, currency).

    The allocations carry their invoice's dates and currency (store/tables.py), so no join."""
    highs = [b.high for b in table.bands[1:-1]]
    try:
        step = step_days(highs)
        if table.bands[0].high != 0:
            raise ValueError("the first bucket of a roll-rate ladder is not due (0 days past due and less)")
    except ValueError as error:
        raise InvalidInput(f"limits: {error}") from None
    dates = observations(as_of, step, (as_of - (as_of - relativedelta(months=months))).days)
    first = dates[0]
    i, a = invoices.c, allocations.c
    invoiced: dict = {}
    for issued, due, currency, amount in conn.execute(
            select(i.issue_date, i.due_date, i.currency, queries.money_sum(i.amount))
            .where(i.company_id == company.id, i.issue_date <= dates[-2])
            .group_by(i.issue_date, i.due_date, i.currency)):
        invoiced[(_day(issued), _day(due), currency)] = amount
    cash = (a.company_id == company.id, a.write_off_id.is_(None), a.issue_date <= dates[-2])
    settled = [(first, (_day(issued), _day(due), currency), amount) for issued, due, currency, amount in conn.execute(
        select(a.issue_date, a.due_date, a.currency, queries.money_sum(a.amount))
        .where(*cash, a.alloc_date <= first).group_by(a.issue_date, a.due_date, a.currency))]
    settled += [(_day(day), (_day(issued), _day(due), currency), amount)
                for day, issued, due, currency, amount in conn.execute(
                    select(a.alloc_date, a.issue_date, a.due_date, a.currency, queries.money_sum(a.amount))
                    .where(*cash, a.alloc_date > first, a.alloc_date <= as_of)
                    .group_by(a.alloc_date, a.issue_date, a.due_date, a.currency))]
    per_currency = roll_history(invoiced, settled, dates, highs)
    steps = []
    for j, start in enumerate(dates[:-1]):
        convert = Converter.load(conn, company, start)
        held, rolled = [0] * len(table.bands), [0] * len(table.bands)
        for currency, figures in per_currency.items():
            if not any(figures[j][0]) and not any(figures[j][1]):
                continue  # nothing in that currency yet: no rate needed
            to_base = convert.minor_into(currency)
            held = [h + to_base(x) for h, x in zip(held, figures[j][0])]
            rolled = [r + to_base(x) for r, x in zip(rolled, figures[j][1])]
        steps.append(Step(start, dates[j + 1], tuple(from_minor(x, convert.currency) for x in held),
                          tuple(from_minor(x, convert.currency) for x in rolled)))
    return dates, steps


def _day(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def company_provision(conn: Connection, company: Company, as_of: date, *, method: str | None = None,
                      rates: RateTable | None = None, lookback_months: int | None = None,
                      forward_factor: Decimal | None = None, insured: Mapping[int, Decimal] | None = None,
                      scope: Scope = EVERYONE, by: str = "bucket",
                      settings: ProvisionSettings | None = None) -> ProvisionReport:
    """`provision_report` with what is not given taken from the company's provision settings, and
    the insured shares from its credit insurance (what the command, the API and the page call)."""
    from credo.services.risk.insurance import insured_fractions

    if by not in ("bucket", "customer"):
        raise InvalidInput(f"by {by!r}: use bucket or customer")
    if insured is None:
        insured = insured_fractions(conn, company, as_of)
    settings = settings or provision_settings_at(conn, company, as_of)  # a closed period's: as its close stored
    report = provision_report(
        conn, company, as_of, method=method or settings.method, rates=rates,
        lookback_months=settings.lookback_months if lookback_months is None else lookback_months,
        forward_factor=settings.forward_factor if forward_factor is None else forward_factor,
        insured=insured, scope=scope, settings=settings)
    return replace(report, by=by)

