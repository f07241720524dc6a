"""The credit file: statements, facts, references, reviews, recorded assessments, and the
company's own scorecard and policy (credit_settings), all versioned by recorded_on

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("credit_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.CheckConstraint("kind IN ('scorecard', 'policy')", name=op.f("ck_credit_settings_kind")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_credit_settings_company_id_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_settings"))
    )
    op.create_index("uq_credit_settings_version", "credit_settings", ["company_id", "kind", "version"], unique=True)
    op.create_table("credit_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("assessed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=8), nullable=False),
        sa.Column("recommended_limit", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("recommended_term_days", sa.Integer(), nullable=False),
        sa.Column("review_due", sa.Date(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_credit_assessments_company_id_companies")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_credit_assessments_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_assessments"))
    )
    op.create_index("ix_credit_assessments_customer", "credit_assessments", ["customer_id", "as_of"], unique=False)
    op.create_table("credit_facts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("customer_group_id", sa.Integer(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("listed", sa.Boolean(), nullable=True),
        sa.Column("manufacturer", sa.Boolean(), nullable=True),
        sa.Column("emerging_market", sa.Boolean(), nullable=True),
        sa.Column("founded_on", sa.Date(), nullable=True),
        sa.Column("registered_capital", sa.BigInteger(), nullable=True),
        sa.Column("capital_currency", sa.String(length=3), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("ownership", sa.String(length=64), nullable=True),
        sa.Column("external_rating", sa.String(length=16), nullable=True),
        sa.Column("bureau_score", sa.Integer(), nullable=True),
        sa.CheckConstraint("(customer_id IS NULL) <> (customer_group_id IS NULL)", name=op.f("ck_credit_facts_one_owner")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_credit_facts_company_id_companies")),
        sa.ForeignKeyConstraint(["customer_group_id"], ["customer_groups.id"], name=op.f("fk_credit_facts_customer_group_id_customer_groups")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_credit_facts_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_facts"))
    )
    op.create_index("uq_credit_facts_customer_group_id_version", "credit_facts", ["company_id", "customer_group_id", "recorded_on"], unique=True)
    op.create_index("uq_credit_facts_customer_id_version", "credit_facts", ["company_id", "customer_id", "recorded_on"], unique=True)
    op.create_table("credit_references",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("highest_credit", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("terms", sa.String(length=32), nullable=True),
        sa.Column("experience", sa.String(length=8), nullable=True),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.CheckConstraint("experience IN ('prompt', 'slow', 'poor')", name=op.f("ck_credit_references_experience")),
        sa.CheckConstraint("kind IN ('trade', 'bank')", name=op.f("ck_credit_references_kind")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_credit_references_company_id_companies")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_credit_references_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_references"))
    )
    op.create_index("uq_credit_references_version", "credit_references", ["company_id", "customer_id", "kind", "name", "recorded_on"], unique=True)
    op.create_table("credit_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_on", sa.Date(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("reviewer", sa.String(length=128), nullable=False),
        sa.Column("management", sa.Integer(), nullable=True),
        sa.Column("industry_outlook", sa.Integer(), nullable=True),
        sa.Column("relationship", sa.Integer(), nullable=True),
        sa.Column("interview", sa.Integer(), nullable=True),
        sa.Column("management_weight", sa.Integer(), nullable=False),
        sa.Column("industry_outlook_weight", sa.Integer(), nullable=False),
        sa.Column("relationship_weight", sa.Integer(), nullable=False),
        sa.Column("interview_weight", sa.Integer(), nullable=False),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_credit_reviews_company_id_companies")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_credit_reviews_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_reviews"))
    )
    op.create_index("uq_credit_reviews_version", "credit_reviews", ["company_id", "customer_id", "reviewed_on", "recorded_on"], unique=True)
    op.create_table("credit_statements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("customer_group_id", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("cash", sa.BigInteger(), nullable=True),
        sa.Column("receivables", sa.BigInteger(), nullable=True),
        sa.Column("inventory", sa.BigInteger(), nullable=True),
        sa.Column("current_assets", sa.BigInteger(), nullable=True),
        sa.Column("current_liabilities", sa.BigInteger(), nullable=True),
        sa.Column("total_assets", sa.BigInteger(), nullable=True),
        sa.Column("total_liabilities", sa.BigInteger(), nullable=True),
        sa.Column("equity", sa.BigInteger(), nullable=True),
        sa.Column("retained_earnings", sa.BigInteger(), nullable=True),
        sa.Column("sales", sa.BigInteger(), nullable=True),
        sa.Column("ebit", sa.BigInteger(), nullable=True),
        sa.Column("interest_expense", sa.BigInteger(), nullable=True),
        sa.Column("market_value_equity", sa.BigInteger(), nullable=True),
        sa.Column("stated_working_capital", sa.BigInteger(), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.CheckConstraint("(customer_id IS NULL) <> (customer_group_id IS NULL)", name=op.f("ck_credit_statements_one_owner")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_credit_statements_company_id_companies")),
        sa.ForeignKeyConstraint(["customer_group_id"], ["customer_groups.id"], name=op.f("fk_credit_statements_customer_group_id_customer_groups")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f("fk_credit_statements_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_statements"))
    )
    op.create_index("uq_credit_statements_customer_group_id_version", "credit_statements", ["company_id", "customer_group_id", "period_end", "recorded_on"], unique=True)
    op.create_index("uq_credit_statements_customer_id_version", "credit_statements", ["company_id", "customer_id", "period_end", "recorded_on"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_credit_statements_customer_id_version", table_name="credit_statements")
    op.drop_index("uq_credit_statements_customer_group_id_version", table_name="credit_statements")
    op.drop_table("credit_statements")
    op.drop_index("uq_credit_reviews_version", table_name="credit_reviews")
    op.drop_table("credit_reviews")
    op.drop_index("uq_credit_references_version", table_name="credit_references")
    op.drop_table("credit_references")
    op.drop_index("uq_credit_facts_customer_id_version", table_name="credit_facts")
    op.drop_index("uq_credit_facts_customer_group_id_version", table_name="credit_facts")
    op.drop_table("credit_facts")
    op.drop_index("ix_credit_assessments_customer", table_name="credit_assessments")
    op.drop_table("credit_assessments")
    op.drop_index("uq_credit_settings_version", table_name="credit_settings")
    op.drop_table("credit_settings")
