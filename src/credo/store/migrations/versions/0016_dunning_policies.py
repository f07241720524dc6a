"""Dunning policies as the company's data: dunning_policy_versions, each change a new version
(store/collections_tables.py)

Revision ID: 0016
Revises: 0015
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('dunning_policy_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_dunning_policy_versions_company_id_companies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dunning_policy_versions')),
    sa.UniqueConstraint('company_id', 'version', name=op.f('uq_dunning_policy_versions_company_id_version'))
    )


def downgrade() -> None:
    op.drop_table('dunning_policy_versions')
