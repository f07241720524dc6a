"""Late interest: the debit notes' charges, waivers and the company's interest settings
(store/collections_tables.py)

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('interest_settings',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('waiver_threshold', sa.BigInteger(), nullable=False),
    sa.Column('settle_order', sa.String(length=40), nullable=False),
    sa.Column('debit_note_days', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_interest_settings_company_id_companies')),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_interest_settings'))
    )
    op.create_table('interest_charges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('debit_note_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=True),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('interest', sa.BigInteger(), nullable=False),
    sa.Column('fee', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_interest_charges_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_interest_charges_customer_id_customers')),
    sa.ForeignKeyConstraint(['debit_note_id'], ['invoices.id'], name=op.f('fk_interest_charges_debit_note_id_invoices')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_interest_charges_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_charges')),
    sa.UniqueConstraint('debit_note_id', 'invoice_id', name=op.f('uq_interest_charges_debit_note_id_invoice_id'))
    )
    with op.batch_alter_table('interest_charges', schema=None) as batch_op:
        batch_op.create_index('ix_interest_charges_invoice', ['invoice_id', 'period_to'], unique=False)

    op.create_table('interest_waivers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('waived_on', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_by', sa.String(length=128), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=128), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=True),
    sa.Column('credit_note_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_interest_waivers_status')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_interest_waivers_amount_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_interest_waivers_company_id_companies')),
    sa.ForeignKeyConstraint(['credit_note_id'], ['credit_notes.id'], name=op.f('fk_interest_waivers_credit_note_id_credit_notes')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_interest_waivers_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_interest_waivers_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_waivers'))
    )
    with op.batch_alter_table('interest_waivers', schema=None) as batch_op:
        batch_op.create_index('ix_interest_waivers_invoice', ['company_id', 'invoice_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('interest_waivers', schema=None) as batch_op:
        batch_op.drop_index('ix_interest_waivers_invoice')
    op.drop_table('interest_waivers')
    with op.batch_alter_table('interest_charges', schema=None) as batch_op:
        batch_op.drop_index('ix_interest_charges_invoice')
    op.drop_table('interest_charges')
    op.drop_table('interest_settings')
