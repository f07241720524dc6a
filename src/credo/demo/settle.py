"""How each demo invoice is settled: the money its customer sends for it, and the credits it needs.

A customer's habit sets when it pays (days after the due date); the rest adds the texture a
credit manager expects: partial payments, short payments settled by credit notes after a dispute,
goods returned, year-end rebates, the odd rounded-up transfer. Nothing is dated after `until`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from credo.demo.customers import (
    DETERIORATING, DISPUTING, KEY, LATE, PROMPT, SEASONAL, WRITE_OFF, Customer,
)
from credo.demo.invoices import BusinessDay, Invoice, roll_forward

DISPUTE_REASONS = ("质量问题 quality claim", "价格差异 price difference",
                   "数量短缺 short delivery", "运输损坏 damaged in transit")
RETURN_REASON = "退货 goods returned"
REBATE_REASON = "年度返利 annual rebate"
DISPUTE_SHARE = 0.3   # of a disputing customer's invoices
RETURN_SHARE = 0.005  # of everyone's invoices
PARTIAL_SHARE = 0.08  # of paid invoices, more for customers in trouble


@dataclass(frozen=True)
class Piece:
    """Money a customer sends for one invoice; `extra` is sent beyond it and stays unapplied."""

    customer: str
    invoice: str
    day: date
    amount: int
    currency: str
    extra: int = 0


@dataclass(frozen=True)
class Credit:
    customer: str
    day: date
    amount: int
    invoice: str | None
    reason: str
    currency: str


@dataclass(frozen=True)
class _Calendar:
    until: date
    is_business_day: BusinessDay

    def day(self, start: date, days: int) -> date:
        return roll_forward(start + timedelta(days=days), self.is_business_day)

    def allowed(self, customer: Customer, day: date) -> bool:
        """Nothing after `until`; nothing after a customer stopped paying."""
        return day <= self.until and (customer.stop is None or day <= customer.stop)


def plan_settlements(rng: random.Random, customers: list[Customer], invoices: list[Invoice], until: date,
                     is_business_day: BusinessDay) -> tuple[list[Piece], list[Credit]]:
    by_code = {c.code: c for c in customers}
    when = _Calendar(until, is_business_day)
    pieces: list[Piece] = []
    credits: list[Credit] = []
    for invoice in invoices:
        paid, credited = _settle(rng, by_code[invoice.customer], invoice, when)
        pieces += paid
        credits += credited
    credits += _rebates(rng, customers, invoices, when)
    return _overpaid(rng, customers, invoices, pieces), credits


def _settle(rng: random.Random, customer: Customer, invoice: Invoice, when: _Calendar):
    day = when.day(invoice.due_date, _delay(rng, customer, invoice))
    day = max(day, when.day(invoice.issue_date, 1))
    paid = when.allowed(customer, day)
    if customer.habit == DISPUTING and rng.random() < DISPUTE_SHARE:
        return _disputed(rng, customer, invoice, day, when) if paid else ([], [])
    if rng.random() < RETURN_SHARE:
        return _returned(rng, customer, invoice, day if paid else None, when)
    if not paid:
        return [], []
    return _paid(rng, customer, invoice, invoice.amount, day, when), []


def _delay(rng: random.Random, customer: Customer, invoice: Invoice) -> int:
    """Days after the due date the customer pays this invoice (negative: early)."""
    habit = customer.habit
    if habit == LATE:
        return max(5, customer.lateness + rng.randint(-6, 6))
    if habit == DETERIORATING and invoice.issue_date >= customer.turn:
        return 3 + (invoice.issue_date - customer.turn).days // 3 + rng.randint(-3, 6)
    if habit == SEASONAL:
        return rng.randint(20, 50) if _around_new_year(invoice.due_date) else rng.randint(-6, 4)
    if habit == DISPUTING:
        return rng.randint(0, 12)
    if habit == WRITE_OFF:
        return rng.randint(10, 35)
    return rng.randint(-10, 0) if rng.random() < 0.9 else rng.randint(1, 5)


def _around_new_year(due: date) -> bool:
    """Chinese New Year falls in late January or February: Q1 money comes slowly."""
    return due.month in (1, 2, 3) or (due.month == 12 and due.day >= 20)


def _paid(rng: random.Random, customer: Customer, invoice: Invoice, amount: int, day: date,
          when: _Calendar) -> list[Piece]:
    """The whole amount on `day`, or part of it then (a partial payment) and the rest later."""
    troubled = customer.habit == WRITE_OFF or (customer.turn is not None and invoice.issue_date >= customer.turn)
    if rng.random() >= (0.35 if troubled else PARTIAL_SHARE):
        return [Piece(customer.code, invoice.number, day, amount, invoice.currency)]
    first = share(amount, rng.choice((30, 40, 50, 50, 50, 60, 70)))
    pieces = [Piece(customer.code, invoice.number, day, first, invoice.currency)]
    later = when.day(day, rng.randint(10, 35))
    if when.allowed(customer, later):
        pieces.append(Piece(customer.code, invoice.number, later, amount - first, invoice.currency))
    return pieces


def _disputed(rng: random.Random, customer: Customer, invoice: Invoice, day: date, when: _Calendar):
    """A claim: paid short (or held back) until a credit note for the claim settles it."""
    claim = share(invoice.amount, rng.randint(3, 20))
    rest = invoice.amount - claim
    held_back = rng.random() < 1 / 3
    credit_day = when.day(day, rng.randint(20, 60) if held_back else rng.randint(15, 60))
    credits = []
    if credit_day <= when.until:
        credits.append(Credit(customer.code, credit_day, claim, invoice.number, rng.choice(DISPUTE_REASONS),
                              invoice.currency))
    if held_back:
        day = when.day(credit_day, rng.randint(3, 12))
    pieces = [Piece(customer.code, invoice.number, day, rest, invoice.currency)] if when.allowed(customer, day) else []
    return pieces, credits


def _returned(rng: random.Random, customer: Customer, invoice: Invoice, day: date | None, when: _Calendar):
    """Part of the goods came back: a credit note names the invoice; the customer pays the rest."""
    credit_day = when.day(invoice.issue_date, rng.randint(5, 25))
    if credit_day > when.until:
        return (_paid(rng, customer, invoice, invoice.amount, day, when) if day else []), []
    returned = share(invoice.amount, rng.randint(10, 40))
    credit = Credit(customer.code, credit_day, returned, invoice.number, RETURN_REASON, invoice.currency)
    pieces = [Piece(customer.code, invoice.number, day, invoice.amount - returned, invoice.currency)] if day else []
    return pieces, [credit]


def share(amount: int, percent: int) -> int:
    """`percent` of an amount, in whole tens of units when it is large enough; always 0 < part < amount."""
    part = amount * percent // 100
    if part >= 100_00:
        part = part // 10_00 * 10_00
    return part if 0 < part < amount else max(amount // 2, 1)


def _rebates(rng: random.Random, customers: list[Customer], invoices: list[Invoice],
             when: _Calendar) -> list[Credit]:
    """About half the key accounts get 1 % of last year's sales back in January, naming no invoice."""
    january = date(when.until.year, 1, 15)
    sales: dict[str, int] = {}
    for invoice in invoices:
        if invoice.issue_date.year == january.year - 1:
            sales[invoice.customer] = sales.get(invoice.customer, 0) + invoice.amount
    day = when.day(january, 0)
    credits = []
    for customer in customers:
        amount = sales.get(customer.code, 0) // 100 // 100_00 * 100_00
        if customer.segment == KEY and rng.random() < 0.5 and amount > 0 and day <= when.until:
            credits.append(Credit(customer.code, day, amount, None, REBATE_REASON, customer.currency))
    return credits


def _overpaid(rng: random.Random, customers: list[Customer], invoices: list[Invoice],
              pieces: list[Piece]) -> list[Piece]:
    """A few whole-invoice transfers rounded up to the next 1,000 or 10,000: the surplus stays unapplied."""
    eligible = {c.code for c in customers if c.habit in (PROMPT, LATE) and not c.statement_payer}
    amounts = {invoice.number: invoice.amount for invoice in invoices}
    candidates = [i for i, p in enumerate(pieces) if p.customer in eligible and p.amount == amounts[p.invoice]]
    count = min(len(candidates), max(2, len(customers) // 50))
    out = list(pieces)
    for index in sorted(rng.sample(candidates, count)):
        piece = out[index]
        unit = 10_000_00 if piece.amount >= 20_000_00 else 1_000_00
        paid = (piece.amount // unit + 1) * unit
        out[index] = replace(piece, extra=paid - piece.amount)
    return out
