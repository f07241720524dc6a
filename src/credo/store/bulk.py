"""Fast paths for many rows: COPY on PostgreSQL, executemany on the raw SQLite cursor.

Imports of a million invoices go through here instead of one ORM object (or one statement) per
row. Both run on the caller's connection, inside the caller's transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from itertools import islice
from typing import Iterable, Sequence

from sqlalchemy import Column, Connection, MetaData, Table, func, select, text

BATCH = 50_000


def copy_rows(conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Append rows (tuples in `columns` order) to a table in the caller's transaction."""
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cursor = conn.connection.driver_connection.cursor()
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
    iterator = iter(rows)
    while batch := [tuple(_sqlite_value(v) for v in row) for row in islice(iterator, BATCH)]:
        cursor.executemany(sql, batch)
    cursor.close()


def reserve_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """Ids for `count` rows about to be appended with `copy_rows` (COPY gives none back).

    PostgreSQL takes them from the column's sequence; SQLite counts on from the largest id, which
    holds because its writers take turns (a writer that came between would make the insert fail on
    the primary key, and the caller's transaction with it: nothing half-written)."""
    if count <= 0:
        return []
    if conn.dialect.name == "postgresql":
        return list(conn.execute(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
                                 {"table": table.name, "n": count}).scalars())
    start = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(start + 1, start + count + 1))


def _sqlite_value(value):
    # SQLAlchemy stores dates as ISO text on SQLite and moments as "YYYY-MM-DD HH:MM:SS.ffffff"
    # without their zone (credo's are UTC): keep raw inserts identical to it.
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    return value.isoformat() if isinstance(value, date) else value


def temp_table(conn: Connection, name: str, *columns: Column) -> Table:
    """A temporary table for this transaction's connection (dropped by `drop_temp`)."""
    table = Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])
    table.drop(conn, checkfirst=True)
    table.create(conn)
    return table


def drop_temp(conn: Connection, table: Table) -> None:
    table.drop(conn, checkfirst=True)
