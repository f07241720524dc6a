"""Credit limits: credit_control_settings, limit_requests, credit_lines, credit_holds, orders, credit_queue

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _customer_or_group(table: str) -> list:
    return [
        sa.Column("customer_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("(customer_id IS NULL) <> (group_id IS NULL)", name=op.f(f"ck_{table}_customer_or_group")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f(f"fk_{table}_customer_id_customers")),
        sa.ForeignKeyConstraint(["group_id"], ["customer_groups.id"],
                                name=op.f(f"fk_{table}_group_id_customer_groups")),
    ]


def _company(table: str) -> list:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f(f"fk_{table}_company_id_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _line_terms() -> list:
    return [
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("term_days", sa.Integer(), nullable=False),
        sa.Column("rating", sa.String(length=1), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("review_due", sa.Date(), nullable=True),
    ]


def _customer(table: str) -> list:
    return [
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"], name=op.f(f"fk_{table}_customer_id_customers")),
    ]


def upgrade() -> None:
    op.create_table(
        "credit_control_settings",
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("check_points", sa.String(length=64), nullable=False),
        sa.Column("tolerance_share", sa.String(length=16), nullable=False),
        sa.Column("overdue_days", sa.Integer(), nullable=False),
        sa.Column("approval_levels", sa.String(length=200), nullable=False),
        sa.Column("self_approval_limit", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_credit_control_settings_company_id_companies")),
        sa.PrimaryKeyConstraint("company_id", name=op.f("pk_credit_control_settings")),
    )
    op.create_table(
        "limit_requests",
        *_company("limit_requests"),
        *_customer_or_group("limit_requests"),
        *_line_terms(),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("requested_by", sa.String(length=128), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=128), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.String(length=500), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected', 'withdrawn')",
                           name=op.f("ck_limit_requests_status")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_limit_requests_amount_not_negative")),
    )
    op.create_index("ix_limit_requests_company_status", "limit_requests", ["company_id", "status"])
    op.create_table(
        "credit_lines",
        *_company("credit_lines"),
        *_customer_or_group("credit_lines"),
        *_line_terms(),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("approved_by", sa.String(length=128), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["limit_requests.id"],
                                name=op.f("fk_credit_lines_request_id_limit_requests")),
        sa.UniqueConstraint("request_id", name=op.f("uq_credit_lines_request_id")),
    )
    op.create_index("ix_credit_lines_customer", "credit_lines", ["company_id", "customer_id"])
    op.create_index("ix_credit_lines_group", "credit_lines", ["company_id", "group_id"])
    op.create_table(
        "credit_holds",
        *_company("credit_holds"),
        *_customer("credit_holds"),
        sa.Column("on_hold", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("held_from", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_credit_holds_customer", "credit_holds", ["customer_id", "held_from"])
    op.create_table(
        "orders",
        *_company("orders"),
        *_customer("orders"),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("order_date", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("invoice_number", sa.String(length=64), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.UniqueConstraint("company_id", "number", name=op.f("uq_orders_company_id_number")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_orders_amount_positive")),
        sa.CheckConstraint("status IN ('open', 'blocked', 'cancelled', 'invoiced')", name=op.f("ck_orders_status")),
    )
    op.create_index("ix_orders_open", "orders", ["company_id", "customer_id", "currency", "order_date", "amount"],
                    sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
    op.create_table(
        "credit_queue",
        *_company("credit_queue"),
        *_customer("credit_queue"),
        sa.Column("point", sa.String(length=16), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("released_by", sa.String(length=128), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("release_reason", sa.String(length=500), nullable=True),
        sa.CheckConstraint("status IN ('blocked', 'released')", name=op.f("ck_credit_queue_status")),
    )
    op.create_index("ix_credit_queue_company_status", "credit_queue", ["company_id", "status"])


def downgrade() -> None:
    for table in ("credit_queue", "orders", "credit_holds", "credit_lines", "limit_requests", "credit_control_settings"):
        op.drop_table(table)
