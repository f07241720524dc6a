"""File imports over HTTP: upload a CSV or XLSX, get the counts or every row error back.

`run_upload` is shared with the imports page: both save the upload the same way and call the
same service."""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path as PathParam, UploadFile
from sqlalchemy import Connection

from credo.api.deps import CompanyDep, Db, principal
from credo.api.problems import ERRORS
from credo.api.writes import actor_of
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.services import access
from credo.services.imports import KINDS, ImportOptions, ImportResult, import_permission, run_import
from credo.services.users import Principal

router = APIRouter(tags=["imports"], responses=ERRORS)
MAX_BYTES = 200 * 1024 * 1024


def safe_name(name: str | None) -> str:
    """The upload's own file name (row errors name it), without any folder part."""
    base = re.sub(r"[^\w.\- ]", "_", Path(name or "upload.csv").name).strip() or "upload.csv"
    return base[:120]


@dataclass(frozen=True)
class UploadOptions:
    """What a person may choose for an uploaded file (the rest of ImportOptions is for the CLI)."""

    skip_bad_rows: bool = False
    date_format: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    create_customers: bool = False
    recorded_on: date | None = None
    to_open_period: bool = False


def run_upload(conn: Connection, company: Company, kind: str, file: UploadFile, chosen: UploadOptions,
               who: Principal) -> ImportResult:
    """Save the upload (at most MAX_BYTES) under its own name in a temporary folder and import it;
    ImportFailed (nothing written) on a bad row unless skipping them. The caller commits. The kind
    decides the permission needed (the credit file: credit.manage; the ledger: ledger.write)."""
    access.require(who, import_permission(kind))
    actor = actor_of(who)
    with tempfile.TemporaryDirectory(prefix="credo-upload-") as folder:
        path = Path(folder) / safe_name(file.filename)
        size = 0
        with path.open("wb") as out:
            while chunk := file.file.read(1 << 20):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise InvalidInput(f"{path.name}: larger than {MAX_BYTES // (1024 * 1024)} MB")
                out.write(chunk)
        options = ImportOptions(date_format=chosen.date_format or None, encoding=chosen.encoding or None,
                                sheet=chosen.sheet or None, skip_bad_rows=chosen.skip_bad_rows,
                                rejects_path=Path(folder) / "rejects.csv", create_customers=chosen.create_customers,
                                recorded_on=chosen.recorded_on, to_open_period=chosen.to_open_period)
        return run_import(conn, company, kind, path, options, actor)


@router.post("/imports/{kind}", summary="Import a file: customers, invoices, payments, credit-notes, fx-rates, "
             "financials, credit-facts, credit-references or credit-reviews")
def import_upload(
    kind: Annotated[str, PathParam(description=", ".join(KINDS))],
    conn: Db, company: CompanyDep,
    file: Annotated[UploadFile, File(description="CSV (UTF-8 or GBK) or XLSX")],
    skip_bad_rows: Annotated[bool, Form(description="Import the good rows; the bad ones come back as errors")] = False,
    date_format: Annotated[str | None, Form(description="For ambiguous dates, e.g. %m/%d/%Y")] = None,
    encoding: Annotated[str | None, Form()] = None,
    sheet: Annotated[str | None, Form(description="XLSX sheet (default: the first)")] = None,
    create_customers: Annotated[bool, Form(description="Invoices: create unknown customer codes")] = False,
    recorded_on: Annotated[date | None, Form(description="Credit file kinds: the day credo learns the entries "
                                                          "(default today)")] = None,
    to_open_period: Annotated[bool, Form(description=(
        "Invoices, payments, credit notes, orders: a new one dated in a closed period (on or before the lock date) "
        "is booked on the first open day instead of being a row error; an invoice keeps the due date of its terms "
        "on its own date unless that falls before the new issue date"))] = False,
    who: Principal = Depends(principal),
) -> dict:
    """All or nothing unless skip_bad_rows: a file with a bad row answers 422 with every row error.
    Ledger kinds need ledger.write; the credit file kinds need credit.manage."""
    chosen = UploadOptions(skip_bad_rows, date_format, encoding, sheet, create_customers, recorded_on, to_open_period)
    result = run_upload(conn, company, kind, file, chosen, who)
    conn.commit()
    body = result.as_dict()
    body.pop("rejects_path", None)
    body["errors"] = [{"file": e.file, "row": e.row, "column": e.column, "reason": e.reason} for e in result.errors]
    return body
