"""Policy exceptions (政策例外) on limit requests and credit lines: the words that say why a limit
above 0 stands for a rating the credit policy gives no credit (D, E by default). NULL: none needed.

Revision ID: 0023
Revises: 0022
"""
import sqlalchemy as sa
from alembic import op


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("limit_requests", "credit_lines"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("policy_exception", sa.String(500)))


def downgrade() -> None:
    for table in ("limit_requests", "credit_lines"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("policy_exception")
