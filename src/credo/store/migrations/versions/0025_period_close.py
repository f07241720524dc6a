"""Period close: the lock date per company (period_closes) and the month-end figures stored when a
period closes (close_snapshots), each with the settings it used and a digest of its inputs.

Revision ID: 0025
Revises: 0024
"""
import sqlalchemy as sa
from alembic import op


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "period_closes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(128), nullable=False),
        sa.Column("reopened_at", sa.DateTime(timezone=True)),
        sa.Column("reopened_by", sa.String(128)),
        sa.Column("reopen_reason", sa.String(500)),
    )
    op.create_index("ix_period_closes_company", "period_closes", ["company_id", "period_end"])
    op.create_table(
        "close_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("company_id", sa.Integer(), sa.ForeignKey("companies.id"), nullable=False),
        sa.Column("close_id", sa.Integer(), sa.ForeignKey("period_closes.id"), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("inputs", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.UniqueConstraint("close_id", "as_of", "kind"),
    )
    # The requester never approves: the self-approval limit left the rule (domain/approval.py).
    with op.batch_alter_table("credit_control_settings") as batch:
        batch.drop_column("self_approval_limit")


def downgrade() -> None:
    with op.batch_alter_table("credit_control_settings") as batch:
        batch.add_column(sa.Column("self_approval_limit", sa.BigInteger(), nullable=False, server_default="0"))
    op.drop_table("close_snapshots")
    op.drop_index("ix_period_closes_company", "period_closes")
    op.drop_table("period_closes")
