"""Late-payment interest and fixed compensation (逾期罚息), as pure functions over dated balances.

Interest is simple interest on the overdue balance, day by day: a partial payment lowers the
balance from its own date (declining balance). A rule is data:
- a contract rate, annual (`12 %` a year, over a 365- or 360-day year) or daily (万分之五, 0.05 %
  a day), with grace days that are free of interest;
- the EU late payment directive (2011/7/EU): the reference rate of each half-year + 8 points,
  and EUR 40 per late invoice;
- the UK Late Payment of Commercial Debts (Interest) Act 1998: the reference (base) rate in
  force before the half-year in which the debt became overdue + 8 points, fixed for the life of
  the debt, and GBP 40 / 70 / 100 by the size of the debt.
Reference rates are data too (`ReferenceRates`: a rate per half-year), never looked up here.

Each period is computed exactly; the total is rounded once, HALF_UP to the currency's minor unit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Mapping, Sequence

from credo.domain.money import ZERO, quantize

HUNDRED = Decimal(100)


class RateBasis(Enum):
    ANNUAL = "annual"  # percent a year, over `day_basis` days
    DAILY = "daily"  # percent a day (万分之五 = 0.05)


class Statute(Enum):
    CONTRACT = "contract"
    EU = "eu_2011_7"
    UK = "uk_1998"


@dataclass(frozen=True)
class ReferenceRates:
    """The reference rate (percent) of each half-year, keyed by its first day (1 January or
    1 July): the ECB main refinancing rate for the EU rule, the Bank of England base rate for the UK's."""

    by_half_year: Mapping[date, Decimal]

    def for_day(self, day: date) -> Decimal:
        start = half_year_start(day)
        try:
            return self.by_half_year[start]
        except KeyError:
            raise ValueError(f"no reference rate for the half-year starting {start}") from None


@dataclass(frozen=True)
class InterestRule:
    statute: Statute = Statute.CONTRACT
    rate: Decimal = ZERO  # percent: a year (ANNUAL) or a day (DAILY); statutes: the margin over the reference
    basis: RateBasis = RateBasis.ANNUAL
    day_basis: int = 365  # days in the year an annual rate is spread over (365 or 360)
    grace_days: int = 0  # days after the due date free of interest; interest then runs from the day after them
    fixed_fee: Decimal = ZERO  # a contract's fixed charge per late invoice, in the invoice's currency

    def __post_init__(self):
        if self.rate < 0 or self.grace_days < 0 or self.fixed_fee < 0:
            raise ValueError("an interest rule's rate, grace days and fee cannot be negative")
        if self.day_basis not in (360, 365):
            raise ValueError(f"day basis {self.day_basis}: use 365 or 360")


def eu_directive() -> InterestRule:
    """2011/7/EU art. 2(6) and 6: reference rate + 8 points; EUR 40 per late invoice."""
    return InterestRule(Statute.EU, Decimal(8))


def uk_late_payment() -> InterestRule:
    """Late Payment of Commercial Debts (Interest) Act 1998, s.4 and 5A: base rate + 8 %."""
    return InterestRule(Statute.UK, Decimal(8))


@dataclass(frozen=True)
class InterestPeriod:
    start: date  # first day of interest
    end: date  # last day of interest (inclusive)
    balance: Decimal  # the overdue balance over these days
    rate: Decimal  # percent a year (or a day, for a daily rate)
    interest: Decimal  # exact, unrounded

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class LateInterest:
    currency: str
    periods: tuple[InterestPeriod, ...]
    interest: Decimal  # the periods' sum, rounded HALF_UP to the currency
    compensation: Decimal  # the fixed sum (statute) or fee (contract), 0 when never late

    @property
    def total(self) -> Decimal:
        return self.interest + self.compensation


def half_year_start(day: date) -> date:
    return date(day.year, 1 if day.month <= 6 else 7, 1)


