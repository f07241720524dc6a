"""Bad-debt provisioning's tables (坏账准备): specific provisions for named customers, in force from a
date (until one, when ended; history kept: a change adds a row), and the company's provision
settings. Rates are exact decimal text (fractions: 0.05 is 5 %); amounts BIGINT minor units of the
base currency.

Part of `store.tables.metadata` (imported at the end of `store/tables.py`).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text

from credo.store.tables import company_column, metadata

specific_provisions = Table(
    "specific_provisions",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("rate", String(16)),  # a fraction of the balance, exact decimal text; or
    Column("amount", BigInteger),  # minor units of the base currency: the customer's allowance as assessed
    Column("reason", String(500), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_until", Date),  # the last day in force (NULL: until ended)
    Column("actor", String(128), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("ended_by", String(128)),
    Column("ended_at", DateTime(timezone=True)),
    CheckConstraint("(rate IS NULL) <> (amount IS NULL)", name="rate_or_amount"),
)
Index("ix_specific_provisions_customer", specific_provisions.c.company_id, specific_provisions.c.customer_id,
      specific_provisions.c.valid_from)

# One row per company (none: the defaults of services/risk/provision_settings.py).
provision_settings = Table(
    "provision_settings",
    metadata,
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    Column("method", String(16), nullable=False),  # matrix or aging-table
    Column("lookback_months", Integer, nullable=False),
    Column("forward_factor", String(16), nullable=False),  # exact decimal text, e.g. 1.05
    Column("limits", String(200), nullable=False),  # the matrix's days-past-due ladder, e.g. 30,60,90
    Column("loss_rate", String(16), nullable=False),  # the last bucket's rate in the roll-rate matrix
    Column("matrix_rates", Text),  # JSON rate table given instead of deriving one (NULL: derive)
    Column("aging_rates", Text),  # JSON 账龄分析法 table (NULL: the default one)
    # replace: a specific provision's figure counts; higher: the higher of it and the collective one
    Column("specific_rule", String(16), nullable=False, server_default="replace"),
    Column("actor", String(128), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("method IN ('matrix', 'aging-table')", name="method"),
)
