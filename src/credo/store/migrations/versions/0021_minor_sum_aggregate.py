"""PostgreSQL: an aggregate minor_sum(bigint) that adds minor units in a bigint (int8pl), for the
reports' sums (store/queries.py `minor_sum`). The built-in sum(bigint) keeps a 128-bit state and
returns numeric; a parallel plan serialises every partial state as numeric for the leader to
combine, which was a quarter of the current aging's statement at 1M (finalize 55 -> 9 ms,
docs/performance.md). int8pl raises "bigint out of range" on overflow, as the cast of a numeric sum
to bigint did. SQLite's own sum() of integers is already an integer: nothing to do there.

Revision ID: 0021
Revises: 0020
"""
from alembic import op


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE AGGREGATE minor_sum(bigint) "
                   "(sfunc = int8pl, stype = bigint, combinefunc = int8pl, parallel = safe)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP AGGREGATE minor_sum(bigint)")
