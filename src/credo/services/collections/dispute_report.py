"""The disputes report as of a date (the root causes view): the disputes open on it by reason, by
how long they have been open and by owner, with counts and amounts in the base currency; and the
disputed amount per aging line (shown apart in the aging, the buckets keep the whole open amount)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import ColumnElement, Connection, Date, Select, String, or_, select

from credo.domain.money import ZERO
from credo.services.access import Scope
from credo.services.browse import holdings
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular, money_text, sum_minor
from credo.store import queries
from credo.store.collections_tables import disputes
from credo.store.tables import customers

AGE_BANDS = (("0-30", 30), ("31-60", 60), ("61-90", 90), (">90", None))


def open_on(as_of: date) -> ColumnElement[bool]:
    """A dispute open on the date: opened by then and not yet resolved."""
    d = disputes.c
    return (d.opened_on <= as_of) & or_(d.resolved_on.is_(None), d.resolved_on > as_of)


def age_band(days_open: int) -> str:
    return next(label for label, upper in AGE_BANDS if upper is None or days_open <= upper)


@dataclass(frozen=True)
class DisputesReport:
    as_of: date
    currency: str
    count: int
    amount: Decimal
    by_reason: dict[str, tuple[int, Decimal]]
    by_age: dict[str, tuple[int, Decimal]]
    by_owner: dict[str, tuple[int, Decimal]]

    def to_json(self) -> dict:
        def groups(values: dict[str, tuple[int, Decimal]]) -> list[dict]:
            return [{"key": key, "count": count, "amount": money_text(amount)} for key, (count, amount) in values.items()]
        return {"as_of": self.as_of.isoformat(), "currency": self.currency, "count": self.count,
                "amount": money_text(self.amount), "by_reason": groups(self.by_reason),
                "by_age": groups(self.by_age), "by_owner": groups(self.by_owner)}

    def table(self) -> Tabular:
        rows = [[view, key, count, amount] for view, values in
                (("reason", self.by_reason), ("age", self.by_age), ("owner", self.by_owner))
                for key, (count, amount) in values.items()]
        return Tabular(f"Open disputes as of {self.as_of} ({self.currency}): {self.count}",
                       ["view", "key", "count", "amount"], rows, ["total", "", self.count, self.amount])


def disputes_report(conn: Connection, company: Company, scope: Scope, as_of: date) -> DisputesReport:
    """The disputes open on the date, each converted to the base currency at the date's rate."""
    d = disputes.c
    convert = Converter.load(conn, company, as_of)
    rows = conn.execute(select(d.reason, d.owner, d.opened_on, d.amount, d.currency)
                        .select_from(disputes.join(customers, customers.c.id == d.customer_id))
                        .where(d.company_id == company.id, open_on(as_of), scope.customers())).all()
    views: dict[str, dict[str, list]] = {"reason": defaultdict(lambda: [0, ZERO]), "age": {
        label: [0, ZERO] for label, _ in AGE_BANDS}, "owner": defaultdict(lambda: [0, ZERO])}
    total = convert.decimal(0)
    for reason, owner, opened_on, amount, currency in rows:
        base = convert(amount, currency)
        total += base
        for view, key in (("reason", reason), ("age", age_band((as_of - opened_on).days)), ("owner", owner)):
            views[view][key][0] += 1
            views[view][key][1] += base

    def settled(view: str, order=sorted) -> dict[str, tuple[int, Decimal]]:
        return {key: (views[view][key][0], views[view][key][1]) for key in order(views[view])}
    return DisputesReport(as_of, convert.currency, len(rows), total, settled("reason"),
                          settled("age", list), settled("owner"))


def disputed_by(conn: Connection, company: Company, as_of: date, by: str, convert: Converter,
                currency: str | None = None, among: Select | None = None,
                customer_id: int | None = None) -> dict[str, int]:
    """The aging's extra figure: key -> minor units of the report currency under disputes open on
    the date (one small query over the open disputes, grouped as the aging is); `customer_id`: one
    customer's, by customer, from a statement built once."""
    if customer_id is None:
        query, params = _disputed(company.id, as_of, among, by, currency, convert.currency), None
    elif not holdings.has(conn, company.id, customer_id, disputes):
        return {}  # the customer page's probe found none (services/browse/holdings.py)
    else:
        query = _one_customers_disputed(currency is not None)
        params = queries.one_customer(company.id, customer_id, as_of=as_of,
                                      **({"currency": currency} if currency else {}))
    return {key: amounts[0] for key, (_, amounts) in sum_minor(conn, query, convert, 1, params).items()}


def _disputed(company_id, as_of, among: Select | None, by: str, currency, report_currency: str | None = None) -> Select:
    d = disputes.c
    inner = select(d.customer_id, d.currency, d.amount.label("open_amount")).where(
        d.company_id == company_id, open_on(as_of))
    if among is not None:
        inner = inner.where(d.customer_id.in_(among))
    return queries.filter_currency(queries.grouped(inner, [("total", queries.total_open)], by, report_currency),
                                   currency)


@lru_cache(maxsize=2)
def _one_customers_disputed(one_currency: bool) -> Select:
    """`_disputed` of one customer by customer, with named parameters (company_id, as_of,
    customer_id, and currency when the aging is in one currency)."""
    return _disputed(queries.named("company_id"), queries.named("as_of", Date), queries.ONE_CUSTOMER, "customer",
                     queries.named("currency", String) if one_currency else None)
