"""What dunning needs to know of each customer as of a date, read from the store in a few set-based
statements: open invoices, the disputed part of each, promises and payment plans with how they
stand, what was already sent, and unapplied credit. Amounts go to the domain in the base currency.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Mapping, Sequence

from sqlalchemy import Connection, and_, func, or_, select

from credo.domain.arrangements import Instalment, Promise, Standing, next_due, plan_standing, promise_standing
from credo.domain.dunning import DunningCustomer, DunningItem, Retry, SentBefore
from credo.domain.money import ZERO, from_minor
from credo.services.companies import Company
from credo.services.reports.common import Converter, fetch, sum_minor
from credo.store import queries
from credo.store.collections_tables import (disputes, dunning_sends, payment_plans, plan_instalments, plan_invoices,
                                            promise_invoices, promises)
from credo.store.tables import allocations, customers, payments


@dataclass(frozen=True)
class OpenItem:
    """An open invoice as the customer sees it: its own currency and amount (for letters and mails)."""

    customer_id: int
    invoice_id: int
    number: str
    issue_date: date
    due_date: date
    currency: str
    open_amount: Decimal  # in the invoice's currency
    disputed: Decimal  # the part under an open dispute, in the invoice's currency

    @property
    def in_dunning(self) -> Decimal:
        """What dunning asks for: the open amount less the part under dispute."""
        return self.open_amount - self.disputed


class OpenItems(Mapping[str, OpenItem]):
    """invoice number -> OpenItem, each made when first asked for: a run reads up to a million open
    items and shows only those of its proposals."""

    def __init__(self, rows: dict[str, tuple]):
        self._rows = rows  # number -> (customer id, invoice id, issue date, due date, currency, open, disputed)

    def __getitem__(self, number: str) -> OpenItem:
        customer_id, invoice_id, issue_date, due_date, currency, open_minor, disputed_minor = self._rows[number]
        return OpenItem(customer_id, invoice_id, number, issue_date, due_date, currency,
                        from_minor(open_minor, currency), from_minor(disputed_minor, currency))

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


@dataclass(frozen=True)
class DunningFacts:
    as_of: date
    currency: str  # the base currency the domain's amounts are in
    customers: tuple[DunningCustomer, ...]
    names: Mapping[str, tuple[int, str]]  # code -> (customer id, name)
    items: Mapping[str, OpenItem]  # invoice number -> item


def gather(conn: Connection, company: Company, as_of: date, ratings: Mapping[int, str] | None = None,
           among=None) -> DunningFacts:
    """Every customer with an invoice open as of the date, as the domain's DunningCustomer."""
    convert = Converter.load(conn, company, as_of)
    ratings = ratings or {}
    disputed = _disputed(conn, company.id, as_of)
    sent, retries = _sent(conn, company.id, as_of)
    paused, broken = _promises(conn, company.id, as_of)
    plan_dues, plan_broken = _plans(conn, company.id, as_of)
    # One pass over up to a million open items: per-currency functions looked up once, amounts
    # kept in minor units until the one Decimal each needs (docs/performance.md).
    to_base: dict = {}
    open_items: dict[str, tuple] = {}
    by_customer: dict[int, list[DunningItem]] = defaultdict(list)
    for who, invoice_id, number, issue_date, due_date, currency, open_minor in fetch(
            conn, queries.open_invoice_items(company.id, as_of, among)):
        into = to_base.get(currency) or to_base.setdefault(currency, convert.into(currency))
        under_dispute = min(disputed.get(invoice_id, 0), open_minor) if disputed else 0
        open_items[number] = (who, invoice_id, issue_date, due_date, currency, open_minor, under_dispute)
        in_dunning = open_minor - under_dispute
        by_customer[who].append(DunningItem(
            number, plan_dues.get(invoice_id, due_date) if plan_dues else due_date,
            into(in_dunning) if in_dunning > 0 else ZERO, disputed=in_dunning <= 0,
            paused_until=paused.get((who, invoice_id), paused.get((who, None))) if paused else None,
            broken_promise=bool(broken or plan_broken) and (
                (who, invoice_id) in broken or (who, None) in broken or invoice_id in plan_broken),
            sent=sent.get(invoice_id), retry=retries.get(invoice_id) if retries else None))
    if not open_items:
        return DunningFacts(as_of, convert.currency, (), {}, {})
    # Every customer of the company, kept for those with open items: an IN list of 50,000 ids would
    # pass SQLite's limit of bound parameters.
    info = {row.id: row for row in fetch(conn, select(customers.c.id, customers.c.code, customers.c.name,
                                                      customers.c.segment).where(customers.c.company_id == company.id))
            if row.id in by_customer}
    unapplied = sum_minor(conn, queries.grouped(queries.unapplied_credit(company.id, as_of, among),
                                                [("total", queries.total_open)], "customer"), convert, 1)
    out = []
    for customer_id, items in by_customer.items():
        row = info[customer_id]
        credit = unapplied.get(row.code)
        out.append(DunningCustomer(row.code, row.segment, ratings.get(customer_id), tuple(items),
                                   convert.decimal(credit[1][0]) if credit else ZERO))
    out.sort(key=lambda c: c.code)
    return DunningFacts(as_of, convert.currency, tuple(out), {row.code: (row.id, row.name) for row in info.values()},
                        OpenItems(open_items))


