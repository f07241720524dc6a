"""Credit insurance: policies, insured limits, overdue-buyer reports and claims
(store/risk_insurance_tables.py)

Revision ID: 0013
Revises: 0012
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('insurance_policies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('insurer', sa.String(length=200), nullable=False),
    sa.Column('number', sa.String(length=64), nullable=False),
    sa.Column('period_from', sa.Date(), nullable=False),
    sa.Column('period_to', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('coverage_share', sa.String(length=16), nullable=False),
    sa.Column('deductible', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('max_credit_days', sa.Integer(), nullable=False),
    sa.Column('report_overdue_days', sa.Integer(), nullable=False),
    sa.Column('claim_days', sa.Integer(), nullable=False),
    sa.Column('claim_from', sa.String(length=16), server_default='report', nullable=False),
    sa.Column('alert_days', sa.Integer(), server_default='7', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("claim_from IN ('report', 'due_date')", name=op.f('ck_insurance_policies_claim_from')),
    sa.CheckConstraint('deductible >= 0', name=op.f('ck_insurance_policies_deductible')),
    sa.CheckConstraint('max_credit_days >= 0 AND report_overdue_days >= 0 AND claim_days >= 0 AND alert_days >= 0', name=op.f('ck_insurance_policies_days')),
    sa.CheckConstraint('period_to >= period_from', name=op.f('ck_insurance_policies_period')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_insurance_policies_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_policies')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_insurance_policies_company_id_number'))
    )
    op.create_table('insurance_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('paid_amount', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=True),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("(status = 'paid') = (paid_on IS NOT NULL)", name=op.f('ck_insurance_claims_paid_on')),
    sa.CheckConstraint("status = 'draft' OR filed_on IS NOT NULL", name=op.f('ck_insurance_claims_filed_on')),
    sa.CheckConstraint("status IN ('draft', 'filed', 'accepted', 'rejected', 'paid')", name=op.f('ck_insurance_claims_status')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_insurance_claims_amount_positive')),
    sa.CheckConstraint('paid_amount >= 0', name=op.f('ck_insurance_claims_paid_amount')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_insurance_claims_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_insurance_claims_customer_id_customers')),
    sa.ForeignKeyConstraint(['policy_id'], ['insurance_policies.id'], name=op.f('fk_insurance_claims_policy_id_insurance_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_claims'))
    )
    with op.batch_alter_table('insurance_claims', schema=None) as batch_op:
        batch_op.create_index('ix_insurance_claims_customer', ['company_id', 'customer_id'], unique=False)

    op.create_table('insurance_overdue_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('reported_on', sa.Date(), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_insurance_overdue_reports_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_insurance_overdue_reports_customer_id_customers')),
    sa.ForeignKeyConstraint(['policy_id'], ['insurance_policies.id'], name=op.f('fk_insurance_overdue_reports_policy_id_insurance_policies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insurance_overdue_reports')),
    sa.UniqueConstraint('policy_id', 'customer_id', 'reported_on', name=op.f('uq_insurance_overdue_reports_policy_id_customer_id_reported_on'))
    )
    op.create_table('insured_limits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('policy_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=True),
    sa.Column('dated_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('reference', sa.String(length=100), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("kind = 'request' OR valid_from IS NOT NULL", name=op.f('ck_insured_limits_decision_valid_from')),
    sa.CheckConstraint("kind IN ('request', 'decision')", name=op.f('ck_insured_limits_kind')),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_insured_limits_amount')),
    sa.CheckConstraint('valid_until IS NULL OR valid_until >= valid_from', name=op.f('ck_insured_limits_valid_until')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_insured_limits_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_insured_limits_customer_id_customers')),
    sa.ForeignKeyConstraint(['policy_id'], ['insurance_policies.id'], name=op.f('fk_insured_limits_policy_id_insurance_policies')),
    sa.ForeignKeyConstraint(['request_id'], ['insured_limits.id'], name=op.f('fk_insured_limits_request_id_insured_limits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_insured_limits'))
    )
    with op.batch_alter_table('insured_limits', schema=None) as batch_op:
        batch_op.create_index('ix_insured_limits_customer', ['company_id', 'customer_id', 'dated_on'], unique=False)

    op.create_table('insurance_claim_invoices',
    sa.Column('claim_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['claim_id'], ['insurance_claims.id'], name=op.f('fk_insurance_claim_invoices_claim_id_insurance_claims')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_insurance_claim_invoices_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('claim_id', 'invoice_id', name=op.f('pk_insurance_claim_invoices'))
    )


def downgrade() -> None:
    op.drop_table('insurance_claim_invoices')
    with op.batch_alter_table('insured_limits', schema=None) as batch_op:
        batch_op.drop_index('ix_insured_limits_customer')

    op.drop_table('insured_limits')
    op.drop_table('insurance_overdue_reports')
    with op.batch_alter_table('insurance_claims', schema=None) as batch_op:
        batch_op.drop_index('ix_insurance_claims_customer')

    op.drop_table('insurance_claims')
    op.drop_table('insurance_policies')
