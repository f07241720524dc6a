"""dunning_sends.delivered: the channels of a send carried out so far, so that a retry tries only
those that failed (a delivered mail is never sent again). Rows already sent delivered every channel;
a failed row delivered its channels less those its error names ("sms: ..."; "email: ...").

Revision ID: 0024
Revises: 0023
"""
import sqlalchemy as sa
from alembic import op


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dunning_sends", sa.Column("delivered", sa.String(120)))
    sends = sa.table("dunning_sends", sa.column("id", sa.Integer), sa.column("status", sa.String),
                     sa.column("channels", sa.String), sa.column("error", sa.Text),
                     sa.column("delivered", sa.String))
    conn = op.get_bind()
    conn.execute(sa.update(sends).where(sends.c.status == "sent").values(delivered=sends.c.channels))
    for row in conn.execute(sa.select(sends.c.id, sends.c.channels, sends.c.error).where(sends.c.status == "failed")):
        failed = {part.split(":", 1)[0].strip() for part in (row.error or "").split(";")}
        kept = ",".join(c for c in row.channels.split(",") if c and c not in failed)
        conn.execute(sa.update(sends).where(sends.c.id == row.id).values(delivered=kept))


def downgrade() -> None:
    with op.batch_alter_table("dunning_sends") as batch:
        batch.drop_column("delivered")