def _disputed(conn: Connection, company_id: int, as_of: date) -> dict[int, int]:
    """invoice id -> the minor units under a dispute open on the date."""
    d = disputes.c
    query = (select(d.invoice_id, func.sum(d.amount)).where(
        d.company_id == company_id, d.opened_on <= as_of, or_(d.resolved_on.is_(None), d.resolved_on > as_of))
        .group_by(d.invoice_id))
    return {invoice_id: int(total) for invoice_id, total in conn.execute(query)}


def _sent(conn: Connection, company_id: int, as_of: date) -> tuple[dict[int, SentBefore], dict[int, Retry]]:
    """(invoice id -> what reached the customer by the date: its highest level, how often, when first
    and last; invoice id -> its latest send with channels still to deliver). A send counts as made
    once one of its channels delivered."""
    s = dunning_sends.c
    reached = or_(s.status == "sent", and_(s.delivered.is_not(None), s.delivered != ""))
    query = (select(s.invoice_id, s.level, func.count(), func.max(s.run_on), func.min(s.run_on))
             .where(s.company_id == company_id, reached, s.run_on <= as_of)
             .group_by(s.invoice_id, s.level))
    sent: dict[int, SentBefore] = {}
    for invoice_id, level, times, last, first in fetch(conn, query):
        if invoice_id not in sent or level > sent[invoice_id].level:
            sent[invoice_id] = SentBefore(level, times, last, first)
    retries: dict[int, Retry] = {}
    for invoice_id, level, times, delivered in conn.execute(
            select(s.invoice_id, s.level, s.times, s.delivered)
            .where(s.company_id == company_id, s.status == "failed", s.run_on <= as_of)):
        if invoice_id not in retries or (level, times) > (retries[invoice_id].level, retries[invoice_id].times):
            retries[invoice_id] = Retry(level, times, frozenset(filter(None, (delivered or "").split(","))))
    return sent, retries


