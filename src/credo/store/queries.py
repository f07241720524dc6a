"""Set-based report queries. Each returns a few grouped rows; the ledger is never walked in Python.

Everything is "as of" a date: invoices, credit notes and payments dated on or before it, and
allocations dated on or before it (an allocation's date is the later of its two documents' dates,
or the day of a reversal). Open balances start from today's running totals (paid_amount,
applied_amount, read through partial indexes of open items) and add back what was settled after
the date, so a report of today reads no allocation at all.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Sequence

from sqlalchemy import (BigInteger, Column, Connection, Integer, and_, bindparam, case, cast, func, literal, null, or_,
                        select, union_all)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.visitors import replacement_traverse
from sqlalchemy.sql.functions import FunctionElement

from credo.store.tables import (INVOICE_COPIES, allocations, credit_notes, customer_groups, customers, fx_rates,
                                invoices, payments)

BY_KEYS = ("customer", "group", "collector", "segment", "currency")


def unordered(column: ColumnElement) -> ColumnElement:
    """The column as an expression, which no index can supply in order."""
    return column + 0


class unordered_on_sqlite(FunctionElement):
    """`unordered` on SQLite, the plain column elsewhere: PostgreSQL guesses that `x + 0 = 1` keeps
    0.5 % of the rows and, at 1M invoices, looked allocations up once per invoice (0.93 s for
    the aging as of a past date) where a hash join takes 0.7 s."""

    inherit_cache = True
    name = "unordered_on_sqlite"

    def __init__(self, column: ColumnElement):
        super().__init__(column)
        self.type = column.type


@compiles(unordered_on_sqlite)
def _plain_column(element, compiler, **kw) -> str:
    return compiler.process(element.clauses.clauses[0], **kw)


@compiles(unordered_on_sqlite, "sqlite")
def _column_plus_zero(element, compiler, **kw) -> str:
    return f"({compiler.process(element.clauses.clauses[0], **kw)} + 0)"


def among_customers(company_id: int, condition: ColumnElement[bool]) -> Select:
    """The ids of a company's customers that meet a condition (a portfolio, one customer): what
    `among` takes to limit a report to them."""
    return select(customers.c.id).where(customers.c.company_id == company_id, condition)


def named(name: str, type_=Integer):
    """A named parameter, for a statement built once and run with values (`one customer` below)."""
    return bindparam(name, type_=type_)


# One customer of one company, as named parameters: `among` of the statements a customer page builds
# once and runs with {"company_id": ..., "customer_id": ...} (SQLAlchemy took two thirds of a
# one-customer report's time building the same statement again for each customer).
ONE_CUSTOMER = among_customers(named("company_id"), customers.c.id == named("customer_id"))


def one_customer(company_id: int, customer_id: int, **values) -> dict:
    """The values of ONE_CUSTOMER's parameters and of the statement's other named ones."""
    return {"company_id": company_id, "customer_id": customer_id, **values}


def _open_as_of(table, settled: str, link: str, company_id: int, as_of: date, columns, where,
                among: Select | None = None) -> Arms:
    """Rows whose open_amount values add up, per document, to the money open on it as of a date.

    Open as of a date = (amount - settled today) + what was settled after that date (allocations
    dated after it, reversal entries included). The first part reads only the documents open today
    (a partial index holds them); the second only the allocations dated after the date (a covering
    index range), so the work grows with the activity since the date, not with the ledger. Reports
    sum these rows by customer, currency and bucket, which depend on the document alone.
    """
    t, a = table.c, allocations.c
    base = [t.company_id == company_id, *where]
    if among is not None:
        base.append(t.customer_id.in_(among))
    open_today = select(*columns, (t.amount - t[settled]).label("open_amount")).where(*base, t.amount > t[settled])
    # This arm must start from the short range of allocations after the date and look documents up
    # by id. customer_id + 0 keeps SQLite from walking the table in customer order to group
    # (DESIGN.md 6); for invoices, company_id + 0 keeps SQLite from walking (company_id, issue_date)
    # over every invoice dated by then, as it chose at 10M (6 s instead of milliseconds). Only on
    # SQLite: PostgreSQL misjudges a filter on company_id + 0 (it scanned every payment, and looked
    # allocations up invoice by invoice), and payments and credit notes have no such index.
    carried = _carried(table, (*columns, *where))
    if carried is not None:  # the invoice's columns the allocations carry copies of: one index range
        customer, *rest = carried[:len(columns)]
        mine = [a.customer_id.in_(among)] if among is not None else []
        settled_since = (select(unordered(customer).label("customer_id"), *rest, a.amount.label("open_amount"))
                         .where(a.company_id == company_id, a.alloc_date > as_of, *carried[len(columns):], *mine))
        return open_today, settled_since
    customer, *rest = columns
    if table is invoices:  # the invoice's number, say: join the allocations dated after the date
        settled_since = (
            select(unordered(customer).label("customer_id"), *rest, a.amount.label("open_amount"))
            .select_from(allocations.join(table, t.id == a[link]))
            .where(a.company_id == company_id, a.alloc_date > as_of, unordered_on_sqlite(t.company_id) == company_id,
                   *base[1:])
        )
        return open_today, settled_since
    # Money applied after the date but dated by it was applied after its own date: the late index,
    # read first. PostgreSQL cannot estimate `alloc_date > source_date` (it guesses a third of the
    # rows, where there are almost none) and walked every allocation of a credit note in id order to
    # merge-join them (0.25 s at 1M for no row): MATERIALIZED makes it read the late index alone.
    late = (select(a[link].label("document_id"), a.amount)
            .where(a.company_id == company_id, a.alloc_date > as_of, a.alloc_date > a.source_date)
            .cte().prefix_with("MATERIALIZED", dialect="postgresql"))
    settled_since = (
        select(unordered(customer).label("customer_id"), *rest, late.c.amount.label("open_amount"))
        .select_from(late.join(table, t.id == late.c.document_id))
        .where(*base)
    )
    return open_today, settled_since


# An invoice's columns and the allocation columns that carry them (store/tables.py).
_CARRIED = {"id": "invoice_id", "company_id": "company_id", **{name: name for name in INVOICE_COPIES}}


def _carried(table, expressions) -> list | None:
    """The expressions over the invoice's columns rewritten over its allocations' copies, or None
    when one needs a column they do not carry (the invoice's number, say) or the table is not invoices."""
    if table is not invoices:
        return None
    missing = []

    def swap(element):
        if isinstance(element, Column) and element.table is invoices:
            name = _CARRIED.get(element.name)
            if name is None:
                missing.append(element.name)
                return None
            return allocations.c[name]
        return None

    out = [replacement_traverse(expression, {}, swap) for expression in expressions]
    return None if missing else out


def open_invoices(company_id: int, as_of: date, among: Select | None = None, where=(), *,
                  issued_after: bool = True) -> Arms:
    """customer_id, issue_date, due_date, currency, open_amount: sums to the open invoices as of a date.

    where: more conditions on the invoices' columns (not added to the arms afterwards: the
    allocations' arm reads their copies, not the invoices). issued_after: False when no invoice
    of the company is dated after as_of (`any_issued_after`): the issue date's condition, true for
    every row then, is left out (a comparison per open item: 5 % of SQLite's aging at 1M)."""
    i = invoices.c
    dated = (i.issue_date <= as_of,) if issued_after else ()
    return _open_as_of(invoices, "paid_amount", "invoice_id", company_id, as_of,
                       (i.customer_id, i.issue_date, i.due_date, i.currency), (*dated, *where), among)


def any_issued_after(conn: Connection, company_id: int, as_of: date) -> bool:
    """Whether the company has an invoice dated after as_of (one probe of ix_invoices_company_issue)."""
    i = invoices.c
    return conn.execute(select(i.id).where(i.company_id == company_id, i.issue_date > as_of).limit(1)).first() is not None


def open_invoice_items(company_id: int, as_of: date, among: Select | None = None) -> Select:
    """customer_id, invoice_id, number, issue_date, due_date, currency, open_amount: one row per invoice
    open as of a date (the arms of `open_invoices`, summed per invoice), by customer and due date."""
    i = invoices.c
    arms = _open_as_of(invoices, "paid_amount", "invoice_id", company_id, as_of,
                       (i.customer_id, i.id.label("invoice_id"), i.number, i.issue_date, i.due_date, i.currency),
                       (i.issue_date <= as_of,), among)
    rows = union_all(*arms).subquery()
    keys = [rows.c.customer_id, rows.c.invoice_id, rows.c.number, rows.c.issue_date, rows.c.due_date, rows.c.currency]
    return (select(*keys, money_sum(rows.c.open_amount).label("open_amount")).group_by(*keys)
            .having(func.sum(rows.c.open_amount) > 0).order_by(rows.c.customer_id, rows.c.due_date, rows.c.number))


def unapplied_credit(company_id: int, as_of: date, among: Select | None = None) -> Arms:
    """customer_id, currency, open_amount of payments and credit notes not applied as of a date
    (a payment reversed by then counts no more)."""
    p, n = payments.c, credit_notes.c
    paid = _open_as_of(payments, "applied_amount", "payment_id", company_id, as_of, (p.customer_id, p.currency),
                       (p.payment_date <= as_of, or_(p.reversed_on.is_(None), p.reversed_on > as_of)), among)
    credited = _open_as_of(credit_notes, "applied_amount", "credit_note_id", company_id, as_of,
                           (n.customer_id, n.currency), (n.issue_date <= as_of,), among)
    return (*paid, *credited)


def _key_columns(by: str, customer_id: ColumnElement, currency: ColumnElement):
    """(key, name) expressions and the joins they need, for the grouping a report asks for."""
    c, g = customers.c, customer_groups.c
    if by == "customer":
        return c.code, c.name
    if by == "group":
        return func.coalesce(g.code, c.code), func.coalesce(g.name, c.name)
    if by == "collector":
        return func.coalesce(c.collector, literal("(unassigned)")), null()
    if by == "segment":
        return func.coalesce(c.segment, literal("(none)")), null()
    if by == "currency":
        return currency, null()
    raise ValueError(f"unknown grouping {by!r}: use one of {', '.join(BY_KEYS)}")


Arms = tuple  # of Selects whose rows together make one relation (a UNION ALL, aggregated arm by arm)


def grouped(inner: Select | Arms, sums: Sequence[tuple[str, ColumnElement]], by: str,
            report_currency: str | None = None) -> Select:
    """Aggregate per customer and currency first (each arm of a union on its own, so SQLite can
    stream the big arm in index order, then the arms added up), then roll up to the requested key.
    Rows come in no particular order, and a key may come on several rows (one per currency, and
    one per customer in a currency to convert): callers add them up (`sum_by`).

    report_currency: the currency the rows are converted into; rows in any other stay one per
    customer when rolled up, so each customer's amount is rounded once, as in the report by
    customer, and a report by collector adds up to the same total to the cent. None: every
    currency rolls up (for figures that are not converted)."""
    return side_by_side([(inner, sums)], by, report_currency=report_currency)


def side_by_side(sides: Sequence[tuple[Select | Arms, Sequence[tuple[str, ColumnElement]]]], by: str,
                 currency: ColumnElement | str | None = None, report_currency: str | None = None) -> Select:
    """`grouped` of several relations at once: their sums on one row per key and currency, a sum of
    the other sides being 0 on a side's rows. The aging's buckets and unapplied credit come so in
    one statement (one join of the customers and one round trip, where two statements each joined
    and sent 200,000 customers at 10M: docs/performance.md). currency: only the rows in that one;
    report_currency: as `grouped` takes it."""
    names = [name for _, sums in sides for name, _ in sums]
    first = _per_customer([part for inner, sums in sides for part in _arm_sums(inner, sums, names)], names)
    if currency is not None:
        first = select(first).where(first.c.currency == currency).subquery()
    return _keyed(first, names, by, report_currency)


def _keyed(first, names: Sequence[str], by: str, report_currency: str | None = None) -> Select:
    """Rows per customer and currency (customer_id, currency, names...) keyed as a report groups
    them: key, name, currency and the sums, rolled up per key and currency unless by customer
    (and per customer too in a currency other than report_currency, when given)."""
    key, name = _key_columns(by, first.c.customer_id, first.c.currency)
    joined = first.join(customers, customers.c.id == first.c.customer_id)
    if by == "group":
        joined = joined.outerjoin(customer_groups, customer_groups.c.id == customers.c.group_id)
    if by == "customer":
        # Already one row per customer and currency: no second sort and aggregation here.
        return select(key.label("key"), name.label("name"), first.c.currency,
                      *[first.c[n] for n in names]).select_from(joined)
    groups = [key, first.c.currency]
    if report_currency is not None:  # converted per customer: rolled up in SQL only when exact
        groups.append(_customer_unless_in(first, report_currency))
    return (
        select(key.label("key"), func.max(name).label("name"), first.c.currency,
               *[money_sum(first.c[n]).label(n) for n in names])
        .select_from(joined)
        .group_by(*groups)
    )


def _customer_unless_in(first, currency: str) -> ColumnElement:
    """A grouping term over rows per customer and currency: 0 for rows in `currency` (added up
    exactly), the customer's id for the others, which each customer converts and rounds once."""
    return case((first.c.currency == currency, 0), else_=first.c.customer_id)


def _arm_sums(inner: Select | Arms, sums: Sequence[tuple[str, ColumnElement]], names: Sequence[str]) -> list[Select]:
    """customer_id, currency and the sums `names` (0 for those `sums` has not), per customer and
    currency, one statement per arm: each arm aggregated on its own, so SQLite streams the big arm
    in index order."""
    zero, own = cast(literal(0), BigInteger), dict(sums)
    parts = []
    for arm in inner if isinstance(inner, tuple) else (inner,):
        sub = arm.subquery()
        parts.append(select(sub.c.customer_id, sub.c.currency,
                            *[own[name](sub).label(name) if name in own else zero.label(name) for name in names])
                     .group_by(sub.c.customer_id, sub.c.currency))
    return parts


def _per_customer(parts: Sequence[Select], names: Sequence[str]):
    """One row per customer and currency from the arms' sums (`_arm_sums`), added up: a report
    converts each customer's amount in a currency once, whichever arms it came from (the same
    figure from a ledger read as of a past date, with its allocations since added back, as from
    one without them). PostgreSQL merges the arms in customer order and adds them as they come."""
    if len(parts) == 1:
        return parts[0].subquery()
    rows = union_all(*parts).subquery()
    # The arms' sums are never NULL: so neither is their sum, and no coalesce per group and sum.
    return (select(rows.c.customer_id, rows.c.currency, *[minor_sum(rows.c[name]).label(name) for name in names])
            .group_by(rows.c.customer_id, rows.c.currency)).subquery()


def grouped_totals(inner: Select | Arms, sums: Sequence[tuple[str, ColumnElement]], base_currency: str) -> Select:
    """Like `grouped`, for the company's total (key "*"): `totals_side_by_side` of one relation."""
    return totals_side_by_side([(inner, sums)], base_currency)


def totals_side_by_side(sides: Sequence[tuple[Select | Arms, Sequence[tuple[str, ColumnElement]]]],
                        base_currency: str) -> Select:
    """`side_by_side` for the company's total (key "*"): rows in the base currency come summed in
    one row (they convert exactly), rows in other currencies still per customer (each customer's
    amount is rounded when converted, as in every per-customer report), so the total equals the
    sum of the per-customer figures to the cent, from a handful of rows. Each arm is first summed
    per customer and currency, in the order of its index (no sort of the open items)."""
    names = [name for _, sums in sides for name, _ in sums]
    parts = [part for inner, sums in sides for part in _arm_sums(inner, sums, names)]
    first = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery()  # grouped per customer below
    who = _customer_unless_in(first, base_currency)
    return (select(literal("*").label("key"), null().label("name"), first.c.currency,
                   *[money_sum(first.c[name]).label(name) for name in names])
            .group_by(who, first.c.currency))


def receivable_sides(company_id: int, as_of: date, among: Select | None,
                     owed: Sequence[tuple[str, ColumnElement]], credit: str = "credit", *,
                     issued_after: bool = True) -> list:
    """What customers owe as of a date, as the sides of `side_by_side`: their unapplied cash and
    credit notes (summed as `credit`), then their open invoices summed as `owed` says (a total,
    buckets, current and overdue). The aging, DSO's receivables, exposure and the early warnings
    read both in one statement (one join of the customers, one round trip). issued_after: as
    `open_invoices` takes it."""
    return [(unapplied_credit(company_id, as_of, among), [(credit, total_open)]),
            (open_invoices(company_id, as_of, among, issued_after=issued_after), owed)]


def bucket_sums(column: str, starts: Sequence[tuple[str, date | None]], prefix: str = "b", *,
                cumulative: bool = False):
    """One SUM ... FILTER per bucket, named prefix + index: a bucket holds dates from its start up
    to the previous start (exclusive). FILTER skips the other buckets' rows, where SUM(CASE) added
    a zero for each: 10 % of the aging's SQL on PostgreSQL (docs/performance.md).

    cumulative: each sum from its start on, the previous buckets' included (one comparison per
    row and sum instead of two: SQLite's aging arm 0.21 -> 0.19 s at 1M); `per_bucket` takes the
    differences once the rows are grouped."""
    sums = []
    previous = None
    for index, (label, start) in enumerate(starts):
        def expr(sub, start=start, previous=None if cumulative else previous):
            col = sub.c[column]
            conditions = [col >= start] if start is not None else []
            if previous is not None:
                conditions.append(col < previous)
            amounts = minor_sum(sub.c.open_amount)
            return _zero_if_null(amounts.filter(and_(*conditions)) if conditions else amounts)
        sums.append((f"{prefix}{index}", expr))
        previous = start
    return sums


def per_bucket(query: Select, names: Sequence[str]) -> Select:
    """The query's rows with its cumulative sums `names` (`bucket_sums(cumulative=True)`, in the
    order of the buckets) turned into the buckets' own: each less the one before it. Done on the
    grouped rows, so it costs a subtraction per customer, not per open item."""
    sub = query.subquery()
    before = dict(zip(names[1:], names))
    return select(*[(column - sub.c[before[column.name]]).label(column.name) if column.name in before else column
                    for column in sub.c])


def due_split(as_of: date | ColumnElement):
    """(current, overdue): the sums of open_amount due on or after a date and due before it, as
    FILTERed sums (`bucket_sums`), for the reports that only tell current from past due."""
    (_, current), (_, overdue) = bucket_sums("due_date", [("current", as_of), ("overdue", None)])
    return current, overdue


def total_open(sub) -> ColumnElement:
    return money_sum(sub.c.open_amount)


def money_sum(amounts: ColumnElement) -> ColumnElement:
    """SUM of minor units as BIGINT, 0 rather than NULL: PostgreSQL's sum(bigint) is numeric, which
    reached Python as a Decimal to be turned back into an int, cell by cell (a fifth of the aging)."""
    return _zero_if_null(minor_sum(amounts))


class minor_sum(FunctionElement):
    """SUM of minor units kept in a bigint: PostgreSQL's own aggregate of that name (migration 0021:
    the built-in sum(bigint) carries a numeric state, which a parallel plan serialises for every
    partial group), SQLite's sum() elsewhere (an integer already). FILTER applies as to any aggregate."""

    inherit_cache = True
    name = "minor_sum"
    type = BigInteger()


@compiles(minor_sum)
def _plain_sum(element, compiler, **kw) -> str:
    return f"sum({compiler.process(element.clauses, **kw)})"


@compiles(minor_sum, "postgresql")
def _minor_sum(element, compiler, **kw) -> str:
    return f"minor_sum({compiler.process(element.clauses, **kw)})"


def _zero_if_null(total: ColumnElement) -> ColumnElement:
    return cast(func.coalesce(total, 0), BigInteger)


def filter_currency(query: Select, currency: str | None) -> Select:
    if currency is None:
        return query
    sub = query.subquery()
    return select(sub).where(sub.c.currency == currency)


def net_sales(company_id: int, start: date, end: date, among: Select | None = None) -> Arms:
    """customer_id, currency, issue_date, open_amount: invoices less credit notes issued from start
    to end (inclusive); of the customers `among` only, when given."""
    i, n = invoices.c, credit_notes.c
    arms = (
        select(i.customer_id, i.currency, i.issue_date, i.amount.label("open_amount")).where(
            i.company_id == company_id, i.issue_date >= start, i.issue_date <= end),
        select(n.customer_id, n.currency, n.issue_date, (-n.amount).label("open_amount")).where(
            n.company_id == company_id, n.issue_date >= start, n.issue_date <= end),
    )
    if among is None:
        return arms
    return arms[0].where(i.customer_id.in_(among)), arms[1].where(n.customer_id.in_(among))


def by_day(arms: Arms) -> Select:
    """currency, issue_date, open_amount summed per day and currency, each arm on its own in the
    order of ix_invoices_company_issue (streamed, no sort); a day may come once per arm."""
    parts = []
    for arm in arms:
        sub = arm.subquery()
        parts.append(select(sub.c.currency, sub.c.issue_date, money_sum(sub.c.open_amount).label("open_amount"))
                     .group_by(sub.c.issue_date, sub.c.currency))
    return union_all(*parts)


def latest_rates(conn: Connection, company_id: int, as_of: date) -> dict[str, str]:
    """The newest rate per currency dated on or before as_of (exact decimal text)."""
    r = fx_rates.c
    newest = select(r.currency, func.max(r.rate_date).label("rate_date")).where(
        r.company_id == company_id, r.rate_date <= as_of).group_by(r.currency).subquery()
    query = select(r.currency, r.rate).join(
        newest, and_(r.currency == newest.c.currency, r.rate_date == newest.c.rate_date)
    ).where(r.company_id == company_id)
    return dict(conn.execute(query).all())


def days_between(dialect: str, later: ColumnElement, earlier: ColumnElement) -> ColumnElement:
    """Whole days from earlier to later, in the database (SQLite keeps dates as ISO text)."""
    if dialect == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier


def settled_invoices(dialect: str, company_id: int, start: date, as_of: date, among: Select | None = None,
                     *, split: date | None = None) -> Select:
    """customer_id, currency, amount, amount x days to pay, amount x days late, count, late count:
    invoices whose allocations dated on or before as_of settle them, the last one after start.
    Write-offs are not payments: their allocations (and their recoveries') are left out, so an
    invoice written off, in full or in part, is not settled here; one reinstated and then paid is,
    on the day of that payment.

    split: also group by `recent` (settled after that day or not), so that two periods take one
    pass over the allocations instead of two (the early warnings' payment slowdown)."""
    i, a = invoices.c, allocations.c
    paid = select(a.invoice_id, func.sum(a.amount).label("paid"), func.max(a.alloc_date).label("settled_on")).where(
        a.company_id == company_id, a.alloc_date <= as_of, a.write_off_id.is_(None)).group_by(a.invoice_id).having(
        func.max(a.alloc_date) >= start)  # settled before start: not wanted, dropped before the join
    if among is not None:  # only these customers' allocations, not the whole ledger's, are summed
        paid = paid.where(a.invoice_id.in_(select(i.id).where(i.company_id == company_id, i.customer_id.in_(among))))
    paid = paid.subquery()
    to_pay = days_between(dialect, paid.c.settled_on, i.issue_date)
    late = days_between(dialect, paid.c.settled_on, i.due_date)
    late = case((late > 0, late), else_=0)
    query = (
        select(
            i.customer_id, i.currency,
            func.sum(i.amount).label("amount"),
            func.sum(i.amount * to_pay).label("weighted_days_to_pay"),
            func.sum(i.amount * late).label("weighted_days_late"),
            func.count().label("invoices"),
            func.sum(case((late > 0, 1), else_=0)).label("paid_late"),
        )
        .select_from(invoices.join(paid, paid.c.invoice_id == i.id))
        .where(i.company_id == company_id, paid.c.paid >= i.amount)
        .group_by(i.customer_id, i.currency)
    )
    if split is not None:
        recent = (paid.c.settled_on > split).label("recent")
        query = query.add_columns(recent).group_by(recent)
    return query if among is None else query.where(i.customer_id.in_(among))



def collection_sums(company_id: int, start: date, end: date) -> tuple[Select, Select]:
    """Two per-currency queries for the collection rate (回款率) of a period:
    due: what was open at its start or issued since, on invoices due by its end;
    collected, credited: payments and credit notes allocated to those invoices within the period."""
    i, a = invoices.c, allocations.c
    # Open at the start (an invoice issued since had nothing settled before it): the as-of method,
    # as of the day before, over the invoices issued and due by the end; summed per arm, then once.
    arms = _open_as_of(invoices, "paid_amount", "invoice_id", company_id, start - timedelta(days=1),
                       (i.customer_id, i.currency), (i.issue_date <= end, i.due_date <= end))
    parts = []
    for arm in arms:
        sub = arm.subquery()
        parts.append(select(sub.c.currency, money_sum(sub.c.open_amount).label("due")).group_by(sub.c.currency))
    both = union_all(*parts).subquery()
    due = select(both.c.currency, money_sum(both.c.due).label("due")).group_by(both.c.currency)
    settled = (
        select(
            i.currency,
            func.sum(case((a.payment_id.is_not(None), a.amount), else_=0)).label("collected"),
            func.sum(case((a.credit_note_id.is_not(None), a.amount), else_=0)).label("credited"),
        )
        .select_from(allocations.join(invoices, invoices.c.id == a.invoice_id))
        .where(a.company_id == company_id, a.alloc_date >= start, a.alloc_date <= end, i.due_date <= end)
        .group_by(i.currency)
    )
    return due, settled


def went_90_past_due(dialect: str, company_id: int, after: date, until: date) -> Select:
    """customer_id of the customers with an invoice still open 90 days after its due date, that
    90th day falling after `after` and on or before `until` (what was settled by then, from the
    allocations dated by then: payments, credit notes and reversals alike)."""
    i, a = invoices.c, allocations.c
    settled = (select(func.coalesce(func.sum(a.amount), 0))
               .where(a.invoice_id == i.id, days_between(dialect, a.alloc_date, i.due_date) <= 90)
               .scalar_subquery())
    return (select(i.customer_id).distinct()
            .where(i.company_id == company_id, i.due_date > after - timedelta(days=90),
                   i.due_date <= until - timedelta(days=90), i.amount > settled))


def stale_allocations() -> Select:
    """The number of allocations whose copies differ from their invoice's columns or their source's
    date (store/tables.py): none, ever; the tests and the benchmark's invariants ask."""
    from credo.store.write_off_tables import write_offs

    a, i, p, n, w = allocations.c, invoices.c, payments.c, credit_notes.c, write_offs.c
    source_date = func.coalesce(p.payment_date, n.issue_date, w.written_off_on)
    return (select(func.count()).select_from(
        allocations.join(invoices, i.id == a.invoice_id).outerjoin(payments, p.id == a.payment_id)
        .outerjoin(credit_notes, n.id == a.credit_note_id).outerjoin(write_offs, w.id == a.write_off_id))
        .where(or_(*[a[name] != i[name] for name in INVOICE_COPIES], a.source_date != source_date)))
