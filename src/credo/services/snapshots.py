"""Figures computed once per state of the ledger: a small in-process cache whose keys carry the
ledger's version, the newest audit-log entry. Every change to money, limits or status writes the
audit log in its own transaction, so a newer entry means the figures may have changed, and a
cached value is only ever served for the exact state it was computed from."""

from __future__ import annotations

import threading
from collections import OrderedDict
from contextlib import contextmanager
from typing import Callable, Hashable, Iterator, TypeVar

from sqlalchemy import Connection, select

from credo.services import lookups
from credo.store.tables import audit_log

T = TypeVar("T")


def ledger_version(conn: Connection) -> tuple:
    """The id and time of the newest audit entry (read from the primary key's end); the time tells
    a ledger rebuilt from scratch (a restored copy, a test database) from the one before it."""
    a = audit_log.c
    row = conn.execute(select(a.id, a.at).order_by(a.id.desc()).limit(1)).first()
    return (0, None) if row is None else (row.id, row.at)


class Snapshots:
    """At most `size` values, least recently used out first; safe across threads. A value being
    computed is computed once: other requests for it wait for that result (fifty users opening the
    dashboard after a booking start one computation, not fifty)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._values: OrderedDict[Hashable, object] = OrderedDict()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, conn: Connection, key: Hashable, compute: Callable[[], T], version: tuple | None = None) -> T:
        """version: the ledger's, when the caller has read it already (a page asking for several
        values reads it once; they are then of one state, too)."""
        versioned = (key, version or ledger_version(conn))
        with self._lock:
            if versioned in self._values:
                return self._hit(versioned)
            flight = self._computing.setdefault(versioned, threading.Lock())
        with flight:
            with self._lock:
                if versioned in self._values:  # computed while this request waited
                    return self._hit(versioned)
                self.misses += 1
            try:
                value = compute()
            finally:
                with self._lock:
                    self._computing.pop(versioned, None)
            with self._lock:
                self._values[versioned] = value
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        return value

    def _hit(self, versioned: Hashable):
        self._values.move_to_end(versioned)
        self.hits += 1
        return self._values[versioned]

    @contextmanager
    def reading(self, conn: Connection) -> Iterator[tuple]:
        """A read-only block (`lookups.read_once`) whose company-wide lookups (`lookups.lasting`:
        settings, FX rates) are kept here for the ledger's state; yields that version."""
        version = ledger_version(conn)
        with lookups.read_once(lasting=lambda key, compute: self.get(conn, key, compute, version)):
            yield version
