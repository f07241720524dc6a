"""Demo payments: bank transfers built from the planned pieces, and the ledger they will leave.

Most transfers name their invoice. Customers who pay by statement send one transfer a month for
several invoices; some of those, and a few single transfers, name no invoice at all. A transfer
is left unnamed only when the import's rule (oldest first, see credo.domain.allocation) settles
exactly the invoices it was meant for, so the demo ledger is the one the habits describe.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from credo.demo.customers import Customer
from credo.demo.invoices import Invoice
from credo.demo.settle import Credit, Piece
from credo.domain.allocation import oldest_first

UNNAMED_LUMP_SHARE = 0.5     # statement transfers that come without a remittance advice
UNNAMED_SINGLE_SHARE = 0.03  # single transfers without a reference


@dataclass(frozen=True)
class Payment:
    ref: str
    customer: str
    day: date
    amount: int
    currency: str
    invoices: tuple[str, ...]  # named on the transfer; () means applied oldest first


@dataclass(frozen=True)
class _Transfer:
    customer: str
    day: date
    currency: str
    meant: tuple[tuple[str, int], ...]  # (invoice, amount) the customer means to settle, oldest first
    extra: int = 0                      # sent beyond them: stays unapplied

    @property
    def amount(self) -> int:
        return sum(amount for _, amount in self.meant) + self.extra


Plan = tuple[dict[str, int], int]  # amount applied per invoice, and what is left unapplied


def make_payments(rng: random.Random, customers: list[Customer], invoices: list[Invoice],
                  pieces: list[Piece]) -> tuple[list[Payment], dict[str, int]]:
    """Payments PAY-000001... in date order, and what each invoice still has open after them."""
    statement = {c.code for c in customers if c.statement_payer}
    age = {inv.number: n for n, inv in enumerate(oldest_first(invoices))}
    transfers = sorted(_transfers(pieces, statement, age), key=lambda t: (t.day, t.customer, t.meant))
    book = _Book(invoices)
    payments: list[Payment] = []
    for transfer in transfers:
        for part in book.realisable(transfer):
            share = UNNAMED_LUMP_SHARE if len(part.meant) > 1 else UNNAMED_SINGLE_SHARE
            order = book.named_order(part)
            named = book.plan(part.amount, order)
            unnamed = rng.random() < share and book.plan(part.amount, book.by_customer[part.customer]) == named
            book.apply(named)
            names = () if unnamed else order
            payments.append(Payment(f"PAY-{len(payments) + 1:06d}", part.customer, part.day, part.amount,
                                    part.currency, names))
    return payments, book.open


def apply_credits(open_amounts: dict[str, int], credits: list[Credit]) -> dict[str, int]:
    """What stays open once credit notes naming an invoice settle it (up to its open amount)."""
    left = dict(open_amounts)
    for credit in sorted(credits, key=lambda c: c.day):
        if credit.invoice is not None:
            left[credit.invoice] -= min(credit.amount, left[credit.invoice])
    return left


def _transfers(pieces: list[Piece], statement: set[str], age: dict[str, int]) -> list[_Transfer]:
    """One transfer per piece, except statement payers: one per customer and month."""
    single = [_Transfer(p.customer, p.day, p.currency, ((p.invoice, p.amount),), p.extra)
              for p in pieces if p.customer not in statement]
    monthly: dict[tuple, list[Piece]] = defaultdict(list)
    for piece in pieces:
        if piece.customer in statement:
            monthly[(piece.customer, piece.day.year, piece.day.month)].append(piece)
    lumps = []
    for (customer, _, _), group in monthly.items():
        meant: dict[str, int] = {}
        for piece in sorted(group, key=lambda p: age[p.invoice]):
            meant[piece.invoice] = meant.get(piece.invoice, 0) + piece.amount
        extra = sum(p.extra for p in group)
        lumps.append(_Transfer(customer, max(p.day for p in group), group[0].currency, tuple(meant.items()), extra))
    return single + lumps


class _Book:
    """Open amounts per invoice, following the import's allocation rule."""

    def __init__(self, invoices: list[Invoice]):
        self.open = {inv.number: inv.amount for inv in invoices}
        self.by_customer: dict[str, list[str]] = defaultdict(list)
        for inv in oldest_first(invoices):
            self.by_customer[inv.customer].append(inv.number)

    def named_order(self, transfer: _Transfer) -> tuple[str, ...]:
        """Invoices settled in full first, the one paid in part last: so each gets what is meant."""
        return tuple(sorted((n for n, _ in transfer.meant), key=lambda n: dict(transfer.meant)[n] < self.open[n]))

    def realisable(self, transfer: _Transfer) -> list[_Transfer]:
        """The transfer, or one transfer per invoice when naming them cannot give each its part."""
        applied, left = self.plan(transfer.amount, self.named_order(transfer))
        if applied == dict(transfer.meant) and left == transfer.extra:
            return [transfer]
        return [replace(transfer, meant=(item,), extra=0) for item in transfer.meant]

    def plan(self, amount: int, numbers) -> Plan:
        applied = {}
        for number in numbers:
            if amount <= 0:
                break
            part = min(amount, self.open[number])
            if part > 0:
                applied[number] = part
                amount -= part
        return applied, amount

    def apply(self, plan: Plan) -> None:
        for number, part in plan[0].items():
            self.open[number] -= part
