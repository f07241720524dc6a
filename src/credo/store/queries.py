"""Set-based report queries. Each returns a few grouped rows; the ledger is never walked in Python.

Everything is "as of" a date: invoices, credit notes and payments dated on or before it, and
allocations dated on or before it (an allocation's date is the later of its two documents' dates,
or the day of a reversal). When no allocation is dated after the as-of date, today's running
totals (paid_amount, applied_amount) already are the as-of figures and the fast path reads the
partial index of open items instead of joining allocations.
"""

from __future__ import annotations

from datetime import date
from typing import Sequence

from sqlalchemy import Connection, Integer, and_, case, cast, func, literal, null, or_, select
from sqlalchemy.sql import ColumnElement, Select

from credo.store.tables import allocations, credit_notes, customer_groups, customers, fx_rates, invoices, payments

BY_KEYS = ("customer", "group", "collector", "segment", "currency")


def allocations_after(conn: Connection, company_id: int, as_of: date) -> bool:
    """Is any allocation (or reversal) dated after as_of? Then the as-of path must be taken."""
    latest = conn.execute(
        select(func.max(allocations.c.alloc_date)).where(allocations.c.company_id == company_id)
    ).scalar()
    return latest is not None and latest > as_of


def _allocated(source_filter: ColumnElement, as_of: date, outer_id: ColumnElement) -> ColumnElement:
    """Sum of a document's allocations dated on or before as_of (a correlated scalar subquery)."""
    return func.coalesce(
        select(func.sum(allocations.c.amount))
        .where(source_filter == outer_id, allocations.c.alloc_date <= as_of)
        .scalar_subquery(),
        0,
    )


def open_invoices(company_id: int, as_of: date, fast: bool) -> Select:
    """customer_id, issue_date, due_date, currency, open_amount of invoices open as of a date."""
    i = invoices.c
    if fast:
        open_amount = (i.amount - i.paid_amount).label("open_amount")
        where = [i.company_id == company_id, i.amount > i.paid_amount, i.issue_date <= as_of]
        return select(i.customer_id, i.issue_date, i.due_date, i.currency, open_amount).where(*where)
    inner = select(
        i.customer_id, i.issue_date, i.due_date, i.currency,
        (i.amount - _allocated(allocations.c.invoice_id, as_of, i.id)).label("open_amount"),
    ).where(i.company_id == company_id, i.issue_date <= as_of).subquery()
    return select(inner).where(inner.c.open_amount != 0)


def _unapplied(table, date_column: str, kind: str, company_id: int, as_of: date, fast: bool) -> Select:
    t = table.c
    applied = t.applied_amount if fast else _allocated(allocations.c[f"{kind}_id"], as_of, t.id)
    where = [t.company_id == company_id, t[date_column] <= as_of]
    if kind == "payment":
        where.append(or_(t.reversed_on.is_(None), t.reversed_on > as_of))
    return select(t.customer_id, t.currency, (t.amount - applied).label("amount")).where(*where)


def unapplied_credit(company_id: int, as_of: date, fast: bool) -> Select:
    """customer_id, currency, amount of payments and credit notes not yet applied as of a date."""
    union = _unapplied(payments, "payment_date", "payment", company_id, as_of, fast).union_all(
        _unapplied(credit_notes, "issue_date", "credit_note", company_id, as_of, fast)
    ).subquery()
    return select(union).where(union.c.amount != 0)


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


def grouped(inner: Select, sums: Sequence[tuple[str, ColumnElement]], by: str) -> Select:
    """Aggregate per customer and currency first, then roll up to the requested key."""
    sub = inner.subquery()
    first = select(sub.c.customer_id, sub.c.currency, *[expr(sub).label(name) for name, expr in sums]).group_by(
        sub.c.customer_id, sub.c.currency).subquery()
    key, name = _key_columns(by, first.c.customer_id, first.c.currency)
    joined = first.join(customers, customers.c.id == first.c.customer_id)
    if by == "group":
        joined = joined.outerjoin(customer_groups, customer_groups.c.id == customers.c.group_id)
    return (
        select(key.label("key"), func.max(name).label("name"), first.c.currency,
               *[func.sum(first.c[n]).label(n) for n, _ in sums])
        .select_from(joined)
        .group_by(key, first.c.currency)
        .order_by(key, first.c.currency)
    )


