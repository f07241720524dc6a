"""An index of tasks by customer: the customer page asks for its open tasks, and whether it has any
(store/collections_tables.py, services/browse/holdings.py)

Revision ID: 0018
Revises: 0017
"""
from alembic import op


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tasks_customer', 'tasks', ['company_id', 'customer_id'])


def downgrade() -> None:
    op.drop_index('ix_tasks_customer', table_name='tasks')
