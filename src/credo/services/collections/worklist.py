"""The collector's worklist for a day: every customer of the portfolio that needs attention, with
its overdue amount, how late its oldest item is, its risk, its promises, its tasks, its value and
the next action, in the order of `domain.worklist.rank`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, Select, or_, select

from credo.domain.arrangements import Promise, Standing, promise_standing
from credo.domain.money import ZERO, from_minor
from credo.domain.worklist import DEFAULT_WEIGHTS, UNRATED, Attention, Weights, rank
from credo.services.access import Scope
from credo.services.collections.dunning import dunning_proposals
from credo.services.collections.tasks import open_tasks
from credo.services.companies import Company
from credo.services.credit.lines import ratings_in_force
from credo.services.reports.common import Converter, Tabular, money_text, sum_minor
from credo.store import queries
from credo.store.collections_tables import promises
from credo.store.tables import customers, payments

BROKEN_WITHIN_DAYS = 30  # a promise broken longer ago than this no longer counts on the worklist


@dataclass(frozen=True)
class WorklistLine:
    facts: Attention
    score: Decimal
    name: str
    collector: str | None
    next_kind: str  # dunning (the step proposed today), task (the earliest open task) or call
    next_detail: str  # the step's name, or the task's title
    next_actions: tuple[str, ...]  # the step's actions, or the task's kind

    @property
    def next_action(self) -> str:
        if self.next_kind == "dunning":
            return f"{self.next_detail} ({', '.join(self.next_actions)})"
        if self.next_kind == "task":
            return f"{self.next_actions[0]}: {self.next_detail}"
        return "call: overdue"

    def to_json(self) -> dict:
        f = self.facts
        return {"customer": f.customer, "name": self.name, "collector": self.collector, "score": str(self.score),
                "overdue": money_text(f.overdue), "days_past_due": f.days_past_due, "rating": f.rating or UNRATED,
                "rated": f.rating is not None, "promises_due": f.promises_due, "broken_promises": f.broken_promises,
                "tasks_due": f.tasks_due, "sales_12m": money_text(f.sales), "next_action": self.next_action,
                "next": {"kind": self.next_kind, "detail": self.next_detail, "actions": list(self.next_actions)}}


@dataclass(frozen=True)
class Worklist:
    as_of: date
    currency: str
    lines: tuple[WorklistLine, ...]

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "currency": self.currency, "lines": [x.to_json() for x in self.lines]}

    def table(self) -> Tabular:
        columns = ["customer", "name", "score", "overdue", "days", "rating", "promises", "broken", "tasks",
                   "sales_12m", "next_action"]
        rows = [[x.facts.customer, x.name, x.score, x.facts.overdue, x.facts.days_past_due, x.facts.rating or UNRATED,
                 x.facts.promises_due, x.facts.broken_promises, x.facts.tasks_due, x.facts.sales, x.next_action]
                for x in self.lines]
        return Tabular(f"Worklist for {self.as_of} ({self.currency}): {len(rows)} customers", columns, rows)


def overdue_by_customer(conn: Connection, company: Company, as_of: date,
                        among: Select | None = None) -> dict[int, tuple[Decimal, date]]:
    """customer id -> (the open amount past due as of the date in the base currency, the oldest
    overdue item's due date)."""
    convert = Converter.load(conn, company, as_of)
    minor: dict[int, int] = defaultdict(int)
    oldest: dict[int, date] = {}
    for r in conn.execute(queries.open_invoice_items(company.id, as_of, among)):
        if r.due_date < as_of:
            minor[r.customer_id] += convert.minor_into(r.currency)(r.open_amount)
            oldest[r.customer_id] = min(oldest.get(r.customer_id, r.due_date), r.due_date)
    return {customer: (convert.decimal(total), oldest[customer]) for customer, total in minor.items()}


def promise_counts(conn: Connection, company: Company, as_of: date, among: Select) -> dict[int, tuple[int, int]]:
    """customer id -> (open promises due today, promises broken in the last BROKEN_WITHIN_DAYS days),
    judged by `domain.arrangements.promise_standing` over the payments dated since each was made."""
    p, y = promises.c, payments.c
    rows = conn.execute(select(p.customer_id, p.made_on, p.promised_on, p.amount, p.currency, p.grace_days).where(
        p.company_id == company.id, p.customer_id.in_(among), p.made_on <= as_of,
        p.promised_on >= as_of - timedelta(days=BROKEN_WITHIN_DAYS + 366),
        or_(p.cancelled_on.is_(None), p.cancelled_on > as_of))).all()
    if not rows:
        return {}
    paid = defaultdict(list)
    for customer_id, day, amount, currency in conn.execute(select(y.customer_id, y.payment_date, y.amount, y.currency)
                                                           .where(y.company_id == company.id,
                                                                  y.customer_id.in_({r.customer_id for r in rows}),
                                                                  y.payment_date >= min(r.made_on for r in rows),
                                                                  y.payment_date <= as_of,
                                                                  or_(y.reversed_on.is_(None), y.reversed_on > as_of))):
        paid[customer_id].append((day, from_minor(amount, currency)))
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        promise = Promise(r.promised_on, from_minor(r.amount, r.currency), r.made_on, r.grace_days)
        standing = promise_standing(promise, paid[r.customer_id], as_of)
        if standing is Standing.OPEN and r.promised_on == as_of:
            counts[r.customer_id][0] += 1
        elif standing is Standing.BROKEN and (as_of - promise.deadline).days <= BROKEN_WITHIN_DAYS:
            counts[r.customer_id][1] += 1
    return {customer: (due, broken) for customer, (due, broken) in counts.items()}


def _sales(conn: Connection, company: Company, as_of: date, among: Select) -> dict[str, Decimal]:
    """customer code -> net sales of the 12 months to the date, in the base currency."""
    convert = Converter.load(conn, company, as_of)
    start = as_of - relativedelta(months=12) + relativedelta(days=1)
    sums = sum_minor(conn, queries.grouped(queries.net_sales(company.id, start, as_of, among),
                                           [("total", queries.total_open)], "customer"), convert, 1)
    return {code: convert.decimal(amounts[0]) for code, (_, amounts) in sums.items()}


def _next_actions(conn: Connection, company: Company, as_of: date) -> dict[str, tuple[str, tuple[str, ...]]]:
    """customer code -> the dunning step proposed today (its name and actions)."""
    report = dunning_proposals(conn, company, as_of)
    return {p.customer: (p.step.name, tuple(a.value for a in p.step.actions)) for p in report.proposals}


def _attention(conn: Connection, company: Company, scope: Scope, as_of: date, among: Select):
    """(each candidate's Attention, customer code -> its row, customer code -> its open tasks): the
    candidates are the customers with something overdue, a promise to weigh or a task due; only
    they are looked up further (a company may have 200,000 customers)."""
    c = customers.c
    overdue = overdue_by_customer(conn, company, as_of, among)
    promised = promise_counts(conn, company, as_of, among)
    tasks: dict[str, list[dict]] = defaultdict(list)  # customer code -> its open tasks, earliest first
    for task in open_tasks(conn, company, scope, as_of):
        tasks[task["customer"]].append(task)
    due_codes = [code for code, listed in tasks.items() if any(t["due"] for t in listed)]
    if not (overdue or promised or due_codes):
        return [], {}, tasks
    rows = conn.execute(select(c.id, c.code, c.name, c.collector).where(
        c.id.in_(among), or_(c.id.in_(overdue.keys() | promised.keys()), c.code.in_(due_codes)))).all()
    candidates = queries.among_customers(company.id, c.id.in_([r.id for r in rows]))
    ratings, sales = ratings_in_force(conn, company, as_of), _sales(conn, company, as_of, candidates)
    facts = []
    for row in rows:
        amount, oldest = overdue.get(row.id, (ZERO, None))
        due, broken = promised.get(row.id, (0, 0))
        facts.append(Attention(row.code, amount, (as_of - oldest).days if oldest else 0, ratings.get(row.id),
                               due, broken, sum(t["due"] for t in tasks[row.code]), sales.get(row.code, ZERO)))
    return facts, {row.code: row for row in rows}, tasks


def worklist(conn: Connection, company: Company, scope: Scope, as_of: date, collector: str | None = None,
             weights: Weights = DEFAULT_WEIGHTS) -> Worklist:
    """The customers of the scope (of one collector's portfolio, with `collector`) that need
    attention on the date, highest priority first, each with its next action: the dunning step
    proposed today if any, else the earliest open task, else a call about the overdue amount."""
    condition = scope.customers() if collector is None else (scope.customers() & (customers.c.collector == collector))
    facts, by_code, tasks = _attention(conn, company, scope, as_of, queries.among_customers(company.id, condition))
    ranked = rank(facts, weights)
    proposed = _next_actions(conn, company, as_of) if ranked else {}
    lines = []
    for fact, points in ranked:
        row, first = by_code[fact.customer], (tasks[fact.customer] or [None])[0]
        if fact.customer in proposed:
            step, actions = proposed[fact.customer]
            nxt = ("dunning", step, actions)
        else:
            nxt = ("task", first["title"], (first["kind"],)) if first else ("call", "overdue", ("call",))
        lines.append(WorklistLine(fact, points, row.name, row.collector, *nxt))
    return Worklist(as_of, company.base_currency, tuple(lines))
