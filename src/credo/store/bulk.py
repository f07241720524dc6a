"""Fast paths for many rows: COPY on PostgreSQL, executemany on the raw SQLite cursor.

Imports of a million invoices go through here instead of one ORM object (or one statement) per
row. Both run on the caller's connection, inside the caller's transaction.
"""

from __future__ import annotations

from datetime import date
from itertools import islice
from typing import Iterable, Sequence

from sqlalchemy import Column, Connection, MetaData, Table

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


def _sqlite_value(value):
    # SQLAlchemy's Date type stores ISO text on SQLite; keep raw inserts identical to it.
    return value.isoformat() if isinstance(value, date) else value


def temp_table(conn: Connection, name: str, *columns: Column) -> Table:
    """A temporary table for this transaction's connection (dropped by `drop_temp`)."""
    table = Table(name, MetaData(), *columns, prefixes=["TEMPORARY"])
    table.drop(conn, checkfirst=True)
    table.create(conn)
    return table


def drop_temp(conn: Connection, table: Table) -> None:
    table.drop(conn, checkfirst=True)
