"""Write-offs (核销) of uncollectable balances and their recoveries, and the journal's accounts.

A write-off is a document of its own, allocated to the invoices it removes (allocations.write_off_id)
dated on its date: open = amount - allocations dated on or before a date keeps every as-of report
right, and it is neither a payment nor a credit note, so collections and net sales never count it.
A recovery reinstates (a negative allocation of the write-off dated on the recovery date). Nothing
is deleted: a rejected request keeps its row, each step is in the audit log.

Part of `store.tables.metadata` (imported at the end of `store/tables.py`).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from credo.store.tables import company_column, metadata, money_column

WRITE_OFF_STATUSES = ("pending", "approved", "rejected")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


write_offs = Table(
    "write_offs",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("written_off_on", Date, nullable=False),  # the as-of date it is booked on
    Column("currency", String(3), nullable=False),
    money_column("amount"),  # the sum of its lines
    # In the base currency at the rate of its date, fixed when approved (NULL until then).
    Column("base_amount", BigInteger),
    money_column("recovered_amount", server_default="0"),
    Column("reason", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("requested_by", String(128), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", String(128)),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision_note", String(500)),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("recovered_amount >= 0 AND recovered_amount <= amount", name="not_over_recovered"),
    CheckConstraint(_in("status", WRITE_OFF_STATUSES), name="status"),
)
Index("ix_write_offs_company_date", write_offs.c.company_id, write_offs.c.status, write_offs.c.written_off_on)

# The invoices a write-off removes, and how much of each (in the write-off's currency).
write_off_lines = Table(
    "write_off_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("write_off_id", Integer, ForeignKey("write_offs.id"), nullable=False),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False),
    money_column("amount"),
    money_column("recovered_amount", server_default="0"),
    UniqueConstraint("write_off_id", "invoice_id"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("recovered_amount >= 0 AND recovered_amount <= amount", name="not_over_recovered"),
)
Index("ix_write_off_lines_invoice", write_off_lines.c.invoice_id)

# A recovery (the customer pays after all): the balance reinstated as of its date.
write_off_recoveries = Table(
    "write_off_recoveries",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("write_off_id", Integer, ForeignKey("write_offs.id"), nullable=False),
    Column("recovered_on", Date, nullable=False),
    money_column("amount"),  # the write-off's currency
    money_column("base_amount"),  # at the write-off's rate, so a full recovery reverses it exactly
    Column("payment_id", Integer, ForeignKey("payments.id")),  # the payment applied to it, when named
    Column("note", String(500)),
    Column("recorded_by", String(128), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("amount > 0", name="amount_positive"),
)
Index("ix_write_off_recoveries_company_date", write_off_recoveries.c.company_id, write_off_recoveries.c.recovered_on)

# The general-ledger accounts of the journal export; no row: the defaults (CAS codes).
write_off_accounts = Table(
    "write_off_accounts",
    metadata,
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("impairment_loss", String(32), nullable=False),  # 信用减值损失 (6702)
    Column("allowance", String(32), nullable=False),  # 坏账准备 (1231)
    Column("receivables", String(32), nullable=False),  # 应收账款 (1122)
)
