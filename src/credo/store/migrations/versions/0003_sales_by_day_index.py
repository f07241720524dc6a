"""Sales by day read from an index: invoices (company_id, issue_date, currency, amount)

Countback DSO and the trends sum a period's sales per day and currency; with currency and amount
in the index, SQLite and PostgreSQL read it alone, in the order they group by (no table, no sort).

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_invoices_company_issue", table_name="invoices")
    op.create_index("ix_invoices_company_issue", "invoices", ["company_id", "issue_date", "currency", "amount"])


def downgrade() -> None:
    op.drop_index("ix_invoices_company_issue", table_name="invoices")
    op.create_index("ix_invoices_company_issue", "invoices", ["company_id", "issue_date"])
