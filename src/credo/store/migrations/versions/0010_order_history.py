"""Order history: order_events, a row for each state an order took, effective on a date
(store/limit_tables.py), so the exposure as of a past day reads that day's state.

Orders written before this revision have no history: each gets one event on its order date with
the state it has now, except an invoiced order whose invoice is in the ledger, which was open from
its order date until the invoice's issue date (two events). A cancelled order's cancellation date
was never recorded: it counts as cancelled from its order date.

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

# The invoice that billed an order, when it is in the ledger and dated after the order.
_BILLED = """
    SELECT o.id AS order_id, MIN(i.issue_date) AS issue_date
    FROM orders o JOIN invoices i ON i.company_id = o.company_id AND i.number = o.invoice_number
    WHERE o.status = 'invoiced' AND i.issue_date > o.order_date
    GROUP BY o.id
"""


def upgrade() -> None:
    op.create_table('order_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('effective_on', sa.Date(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('invoice_number', sa.String(length=64), nullable=True),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('open', 'blocked', 'cancelled', 'invoiced')", name=op.f('ck_order_events_status')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_order_events_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_order_events_customer_id_customers')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.create_index('ix_order_events_customer', ['company_id', 'customer_id', 'effective_on'], unique=False)
        batch_op.create_index('ix_order_events_order', ['order_id', 'effective_on', 'id'], unique=False)

    columns = "company_id, order_id, effective_on, customer_id, status, currency, amount, invoice_number, actor, at"
    op.execute(f"""
        INSERT INTO order_events ({columns})
        SELECT o.company_id, o.id, o.order_date, o.customer_id,
               CASE WHEN b.order_id IS NULL THEN o.status ELSE 'open' END, o.currency, o.amount,
               CASE WHEN b.order_id IS NULL THEN o.invoice_number END, 'migration:0010', CURRENT_TIMESTAMP
        FROM orders o LEFT JOIN ({_BILLED}) b ON b.order_id = o.id
        ORDER BY o.id
    """)
    op.execute(f"""
        INSERT INTO order_events ({columns})
        SELECT o.company_id, o.id, b.issue_date, o.customer_id, o.status, o.currency, o.amount,
               o.invoice_number, 'migration:0010', CURRENT_TIMESTAMP
        FROM orders o JOIN ({_BILLED}) b ON b.order_id = o.id
        ORDER BY o.id
    """)


def downgrade() -> None:
    with op.batch_alter_table('order_events', schema=None) as batch_op:
        batch_op.drop_index('ix_order_events_order')
        batch_op.drop_index('ix_order_events_customer')

    op.drop_table('order_events')
