"""The ledger's tables (SQLAlchemy Core). Money is BIGINT minor units beside a currency code.

Every business table carries company_id (a legal entity, and the natural shard key).
Nothing that matters to money is deleted: a reversal adds negative allocations dated the day
of the reversal, so every report can be recomputed as of any earlier date.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def money_column(name: str, **kwargs) -> Column:
    return Column(name, BigInteger, nullable=False, **kwargs)


def company_column() -> Column:
    return Column("company_id", Integer, ForeignKey("companies.id"), nullable=False)


companies = Table(
    "companies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("base_currency", String(3), nullable=False),
    # Country code of the holiday calendar due dates roll over (e.g. CN); NULL: no roll.
    Column("calendar", String(8)),
    # The aging ladder's upper bounds in days, e.g. "30,60,90,180,365"; NULL: the defaults.
    Column("aging_buckets", String(200)),
    Column("send_window", String(11)),  # HH:MM-HH:MM for dunning sends; NULL: CREDO_SEND_WINDOW
)

customer_groups = Table(
    "customer_groups",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    UniqueConstraint("company_id", "code"),
)

customers = Table(
    "customers",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("code", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("group_id", Integer, ForeignKey("customer_groups.id")),
    Column("country", String(2)),
    Column("currency", String(3), nullable=False),
    Column("language", String(2), nullable=False, server_default="zh"),
    Column("segment", String(64)),
    Column("collector", String(64)),
    # The sales person who owns the account: what a sales user's portfolio is matched against.
    Column("salesperson", String(64)),
    Column("contact_name", String(200)),
    Column("contact_email", String(200)),
    Column("contact_phone", String(64)),
    Column("terms", String(32)),
    Column("time_zone", String(64)),  # IANA name (Asia/Shanghai): the sending window's; none: the company's
    UniqueConstraint("company_id", "code"),
    CheckConstraint("language IN ('zh', 'en')", name="language"),
)

invoices = Table(
    "invoices",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("number", String(64), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("terms", String(32)),
    Column("discount_date", Date),
    Column("currency", String(3), nullable=False),
    money_column("amount"),
    money_column("discount_amount", server_default="0"),
    # Sum of all allocations, whatever their date: what is open today is amount - paid_amount.
    money_column("paid_amount", server_default="0"),
    UniqueConstraint("company_id", "number"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("paid_amount >= 0 AND paid_amount <= amount", name="not_over_allocated"),
)
# Current aging reads only this partial index of open items (DESIGN.md section 6), in the order it
# groups by (customer, currency), so SQLite needs no sort.
Index(
    "ix_invoices_open",
    invoices.c.company_id,
    invoices.c.customer_id,
    invoices.c.currency,
    invoices.c.due_date,
    invoices.c.issue_date,
    invoices.c.amount,
    invoices.c.paid_amount,
    sqlite_where=text("amount > paid_amount"),
    postgresql_where=text("amount > paid_amount"),
)
# Sales by day and currency (countback DSO, trends) read this index alone, in its order.
Index("ix_invoices_company_issue", invoices.c.company_id, invoices.c.issue_date, invoices.c.currency,
      invoices.c.amount)
# By customer and date: a customer page reads its last 12 months (sales, behaviour) without the
# heap pages of older invoices (migration 0019).
Index("ix_invoices_customer", invoices.c.customer_id, invoices.c.issue_date)

credit_notes = Table(
    "credit_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("number", String(64), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    money_column("amount"),
    money_column("applied_amount", server_default="0"),
    Column("invoice_id", Integer, ForeignKey("invoices.id")),
    Column("reason", String(500)),
    UniqueConstraint("company_id", "number"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("applied_amount >= 0 AND applied_amount <= amount", name="not_over_applied"),
)
Index("ix_credit_notes_customer", credit_notes.c.customer_id, credit_notes.c.issue_date)
Index(
    "ix_credit_notes_open",
    credit_notes.c.company_id, credit_notes.c.customer_id, credit_notes.c.currency, credit_notes.c.issue_date,
    credit_notes.c.amount, credit_notes.c.applied_amount,
    sqlite_where=text("amount > applied_amount"),
    postgresql_where=text("amount > applied_amount"),
)

payments = Table(
    "payments",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("ref", String(64), nullable=False),
    Column("payment_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    money_column("amount"),
    money_column("applied_amount", server_default="0"),
    # A reversed (bounced, returned) payment keeps its row; it stops counting from this date.
    Column("reversed_on", Date),
    Column("reversal_reason", String(500)),
    UniqueConstraint("company_id", "ref"),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("applied_amount >= 0 AND applied_amount <= amount", name="not_over_applied"),
)
Index("ix_payments_customer", payments.c.customer_id, payments.c.payment_date)  # the latest first
# Unapplied cash (and reversed payments, which stay out of reports from their reversal date).
Index(
    "ix_payments_open",
    payments.c.company_id, payments.c.customer_id, payments.c.currency, payments.c.payment_date,
    payments.c.reversed_on, payments.c.amount, payments.c.applied_amount,
    sqlite_where=text("amount > applied_amount"),
    postgresql_where=text("amount > applied_amount"),
)

# Exactly one source per allocation: a payment, a credit note or a write-off.
ONE_SOURCE = ("(CASE WHEN payment_id IS NULL THEN 0 ELSE 1 END + CASE WHEN credit_note_id IS NULL THEN 0 ELSE 1 END"
              " + CASE WHEN write_off_id IS NULL THEN 0 ELSE 1 END) = 1")
allocations = Table(
    "allocations",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False),
    Column("payment_id", Integer, ForeignKey("payments.id")),
    Column("credit_note_id", Integer, ForeignKey("credit_notes.id")),
    # A write-off (store/write_off_tables.py): neither cash nor a credit, it lowers the open balance.
    Column("write_off_id", Integer, ForeignKey("write_offs.id")),
    # The later of the two documents' dates (or the reversal date), never in a closed period (then
    # the first open day, services/allocations.py): as-of reports filter on it.
    Column("alloc_date", Date, nullable=False),
    # Negative only for a reversal entry (and a write-off's recovery).
    money_column("amount"),
    # Copies of the invoice's customer, currency and dates and of the source's date, kept equal to
    # them by every write (services/allocations.py, imports/staging.py): a report as of a past date
    # adds back the allocations dated after it from one index range, without joining the invoices
    # (SAP's cleared items carry their item's attributes the same way). A test holds them equal.
    Column("customer_id", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("issue_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("source_date", Date, nullable=False),  # the payment's, credit note's or write-off's date
    CheckConstraint(ONE_SOURCE, name="one_source"),
    CheckConstraint("amount <> 0", name="amount_not_zero"),
)
# The invoice's columns an allocation carries a copy of (above): one list for writers and readers.
INVOICE_COPIES = ("customer_id", "currency", "issue_date", "due_date")
# Covering index for aging as of a past date: open = amount - allocations dated on or before it.
Index("ix_allocations_invoice_date", allocations.c.invoice_id, allocations.c.alloc_date, allocations.c.amount)
Index("ix_allocations_payment", allocations.c.payment_id)
Index("ix_allocations_credit_note", allocations.c.credit_note_id)
Index("ix_allocations_write_off", allocations.c.write_off_id)
# Reports as of a past date read the allocations dated after it: a covering range that holds
# what an invoice's aging needs, so the range is read alone.
Index(
    "ix_allocations_company_date",
    allocations.c.company_id, allocations.c.alloc_date, allocations.c.customer_id, allocations.c.currency,
    allocations.c.due_date, allocations.c.issue_date, allocations.c.amount, allocations.c.invoice_id,
    allocations.c.payment_id, allocations.c.credit_note_id,
)
# Money applied after its own date (an advance applied to a later invoice, a reversal): the only
# allocations that can make a payment or credit note unapplied as of a past date, a few among many.
Index(
    "ix_allocations_late",
    allocations.c.company_id, allocations.c.alloc_date, allocations.c.payment_id, allocations.c.credit_note_id,
    allocations.c.amount,
    sqlite_where=text("alloc_date > source_date"),
    postgresql_where=text("alloc_date > source_date"),
)

fx_rates = Table(
    "fx_rates",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("currency", String(3), nullable=False),
    Column("rate_date", Date, nullable=False),
    # Units of base currency per one unit of `currency`, as exact decimal text (not money).
    Column("rate", String(32), nullable=False),
    UniqueConstraint("company_id", "currency", "rate_date"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("company_id", Integer, ForeignKey("companies.id")),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("action", String(64), nullable=False),
    Column("entity", String(64), nullable=False),
    Column("entity_key", String(128)),
    Column("before", Text),
    Column("after", Text),
)
Index("ix_audit_log_entity", audit_log.c.entity, audit_log.c.entity_key)


# People and systems that use credo. Users are not per company: a role holds across companies.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    # The collector or sales code whose customers a collector or sales user works (default: username).
    Column("portfolio", String(64)),
    Column("password_hash", String(256), nullable=False),
    Column("language", String(5), nullable=False, server_default="zh"),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("failed_sign_ins", Integer, nullable=False, server_default="0"),
    Column("locked_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Secrets are stored as SHA-256 digests only: a leaked table opens nothing.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# A POST that creates money records is answered once per Idempotency-Key: a retry gets the stored answer.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("key", String(200), nullable=False),
    Column("method", String(8), nullable=False),
    Column("path", String(300), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user_id", "key"),
)

# The credit file's tables share this metadata (kept in their own module for size).
from credo.store import credit_tables  # noqa: E402,F401
from credo.store import limit_tables  # noqa: E402,F401
from credo.store import collections_tables  # noqa: E402,F401  (part of metadata)
from credo.store import discount_tables  # noqa: E402,F401  (part of metadata)
from credo.store import risk_provision_tables  # noqa: E402,F401  (part of metadata)
from credo.store import write_off_tables  # noqa: E402,F401  (part of metadata)
from credo.store import risk_insurance_tables  # noqa: E402,F401  (part of metadata)
from credo.store import risk_alert_tables  # noqa: E402,F401  (part of metadata)
from credo.store import period_tables  # noqa: E402,F401  (part of metadata)
