"""Orders for the demo company, entered after its credit lines so that each passes the credit check
like any other: a few recent orders per customer, sized against its line, so that some pass, some
warn and some wait in the credit queue; one is cancelled later, so its history shows a change.
Deterministic: the same demo gives the same orders."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal
from random import Random

from sqlalchemy import Connection, select

from credo.store.limit_tables import credit_lines
from credo.store.tables import customers

COLUMNS = ["order_number", "customer_code", "order_date", "amount", "currency", "status", "invoice_number",
           "status_date"]
# Shares of the customer's line: a small order, one about its usual size, and a large one.
SIZES = (Decimal("0.05"), Decimal("0.2"), Decimal("0.6"))
EVERY = 3  # one customer in three has orders waiting to be invoiced
# A customer whose line is 0 (its rating gives no credit) still orders, sized as against the demo's
# smallest line; the check blocks it and it waits in the credit queue.
WITHOUT_CREDIT = Decimal(20_000)


def demo_orders(conn: Connection, company_id: int, until: date, seed: int) -> list[dict[str, str]]:
    """The rows of the demo's orders file: dated in the fortnight before `until`, in date order."""
    rng, rows = Random(seed * 31 + 5), []
    for index, (code, currency, line) in enumerate(_lines(conn, company_id)):
        if index % EVERY:
            continue
        size = SIZES[(index // EVERY) % len(SIZES)]
        amount = ((line or WITHOUT_CREDIT) * size * Decimal(rng.randint(80, 120)) / 100 / 100).to_integral_value(ROUND_CEILING) * 100
        ordered = until - timedelta(days=rng.randint(1, 14))
        rows.append({"order_number": "", "customer_code": code, "order_date": ordered.isoformat(),
                     "amount": f"{amount:.2f}", "currency": currency, "status": "open", "invoice_number": "",
                     "status_date": ""})
    rows.sort(key=lambda r: (r["order_date"], r["customer_code"]))
    for number, row in enumerate(rows, start=1):
        row["order_number"] = f"SO-{until:%Y%m}-{number:04d}"
    return rows


def cancelled_later(rows: list[dict[str, str]], until: date) -> list[dict[str, str]]:
    """The second file: the first order, cancelled the day before `until` (its history has two states)."""
    if not rows:
        return []
    first = dict(rows[0])
    return [first | {"status": "cancelled", "status_date": max(until - timedelta(days=1),
                                                               date.fromisoformat(first["order_date"])).isoformat()}]


def _lines(conn: Connection, company_id: int) -> list[tuple[str, str, Decimal]]:
    """Each customer with a line: code, currency, the line's amount (major units)."""
    k, line = customers.c, credit_lines.c
    query = (select(k.code, line.currency, line.amount).join(credit_lines, line.customer_id == k.id)
             .where(k.company_id == company_id).order_by(k.code, line.id))
    latest = {code: (currency, amount) for code, currency, amount in conn.execute(query)}
    return [(code, currency, Decimal(amount) / 100) for code, (currency, amount) in sorted(latest.items())]
