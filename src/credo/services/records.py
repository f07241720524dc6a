"""One record at a time (a form, an API call): the same parsing, checks, merge and allocation as an
import of a one-row file, so a record entered by hand obeys exactly the rules of a file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from sqlalchemy import Connection

from credo.channels.files import SourceRow
from credo.services import audit
from credo.services.companies import Company
from credo.services.imports import ImportOptions
from credo.services.imports.run import import_rows

# The key column of each kind, and the audit entity a created record is logged under.
KEYS = {"customers": ("customer_code", "customer"), "invoices": ("invoice_number", "invoice"),
        "payments": ("payment_ref", "payment"), "credit-notes": ("credit_note_number", "credit_note"),
        "orders": ("order_number", "order")}
SOURCE = Path("request")  # what row errors name as the file: request:2:amount: ...


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
    result = import_rows(conn, company, kind, SOURCE, list(text), [SourceRow(2, text)], options, actor)
    outcome = "created" if result.inserted else "updated" if result.updated else "unchanged"
    key = text.get(key_column, "").strip()
    if outcome == "created":
        audit.record(conn, actor=actor, action="create", entity=entity, key=key, company_id=company.id,
                     after={k: v for k, v in text.items() if v})
    return Recorded(kind, key, outcome)