def bucket_sums(column: str, starts: Sequence[tuple[str, date | None]], prefix: str = "b"):
    """One SUM(CASE) per bucket, named prefix + index: a bucket holds dates from its start up to
    the previous start (exclusive)."""
    sums = []
    previous = None
    for index, (label, start) in enumerate(starts):
        def expr(sub, start=start, previous=previous):
            col = sub.c[column]
            conditions = [col >= start] if start is not None else []
            if previous is not None:
                conditions.append(col < previous)
            return func.sum(case((and_(*conditions), sub.c.open_amount), else_=0))
        sums.append((f"{prefix}{index}", expr))
        previous = start
    sums.append(("total", lambda sub: func.sum(sub.c.open_amount)))
    return sums


def filter_currency(query: Select, currency: str | None) -> Select:
    if currency is None:
        return query
    sub = query.subquery()
    return select(sub).where(sub.c.currency == currency)


def net_receivables(company_id: int, as_of: date) -> Select:
    """customer_id, currency, amount: invoices - credit notes - payments not reversed, as of a date.

    Equal to open invoices less unapplied credit, with no allocation read at all.
    """
    i, n, p = invoices.c, credit_notes.c, payments.c
    union = select(i.customer_id, i.currency, i.amount).where(i.company_id == company_id, i.issue_date <= as_of)
    union = union.union_all(
        select(n.customer_id, n.currency, -n.amount).where(n.company_id == company_id, n.issue_date <= as_of),
        select(p.customer_id, p.currency, -p.amount).where(
            p.company_id == company_id, p.payment_date <= as_of, or_(p.reversed_on.is_(None), p.reversed_on > as_of)),
    ).subquery()
    return select(union.c.customer_id, union.c.currency, union.c.amount.label("open_amount"))


def net_sales(company_id: int, start: date, end: date) -> Select:
    """customer_id, currency, amount: invoices less credit notes issued from start to end (inclusive)."""
    i, n = invoices.c, credit_notes.c
    union = select(i.customer_id, i.currency, i.issue_date, i.amount).where(
        i.company_id == company_id, i.issue_date >= start, i.issue_date <= end
    ).union_all(
        select(n.customer_id, n.currency, n.issue_date, -n.amount).where(
            n.company_id == company_id, n.issue_date >= start, n.issue_date <= end)
    ).subquery()
    return select(union.c.customer_id, union.c.currency, union.c.issue_date, union.c.amount.label("open_amount"))


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


def settled_invoices(dialect: str, company_id: int, start: date, as_of: date) -> Select:
    """customer_id, currency, amount, amount x days to pay, amount x days late, count, late count:
    invoices whose allocations dated on or before as_of settle them, the last one after start."""
    i, a = invoices.c, allocations.c
    paid = select(a.invoice_id, func.sum(a.amount).label("paid"), func.max(a.alloc_date).label("settled_on")).where(
        a.company_id == company_id, a.alloc_date <= as_of).group_by(a.invoice_id).subquery()
    to_pay = days_between(dialect, paid.c.settled_on, i.issue_date)
    late = days_between(dialect, paid.c.settled_on, i.due_date)
    late = case((late > 0, late), else_=0)
    return (
        select(
            i.customer_id, i.currency,
            func.sum(i.amount).label("amount"),
            func.sum(i.amount * to_pay).label("weighted_days_to_pay"),
            func.sum(i.amount * late).label("weighted_days_late"),
            func.count().label("invoices"),
            func.sum(case((late > 0, 1), else_=0)).label("paid_late"),
        )
        .select_from(invoices.join(paid, paid.c.invoice_id == i.id))
        .where(i.company_id == company_id, paid.c.paid >= i.amount, paid.c.settled_on >= start)
        .group_by(i.customer_id, i.currency)
    )



def collection_sums(company_id: int, start: date, end: date) -> tuple[Select, Select]:
    """Two per-currency queries for the collection rate (回款率) of a period:
    due: what was open at its start or issued since, on invoices due by its end;
    collected, credited: payments and credit notes allocated to those invoices within the period."""
    i, a = invoices.c, allocations.c
    before = select(a.invoice_id, func.sum(a.amount).label("amount")).where(
        a.company_id == company_id, a.alloc_date < start).group_by(a.invoice_id).subquery()
    open_at_start = i.amount - func.coalesce(before.c.amount, 0)
    due = (
        select(i.currency, func.sum(open_at_start).label("due"))
        .select_from(invoices.outerjoin(before, before.c.invoice_id == i.id))
        .where(i.company_id == company_id, i.due_date <= end, i.issue_date <= end, open_at_start > 0)
        .group_by(i.currency)
    )
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
