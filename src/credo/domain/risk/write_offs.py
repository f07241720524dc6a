"""Write-offs (核销) as pure rules: spreading an amount over invoices, what stays writable, the
allowance's movement over a period and its journal entries (CAS: 信用减值损失 / 坏账准备 / 应收账款).

Amounts are whole minor units (int) where the ledger is concerned and Decimal in the movement,
which is in the base currency; nothing here reads a clock or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence


def lowest_open(amount: int, settled_by: int, later: Iterable[tuple[date, int]]) -> int:
    """The least an invoice stays open on any day from a date on: `settled_by` is what its allocations
    dated on or before the date add up to, `later` the (date, amount) of those dated after it (reversals
    negative). A write-off dated that day can take no more, or some later report would show less than 0."""
    open_minor = lowest = amount - settled_by
    day_total: dict[date, int] = {}
    for day, minor in later:
        day_total[day] = day_total.get(day, 0) + minor
    for day in sorted(day_total):
        open_minor -= day_total[day]
        lowest = min(lowest, open_minor)
    return max(lowest, 0)


def spread(total: int, available: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """(key, amount) taking `total` from the (key, available) pairs in their order (oldest first),
    each at most its availability; ValueError when they hold less than the total."""
    if total <= 0:
        raise ValueError("the amount must be positive")
    out, left = [], total
    for key, most in available:
        if left == 0:
            break
        take = min(most, left)
        if take > 0:
            out.append((key, take))
            left -= take
    if left:
        raise ValueError(f"only {total - left} of {total} is open to write off")
    return out


def recovered_base(base_amount: int, amount: int, recovered_before: int, recovering: int,
                   base_recovered_before: int) -> int:
    """The base-currency part of a recovery, at the write-off's own rate (HALF_UP on the minor unit):
    the last recovery takes what is left, so a write-off recovered in full reverses exactly."""
    if recovered_before + recovering >= amount:
        return base_amount - base_recovered_before
    exact = Decimal(base_amount) * Decimal(recovering) / Decimal(amount)
    return int(exact.to_integral_value(rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Movement:
    """The allowance for credit losses (坏账准备) over a period, in the base currency.

    closing = opening + charge + recovered - used - released. `used` is what write-offs booked in the
    period took from it, `recovered` what recoveries put back; charge and released are the balancing
    figure (closing - opening + used - recovered): positive a charge to profit and loss, negative a
    release."""

    start: date
    end: date
    opening: Decimal
    charge: Decimal
    used: Decimal
    recovered: Decimal
    released: Decimal
    closing: Decimal


def movement_of(start: date, end: date, opening: Decimal, closing: Decimal, used: Decimal,
                recovered: Decimal) -> Movement:
    balance = closing - opening + used - recovered
    zero = balance - balance  # keeps the currency's decimals
    charge, released = (balance, zero) if balance >= 0 else (zero, -balance)
    return Movement(start, end, opening, charge, used, recovered, released, closing)


@dataclass(frozen=True)
class Accounts:
    """General-ledger account codes of the journal (defaults: the CAS chart)."""

    impairment_loss: str = "6702"  # 信用减值损失
    allowance: str = "1231"  # 坏账准备
    receivables: str = "1122"  # 应收账款


@dataclass(frozen=True)
class Entry:
    """One journal line: a debit or a credit to an account (the other side is zero)."""

    day: date
    account: str
    debit: Decimal
    credit: Decimal
    memo: str


@dataclass(frozen=True)
class Booked:
    """A write-off (kind "write_off") or a recovery ("recovery") in the base currency, for the journal."""

    kind: str
    day: date
    amount: Decimal
    memo: str


def journal(movement: Movement, booked: Sequence[Booked], accounts: Accounts) -> list[Entry]:
    """The period's entries, by date: each write-off Dr allowance / Cr receivables, each recovery
    Dr receivables / Cr allowance, and the charge (Dr impairment loss / Cr allowance) or the release
    (the reverse) on the period's last day. Debits equal credits by construction."""
    entries: list[Entry] = []
    zero = movement.closing - movement.closing

    def pair(day: date, debit: str, credit: str, amount: Decimal, memo: str) -> None:
        entries.extend([Entry(day, debit, amount, zero, memo), Entry(day, credit, zero, amount, memo)])

    for item in sorted(booked, key=lambda b: (b.day, b.kind, b.memo)):
        if item.kind == "write_off":
            pair(item.day, accounts.allowance, accounts.receivables, item.amount, item.memo)
        else:
            pair(item.day, accounts.receivables, accounts.allowance, item.amount, item.memo)
    period = f"{movement.start} to {movement.end}"
    if movement.charge:
        pair(movement.end, accounts.impairment_loss, accounts.allowance, movement.charge,
             f"provision charge {period}")
    if movement.released:
        pair(movement.end, accounts.allowance, accounts.impairment_loss, movement.released,
             f"provision released {period}")
    return entries
