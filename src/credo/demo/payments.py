"""Demo payments: bank transfers built from the planned pieces, and the ledger they will leave.

Most transfers name their invoice. Customers who pay by statement send one transfer a month for
several invoices; some of those, and a few single transfers, name no invoice at all. A transfer
is left unnamed only when the import's rule (oldest first, see credo.domain.allocation) settles
exactly the invoices it was meant for, so the demo ledger is the one the habits describe.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
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
    amount: int
    currency: str
    invoices: tuple[str, ...]


Plan = tuple[tuple[tuple[str, int], ...], int]  # (invoice, amount) pairs applied, and what is left


def make_payments(rng: random.Random, customers: list[Customer], invoices: list[Invoice],
                  pieces: list[Piece]) -> tuple[list[Payment], dict[str, int]]:
    """Payments PAY-000001... in date order, and what each invoice still has open after them."""
    statement = {c.code for c in customers if c.statement_payer}
    age = {inv.number: n for n, inv in enumerate(oldest_first(invoices))}
    transfers = sorted(_transfers(pieces, statement, age), key=lambda t: (t.day, t.customer, t.invoices))
    book = _Book(invoices)
    payments = []
    for n, transfer in enumerate(transfers, 1):
        share = UNNAMED_LUMP_SHARE if len(transfer.invoices) > 1 else UNNAMED_SINGLE_SHARE
        named = book.by_name(transfer)
        unnamed = rng.random() < share and book.by_age(transfer) == named
        book.apply(named)
        payments.append(Payment(f"PAY-{n:06d}", transfer.customer, transfer.day, transfer.amount,
                                transfer.currency, () if unnamed else transfer.invoices))
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
    single = [_Transfer(p.customer, p.day, p.amount + p.extra, p.currency, (p.invoice,))
              for p in pieces if p.customer not in statement]
    monthly: dict[tuple, list[Piece]] = defaultdict(list)
    for piece in pieces:
        if piece.customer in statement:
            monthly[(piece.customer, piece.day.year, piece.day.month)].append(piece)
    lumps = []
    for (customer, _, _), group in monthly.items():
        numbers = tuple(sorted({p.invoice for p in group}, key=age.__getitem__))
        amount = sum(p.amount + p.extra for p in group)
        lumps.append(_Transfer(customer, max(p.day for p in group), amount, group[0].currency, numbers))
    return single + lumps


class _Book:
    """Open amounts per invoice, following the import's allocation rule."""

    def __init__(self, invoices: list[Invoice]):
        self.open = {inv.number: inv.amount for inv in invoices}
        self.by_customer: dict[str, list[str]] = defaultdict(list)
        for inv in oldest_first(invoices):
            self.by_customer[inv.customer].append(inv.number)

    def by_name(self, transfer: _Transfer) -> Plan:
        return self._spread(transfer.amount, transfer.invoices)

    def by_age(self, transfer: _Transfer) -> Plan:
        return self._spread(transfer.amount, self.by_customer[transfer.customer])

    def _spread(self, amount: int, numbers) -> Plan:
        applied = []
        for number in numbers:
            if amount <= 0:
                break
            part = min(amount, self.open[number])
            if part > 0:
                applied.append((number, part))
                amount -= part
        return tuple(applied), amount

    def apply(self, plan: Plan) -> None:
        for number, part in plan[0]:
            self.open[number] -= part
