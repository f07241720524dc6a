"""A synthetic ledger, deterministic and streamed: N invoices over 24 months, ~40 % open.

Rows are generated day by day (ids grow with dates, customers are spread at random, as in a real
ledger) and written in batches through `credo.store.bulk.copy_rows`; only the allocations still to
come (at most a few months of them) are held in memory, so 10M invoices need no 10M objects.

Shape (per N invoices): N/50 customers (5 % in USD, with monthly fx rates), 1-3 allocations per
settled invoice (~1.3 N allocations), one payment per customer and day whose applied_amount is the
sum of its allocations (1 % carry an unapplied rest), credit notes applied to ~3 % of invoices plus
a few unapplied ones, invoices.paid_amount = sum of the invoice's allocations.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection

from credo.store.bulk import copy_rows
from credo.store.tables import allocations, companies, credit_notes, customers, fx_rates, invoices, payments

END = date(2025, 12, 31)
DAYS = 730  # 24 months of invoices, the last one issued on END
START = END - timedelta(days=DAYS - 1)
COMPANY_CODE = "BENCH"
BATCH = 50_000
TERMS = (30, 30, 45, 60, 60, 90)

INVOICE_COLUMNS = ("id", "company_id", "customer_id", "number", "issue_date", "due_date", "terms",
                   "currency", "amount", "paid_amount")
CUSTOMER_COLUMNS = ("id", "company_id", "code", "name", "currency", "language", "segment", "collector", "terms")
PAYMENT_COLUMNS = ("id", "company_id", "customer_id", "ref", "payment_date", "currency", "amount", "applied_amount")
CREDIT_COLUMNS = ("id", "company_id", "customer_id", "number", "issue_date", "currency", "amount",
                  "applied_amount", "invoice_id", "reason")
ALLOCATION_COLUMNS = ("id", "company_id", "invoice_id", "payment_id", "credit_note_id", "alloc_date", "amount",
                      "customer_id", "currency", "issue_date", "due_date", "source_date")


def customer_count(n: int) -> int:
    return max(1, n // 50)


def past_as_of() -> date:
    """About six months before the end: some allocations are dated after it (the as-of path)."""
    return END - timedelta(days=182)


@dataclass
class Counts:
    customers: int = 0
    invoices: int = 0
    open_invoices: int = 0
    partly_paid: int = 0
    allocations: int = 0
    payments: int = 0
    credit_notes: int = 0
    fx_rates: int = 0

    def total(self) -> int:
        return (self.customers + self.invoices + self.allocations + self.payments + self.credit_notes
                + self.fx_rates)


@dataclass
class _Buffers:
    invoices: list = field(default_factory=list)
    credit_notes: list = field(default_factory=list)
    payments: list = field(default_factory=list)
    allocations: list = field(default_factory=list)

    def size(self) -> int:
        return max(len(self.invoices), len(self.allocations), len(self.payments))


def _iso_days(count: int) -> list[str]:
    return [(START + timedelta(days=d)).isoformat() for d in range(count)]


def customer_rows(company_id: int, count: int, seed: int, first_id: int = 1, prefix: str = "C"):
    """(id, company_id, code, name, currency, language, segment, collector, terms) per customer."""
    rng = random.Random(seed)
    segments = ("retail", "wholesale", "industry", "public")
    for k in range(count):
        currency = "USD" if rng.random() < 0.05 else "CNY"
        yield (first_id + k, company_id, f"{prefix}{k + 1:07d}", f"Customer {k + 1}", currency,
               "zh" if currency == "CNY" else "en", rng.choice(segments), f"collector{k % 25:02d}",
               f"NET{rng.choice(TERMS)}")


def _settle_delay(rng: random.Random) -> int | None:
    """Days from due date to the last allocation; None: not settled (still open, maybe part paid)."""
    r = rng.random()
    if r < 0.36:
        return rng.randint(-15, 10)
    if r < 0.56:
        return rng.randint(11, 60)
    if r < 0.66:
        return rng.randint(61, 180)
    if r < 0.73:
        return rng.randint(181, 540)
    return None


def generate(conn: Connection, n: int, seed: int = 20240601, progress=None, commit=None) -> tuple[int, Counts]:
    """Write the ledger of one company into the (empty) tables; returns (company_id, counts)."""
    rng = random.Random(seed)
    counts = Counts()
    company_id = 1
    copy_rows(conn, companies, ("id", "code", "name", "base_currency"),
              [(company_id, COMPANY_CODE, "Benchmark Ltd", "CNY")])
    n_customers = customer_count(n)
    cust_currency = bytearray(n_customers + 1)  # 1 = USD
    cust_terms = bytearray(n_customers + 1)
    batch = []
    for row in customer_rows(company_id, n_customers, seed + 1):
        cust_currency[row[0]] = row[4] == "USD"
        cust_terms[row[0]] = int(row[8][3:])
        batch.append(row)
        if len(batch) >= BATCH:
            copy_rows(conn, customers, CUSTOMER_COLUMNS, batch)
            batch = []
    copy_rows(conn, customers, CUSTOMER_COLUMNS, batch)
    counts.customers = n_customers
    rates = []
    for month in range(25):
        day = date(START.year + (START.month - 1 + month) // 12, (START.month - 1 + month) % 12 + 1, 1)
        rates.append((company_id, "USD", day, f"{7.0 + 0.3 * math.sin(month / 3):.4f}"))
    copy_rows(conn, fx_rates, ("company_id", "currency", "rate_date", "rate"), rates)
    counts.fx_rates = len(rates)

    iso = _iso_days(DAYS + 800)
    currencies = ("CNY", "USD")
    pending: dict[int, list] = {}  # day -> [(invoice_id, customer_id, amount, by_credit_note, issued, due)]
    buf = _Buffers()
    ids = {"invoice": 0, "payment": 0, "credit": 0, "allocation": 0}
    log_low, log_high = math.log(50_000), math.log(20_000_000)  # 500.00 .. 200,000.00
    per_day = [n // DAYS + (1 if d < n % DAYS else 0) for d in range(DAYS)]
    last = DAYS - 1

    for day in range(DAYS):
        for _ in range(per_day[day]):
            ids["invoice"] += 1
            inv = ids["invoice"]
            cust = 1 + int(rng.random() ** 1.6 * n_customers)  # a few customers buy much more
            if cust > n_customers:
                cust = n_customers
            terms = cust_terms[cust]
            amount = int(math.exp(rng.uniform(log_low, log_high)))
            due = day + terms
            delay = _settle_delay(rng)
            schedule: list[tuple[int, int]] = []
            if delay is not None:
                settle = max(day, due + delay)
                k = 1 if rng.random() < 0.3 else (2 if rng.random() < 0.64 else 3)
                if settle == day:
                    k = 1
                days = sorted(rng.randint(day, settle - 1) for _ in range(k - 1)) + [settle]
                left = amount
                for j, d in enumerate(days):
                    part = left if j == k - 1 else max(1, int(left * rng.uniform(0.2, 0.6)))
                    left -= part
                    schedule.append((d, part))
            elif rng.random() < 0.35:
                schedule.append((day + rng.randint(10, 200), max(1, int(amount * rng.uniform(0.2, 0.7)))))
            paid = 0
            credit_first = rng.random() < 0.03
            for j, (d, part) in enumerate(schedule):
                if d > last:
                    break
                paid += part
                pending.setdefault(d, []).append((inv, cust, part, credit_first and j == 0, day, due))
            if paid < amount:
                counts.open_invoices += 1
                if paid:
                    counts.partly_paid += 1
            buf.invoices.append((inv, company_id, cust, f"INV{inv:09d}", iso[day], iso[due], f"NET{terms}",
                                 currencies[cust_currency[cust]], amount, paid))
            if rng.random() < 0.003:  # a credit note not (yet) applied to anything
                ids["credit"] += 1
                cn = ids["credit"]
                buf.credit_notes.append((cn, company_id, cust, f"CN{cn:09d}", iso[day],
                                         currencies[cust_currency[cust]], max(1, amount // 10), 0, None,
                                         "price adjustment"))
        _settle_day(day, pending.pop(day, ()), buf, ids, company_id, iso, cust_currency, rng)
        if buf.size() >= BATCH:
            _flush(conn, buf, counts)
            if commit:
                commit()
            if progress:
                progress(counts.invoices, n)
    _flush(conn, buf, counts)
    if progress:
        progress(counts.invoices, n)
    return company_id, counts


def _settle_day(day, items, buf: _Buffers, ids, company_id, iso, cust_currency, rng) -> None:
    """The allocations dated `day`: one payment per customer, a credit note per credited invoice."""
    by_customer: dict[int, list] = {}
    for inv, cust, part, by_credit, issued, due in items:
        ids["allocation"] += 1
        currency = "USD" if cust_currency[cust] else "CNY"
        copies = (cust, currency, iso[issued], iso[due], iso[day])  # the invoice's columns, the source's date
        if by_credit:
            ids["credit"] += 1
            cn = ids["credit"]
            buf.credit_notes.append((cn, company_id, cust, f"CN{cn:09d}", iso[day], currency, part, part, inv,
                                     "quality discount"))
            buf.allocations.append((ids["allocation"], company_id, inv, None, cn, iso[day], part, *copies))
            continue
        by_customer.setdefault(cust, []).append((ids["allocation"], inv, part, copies))
    for cust, allocs in by_customer.items():
        ids["payment"] += 1
        pay = ids["payment"]
        applied = sum(part for _, _, part, _ in allocs)
        extra = int(applied * rng.uniform(0.01, 0.2)) if rng.random() < 0.01 else 0
        buf.payments.append((pay, company_id, cust, f"PAY{pay:09d}", iso[day], "USD" if cust_currency[cust] else "CNY",
                             applied + extra, applied))
        for alloc_id, inv, part, copies in allocs:
            buf.allocations.append((alloc_id, company_id, inv, pay, None, iso[day], part, *copies))


def _flush(conn: Connection, buf: _Buffers, counts: Counts) -> None:
    # Parents before children: the foreign keys hold after every COPY.
    copy_rows(conn, invoices, INVOICE_COLUMNS, buf.invoices)
    copy_rows(conn, credit_notes, CREDIT_COLUMNS, buf.credit_notes)
    copy_rows(conn, payments, PAYMENT_COLUMNS, buf.payments)
    copy_rows(conn, allocations, ALLOCATION_COLUMNS, buf.allocations)
    counts.invoices += len(buf.invoices)
    counts.credit_notes += len(buf.credit_notes)
    counts.payments += len(buf.payments)
    counts.allocations += len(buf.allocations)
    buf.invoices.clear()
    buf.credit_notes.clear()
    buf.payments.clear()
    buf.allocations.clear()
