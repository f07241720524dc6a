"""Early-payment discount offers (提前付款折扣, e.g. 2/10 net 30): what an offer gives off an invoice,
and whether a payment took it. Pure: the dates and allocations are arguments.

An offer gives `percent` off what is open on an invoice the day it is made (rounded HALF_UP to the
currency). A payment dated from the offer's day to its pay-by date takes the discount when, after it,
what is still open on the invoice is no more than the discount plus one minor unit of the currency
(the customer's own rounding of the net amount); the rest is then credited so the invoice closes. A
payment that leaves more open (short), or comes after the pay-by date (late), takes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Sequence

from credo.domain.money import ZERO, quantize, quantum


@dataclass(frozen=True)
class Settled:
    """An allocation to the invoice: its date, amount (negative: a reversal) and whether a payment made it."""

    on: date
    amount: Decimal
    by_payment: bool


@dataclass(frozen=True)
class Taken:
    on: date          # the date of the payment that took the discount
    credit: Decimal   # what was left open on that date: the discount to credit


def check_percent(percent: Decimal) -> None:
    if not ZERO < percent < 100:
        raise ValueError(f"a discount of {percent} %: it must be above 0 and below 100 percent")


def discount_on(open_amount: Decimal, percent: Decimal, currency: str) -> Decimal:
    """The discount an offer gives on what is open: open x percent / 100, HALF_UP to the currency."""
    check_percent(percent)
    return quantize(open_amount * percent / 100, currency)


def discount_taken(amount: Decimal, settled: Sequence[Settled], discount: Decimal, currency: str,
                   offered_on: date, pay_by: date) -> Taken | None:
    """The first day from `offered_on` to `pay_by` on which a payment left no more open on the
    invoice (`amount` less every allocation dated by then) than the discount plus one minor unit,
    with something still open; None when no payment did (short, late, or paid in full)."""
    limit = discount + quantum(currency)
    days = sorted({s.on for s in settled if s.by_payment and offered_on <= s.on <= pay_by})
    for day in days:
        left = amount - sum((s.amount for s in settled if s.on <= day), ZERO)
        if ZERO < left <= limit:
            return Taken(day, left)
    return None


def status_on(stored: str, closed_on: date | None, pay_by: date, as_of: date) -> str:
    """An offer's status as of a date: taken or withdrawn from the day it was, expired after its
    pay-by date, offered before."""
    if stored in ("taken", "withdrawn") and closed_on is not None and closed_on <= as_of:
        return stored
    return "expired" if as_of > pay_by else "offered"
