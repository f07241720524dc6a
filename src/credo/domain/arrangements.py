"""Promises to pay (承诺付款) and payment plans (分期付款计划): what was agreed, and whether it holds.

Both are judged from the payments the customer made, as of a date:
- a promise (date, amount, grace days) is kept when the customer has paid the promised amount by
  the promised date plus grace with money received after the day the promise was made, broken
  when that day has passed without it, open before;
- a plan splits an amount into instalments (count, interval, amounts, optional interest); an
  instalment not paid by its date plus grace is a breach. Payments settle instalments oldest first.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from enum import Enum
from typing import Sequence

from credo.domain.money import ZERO, quantize, quantum


class Standing(Enum):
    OPEN = "open"
    KEPT = "kept"
    BROKEN = "broken"


@dataclass(frozen=True)
class Promise:
    promised_on: date  # the date the customer promised to pay by
    amount: Decimal
    made_on: date  # when the promise was made: only payments dated after that day count towards it
    grace_days: int = 0

    @property
    def deadline(self) -> date:
        return self.promised_on + timedelta(days=self.grace_days)

    def counts(self, day: date, as_of: date) -> bool:
        """Whether money dated `day` counts towards the promise as of `as_of`: received after the
        day the promise was made (money of that day may have come before the call, and an
        allocation is never dated before its payment) and by the deadline and the as-of date."""
        return self.made_on < day <= min(self.deadline, as_of)


def promise_paid(promise: Promise, payments: Sequence[tuple[date, Decimal]], as_of: date) -> Decimal:
    """What the payments (date, amount) that count towards the promise add up to as of the date."""
    return sum((amount for day, amount in payments if promise.counts(day, as_of)), ZERO)


def promise_standing(promise: Promise, payments: Sequence[tuple[date, Decimal]], as_of: date) -> Standing:
    """Kept once the payments dated after the promise's making, up to its deadline, reach its
    amount; broken once the deadline is past without that; open until then."""
    paid = promise_paid(promise, payments, as_of)
    if paid >= promise.amount:
        return Standing.KEPT
    return Standing.BROKEN if as_of > promise.deadline else Standing.OPEN


class Interval(Enum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY = "monthly"


def _nth_due(first: date, interval: Interval, k: int) -> date:
    """The k-th due date after the first (k = -1: one interval before it); monthly dates keep the
    first's day of the month, or the month's last day when it has fewer (31 Jan, 29 Feb, 31 Mar)."""
    if interval is Interval.WEEKLY:
        return first + timedelta(weeks=k)
    if interval is Interval.FORTNIGHTLY:
        return first + timedelta(weeks=2 * k)
    year, month = divmod(first.year * 12 + first.month - 1 + k, 12)
    return date(year, month + 1, min(first.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True)
class Instalment:
    number: int
    due_date: date
    principal: Decimal
    interest: Decimal

    @property
    def amount(self) -> Decimal:
        return self.principal + self.interest


def instalments(amount: Decimal, currency: str, count: int, first_due: date, interval: Interval = Interval.MONTHLY,
                annual_rate: Decimal = ZERO) -> tuple[Instalment, ...]:
    """Equal principal parts (the cent left over on the last), each instalment carrying simple
    interest at `annual_rate` percent a year on the balance outstanding since the previous due date
    (the first: for one interval before its date), rounded HALF_UP per instalment."""
    if count < 1 or count > 120:
        raise ValueError(f"{count} instalments: use 1 to 120")
    if amount <= 0:
        raise ValueError("a payment plan needs an amount above zero")
    part = (amount / count).quantize(quantum(currency), rounding=ROUND_DOWN)
    dues = [_nth_due(first_due, interval, k) for k in range(count)]
    out, balance, since = [], amount, _nth_due(first_due, interval, -1)
    for number, due in enumerate(dues, start=1):
        principal = part if number < count else balance
        interest = quantize(balance * annual_rate / 100 * (due - since).days / 365, currency)
        out.append(Instalment(number, due, principal, interest))
        balance, since = balance - principal, due
    return tuple(out)


@dataclass(frozen=True)
class InstalmentStanding:
    instalment: Instalment
    paid: Decimal
    standing: Standing
    reduced: Decimal = ZERO  # taken away by credit notes or write-offs on the plan's invoices

    @property
    def owed(self) -> Decimal:
        return self.instalment.amount - self.reduced


def plan_standing(plan: Sequence[Instalment], payments: Sequence[tuple[date, Decimal]], as_of: date,
                  grace_days: int = 0, reductions: Sequence[tuple[date, Decimal]] = ()) -> tuple[InstalmentStanding, ...]:
    """Each instalment with what was paid towards it and whether it is kept, broken (unpaid past its
    date plus grace) or still open. Money (payments dated by as_of) pays the oldest instalment
    first. A credit note or a write-off on the plan's invoices is no money: it lowers what is owed,
    so it takes the plan's last instalments away first (an instalment taken away whole is kept
    with nothing paid); it never pays an instalment that falls due before the customer pays."""
    pool = sum((amount for day, amount in payments if day <= as_of), ZERO)
    cut = sum((amount for day, amount in reductions if day <= as_of), ZERO)
    reduced = []
    for instalment in reversed(plan):
        share = min(max(cut, ZERO), instalment.amount)
        cut -= share
        reduced.append(share)
    out = []
    for instalment, less in zip(plan, reversed(reduced)):
        owed = instalment.amount - less
        paid = min(max(pool, ZERO), owed)
        pool -= paid
        if paid >= owed:
            standing = Standing.KEPT
        elif as_of > instalment.due_date + timedelta(days=grace_days):
            standing = Standing.BROKEN
        else:
            standing = Standing.OPEN
        out.append(InstalmentStanding(instalment, paid, standing, less))
    return tuple(out)


def next_due(standings: Sequence[InstalmentStanding]) -> date | None:
    """The date that replaces the invoices' due dates in dunning: the oldest instalment not yet paid."""
    return next((s.instalment.due_date for s in standings if s.standing is not Standing.KEPT), None)
