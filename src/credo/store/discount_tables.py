"""Early-payment discount offers (提前付款折扣): an offer to a customer on one or more open invoices,
and one row per invoice with the discount it gives and, once taken, the credit note that gave it
(services/collections/discounts.py). Money is BIGINT minor units beside the invoice's currency.

Part of `store.tables.metadata` (imported at the end of `store/tables.py`).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from credo.store.tables import company_column, metadata, money_column

DISCOUNT_STATUSES = ("offered", "taken", "expired", "withdrawn")

discount_offers = Table(
    "discount_offers",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("percent", String(16), nullable=False),  # the discount share in percent, exact decimal text
    Column("offered_on", Date, nullable=False),
    Column("pay_by", Date, nullable=False),  # the last day a payment takes the discount
    Column("offered_by", String(128), nullable=False),  # who made the offer (a username)
    Column("status", String(16), nullable=False),
    Column("closed_on", Date),  # the day it was taken, withdrawn, or expired (the day after pay_by)
    Column("notes", String(500)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    CheckConstraint("pay_by >= offered_on", name="pay_by"),
    CheckConstraint("status IN ('offered', 'taken', 'expired', 'withdrawn')", name="status"),
    CheckConstraint("(status = 'offered') = (closed_on IS NULL)", name="closed_on"),
)
Index("ix_discount_offers_customer", discount_offers.c.company_id, discount_offers.c.customer_id)

discount_offer_invoices = Table(
    "discount_offer_invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("offer_id", Integer, ForeignKey("discount_offers.id"), nullable=False),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False),
    Column("currency", String(3), nullable=False),
    money_column("open_amount"),  # open on the invoice the day of the offer
    money_column("discount"),  # open_amount x percent, HALF_UP to the currency
    Column("taken_on", Date),  # the date of the payment that took it
    Column("credit_note_id", Integer, ForeignKey("credit_notes.id")),  # the credit note that gave it
    UniqueConstraint("offer_id", "invoice_id"),
    CheckConstraint("discount > 0 AND discount < open_amount", name="discount"),
)
Index("ix_discount_offer_invoices_invoice", discount_offer_invoices.c.invoice_id)
