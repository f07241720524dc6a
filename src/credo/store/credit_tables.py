"""The credit file's tables (信用档案): statements, facts, references, reviews, and the recorded
assessments; beside them the company's own scorecard and policy, as versions.

Every entry keeps `recorded_on`, the day credo learned it, beside the date it speaks of. Nothing
is overwritten: a changed value is a new row (a version), so an assessment as of a past date reads
what was known then (`domain.credit.file.in_force`). Statements and facts belong to a customer or
to a customer group (e.g. the parent's consolidated accounts), never both. Amounts are BIGINT
minor units beside a currency code, NULL when the source did not give them.

Part of `store.tables.metadata` (imported at the end of `store/tables.py`).
"""

from __future__ import annotations

from sqlalchemy import (BigInteger, Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer,
                        String, Table, Text)

from credo.store.tables import company_column, metadata

# The Financials items a statement holds, in minor units of the statement's currency.
STATEMENT_ITEMS = ("cash", "receivables", "inventory", "current_assets", "current_liabilities", "total_assets",
                   "total_liabilities", "equity", "retained_earnings", "sales", "ebit", "interest_expense",
                   "market_value_equity", "stated_working_capital")
REVIEW_ITEMS = ("management", "industry_outlook", "relationship", "interview")
ONE_OWNER = "(customer_id IS NULL) <> (customer_group_id IS NULL)"


def _owner() -> list:
    return [Column("customer_id", Integer, ForeignKey("customers.id")),
            Column("customer_group_id", Integer, ForeignKey("customer_groups.id"))]


def _owner_indexes(table: Table, *rest: str) -> None:
    """One unique index per kind of owner: a NULL owner column never clashes, so each index
    holds only its own kind of rows."""
    for owner in ("customer_id", "customer_group_id"):
        Index(f"uq_{table.name}_{owner}_version", table.c.company_id, table.c[owner],
              *[table.c[name] for name in rest], unique=True)


credit_statements = Table(
    "credit_statements",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    *_owner(),
    Column("period_end", Date, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    *[Column(name, BigInteger) for name in STATEMENT_ITEMS],
    Column("source", String(200)),
    CheckConstraint(ONE_OWNER, name="one_owner"),
)
_owner_indexes(credit_statements, "period_end", "recorded_on")

credit_facts = Table(
    "credit_facts",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    *_owner(),
    Column("recorded_on", Date, nullable=False),
    Column("listed", Boolean),
    Column("manufacturer", Boolean),
    Column("emerging_market", Boolean),
    Column("founded_on", Date),
    Column("registered_capital", BigInteger),
    Column("capital_currency", String(3)),
    Column("industry", String(100)),
    Column("ownership", String(64)),
    Column("external_rating", String(16)),
    Column("bureau_score", Integer),
    CheckConstraint(ONE_OWNER, name="one_owner"),
)
_owner_indexes(credit_facts, "recorded_on")

credit_references = Table(
    "credit_references",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("kind", String(8), nullable=False),
    Column("name", String(200), nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("contact", String(200)),
    Column("since", Date),
    Column("highest_credit", BigInteger),
    Column("currency", String(3)),
    Column("terms", String(32)),
    Column("experience", String(8)),
    Column("notes", String(500)),
    CheckConstraint("kind IN ('trade', 'bank')", name="kind"),
    CheckConstraint("experience IN ('prompt', 'slow', 'poor')", name="experience"),
)
Index("uq_credit_references_version", credit_references.c.company_id, credit_references.c.customer_id,
      credit_references.c.kind, credit_references.c.name, credit_references.c.recorded_on, unique=True)

credit_reviews = Table(
    "credit_reviews",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("reviewed_on", Date, nullable=False),
    Column("recorded_on", Date, nullable=False),
    Column("reviewer", String(128), nullable=False),
    # A score 0-100 per item and the item's weight (data, not code); NULL when not scored.
    *[Column(name, Integer) for name in REVIEW_ITEMS],
    *[Column(f"{name}_weight", Integer, nullable=False) for name in REVIEW_ITEMS],
    Column("notes", String(1000)),
)
Index("uq_credit_reviews_version", credit_reviews.c.company_id, credit_reviews.c.customer_id,
      credit_reviews.c.reviewed_on, credit_reviews.c.recorded_on, unique=True)

# Append-only: what an assessment said and exactly what it read.
credit_assessments = Table(
    "credit_assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("assessed_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    Column("score", Integer, nullable=False),
    Column("rating", String(8), nullable=False),
    Column("recommended_limit", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("recommended_term_days", Integer, nullable=False),
    Column("review_due", Date, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("inputs", Text, nullable=False),
)
Index("ix_credit_assessments_customer", credit_assessments.c.customer_id, credit_assessments.c.as_of)

# A company's own scorecard or policy (JSON), each change a new version; none: the defaults.
credit_settings = Table(
    "credit_settings",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("kind", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    CheckConstraint("kind IN ('scorecard', 'policy')", name="kind"),
)
Index("uq_credit_settings_version", credit_settings.c.company_id, credit_settings.c.kind,
      credit_settings.c.version, unique=True)