def late_interest(amount: Decimal, currency: str, due_date: date, payments: Sequence[tuple[date, Decimal]],
                  as_of: date, rule: InterestRule, rates: ReferenceRates | None = None) -> LateInterest:
    """Interest on a debt of `amount` due on `due_date`, reduced by `payments` (date, amount) from
    each one's date, counted up to and including `as_of`. A payment on day D stops interest on what
    it pays from D on (D itself is not charged)."""
    start = due_date + timedelta(days=rule.grace_days + 1)
    balance, periods = amount, []
    for day, paid in sorted(p for p in payments if p[0] <= as_of):
        if day > start and balance > 0:
            periods.extend(_periods(start, day - timedelta(days=1), balance, due_date, rule, rates))
        start = max(start, day)
        balance -= paid
    if balance > 0 and as_of >= start:
        periods.extend(_periods(start, as_of, balance, due_date, rule, rates))
    interest = quantize(sum((p.interest for p in periods), ZERO), currency)
    late = bool(periods)
    return LateInterest(currency, tuple(periods), interest,
                        compensation(amount, currency, rule) if late else quantize(ZERO, currency))


def _periods(start: date, end: date, balance: Decimal, due_date: date, rule: InterestRule,
             rates: ReferenceRates | None) -> list[InterestPeriod]:
    """Days start..end at one balance, split where the rate changes (the EU's half-years)."""
    if rule.statute is Statute.CONTRACT:
        return [_period(start, end, balance, rule.rate, rule)]
    if rates is None:
        raise ValueError(f"the {rule.statute.value} rule needs reference rates")
    if rule.statute is Statute.UK:  # fixed at the half-year in which the debt became overdue
        return [_period(start, end, balance, rates.for_day(due_date + timedelta(days=1)) + rule.rate, rule)]
    out = []
    while start <= end:
        next_half = date(start.year, 7, 1) if start.month <= 6 else date(start.year + 1, 1, 1)
        stop = min(end, next_half - timedelta(days=1))
        out.append(_period(start, stop, balance, rates.for_day(start) + rule.rate, rule))
        start = next_half
    return out


def _period(start: date, end: date, balance: Decimal, rate: Decimal, rule: InterestRule) -> InterestPeriod:
    days = (end - start).days + 1
    if rule.basis is RateBasis.DAILY:
        interest = balance * rate / HUNDRED * days
    else:
        interest = balance * rate / HUNDRED * days / rule.day_basis
    return InterestPeriod(start, end, balance, rate, interest)


# UK Act s.5A: the fixed sum by the size of the debt (GBP), from the largest threshold down.
UK_FIXED_SUMS = ((Decimal("10000"), Decimal("100")), (Decimal("1000"), Decimal("70")), (ZERO, Decimal("40")))
EU_FIXED_SUM = Decimal("40")  # EUR, 2011/7/EU art. 6(1)


STATUTE_CURRENCY = {Statute.EU: "EUR", Statute.UK: "GBP"}


def compensation(amount: Decimal, currency: str, rule: InterestRule) -> Decimal:
    """The fixed sum a late invoice earns: the statute's, for a debt in its currency (the caller
    converts a debt in another currency first), or the contract's fee."""
    if rule.statute is Statute.CONTRACT:
        return quantize(rule.fixed_fee, currency)
    wanted = STATUTE_CURRENCY[rule.statute]
    if currency != wanted:
        raise ValueError(f"the {rule.statute.value} fixed sum is set in {wanted}: convert the {currency} debt first")
    if rule.statute is Statute.EU:
        return quantize(EU_FIXED_SUM, currency)
    return quantize(next(fee for floor, fee in UK_FIXED_SUMS if amount >= floor), currency)


class Part(Enum):
    COSTS = "costs"
    INTEREST = "interest"
    PRINCIPAL = "principal"


# BGB s.367: costs first, then interest, then the principal (the default order).
COSTS_INTEREST_PRINCIPAL = (Part.COSTS, Part.INTEREST, Part.PRINCIPAL)


def settle_parts(payment: Decimal, owed: Mapping[Part, Decimal],
                 order: Sequence[Part] = COSTS_INTEREST_PRINCIPAL) -> tuple[dict[Part, Decimal], Decimal]:
    """How a payment settles what is owed, part by part in the policy's order: ({part: paid}, left over)."""
    if sorted(order, key=lambda p: p.value) != sorted(Part, key=lambda p: p.value):
        raise ValueError("the settlement order must name costs, interest and principal once each")
    paid, left = {}, payment
    for part in order:
        paid[part] = min(left, max(owed.get(part, ZERO), ZERO))
        left -= paid[part]
    return paid, left
