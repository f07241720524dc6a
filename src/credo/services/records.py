"""One record at a time (a form, an API call): the same parsing, checks, merge and allocation as an
import of a one-row file, so a record entered by hand obeys exactly the rules of a file (the lock
date's too: dated in a closed period it is refused, or with `to_open_period` booked on the first
open day). The audit entry of a record created says when it was moved there or is back-dated."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from sqlalchemy import Connection

from credo import clock
from credo.channels.files import SourceRow
from credo.services import audit
from credo.services.companies import Company
from credo.services.imports import ImportOptions
from credo.services.imports.credits import CREDIT_NOTES, PAYMENTS
from credo.services.imports.dating import DateColumn, held_dates
from credo.services.imports.invoices import ISSUE_DATE
from credo.services.imports.orders import ORDER_DATE
from credo.services.imports.run import import_rows
from credo.services.periods import Booking

# The key column of each kind, and the audit entity a created record is logged under.
KEYS = {"customers": ("customer_code", "customer"), "invoices": ("invoice_number", "invoice"),
        "payments": ("payment_ref", "payment"), "credit-notes": ("credit_note_number", "credit_note"),
        "orders": ("order_number", "order")}
SOURCE, SOURCE_ROW = Path("request"), 2  # what row errors name as the file: request:2:amount: ...
# The date of each dated kind: what the audit entry of a record created says about its booking.
DATES: dict[str, DateColumn] = {"invoices": ISSUE_DATE, "payments": PAYMENTS.dated, "credit-notes": CREDIT_NOTES.dated,
                                "orders": ORDER_DATE}


@dataclass(frozen=True)
class Recorded:
    kind: str
    key: str
    outcome: str  # created | updated | unchanged


def record(conn: Connection, company: Company, kind: str, values: Mapping[str, object], actor: str,
           options: ImportOptions = ImportOptions()) -> Recorded:
    """Create (or, for the same key, update) one record; ImportFailed lists every bad field."""
    key_column, entity = KEYS[kind]
    text = {name: "" if value is None else str(value) for name, value in values.items()}
    result = import_rows(conn, company, kind, SOURCE, list(text), [SourceRow(SOURCE_ROW, text)], options, actor)
    outcome = "created" if result.inserted else "updated" if result.updated else "unchanged"
    key = text.get(key_column, "").strip()
    if outcome == "created":
        audit.record(conn, actor=actor, action="create", entity=entity, key=key, company_id=company.id,
                     after={k: v for k, v in text.items() if v} | _booking(conn, company, kind, key, result))
    return Recorded(kind, key, outcome)


def _booking(conn: Connection, company: Company, kind: str, key: str, result) -> dict[str, object]:
    """What the audit entry adds: moved to the first open day (and from which date), back-dated."""
    spec = DATES.get(kind)
    if spec is None:
        return {}
    booked = held_dates(conn, company.id, spec.held, spec.held_day, [key]).get(key)
    asked = result.moved.get(SOURCE_ROW, (booked,))[0]
    return Booking(asked, booked, clock.today()).note if booked else {}
