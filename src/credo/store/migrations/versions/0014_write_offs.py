"""Write-offs (核销), their lines and recoveries, the journal's accounts, and allocations.write_off_id
(store/write_off_tables.py)

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

ONE_SOURCE = ("(CASE WHEN payment_id IS NULL THEN 0 ELSE 1 END + CASE WHEN credit_note_id IS NULL THEN 0 ELSE 1 END"
              " + CASE WHEN write_off_id IS NULL THEN 0 ELSE 1 END) = 1")
TWO_SOURCES = '(payment_id IS NULL) <> (credit_note_id IS NULL)'


def upgrade() -> None:
    op.create_table('write_offs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('written_off_on', sa.Date(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('base_amount', sa.BigInteger(), nullable=True),
    sa.Column('recovered_amount', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('requested_by', sa.String(length=128), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=128), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=True),
    sa.CheckConstraint('amount > 0', name=op.f('ck_write_offs_amount_positive')),
    sa.CheckConstraint('recovered_amount >= 0 AND recovered_amount <= amount',
                       name=op.f('ck_write_offs_not_over_recovered')),
    sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f('ck_write_offs_status')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_write_offs_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_write_offs_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_offs'))
    )
    with op.batch_alter_table('write_offs', schema=None) as batch_op:
        batch_op.create_index('ix_write_offs_company_date', ['company_id', 'status', 'written_off_on'], unique=False)

    op.create_table('write_off_lines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('write_off_id', sa.Integer(), nullable=False),
    sa.Column('invoice_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('recovered_amount', sa.BigInteger(), server_default='0', nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_write_off_lines_amount_positive')),
    sa.CheckConstraint('recovered_amount >= 0 AND recovered_amount <= amount',
                       name=op.f('ck_write_off_lines_not_over_recovered')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_write_off_lines_company_id_companies')),
    sa.ForeignKeyConstraint(['invoice_id'], ['invoices.id'], name=op.f('fk_write_off_lines_invoice_id_invoices')),
    sa.ForeignKeyConstraint(['write_off_id'], ['write_offs.id'], name=op.f('fk_write_off_lines_write_off_id_write_offs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_off_lines')),
    sa.UniqueConstraint('write_off_id', 'invoice_id', name=op.f('uq_write_off_lines_write_off_id_invoice_id'))
    )
    with op.batch_alter_table('write_off_lines', schema=None) as batch_op:
        batch_op.create_index('ix_write_off_lines_invoice', ['invoice_id'], unique=False)

    op.create_table('write_off_recoveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('write_off_id', sa.Integer(), nullable=False),
    sa.Column('recovered_on', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('base_amount', sa.BigInteger(), nullable=False),
    sa.Column('payment_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('recorded_by', sa.String(length=128), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_write_off_recoveries_amount_positive')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_write_off_recoveries_company_id_companies')),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_write_off_recoveries_payment_id_payments')),
    sa.ForeignKeyConstraint(['write_off_id'], ['write_offs.id'],
                            name=op.f('fk_write_off_recoveries_write_off_id_write_offs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_off_recoveries'))
    )
    with op.batch_alter_table('write_off_recoveries', schema=None) as batch_op:
        batch_op.create_index('ix_write_off_recoveries_company_date', ['company_id', 'recovered_on'], unique=False)

    op.create_table('write_off_accounts',
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('impairment_loss', sa.String(length=32), nullable=False),
    sa.Column('allowance', sa.String(length=32), nullable=False),
    sa.Column('receivables', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_write_off_accounts_company_id_companies')),
    sa.PrimaryKeyConstraint('company_id', name=op.f('pk_write_off_accounts'))
    )

    # An allocation's third source; SQLite rebuilds the table (batch) to change its CHECK.
    with op.batch_alter_table('allocations', schema=None, recreate='auto') as batch_op:
        batch_op.add_column(sa.Column('write_off_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_allocations_write_off_id_write_offs'), 'write_offs',
                                    ['write_off_id'], ['id'])
        batch_op.drop_constraint(op.f('ck_allocations_one_source'), type_='check')
        batch_op.create_check_constraint('one_source', ONE_SOURCE)
        batch_op.create_index('ix_allocations_write_off', ['write_off_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('allocations', schema=None, recreate='auto') as batch_op:
        batch_op.drop_index('ix_allocations_write_off')
        batch_op.drop_constraint(op.f('ck_allocations_one_source'), type_='check')
        batch_op.create_check_constraint('one_source', TWO_SOURCES)
        batch_op.drop_constraint(op.f('fk_allocations_write_off_id_write_offs'), type_='foreignkey')
        batch_op.drop_column('write_off_id')
    op.drop_table('write_off_accounts')
    with op.batch_alter_table('write_off_recoveries', schema=None) as batch_op:
        batch_op.drop_index('ix_write_off_recoveries_company_date')
    op.drop_table('write_off_recoveries')
    with op.batch_alter_table('write_off_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_write_off_lines_invoice')
    op.drop_table('write_off_lines')
    with op.batch_alter_table('write_offs', schema=None) as batch_op:
        batch_op.drop_index('ix_write_offs_company_date')
    op.drop_table('write_offs')
