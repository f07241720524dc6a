"""Credit insurance's tables (信用保险): the policies, the insured limits per buyer (each request and
each decision a row, so the history stays), the reports of overdue buyers to the insurer, and the
claims with the invoices they cover.

Money is BIGINT minor units beside a currency code; the coverage share is exact decimal text
(like the interest rates). Nothing is deleted or edited in place but a claim's status, which moves
along domain.risk.insurance.CLAIM_FLOW with each move in the audit log.

Part of `store.tables.metadata` (imported at the end of `store/tables.py`).
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from credo.domain.risk.insurance import CLAIM_FROM, CLAIM_STATUSES
from credo.store.tables import company_column, metadata, money_column

LIMIT_KINDS = ("request", "decision")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _stamp() -> list[Column]:
    return [Column("created_at", DateTime(timezone=True), nullable=False),
            Column("actor", String(128), nullable=False)]


def _policy() -> Column:
    return Column("policy_id", Integer, ForeignKey("insurance_policies.id"), nullable=False)


def _customer() -> Column:
    return Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False)


insurance_policies = Table(
    "insurance_policies",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("insurer", String(200), nullable=False),
    Column("number", String(64), nullable=False),
    Column("period_from", Date, nullable=False),
    Column("period_to", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("coverage_share", String(16), nullable=False),  # exact decimal text, e.g. "0.90"
    money_column("deductible", server_default="0"),  # per claim
    Column("max_credit_days", Integer, nullable=False),
    Column("report_overdue_days", Integer, nullable=False),
    Column("claim_days", Integer, nullable=False),
    Column("claim_from", String(16), nullable=False, server_default="report"),
    Column("alert_days", Integer, nullable=False, server_default="7"),
    *_stamp(),
    UniqueConstraint("company_id", "number"),
    CheckConstraint("period_to >= period_from", name="period"),
    CheckConstraint("deductible >= 0", name="deductible"),
    CheckConstraint("max_credit_days >= 0 AND report_overdue_days >= 0 AND claim_days >= 0 AND alert_days >= 0",
                    name="days"),
    CheckConstraint(_in("claim_from", CLAIM_FROM), name="claim_from"),
)

# A request (amount asked for, on a day) or a decision (amount granted, 0 when refused, valid from
# a day until a day or open-ended); a decision names the request it answers, if any.
insured_limits = Table(
    "insured_limits",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _policy(),
    _customer(),
    Column("kind", String(16), nullable=False),
    Column("request_id", Integer, ForeignKey("insured_limits.id")),
    Column("dated_on", Date, nullable=False),  # requested on, or decided on
    money_column("amount"),
    Column("currency", String(3), nullable=False),
    Column("valid_from", Date),
    Column("valid_until", Date),
    Column("reference", String(100)),  # the insurer's reference of its decision
    Column("note", String(500)),
    *_stamp(),
    CheckConstraint("amount >= 0", name="amount"),
    CheckConstraint(_in("kind", LIMIT_KINDS), name="kind"),
    CheckConstraint("kind = 'request' OR valid_from IS NOT NULL", name="decision_valid_from"),
    CheckConstraint("valid_until IS NULL OR valid_until >= valid_from", name="valid_until"),
)
Index("ix_insured_limits_customer", insured_limits.c.company_id, insured_limits.c.customer_id,
      insured_limits.c.dated_on)

# An overdue buyer reported to the insurer on a day: it covers the buyer's invoices overdue then.
overdue_reports = Table(
    "insurance_overdue_reports",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _policy(),
    _customer(),
    Column("reported_on", Date, nullable=False),
    Column("reference", String(100)),
    Column("note", String(500)),
    *_stamp(),
    UniqueConstraint("policy_id", "customer_id", "reported_on"),
)

insurance_claims = Table(
    "insurance_claims",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _policy(),
    _customer(),
    money_column("amount"),  # the loss claimed, in the policy's currency
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False),
    Column("filed_on", Date),
    Column("decided_on", Date),
    money_column("paid_amount", server_default="0"),
    Column("paid_on", Date),
    Column("reference", String(100)),
    Column("note", Text),
    *_stamp(),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("paid_amount >= 0", name="paid_amount"),
    CheckConstraint(_in("status", CLAIM_STATUSES), name="status"),
    CheckConstraint("status = 'draft' OR filed_on IS NOT NULL", name="filed_on"),
    CheckConstraint("(status = 'paid') = (paid_on IS NOT NULL)", name="paid_on"),
)
Index("ix_insurance_claims_customer", insurance_claims.c.company_id, insurance_claims.c.customer_id)

claim_invoices = Table(
    "insurance_claim_invoices",
    metadata,
    Column("claim_id", Integer, ForeignKey("insurance_claims.id"), primary_key=True),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), primary_key=True),
)
