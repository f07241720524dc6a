"""Bad-debt provisions: specific provisions for named customers and the company's provision
settings (store/risk_provision_tables.py)

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('specific_provisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('rate', sa.String(length=16), nullable=True),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_by', sa.String(length=128), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(rate IS NULL) <> (amount IS NULL)', name=op.f('ck_specific_provisions_rate_or_amount')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_specific_provisions_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_specific_provisions_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_specific_provisions'))
    )
    with op.batch_alter_table('specific_provisions', schema=None) as batch_op:
        batch_op.create_index('ix_specific_provisions_customer', ['company_id', 'customer_id', 'valid_from'],
                              unique=False)

    op.create_table('provision_settings',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=False),
    sa.Column('lookback_months', sa.Integer(), nullable=False),
    sa.Column('forward_factor', sa.String(length=16), nullable=False),
    sa.Column('limits', sa.String(length=200), nullable=False),
    sa.Column('loss_rate', sa.String(length=16), nullable=False),
    sa.Column('matrix_rates', sa.Text(), nullable=True),
    sa.Column('aging_rates', sa.Text(), nullable=True),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("method IN ('matrix', 'aging-table')", name=op.f('ck_provision_settings_method')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_provision_settings_company_id_companies')),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_provision_settings'))
    )


def downgrade() -> None:
    op.drop_table('provision_settings')
    with op.batch_alter_table('specific_provisions', schema=None) as batch_op:
        batch_op.drop_index('ix_specific_provisions_customer')
    op.drop_table('specific_provisions')
