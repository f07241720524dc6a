"""Early warnings (风险预警): rules, alerts, their comments, manual flags and the digests sent
(store/risk_alert_tables.py)

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('risk_digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('digest_on', sa.Date(), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('alerts', sa.Integer(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_risk_digests_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_digests')),
    sa.UniqueConstraint('company_id', 'digest_on', name=op.f('uq_risk_digests_company_id_digest_on'))
    )
    op.create_table('risk_digest_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=2), server_default='zh', nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("language IN ('zh', 'en')", name=op.f('ck_risk_digest_recipients_language')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_risk_digest_recipients_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_digest_recipients')),
    sa.UniqueConstraint('company_id', 'username', name=op.f('uq_risk_digest_recipients_company_id_username'))
    )
    op.create_table('risk_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('indicator', sa.String(length=32), nullable=False),
    sa.Column('threshold', sa.String(length=40), nullable=False),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('window_days', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("severity IN ('low', 'medium', 'high')", name=op.f('ck_risk_rules_severity')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_risk_rules_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_rules')),
    sa.UniqueConstraint('company_id', 'code', name=op.f('uq_risk_rules_company_id_code'))
    )
    op.create_table('risk_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('indicator', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('threshold', sa.String(length=40), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('detail', sa.String(length=500), nullable=True),
    sa.Column('severity', sa.String(length=8), nullable=False),
    sa.Column('owner', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('raised_on', sa.Date(), nullable=False),
    sa.Column('breach_gone_on', sa.Date(), nullable=True),
    sa.Column('acknowledged_on', sa.Date(), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=128), nullable=True),
    sa.Column('resolved_on', sa.Date(), nullable=True),
    sa.Column('resolved_by', sa.String(length=128), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.CheckConstraint("(status = 'resolved') = (resolved_on IS NOT NULL)", name=op.f('ck_risk_alerts_resolved_on')),
    sa.CheckConstraint("status IN ('open', 'acknowledged', 'resolved')", name=op.f('ck_risk_alerts_status')),
    sa.CheckConstraint('(customer_id IS NULL) <> (group_id IS NULL)', name=op.f('ck_risk_alerts_customer_or_group')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_risk_alerts_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_risk_alerts_customer_id_customers')),
    sa.ForeignKeyConstraint(['group_id'], ['customer_groups.id'], name=op.f('fk_risk_alerts_group_id_customer_groups')),
    sa.ForeignKeyConstraint(['rule_id'], ['risk_rules.id'], name=op.f('fk_risk_alerts_rule_id_risk_rules')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_alerts'))
    )
    with op.batch_alter_table('risk_alerts', schema=None) as batch_op:
        batch_op.create_index('ix_risk_alerts_company_status', ['company_id', 'status', 'raised_on'], unique=False)
        batch_op.create_index('uq_risk_alerts_unresolved_customer', ['company_id', 'rule_id', 'customer_id'], unique=True, sqlite_where=sa.text("status <> 'resolved'"), postgresql_where=sa.text("status <> 'resolved'"))
        batch_op.create_index('uq_risk_alerts_unresolved_group', ['company_id', 'rule_id', 'group_id'], unique=True, sqlite_where=sa.text("status <> 'resolved'"), postgresql_where=sa.text("status <> 'resolved'"))

    op.create_table('risk_flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('flagged_on', sa.Date(), nullable=False),
    sa.Column('flagged_by', sa.String(length=128), nullable=False),
    sa.Column('cleared_on', sa.Date(), nullable=True),
    sa.Column('cleared_by', sa.String(length=128), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('lawsuit', 'news', 'management_change', 'other')", name=op.f('ck_risk_flags_kind')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_risk_flags_company_id_companies')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_risk_flags_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_flags'))
    )
    with op.batch_alter_table('risk_flags', schema=None) as batch_op:
        batch_op.create_index('ix_risk_flags_customer', ['company_id', 'customer_id'], unique=False)

    op.create_table('risk_alert_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=128), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['risk_alerts.id'], name=op.f('fk_risk_alert_comments_alert_id_risk_alerts')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_risk_alert_comments_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_alert_comments'))
    )
    with op.batch_alter_table('risk_alert_comments', schema=None) as batch_op:
        batch_op.create_index('ix_risk_alert_comments_alert', ['alert_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('risk_alert_comments', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_alert_comments_alert')

    op.drop_table('risk_alert_comments')
    with op.batch_alter_table('risk_flags', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_flags_customer')

    op.drop_table('risk_flags')
    with op.batch_alter_table('risk_alerts', schema=None) as batch_op:
        batch_op.drop_index('uq_risk_alerts_unresolved_group', sqlite_where=sa.text("status <> 'resolved'"), postgresql_where=sa.text("status <> 'resolved'"))
        batch_op.drop_index('uq_risk_alerts_unresolved_customer', sqlite_where=sa.text("status <> 'resolved'"), postgresql_where=sa.text("status <> 'resolved'"))
        batch_op.drop_index('ix_risk_alerts_company_status')

    op.drop_table('risk_alerts')
    op.drop_table('risk_rules')
    op.drop_table('risk_digest_recipients')
    op.drop_table('risk_digests')
