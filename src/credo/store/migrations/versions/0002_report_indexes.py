"""Report indexes: open items grouped in index order, unapplied money, allocations by date

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN_INVOICES = "amount > paid_amount"
OPEN_CREDIT = "amount > applied_amount"


def _partial(name: str, table: str, columns: list[str], where: str) -> None:
    import sqlalchemy as sa

    op.create_index(name, table, columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def upgrade() -> None:
    op.drop_index("ix_invoices_open", table_name="invoices")
    _partial("ix_invoices_open", "invoices",
             ["company_id", "customer_id", "currency", "due_date", "issue_date", "amount", "paid_amount"], OPEN_INVOICES)
    _partial("ix_payments_open", "payments",
             ["company_id", "customer_id", "currency", "payment_date", "reversed_on", "amount", "applied_amount"],
             OPEN_CREDIT)
    _partial("ix_credit_notes_open", "credit_notes",
             ["company_id", "customer_id", "currency", "issue_date", "amount", "applied_amount"], OPEN_CREDIT)
    op.drop_index("ix_allocations_company_date", table_name="allocations")
    op.create_index("ix_allocations_company_date", "allocations",
                    ["company_id", "alloc_date", "invoice_id", "payment_id", "credit_note_id", "amount"])


def downgrade() -> None:
    op.drop_index("ix_allocations_company_date", table_name="allocations")
    op.create_index("ix_allocations_company_date", "allocations", ["company_id", "alloc_date"])
    op.drop_index("ix_credit_notes_open", table_name="credit_notes")
    op.drop_index("ix_payments_open", table_name="payments")
    op.drop_index("ix_invoices_open", table_name="invoices")
    _partial("ix_invoices_open", "invoices",
             ["company_id", "customer_id", "due_date", "issue_date", "currency", "amount", "paid_amount"], OPEN_INVOICES)
