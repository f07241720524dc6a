"""The provision settings' specific rule: what a specific provision does to a customer's collective
figure, `replace` (the default, as before) or `higher` (the higher of the two counts)
(store/risk_provision_tables.py, services/risk/provision_settings.py).

Revision ID: 0022
Revises: 0021
"""
import sqlalchemy as sa
from alembic import op


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('provision_settings',
                  sa.Column('specific_rule', sa.String(16), nullable=False, server_default='replace'))


def downgrade() -> None:
    with op.batch_alter_table('provision_settings') as batch:
        batch.drop_column('specific_rule')
