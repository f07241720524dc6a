"""The digest of what a month-end figure read: the rows dated on or before it, in a fixed order.

Each source is one table: its rows dated on or before the as-of date (every row of an undated
table), and of them the columns that say what was known then. A date that records what happened later (a dispute resolved,
a payment reversed, a promise cancelled) counts only when it falls on or before the as-of date:
a dispute resolved in August does not change the inputs of the June close. Running balances
(paid_amount, applied_amount) and statuses are left out for the same reason: the allocations and
the dates carry what they say, as of the day.

A figure's digest is the sha256 of its sources' digests; each source's digest is kept beside it,
so `credo close verify` can name the table whose rows changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Table, case, select

from credo.store.collections_tables import disputes, payment_plans, promises
from credo.store.credit_tables import credit_assessments
from credo.store.limit_tables import credit_lines
from credo.store.risk_alert_tables import risk_flags
from credo.store.risk_insurance_tables import insurance_policies, insured_limits
from credo.store.risk_provision_tables import specific_provisions
from credo.store.tables import allocations, credit_notes, customers, fx_rates, invoices, payments


BATCH = 20_000  # rows hashed at a time


@dataclass(frozen=True)
class Source:
    name: str
    table: Table
    dated: str | None  # rows dated after the as-of date are not inputs (None: every row is)
    columns: tuple[str, ...]
    later: tuple[str, ...] = ()  # dates of what happened afterwards: read only when on or before the as-of date


LEDGER = (
    Source("customers", customers, None, ("id", "code", "group_id", "currency")),
    Source("invoices", invoices, "issue_date", ("id", "customer_id", "number", "currency", "issue_date", "due_date",
                                                "amount", "discount_amount", "discount_date")),
    Source("credit_notes", credit_notes, "issue_date", ("id", "customer_id", "number", "currency", "issue_date",
                                                        "amount", "invoice_id")),
    Source("payments", payments, "payment_date", ("id", "customer_id", "ref", "currency", "payment_date", "amount"),
           later=("reversed_on",)),
    Source("allocations", allocations, "alloc_date", ("id", "invoice_id", "payment_id", "credit_note_id",
                                                      "write_off_id", "alloc_date", "amount")),
    Source("fx_rates", fx_rates, "rate_date", ("id", "currency", "rate_date", "rate")),
    Source("disputes", disputes, "opened_on", ("id", "invoice_id", "amount", "currency", "opened_on"),
           later=("resolved_on",)),
)
COVER = (
    Source("insurance_policies", insurance_policies, "period_from", ("id", "period_from", "period_to", "currency",
                                                                     "coverage_share", "deductible")),
    Source("insured_limits", insured_limits, "dated_on", ("id", "policy_id", "customer_id", "kind", "dated_on",
                                                          "amount", "currency", "valid_from", "valid_until")),
    Source("specific_provisions", specific_provisions, "valid_from", ("id", "customer_id", "rate", "amount",
                                                                      "valid_from"), later=("valid_until",)),
)
BEHAVIOUR = (
    Source("credit_lines", credit_lines, "valid_from", ("id", "customer_id", "group_id", "currency", "amount",
                                                        "term_days", "rating", "valid_from", "valid_to")),
    Source("promises", promises, "made_on", ("id", "customer_id", "made_on", "promised_on", "amount", "currency",
                                             "grace_days"), later=("cancelled_on",)),
    Source("payment_plans", payment_plans, "agreed_on", ("id", "customer_id", "agreed_on", "amount", "currency"),
           later=("cancelled_on",)),
    Source("risk_flags", risk_flags, "flagged_on", ("id", "customer_id", "kind", "flagged_on"), later=("cleared_on",)),
    Source("credit_assessments", credit_assessments, "as_of", ("id", "customer_id", "as_of", "score", "rating")),
)
# What each stored figure reads.
SOURCES: dict[str, tuple[Source, ...]] = {
    "aging": LEDGER,
    "provision": LEDGER + COVER,
    "dso": LEDGER,
    "warnings": LEDGER + BEHAVIOUR,
}


def _text(value) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)


def source_digest(conn: Connection, company_id: int, source: Source, as_of: date) -> str:
    """sha256 of the source's rows as known on `as_of`, by id, in batches as the driver gives them.

    The statement masks the later dates itself and goes to the driver as plain SQL: the rows come
    back as the driver's tuples (no SQLAlchemy type processing) and each batch is hashed through its
    repr, some ten times cheaper than a line built per row (docs/performance.md, the period close).
    The digest is stable for one database; two engines (dates as text or as objects) differ."""
    t = source.table
    masked = [case((t.c[name] <= as_of, t.c[name]), else_=None).label(name) for name in source.later]
    query = select(*(t.c[name] for name in source.columns), *masked).where(t.c.company_id == company_id)
    if source.dated is not None:
        query = query.where(t.c[source.dated] <= as_of)
    statement = str(query.order_by(t.c.id).compile(conn, compile_kwargs={"literal_binds": True}))
    digest = hashlib.sha256()
    cursor = conn.connection.cursor()
    try:
        cursor.execute(statement)
        while rows := cursor.fetchmany(BATCH):
            digest.update(repr(rows).encode())
    finally:
        cursor.close()
    return digest.hexdigest()


def input_digests(conn: Connection, company_id: int, kind: str, as_of: date,
                  known: dict[str, str] | None = None) -> dict[str, str]:
    """{source: digest} of what `kind` reads as of the day; `known` keeps the ones already computed
    for the same day (the four figures of a month-end share the ledger's)."""
    known = {} if known is None else known
    for source in SOURCES[kind]:
        if source.name not in known:
            known[source.name] = source_digest(conn, company_id, source, as_of)
    return {source.name: known[source.name] for source in SOURCES[kind]}


def combined(digests: dict[str, str]) -> str:
    return hashlib.sha256("".join(f"{name}:{value}\n" for name, value in digests.items()).encode()).hexdigest()
