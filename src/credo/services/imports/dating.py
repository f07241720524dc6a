"""The lock date as an import sees it (services/periods.py): a new document dated in a closed
period is a row error naming its column and the lock date, or, with `to_open_period`, is booked on
the first open day; a document already in the ledger keeps the date it has, and any change to one
dated in a closed period is refused (the merge's conflict rule). The lock is read once per import.

A row whose key is in the ledger already is left as the file gives it, so a file imported again
changes nothing: unchanged rows pass, whatever their date. With `to_open_period`, a row the ledger
holds on the first open day (booked there by an earlier import of the same file) is moved again,
so that it is unchanged too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Sequence

from sqlalchemy import Column, Connection, select

from credo.domain.periods import Lock
from credo.services.imports.common import ImportOptions, ImportResult, Parsed, RowIssues
from credo.services.periods import lock_of


@dataclass(frozen=True)
class DateColumn:
    """A file's date column and where the ledger keeps it: e.g. invoice_date, issue_date of invoices."""

    what: str      # the document, as the refusal names it ("invoice")
    key: str       # the file's key column
    column: str    # the file's date column
    held: Column   # the ledger's key column
    held_day: Column  # the ledger's date column


@dataclass(frozen=True)
class Dating:
    company_id: int
    lock: Lock
    to_open_period: bool

    @classmethod
    def load(cls, conn: Connection, company_id: int, options: ImportOptions) -> "Dating":
        return cls(company_id, lock_of(conn, company_id), options.to_open_period)

    def book(self, conn: Connection, parsed: Sequence[Parsed], spec: DateColumn, issues: RowIssues,
             result: ImportResult) -> None:
        """Refuse or move the rows dated in a closed period that are not in the ledger yet; the
        moved ones go to `result.moved` (row -> the file's date, the day booked on)."""
        closed = [item for item in parsed if self.lock.closes(item.values[spec.column])]
        if not closed:
            return
        held = held_dates(conn, self.company_id, spec.held, spec.held_day, [item.values[spec.key] for item in closed])
        for item in closed:
            day, stored = item.values[spec.column], held.get(item.values[spec.key])
            if stored == day or (stored is not None and not self._moved_before(stored)):
                continue  # the ledger's own: unchanged, or a change the merge's conflict rule refuses
            booked = self.lock.booking_day(day, to_open_period=self.to_open_period)
            if booked is None:
                issues.add(item.source, spec.column, self.lock.refusal(f"{spec.what} {item.values[spec.key]}", day))
                continue
            item.values[spec.column] = booked
            result.moved[item.source.row] = (day, booked)

    def _moved_before(self, stored: date) -> bool:
        return self.to_open_period and stored == self.lock.first_open_day

    def refuse_change(self, change, spec: DateColumn) -> tuple[str, str] | None:
        """A merge's conflict: the change of a document dated in a closed period (before or after the
        change), as (the file's date column, why); None when both dates are open."""
        day = spec.held_day.name
        closed = next((d for d in (getattr(change, f"old_{day}"), getattr(change, day)) if self.lock.closes(d)), None)
        if closed is None:
            return None
        return spec.column, (f"{spec.what} {getattr(change, spec.held.name)} is dated {closed}, in a closed period "
                             f"(locked up to {self.lock.locked_until}): it cannot change any more; book the correction "
                             "in the open period (a credit note, a reversal, a new document)")


def held_dates(conn: Connection, company_id: int, key: Column, day: Column, keys: Sequence[str]) -> dict:
    """key -> the date the ledger holds, for the keys it holds among `keys` (one query per 5,000)."""
    wanted, found = iter(sorted(set(keys))), {}
    while chunk := list(islice(wanted, 5000)):
        query = select(key, day).where(key.table.c.company_id == company_id, key.in_(chunk))
        found.update(conn.execute(query).all())
    return found


def note_moved(result: ImportResult) -> None:
    """Say how many rows were booked on the first open day instead of their date."""
    if result.moved:
        day = next(iter(result.moved.values()))[1]
        result.notes.append(f"{len(result.moved)} row(s) dated in a closed period booked on the first open day, {day}")