def _promises(conn: Connection, company_id: int, as_of: date):
    """((customer, invoice or None) -> paused until, {(customer, invoice or None) broken}) for the
    promises made by the date and not cancelled by then; None stands for all the customer's invoices."""
    p, pi = promises.c, promise_invoices.c
    rows = conn.execute(select(p.id, p.customer_id, p.made_on, p.promised_on, p.amount, p.currency, p.grace_days)
                        .where(p.company_id == company_id, p.made_on <= as_of,
                               or_(p.cancelled_on.is_(None), p.cancelled_on > as_of))).all()
    if not rows:
        return {}, set()
    covered = defaultdict(list)
    for promise_id, invoice_id in conn.execute(select(pi.promise_id, pi.invoice_id).where(
            pi.promise_id.in_([r.id for r in rows]))):
        covered[promise_id].append(invoice_id)
    paid = _payments(conn, company_id, {r.customer_id for r in rows}, min(r.made_on for r in rows), as_of)
    paused, broken = {}, set()
    for r in rows:
        promise = Promise(r.promised_on, from_minor(r.amount, r.currency), r.made_on, r.grace_days)
        standing = promise_standing(promise, paid.get(r.customer_id, []), as_of)
        for invoice_id in covered.get(r.id) or [None]:
            if standing is Standing.OPEN:
                paused[(r.customer_id, invoice_id)] = max(promise.deadline, paused.get((r.customer_id, invoice_id),
                                                                                       promise.deadline))
            elif standing is Standing.BROKEN:
                broken.add((r.customer_id, invoice_id))
    return paused, broken


def _payments(conn: Connection, company_id: int, customer_ids, start: date, as_of: date):
    """customer id -> [(date, amount)] of payments dated start..as_of and not reversed by as_of."""
    p = payments.c
    out = defaultdict(list)
    for customer_id, day, amount, currency in conn.execute(
            select(p.customer_id, p.payment_date, p.amount, p.currency).where(
                p.company_id == company_id, p.customer_id.in_(customer_ids), p.payment_date >= start,
                p.payment_date <= as_of, or_(p.reversed_on.is_(None), p.reversed_on > as_of))):
        out[customer_id].append((day, from_minor(amount, currency)))
    return out


def _plans(conn: Connection, company_id: int, as_of: date):
    """(invoice id -> the next unpaid instalment's date, {invoice ids of breached plans}) for the
    plans agreed by the date and not cancelled by then (`plan_standings`)."""
    pl, pi = payment_plans.c, plan_invoices.c
    plans = conn.execute(select(pl.id, pl.agreed_on, pl.currency, pl.grace_days).where(
        pl.company_id == company_id, pl.agreed_on <= as_of,
        or_(pl.cancelled_on.is_(None), pl.cancelled_on > as_of))).all()
    dues, breached = {}, set()
    for plan in plans:
        invoice_ids = [i for (i,) in conn.execute(select(pi.invoice_id).where(pi.plan_id == plan.id))]
        standings = plan_standings(conn, plan, invoice_ids, as_of)
        upcoming = next_due(standings)
        for invoice_id in invoice_ids:
            if upcoming is not None:
                dues[invoice_id] = upcoming
            if any(s.standing is Standing.BROKEN for s in standings):
                breached.add(invoice_id)
    return dues, breached


def plan_standings(conn: Connection, plan, invoice_ids: Sequence[int], as_of: date):
    """A plan's instalments as of the date (`domain.arrangements.plan_standing`): paid by the money
    applied to its invoices after its agreement, lowered by the credit notes and write-offs then
    applied to them. plan: a row with id, agreed_on, currency, grace_days."""
    ins, a = plan_instalments.c, allocations.c
    schedule = [Instalment(n, due, from_minor(principal, plan.currency), from_minor(interest, plan.currency))
                for n, due, principal, interest in conn.execute(
                    select(ins.number, ins.due_date, ins.principal, ins.interest)
                    .where(ins.plan_id == plan.id).order_by(ins.number))]
    money, reductions = [], []
    for day, amount, is_money in conn.execute(
            select(a.alloc_date, a.amount, a.payment_id.is_not(None))
            .where(a.invoice_id.in_(list(invoice_ids)), a.alloc_date > plan.agreed_on, a.alloc_date <= as_of)):
        (money if is_money else reductions).append((day, from_minor(amount, plan.currency)))
    return plan_standing(schedule, money, as_of, plan.grace_days, reductions)
