"""Early-payment discount offers (store/discount_tables.py) and the customer's own time zone

Revision ID: 0015
Revises: 0014
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('customers', schema=None) as batch:
        batch.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
    op.create_table('discount_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.String(length=16), nullable=False),
    sa.Column('offered_on', sa.Date(), nullable=False),
    sa.Column('pay_by', sa.Date(), nullable=False),
    sa.Column('offered_by', sa.String(length=128), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint('pay_by >= offered_on', name=op.f('ck_discount_offers_pay_by')),
    sa.CheckConstraint("status IN ('offered', 'taken', 'expired', 'withdrawn')",
                       name=op.f('ck_discount_offers_status')),
    sa.CheckConstraint("(status = 'offered') = (closed_on IS NULL)", name=op.f('ck_discount_offers_closed_on')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_discount_offers_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_discount_offers_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discount_offers'))
    )
    with op.batch_alter_table('discount_offers', schema=None) as batch_op:
        batch_op.create_index('ix_discount_offers_customer', ['company_id', 'customer_id'], unique=False)
    op.create_table('discount_offer_invoices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('offer_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('open_amount', sa.BigInteger(), nullable=False),
    sa.Column('discount', sa.BigInteger(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=True),
    sa.Column('credit_note_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('discount > 0 AND discount < open_amount', name=op.f('ck_discount_offer_invoices_discount')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'],
                            name=op.f('fk_discount_offer_invoices_company_id_companies')),
    sa.ForeignKeyConstraint(['offer_id'], ['discount_offers.id'],
                            name=op.f('fk_discount_offer_invoices_offer_id_discount_offers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_discount_offer_invoices_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['credit_note_id'], ['credit_notes.id'],
                            name=op.f('fk_discount_offer_invoices_credit_note_id_credit_notes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discount_offer_invoices')),
    sa.UniqueConstraint('offer_id', 'invoice_id', name=op.f('uq_discount_offer_invoices_offer_id_invoice_id'))
    )
    with op.batch_alter_table('discount_offer_invoices', schema=None) as batch_op:
        batch_op.create_index('ix_discount_offer_invoices_invoice', ['invoice_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('discount_offer_invoices', schema=None) as batch_op:
        batch_op.drop_index('ix_discount_offer_invoices_invoice')
    op.drop_table('discount_offer_invoices')
    with op.batch_alter_table('discount_offers', schema=None) as batch_op:
        batch_op.drop_index('ix_discount_offers_customer')
    op.drop_table('discount_offers')
    with op.batch_alter_table('customers', schema=None) as batch:
        batch.drop_column('time_zone')
