"""Set-based merge of an import into its table through a temporary staging table.

New keys are inserted with one INSERT ... SELECT; existing keys whose values differ come back
as rows for the importer to update (with an audit entry) or refuse (a conflict); identical rows
are left alone, which is what makes a re-import change nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from sqlalchemy import Column, Connection, Integer, Table, and_, exists, insert, literal, or_, select, update

from credo.services import audit
from credo.services.allocations import follow_document
from credo.store.bulk import copy_rows, drop_temp, temp_table


@dataclass(frozen=True)
class Merge:
    """Which table, which natural key, which columns an import writes, and what it must read back."""

    table: Table
    keys: tuple[str, ...]
    columns: tuple[str, ...]
    # Read from existing rows to decide between update and conflict (e.g. paid_amount).
    extra: tuple[str, ...] = ()

    def key_text(self, row) -> str:
        return " ".join(str(getattr(row, k)) for k in self.keys)


class Staged:
    def __init__(self, conn: Connection, merge: Merge, company_id: int, rows: Iterable[Sequence]):
        """rows: (row_no, *merge.keys, *merge.columns) tuples."""
        self.conn, self.merge, self.company_id = conn, merge, company_id
        target = merge.table
        names = (*merge.keys, *merge.columns)
        columns = [Column("row_no", Integer)] + [Column(name, target.c[name].type) for name in names]
        self.table = temp_table(conn, f"staging_{target.name}", *columns)
        copy_rows(conn, self.table, ["row_no", *names], rows)

    def _match(self):
        target, staged = self.merge.table, self.table
        return and_(target.c.company_id == self.company_id, *[target.c[k] == staged.c[k] for k in self.merge.keys])

    def changed(self) -> list:
        """Existing rows that the file changes: row_no, id, new values, and old_* values."""
        target, staged, names = self.merge.table, self.table, self.merge.columns
        query = (
            select(
                staged.c.row_no,
                target.c.id,
                *[staged.c[n] for n in (*self.merge.keys, *names)],
                *[target.c[n].label(f"old_{n}") for n in (*names, *self.merge.extra)],
            )
            .join_from(staged, target, self._match())
            .where(or_(*[target.c[n].is_distinct_from(staged.c[n]) for n in names]))
            .order_by(staged.c.row_no)
        )
        return list(self.conn.execute(query))

    def insert_new(self) -> int:
        target, staged = self.merge.table, self.table
        names = (*self.merge.keys, *self.merge.columns)
        query = select(literal(self.company_id), *[staged.c[n] for n in names]).where(
            ~exists().where(self._match())
        )
        statement = insert(target).from_select(["company_id", *names], query)
        # rowcount of an INSERT ... SELECT is kept only when asked for (SQLAlchemy 2).
        return self.conn.execute(statement, execution_options={"preserve_rowcount": True}).rowcount

    def ids_by_row(self) -> dict[int, int]:
        query = select(self.table.c.row_no, self.merge.table.c.id).join_from(
            self.table, self.merge.table, self._match()
        )
        return dict(self.conn.execute(query).all())

    def drop(self) -> None:
        drop_temp(self.conn, self.table)


def update_changed(conn: Connection, merge: Merge, change, *, company_id: int, entity: str, actor: str) -> None:
    """Write the changed columns of one existing row and log before and after."""
    names = [n for n in merge.columns if getattr(change, n) != getattr(change, f"old_{n}")]
    before = {n: getattr(change, f"old_{n}") for n in names}
    after = {n: getattr(change, n) for n in names}
    conn.execute(update(merge.table).where(merge.table.c.id == change.id).values(**after))
    follow_document(conn, merge.table, change.id, after)
    audit.record(conn, actor=actor, action="update", entity=entity, key=merge.key_text(change),
                 company_id=company_id, before=before, after=after)


def money_changed(change, columns: Sequence[str]) -> bool:
    return any(getattr(change, n) != getattr(change, f"old_{n}") for n in columns)


@dataclass(frozen=True)
class Outcome:
    inserted: int
    updated: int
    unchanged: int
    changed: tuple            # existing rows the file changed: row_no, id, new and old_* values
    conflicts: frozenset[int]
    new_rows: frozenset[int]  # row numbers of the rows inserted (when ids were asked for)
    ids: dict[int, int]       # row number -> id of every staged row (when asked for)


def merge(
    conn: Connection, spec: Merge, company_id: int, rows: Sequence[Sequence], *, entity: str, actor: str,
    settle: Callable[[dict[int, object]], None], conflict: Callable[[object], object] = lambda change: None,
    want_ids: bool = False,
) -> Outcome:
    """Stage the rows, refuse conflicting changes, update changed rows, insert new ones.

    `settle` receives the conflicts (row number -> reason, or (column, reason)) before anything is
    written: it raises to write nothing, or lets the rest go ahead."""
    staged = Staged(conn, spec, company_id, rows)
    try:
        changed = staged.changed()
        conflicts = {c.row_no: reason for c in changed if (reason := conflict(c))}
        settle(conflicts)
        for change in changed:
            if change.row_no not in conflicts:
                update_changed(conn, spec, change, company_id=company_id, entity=entity, actor=actor)
        existing = set(staged.ids_by_row()) if want_ids else set()
        inserted = staged.insert_new()
        ids = staged.ids_by_row() if want_ids else {}
    finally:
        staged.drop()
    return Outcome(inserted, len(changed) - len(conflicts), len(rows) - inserted - len(changed), tuple(changed),
                   frozenset(conflicts), frozenset(set(ids) - existing), ids)
