"""Demo invoices: a few a month per customer, amounts by segment, due dates as the import derives them.

Amounts are integer minor units (cents) drawn with randint, so no float ever touches money.
"""

from __future__ import annotations

import calendar as months_calendar
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Iterator

from credo.demo.customers import KEY, SMALL, STANDARD, Customer, weighted
from credo.domain import terms as payment_terms

BusinessDay = Callable[[date], bool]

# (from, to, weight) in yuan: a skewed, lognormal-like spread built from integer ranges.
AMOUNTS = {
    KEY: ((50_000, 100_000, 3), (100_000, 200_000, 4), (200_000, 350_000, 2), (350_000, 500_000, 1)),
    STANDARD: ((10_000, 30_000, 3), (30_000, 60_000, 4), (60_000, 100_000, 2), (100_000, 150_000, 1)),
    SMALL: ((2_000, 5_000, 3), (5_000, 12_000, 4), (12_000, 20_000, 2), (20_000, 30_000, 1)),
}
PER_MONTH = {KEY: (3, 6), STANDARD: (2, 4), SMALL: (1, 2)}
# Rough yuan per unit (x100) to size foreign-currency invoices like their CNY peers.
SIZE_RATES = {"CNY": 100, "USD": 720, "EUR": 785}
ROUND_SHARE = 0.1          # invoices for a round sum (a contract price, a deposit)
EXPLICIT_DUE_SHARE = 0.05  # invoices with a due date agreed apart from the customer's terms


@dataclass(frozen=True)
class Invoice:
    number: str
    customer: str
    issue_date: date
    due_date: date
    amount: int          # minor units
    currency: str
    terms: str | None    # None: the file gives the due date instead


def month_starts(first: date, until: date) -> Iterator[date]:
    month = first.replace(day=1)
    while month <= until:
        yield month
        month = (month + timedelta(days=32)).replace(day=1)


def roll_forward(day: date, is_business_day: BusinessDay) -> date:
    return payment_terms.roll_forward(day, is_business_day)


def make_invoices(rng: random.Random, customers: list[Customer], until: date,
                  is_business_day: BusinessDay) -> list[Invoice]:
    """Every customer's invoices, numbered INV-<year>-<000001> in date order within each year."""
    workdays = _Workdays(is_business_day, until)
    drafts = []
    for customer in customers:
        for month in month_starts(customer.first_month, until):
            days = workdays.of(month)
            for _ in range(_count(rng, customer, month)):
                if not days:
                    break
                issue = rng.choice(days)
                if customer.last_invoice and issue > customer.last_invoice:
                    continue
                drafts.append(_draft(rng, customer, issue, is_business_day))
    drafts.sort(key=lambda d: (d[0], d[1]))  # stable: same day and customer keep their draw order
    return _numbered(drafts)


class _Workdays:
    """Business days of a month up to `until`, computed once per month."""

    def __init__(self, is_business_day: BusinessDay, until: date):
        self.is_business_day, self.until, self.cache = is_business_day, until, {}

    def of(self, month: date) -> list[date]:
        if month not in self.cache:
            last = months_calendar.monthrange(month.year, month.month)[1]
            days = (month.replace(day=d) for d in range(1, last + 1))
            self.cache[month] = [d for d in days if d <= self.until and self.is_business_day(d)]
        return self.cache[month]


def _count(rng: random.Random, customer: Customer, month: date) -> int:
    """Invoices this month; February (Chinese New Year) is quieter."""
    low, high = PER_MONTH[customer.segment]
    count = rng.randint(low, high)
    return max(1, count - 1) if month.month == 2 else count


def _draft(rng: random.Random, customer: Customer, issue: date, is_business_day: BusinessDay) -> tuple:
    amount = _amount(rng, customer)
    if rng.random() < EXPLICIT_DUE_SHARE:
        due = roll_forward(issue + timedelta(days=rng.choice((45, 75))), is_business_day)
        return issue, customer.code, amount, customer.currency, due, None
    terms = payment_terms.parse_terms(customer.terms)
    return issue, customer.code, amount, customer.currency, \
        payment_terms.due_date(terms, issue, is_business_day), customer.terms


def _amount(rng: random.Random, customer: Customer) -> int:
    """Minor units: a weighted range of the segment, scaled to the customer, now and then round."""
    low, high = weighted(rng, [((lo, hi), w) for lo, hi, w in AMOUNTS[customer.segment]])
    cents = rng.randint(low * 100, high * 100) * customer.scale // 100
    cents = cents * 100 // SIZE_RATES[customer.currency]
    if rng.random() < ROUND_SHARE:
        unit = 100_00 if customer.segment == SMALL or customer.currency != "CNY" else 1_000_00
        cents = max(unit, (cents + unit // 2) // unit * unit)
    return max(cents, 1)


def _numbered(drafts: list[tuple]) -> list[Invoice]:
    counters: dict[int, int] = {}
    out = []
    for issue, code, amount, currency, due, terms in drafts:
        counters[issue.year] = counters.get(issue.year, 0) + 1
        number = f"INV-{issue.year}-{counters[issue.year]:06d}"
        out.append(Invoice(number, code, issue, due, amount, currency, terms))
    return out
