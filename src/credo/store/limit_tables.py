"""Credit limits (信用额度), orders and the credit check's tables: the company's credit control
settings, limit requests, credit lines, holds, orders and the credit queue.

Part of `store.tables.metadata` (imported at the end of `store/tables.py`).
"""

from __future__ import annotations

from sqlalchemy import (Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table,
                        Text, UniqueConstraint, text)

from credo.store.tables import company_column, metadata, money_column

# Credit limits (信用额度), orders and the credit check. A credit line belongs to a customer or a
# group; lines are added, never changed (the line in force as of a date is the latest approved one
# effective on it), and each names the request that approved it (maker-checker, 四眼原则).
def _customer_or_group() -> tuple[Column, Column, CheckConstraint]:
    return (Column("customer_id", Integer, ForeignKey("customers.id")),
            Column("group_id", Integer, ForeignKey("customer_groups.id")),
            CheckConstraint("(customer_id IS NULL) <> (group_id IS NULL)", name="customer_or_group"))


def _line_terms() -> tuple[Column, ...]:
    """What a request proposes and an approved line holds: limit, term, rating, validity, review."""
    return (Column("currency", String(3), nullable=False), money_column("amount"),
            Column("term_days", Integer, nullable=False), Column("rating", String(1), nullable=False),
            Column("valid_from", Date, nullable=False),
            Column("valid_to", Date),  # a temporary limit ends on this day
            Column("review_due", Date),
            # Why a limit above 0 stands for a rating the policy gives no credit (D, E by default).
            Column("policy_exception", String(500)))


# One row per company that changed its credit settings; no row: the defaults (domain/credit/limits.py).
credit_control_settings = Table(
    "credit_control_settings",
    metadata,
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("check_points", String(64), nullable=False),  # e.g. "order,invoice"
    Column("tolerance_share", String(16), nullable=False),  # exact decimal text, e.g. "0.05"
    Column("overdue_days", Integer, nullable=False),
    Column("approval_levels", String(200), nullable=False),  # "100000:credit_manager,1000000:controller,admin"
)

limit_requests = Table(
    "limit_requests",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    *_customer_or_group(),
    *_line_terms(),
    Column("reason", String(500), nullable=False),
    Column("requested_by", String(128), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),
    Column("decided_by", String(128)),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision_note", String(500)),
    CheckConstraint("status IN ('pending', 'approved', 'rejected', 'withdrawn')", name="status"),
    CheckConstraint("amount >= 0", name="amount_not_negative"),
)
Index("ix_limit_requests_company_status", limit_requests.c.company_id, limit_requests.c.status)

credit_lines = Table(
    "credit_lines",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    *_customer_or_group(),
    *_line_terms(),
    Column("request_id", Integer, ForeignKey("limit_requests.id"), nullable=False, unique=True),
    Column("approved_by", String(128), nullable=False),
    Column("approved_at", DateTime(timezone=True), nullable=False),
)
Index("ix_credit_lines_customer", credit_lines.c.company_id, credit_lines.c.customer_id)
Index("ix_credit_lines_group", credit_lines.c.company_id, credit_lines.c.group_id)

# A customer's credit hold, as history: the latest row dated on or before a day is its status then.
credit_holds = Table(
    "credit_holds",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("on_hold", Boolean, nullable=False),
    Column("reason", String(500), nullable=False),
    Column("held_from", Date, nullable=False),
    Column("actor", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_credit_holds_customer", credit_holds.c.customer_id, credit_holds.c.held_from)

# Orders not yet invoiced count in the exposure while `open`; `blocked` ones wait in the credit queue.
orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("number", String(64), nullable=False),
    Column("order_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    money_column("amount"),
    Column("status", String(16), nullable=False),
    Column("invoice_number", String(64)),
    Column("delivered_on", Date),
    UniqueConstraint("company_id", "number"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("status IN ('open', 'blocked', 'cancelled', 'invoiced')", name="status"),
)
Index("ix_orders_open", orders.c.company_id, orders.c.customer_id, orders.c.currency, orders.c.order_date,
      orders.c.amount, sqlite_where=text("status = 'open'"), postgresql_where=text("status = 'open'"))

# Each order's history (order_events): a row for every state it took, effective on a date, so the
# exposure as of a past day reads the state the order was in on that day, not today's. The state
# in force on D is the event with the latest effective date on or before D (the latest written of
# that day). `orders` keeps the latest state, for lists and the credit queue.
order_events = Table(
    "order_events",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("order_id", Integer, ForeignKey("orders.id"), nullable=False),
    Column("effective_on", Date, nullable=False),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("status", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    money_column("amount"),
    Column("invoice_number", String(64)),
    Column("actor", String(128), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    CheckConstraint("status IN ('open', 'blocked', 'cancelled', 'invoiced')", name="status"),
)
Index("ix_order_events_order", order_events.c.order_id, order_events.c.effective_on, order_events.c.id)
Index("ix_order_events_customer", order_events.c.company_id, order_events.c.customer_id, order_events.c.effective_on)

# What a credit check blocked, waiting for a credit manager to release it (with a reason).
credit_queue = Table(
    "credit_queue",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("point", String(16), nullable=False),  # order, delivery or invoice
    Column("number", String(64), nullable=False),  # the order's or invoice's
    Column("currency", String(3), nullable=False),
    money_column("amount"),
    Column("as_of", Date, nullable=False),
    Column("reasons", Text, nullable=False),  # JSON: the check's reasons
    Column("status", String(16), nullable=False),
    Column("created_by", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("released_by", String(128)),
    Column("released_at", DateTime(timezone=True)),
    Column("release_reason", String(500)),
    CheckConstraint("status IN ('blocked', 'released')", name="status"),
)
Index("ix_credit_queue_company_status", credit_queue.c.company_id, credit_queue.c.status)
