"""Collections: disputes, promises, payment plans, dunning sends, tasks, activities, contacts,
escalation cases, interest terms and reference rates (store/collections_tables.py)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reference_rates',
    sa.Column('statute', sa.String(length=16), nullable=False),
    sa.Column('half_year', sa.Date(), nullable=False),
    sa.Column('rate', sa.String(length=16), nullable=False),
    sa.CheckConstraint("statute IN ('eu_2011_7', 'uk_1998')", name=op.f('ck_reference_rates_statute')),
    sa.PrimaryKeyConstraint('statute', 'half_year', name=op.f('pk_reference_rates'))
    )
    op.create_table('collection_cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('handler', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('expected_recovery', sa.BigInteger(), nullable=False),
    sa.Column('expected_cost', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('recovered', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("kind IN ('agency', 'legal')", name=op.f('ck_collection_cases_kind')),
    sa.CheckConstraint("status IN ('open', 'closed')", name=op.f('ck_collection_cases_status')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_collection_cases_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_collection_cases_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collection_cases'))
    )
    with op.batch_alter_table('collection_cases', schema=None) as batch_op:
        batch_op.create_index('ix_collection_cases_customer', ['company_id', 'customer_id'], unique=False)

    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=64), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=64), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=True),
    sa.Column('receives_dunning', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("language IS NULL OR language IN ('zh', 'en')", name=op.f('ck_contacts_language')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_contacts_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_contacts_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index('ix_contacts_customer', ['company_id', 'customer_id'], unique=False)

    op.create_table('interest_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('statute', sa.String(length=16), nullable=False),
    sa.Column('rate', sa.String(length=16), nullable=False),
    sa.Column('basis', sa.String(length=8), nullable=False),
    sa.Column('day_basis', sa.Integer(), server_default='365', nullable=False),
    sa.Column('grace_days', sa.Integer(), server_default='0', nullable=False),
    sa.Column('fixed_fee', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('raise_debit_note', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("basis IN ('annual', 'daily')", name=op.f('ck_interest_terms_basis')),
    sa.CheckConstraint("statute IN ('contract', 'eu_2011_7', 'uk_1998')", name=op.f('ck_interest_terms_statute')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_interest_terms_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_interest_terms_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_terms'))
    )
    with op.batch_alter_table('interest_terms', schema=None) as batch_op:
        batch_op.create_index('ix_interest_terms_customer', ['company_id', 'customer_id', 'valid_from'], unique=False)

    op.create_table('payment_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('frequency', sa.String(length=16), nullable=False),
    sa.Column('annual_rate', sa.String(length=16), server_default='0', nullable=False),
    sa.Column('grace_days', sa.Integer(), server_default='0', nullable=False),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("frequency IN ('weekly', 'fortnightly', 'monthly')", name=op.f('ck_payment_plans_frequency')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_payment_plans_amount_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_payment_plans_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_payment_plans_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_plans'))
    )
    with op.batch_alter_table('payment_plans', schema=None) as batch_op:
        batch_op.create_index('ix_payment_plans_customer', ['company_id', 'customer_id'], unique=False)

    op.create_table('promises',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('made_on', sa.Date(), nullable=False),
    sa.Column('promised_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('promised_by', sa.String(length=200), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('grace_days', sa.Integer(), server_default='0', nullable=False),
    sa.Column('cancelled_on', sa.Date(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("channel IN ('phone', 'email', 'visit', 'sms', 'letter', 'portal', 'other')", name=op.f('ck_promises_channel')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_promises_amount_positive')),
    sa.CheckConstraint('grace_days >= 0', name=op.f('ck_promises_grace')),
    sa.CheckConstraint('promised_on >= made_on', name=op.f('ck_promises_after_made')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_promises_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_promises_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_promises'))
    )
    with op.batch_alter_table('promises', schema=None) as batch_op:
        batch_op.create_index('ix_promises_customer', ['company_id', 'customer_id', 'promised_on'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('assignee', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("kind IN ('call', 'visit', 'account_manager', 'follow_up', 'review')", name=op.f('ck_tasks_kind')),
    sa.CheckConstraint("status IN ('open', 'done', 'cancelled')", name=op.f('ck_tasks_status')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_tasks_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_tasks_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tasks')),
    sa.UniqueConstraint('company_id', 'source', name=op.f('uq_tasks_company_id_source'))
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_assignee', ['company_id', 'status', 'assignee', 'due_on'], unique=False)

    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('invoice_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=200), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('next_follow_up', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("kind IN ('call', 'email', 'sms', 'letter', 'visit', 'meeting', 'note')", name=op.f('ck_activities_kind')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_activities_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_activities_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_activities_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_customer', ['company_id', 'customer_id', 'occurred_on'], unique=False)

    op.create_table('dunning_sends',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('send_key', sa.String(length=160), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('times', sa.Integer(), nullable=False),
    sa.Column('policy', sa.String(length=32), nullable=False),
    sa.Column('step', sa.String(length=64), nullable=False),
    sa.Column('run_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='1', nullable=False),
    sa.Column('channels', sa.String(length=120), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("status IN ('sent', 'failed')", name=op.f('ck_dunning_sends_status')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_dunning_sends_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_dunning_sends_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_dunning_sends_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dunning_sends')),
    sa.UniqueConstraint('company_id', 'send_key', name=op.f('uq_dunning_sends_company_id_send_key'))
    )
    with op.batch_alter_table('dunning_sends', schema=None) as batch_op:
        batch_op.create_index('ix_dunning_sends_invoice', ['invoice_id', 'level'], unique=False)

    op.create_table('plan_instalments',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('principal', sa.BigInteger(), nullable=False),
    sa.Column('interest', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['payment_plans.id'], name=op.f('fk_plan_instalments_plan_id_payment_plans')),
    sa.PrimaryKeyConstraint('plan_id', 'number', name=op.f('pk_plan_instalments'))
    )
    op.create_table('plan_invoices',
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_plan_invoices_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['plan_id'], ['payment_plans.id'], name=op.f('fk_plan_invoices_plan_id_payment_plans')),
    sa.PrimaryKeyConstraint('plan_id', 'invoice_id', name=op.f('pk_plan_invoices'))
    )
    op.create_table('promise_invoices',
    sa.Column('promise_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_promise_invoices_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['promise_id'], ['promises.id'], name=op.f('fk_promise_invoices_promise_id_promises')),
    sa.PrimaryKeyConstraint('promise_id', 'invoice_id', name=op.f('pk_promise_invoices'))
    )
    op.create_table('disputes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reason', sa.String(length=16), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('resolution', sa.String(length=16), nullable=True),
    sa.Column('credit_note_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("(status = 'resolved') = (resolved_on IS NOT NULL)", name=op.f('ck_disputes_resolved_on')),
    sa.CheckConstraint("reason IN ('price', 'quantity', 'quality', 'missing_po', 'duplicate', 'delivery', 'other')", name=op.f('ck_disputes_reason')),
    sa.CheckConstraint("resolution IS NULL OR resolution IN ('credit_note', 'valid', 'partial')", name=op.f('ck_disputes_resolution')),
    sa.CheckConstraint("status IN ('open', 'investigating', 'resolved')", name=op.f('ck_disputes_status')),
    sa.CheckConstraint('amount > 0', name=op.f('ck_disputes_amount_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_disputes_company_id_companies')),
    sa.ForeignKeyConstraint(['credit_note_id'], ['credit_notes.id'], name=op.f('fk_disputes_credit_note_id_credit_notes')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_disputes_customer_id_customers')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_disputes_invoice_id_invoices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disputes'))
    )
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.create_index('ix_disputes_customer', ['company_id', 'customer_id'], unique=False)
        batch_op.create_index('ix_disputes_invoice', ['invoice_id', 'opened_on'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('disputes', schema=None) as batch_op:
        batch_op.drop_index('ix_disputes_invoice')
        batch_op.drop_index('ix_disputes_customer')

    op.drop_table('disputes')
    op.drop_table('promise_invoices')
    op.drop_table('plan_invoices')
    op.drop_table('plan_instalments')
    with op.batch_alter_table('dunning_sends', schema=None) as batch_op:
        batch_op.drop_index('ix_dunning_sends_invoice')

    op.drop_table('dunning_sends')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_customer')

    op.drop_table('activities')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_assignee')

    op.drop_table('tasks')
    with op.batch_alter_table('promises', schema=None) as batch_op:
        batch_op.drop_index('ix_promises_customer')

    op.drop_table('promises')
    with op.batch_alter_table('payment_plans', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_plans_customer')

    op.drop_table('payment_plans')
    with op.batch_alter_table('interest_terms', schema=None) as batch_op:
        batch_op.drop_index('ix_interest_terms_customer')

    op.drop_table('interest_terms')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_contacts_customer')

    op.drop_table('contacts')
    with op.batch_alter_table('collection_cases', schema=None) as batch_op:
        batch_op.drop_index('ix_collection_cases_customer')

    op.drop_table('collection_cases')
    op.drop_table('reference_rates')
