"""Applying a payment to open invoices: the plan only; services record it.

The rule is the customer's word first (the invoices named on the remittance, in that order),
otherwise oldest first, which is what most contracts and auditors expect. Whatever cannot be
applied stays unapplied on the customer's account rather than overpaying an invoice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from credo.domain.records import OpenInvoice


@dataclass(frozen=True)
class AllocationPlan:
    """(invoice number, amount) pairs in the order applied, and what is left over."""

    allocations: tuple[tuple[str, Decimal], ...]
    unapplied: Decimal


def oldest_first(invoices: Iterable[OpenInvoice]) -> list[OpenInvoice]:
    """Order by due date, then issue date, then number, so ties break the same way each time."""
    return sorted(invoices, key=lambda inv: (inv.due_date, inv.issue_date, inv.number))


def settling_order(invoices: Iterable[OpenInvoice], paid_on: date) -> list[OpenInvoice]:
    """Money settles what was owed on its date first (oldest first); an advance then meets later
    invoices in the order they were issued. This also makes a report as of any date equal to one
    built only from the documents dated by then."""
    items = list(invoices)
    existing = oldest_first(i for i in items if i.issue_date <= paid_on)
    later = sorted((i for i in items if i.issue_date > paid_on), key=lambda i: (i.issue_date, i.due_date, i.number))
    return existing + later


def plan_allocation(
    amount: Decimal, open_invoices: Sequence[OpenInvoice], named: Sequence[str] = (), paid_on: date | None = None
) -> AllocationPlan:
    """Spread `amount` over the named invoices in order, or over all of them: in settling order
    when the payment's date is given, else oldest first.

    No invoice receives more than its open amount; invoices with nothing open are skipped.
    """
    if amount <= 0:
        raise ValueError(f"a payment to allocate must be positive, got {amount}")
    by_number = _index(open_invoices)
    if named:
        targets = [by_number[number] for number in _checked_names(named, by_number)]
    elif paid_on is not None:
        targets = settling_order(open_invoices, paid_on)
    else:
        targets = oldest_first(open_invoices)
    allocations = []
    remaining = amount
    for invoice in targets:
        if remaining <= 0:
            break
        if invoice.open_amount <= 0:
            continue
        applied = min(remaining, invoice.open_amount)
        allocations.append((invoice.number, applied))
        remaining -= applied
    return AllocationPlan(tuple(allocations), remaining)


def _index(invoices: Sequence[OpenInvoice]) -> dict[str, OpenInvoice]:
    # The plan names invoices by number, so a number must mean one invoice.
    by_number: dict[str, OpenInvoice] = {}
    for invoice in invoices:
        if invoice.number in by_number:
            raise ValueError(f"invoice {invoice.number!r} appears twice among the open invoices")
        by_number[invoice.number] = invoice
    return by_number


def _checked_names(named: Sequence[str], by_number: dict[str, OpenInvoice]) -> Sequence[str]:
    seen: set[str] = set()
    for number in named:
        if number not in by_number:
            raise ValueError(f"invoice {number!r} is not among the customer's open invoices")
        if number in seen:
            raise ValueError(f"invoice {number!r} is named twice")
        seen.add(number)
    return named
