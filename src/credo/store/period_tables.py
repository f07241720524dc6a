"""Period close (结账): the lock date per company and what was stored when a period closed.

A close fixes a month-end as the company's lock date: nothing dated on or before it may be
booked any more (services/periods.py). Closing stores, for each month-end it closes, the aging,
the provision (with its roll-rate matrix), the DSO and the early-warning state, each beside the
settings it was computed with and a digest of the ledger rows it read, so that `credo close verify`
can recompute them and name any difference. A reopened close keeps its row and its snapshots
(reopened_at says since when they no longer bind). Nothing is deleted.

Part of `store.tables.metadata` (imported at the end of `store/tables.py`).
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from credo.store.tables import company_column, metadata

SNAPSHOT_KINDS = ("aging", "provision", "dso", "warnings")

period_closes = Table(
    "period_closes",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("period_end", Date, nullable=False),  # the lock date: the last day closed
    Column("closed_at", DateTime(timezone=True), nullable=False),
    Column("closed_by", String(128), nullable=False),
    Column("reopened_at", DateTime(timezone=True)),
    Column("reopened_by", String(128)),
    Column("reopen_reason", String(500)),
)
Index("ix_period_closes_company", period_closes.c.company_id, period_closes.c.period_end)

close_snapshots = Table(
    "close_snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("close_id", Integer, ForeignKey("period_closes.id"), nullable=False),
    Column("as_of", Date, nullable=False),  # a month-end the close covers
    Column("kind", String(16), nullable=False),  # SNAPSHOT_KINDS
    Column("settings", Text, nullable=False),  # JSON: the parameters the figures were computed with
    Column("digest", String(64), nullable=False),  # sha256 of the input rows, in a fixed order
    Column("inputs", Text, nullable=False),  # JSON: the digest of each source of input rows (which changed)
    Column("body", Text, nullable=False),  # JSON: the figures as the report prints them
    UniqueConstraint("close_id", "as_of", "kind"),
)
