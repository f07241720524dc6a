"""The one entry for imports: read the file, pick the kind, run it in the caller's transaction."""

from __future__ import annotations

import hashlib
from functools import partial
from pathlib import Path

from sqlalchemy import Connection

from credo.channels.files import SourceRow, normalise_header, read_table
from credo.domain.access import Permission
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.services.imports.common import ImportOptions, ImportResult, record_import
from credo.services.imports.credit_file import CREDIT_FILE_KINDS
from credo.services.imports.credits import CREDIT_NOTES, PAYMENTS, import_credits
from credo.services.imports.customers import import_customers
from credo.services.imports.dating import note_moved
from credo.services.imports.fx_rates import import_fx_rates
from credo.services.imports.invoices import import_invoices
from credo.services.imports.orders import import_orders
from credo.services.imports.reference_rates import import_reference_rates

KINDS = {
    "customers": import_customers,
    "invoices": import_invoices,
    "payments": partial(import_credits, PAYMENTS),
    "credit-notes": partial(import_credits, CREDIT_NOTES),
    "fx-rates": import_fx_rates,
    **CREDIT_FILE_KINDS,  # financials, credit-facts, credit-references, credit-reviews
    "orders": import_orders,
    "reference-rates": import_reference_rates,
}


def import_permission(kind: str) -> Permission:
    """What a user needs to import a kind: the credit file is the credit manager's, the rest the ledger's."""
    check_kind(kind)
    return Permission.credit_manage if kind in CREDIT_FILE_KINDS else Permission.ledger_write


def check_kind(kind: str) -> None:
    """Refuse an import kind credo does not know, naming the ones it does."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown import kind {kind!r}: use one of {', '.join(KINDS)}")


def run_import(
    conn: Connection, company: Company, kind: str, path: Path, options: ImportOptions, actor: str
) -> ImportResult:
    """Import one file of one kind; raises ImportFailed (nothing written) on bad rows unless skipping."""
    check_kind(kind)
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    header, rows = read_table(path, encoding=options.encoding, sheet=options.sheet)
    aliases = {normalise_header(old): new for old, new in options.columns.items()}
    if aliases:
        header = [aliases.get(name, name) for name in header]
        rows = [_renamed(row, aliases) for row in rows]
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    result = import_rows(conn, company, kind, path, header, rows, options, actor)
    result.sha256 = digest.hexdigest()
    record_import(conn, company, result, actor)
    return result


def import_rows(
    conn: Connection, company: Company, kind: str, source: Path, header: list[str], rows: list[SourceRow],
    options: ImportOptions, actor: str,
) -> ImportResult:
    """Rows already read (from a file, or a request's JSON) through the importer of their kind."""
    check_kind(kind)
    result = KINDS[kind](conn, company, Path(source), header, rows, options, actor)
    note_moved(result)
    return result


def _renamed(row, aliases):
    return SourceRow(row.row, {aliases.get(k, k): v for k, v in row.values.items()})
