"""Exposure (信用敞口) as of a date, in the base currency: the receivables the aging shows (open
invoices less unapplied cash and credit notes) plus the open orders not yet invoiced. A group's
exposure is the sum over its customers. Set-based SQL, the report queries' own (store/queries.py).

An order counts at the amount it had on the as-of date if it was open and not invoiced on that
day, from its history (services/credit/order_history.py), not from today's status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sqlalchemy import Connection, Date, Select, func, null, select, union_all

from credo.services.browse import holdings
from credo.services.companies import Company
from credo.services.credit.order_history import states_as_of
from credo.services.reports.common import Converter, money_text, sum_minor
from credo.store import queries
from credo.store.tables import customers
from credo.store.limit_tables import order_events, orders


@dataclass(frozen=True)
class Exposure:
    currency: str
    receivables: Decimal  # open invoices less unapplied cash and credits
    open_orders: Decimal  # open orders not yet invoiced

    @property
    def total(self) -> Decimal:
        return self.receivables + self.open_orders

    def to_json(self) -> dict:
        return {"currency": self.currency, "receivables": money_text(self.receivables),
                "open_orders": money_text(self.open_orders), "total": money_text(self.total)}


def exposure(conn: Connection, company: Company, as_of: date, among: Select, *,
             excluding_order: str | None = None, convert: Converter | None = None,
             receivables: Decimal | None = None, customer_id: int | None = None) -> Exposure:
    """The exposure of the customers `among` selects (one customer, or a group's), added up;
    `receivables` when they are known already (one customer's aging says them); `customer_id`
    when `among` is that one customer (its open orders then come from a statement built once)."""
    convert = convert or Converter.load(conn, company, as_of)
    if receivables is None:
        receivables = convert.decimal(sum(owed - credit for owed, credit in receivable_minor(
            conn, company, as_of, among, convert).values()))
    if customer_id is not None and excluding_order is None:
        # An order is open for a customer its events name (it may move): none ever, none open.
        ordered = 0 if not holdings.has(conn, company.id, customer_id, order_events) else \
            _total(conn, _one_customers_orders(), convert, _values(company, as_of, customer_id))
    else:
        ordered = _total(conn, open_orders(company.id, as_of, among, excluding_order), convert)
    return Exposure(convert.currency, receivables, convert.decimal(ordered))


def _values(company: Company, as_of: date, customer_id: int) -> dict:
    return queries.one_customer(company.id, customer_id, as_of=as_of)


@lru_cache(maxsize=1)
def _one_customers_orders() -> Select:
    """`open_orders` of one customer, with named parameters (company_id, as_of, customer_id)."""
    return open_orders(queries.named("company_id"), queries.named("as_of", Date), queries.ONE_CUSTOMER)


@lru_cache(maxsize=1)
def _one_customers_oldest() -> Select:
    """`_oldest` of one customer, with named parameters (company_id, as_of, customer_id)."""
    return _oldest(queries.named("company_id"), queries.named("as_of", Date), queries.ONE_CUSTOMER)


def open_orders(company_id: int, as_of: date, among: Select, excluding: str | None = None) -> Select:
    """key, name, currency, total: the orders open and not invoiced on the day, per customer and currency."""
    state = states_as_of(company_id, as_of, among)
    query = (select(customers.c.code.label("key"), null().label("name"), state.c.currency,
                    queries.money_sum(state.c.amount).label("total"))
             .select_from(state.join(customers, customers.c.id == state.c.customer_id))
             .where(state.c.status == "open", state.c.invoice_number.is_(None), state.c.customer_id.in_(among))
             .group_by(customers.c.code, state.c.currency))
    if excluding is None:
        return query
    return query.where(state.c.order_id.not_in(
        select(orders.c.id).where(orders.c.company_id == company_id, orders.c.number == excluding)))


def receivable_minor(conn: Connection, company: Company, as_of: date, among: Select,
                     convert: Converter) -> dict[str, tuple[int, int]]:
    """customer code -> (open invoices, unapplied cash and credit notes) as of the date, in minor
    units of the report currency, each converted once per customer and currency (the aging's
    rounding), from one statement; for the customers `among` selects."""
    sides = queries.receivable_sides(company.id, as_of, among, [("owed", queries.total_open)])
    return {key: (owed, credit) for key, (_, (credit, owed)) in
            sum_minor(conn, queries.side_by_side(sides, "customer"), convert, 2).items()}


def _total(conn: Connection, query, convert: Converter, params: dict | None = None) -> int:
    return sum(amounts[0] for _, amounts in sum_minor(conn, query, convert, 1, params).values())


def oldest_days_past_due(conn: Connection, company: Company, as_of: date, among: Select,
                         customer_id: int | None = None) -> int:
    """Days past due of the oldest invoice still open as of the date (0 when none is past due);
    `customer_id` when `among` is that one customer (a statement built once)."""
    if customer_id is None:
        oldest = conn.execute(_oldest(company.id, as_of, among)).scalar()
    else:
        oldest = conn.execute(_one_customers_oldest(), _values(company, as_of, customer_id)).scalar()
    if oldest is None:
        return 0
    if isinstance(oldest, str):  # SQLite gives a bare aggregate of dates back as text
        oldest = date.fromisoformat(oldest)
    return max((as_of - oldest).days, 0)


def _oldest(company_id, as_of, among: Select) -> Select:
    """The earliest due date with money still open on it as of the date."""
    arms = union_all(*queries.open_invoices(company_id, as_of, among)).subquery()
    per_due = (select(arms.c.due_date).group_by(arms.c.due_date)
               .having(func.sum(arms.c.open_amount) > 0).subquery())
    return select(func.min(per_due.c.due_date))
