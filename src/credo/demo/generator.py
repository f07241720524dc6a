"""The demo ledger as ERP-style file rows: pure, deterministic, no database and no clock.

`generate` turns (customers, months, seed, until) into the rows of five files (customers,
fx-rates, invoices, payments, credit-notes), one dict per row keyed by the file's column names,
every value text as an ERP export writes it. One `random.Random(seed)` drives every draw, in a
fixed order, so the same arguments give the same rows.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Mapping

import holidays

from credo.demo.customers import Customer, make_customers, salesperson
from credo.demo.invoices import BusinessDay, Invoice, make_invoices, month_starts
from credo.demo.payments import Payment, apply_credits, make_payments
from credo.demo.settle import Credit, plan_settlements
from credo.domain.money import from_minor
from credo.errors import InvalidInput

COLUMNS = {
    "customers": ("customer_code", "name", "group_code", "group_name", "country", "currency", "language",
                  "segment", "collector", "salesperson", "contact_name", "contact_email", "contact_phone", "terms"),
    "fx-rates": ("currency", "rate_date", "rate"),
    "invoices": ("invoice_number", "customer_code", "invoice_date", "due_date", "terms", "amount", "currency"),
    "payments": ("payment_ref", "customer_code", "payment_date", "amount", "invoice_number", "currency"),
    "credit-notes": ("credit_note_number", "customer_code", "issue_date", "amount", "invoice_number", "reason",
                     "currency"),
}
KINDS = tuple(COLUMNS)  # also the order of import: customers before what refers to them
# Monthly FX rates (units of CNY per unit, in ten-thousandths): start, lowest, highest.
FX_RANGES = {"USD": (7_2000, 7_1000, 7_3000), "EUR": (7_8200, 7_7000, 7_9500)}
Row = Mapping[str, str]


@dataclass(frozen=True)
class DemoData:
    rows: Mapping[str, tuple[Row, ...]]   # file kind -> rows, in KINDS order
    habits: Mapping[str, str]             # customer code -> payment habit (not a column)
    open_amounts: Mapping[str, int]       # invoice number -> minor units open at `until`

    def count(self, kind: str) -> int:
        return len(self.rows[kind])


def business_days(calendar: str | None) -> BusinessDay:
    """The same rule the import uses to roll due dates (services.companies.business_day_rule)."""
    if not calendar:
        return lambda day: True
    closed = holidays.country_holidays(calendar.upper())
    return lambda day: day.weekday() < 5 and day not in closed


def generate(*, customers: int = 200, months: int = 24, seed: int = 7, until: date,
             calendar: str | None = "CN") -> DemoData:
    if customers < 1 or months < 1:
        raise InvalidInput("a demo needs at least one customer and one month")
    rng = random.Random(seed)
    is_business_day = business_days(calendar)
    start = first_month(until, months)
    people = make_customers(rng, customers, start, until)
    invoices = make_invoices(rng, people, until, is_business_day)
    pieces, credits = plan_settlements(rng, people, invoices, until, is_business_day)
    payments, open_after_payments = make_payments(rng, people, invoices, pieces)
    credits = sorted(credits, key=lambda c: (c.day, c.customer, c.invoice or ""))
    rows = {
        "customers": tuple(_customer_row(c) for c in people),
        "fx-rates": _fx_rows(rng, people, start, until),
        "invoices": tuple(_invoice_row(i) for i in invoices),
        "payments": tuple(_payment_row(p) for p in payments),
        "credit-notes": _credit_rows(credits),
    }
    return DemoData(MappingProxyType(rows), MappingProxyType({c.code: c.habit for c in people}),
                    MappingProxyType(apply_credits(open_after_payments, credits)))


def first_month(until: date, months: int) -> date:
    """The first day of the month `months - 1` months before the month of `until`."""
    index = until.year * 12 + until.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def _money(minor: int, currency: str) -> str:
    return str(from_minor(minor, currency))


def _customer_row(c: Customer) -> Row:
    return {
        "customer_code": c.code, "name": c.name, "group_code": c.group_code or "", "group_name": c.group_name or "",
        "country": c.country, "currency": c.currency, "language": c.language, "segment": c.segment,
        "collector": c.collector, "salesperson": salesperson(c), "contact_name": c.contact_name, "contact_email": c.contact_email,
        "contact_phone": c.contact_phone, "terms": c.terms,
    }


def _invoice_row(i: Invoice) -> Row:
    """The customer's terms, or (when agreed apart) the due date itself."""
    return {
        "invoice_number": i.number, "customer_code": i.customer, "invoice_date": i.issue_date.isoformat(),
        "due_date": "" if i.terms else i.due_date.isoformat(), "terms": i.terms or "",
        "amount": _money(i.amount, i.currency), "currency": i.currency,
    }


def _payment_row(p: Payment) -> Row:
    return {
        "payment_ref": p.ref, "customer_code": p.customer, "payment_date": p.day.isoformat(),
        "amount": _money(p.amount, p.currency), "invoice_number": ";".join(p.invoices), "currency": p.currency,
    }


def _credit_rows(credits: list[Credit]) -> tuple[Row, ...]:
    """Credit notes CN-<year>-<0001>, numbered in date order within each year."""
    counters: dict[int, int] = {}
    rows = []
    for c in credits:
        counters[c.day.year] = counters.get(c.day.year, 0) + 1
        rows.append({
            "credit_note_number": f"CN-{c.day.year}-{counters[c.day.year]:04d}", "customer_code": c.customer,
            "issue_date": c.day.isoformat(), "amount": _money(c.amount, c.currency),
            "invoice_number": c.invoice or "", "reason": c.reason, "currency": c.currency,
        })
    return tuple(rows)


def _fx_rows(rng: random.Random, people: list[Customer], start: date, until: date) -> tuple[Row, ...]:
    """A rate on the first of each month for each foreign currency the customers use."""
    rows = []
    used = {c.currency for c in people}
    for currency, (rate, low, high) in FX_RANGES.items():
        for month in month_starts(start, until):
            if currency in used:
                rows.append({"currency": currency, "rate_date": month.isoformat(),
                             "rate": str(Decimal(rate).scaleb(-4))})
            rate = min(high, max(low, rate + rng.randint(-250, 250)))
    return tuple(rows)

