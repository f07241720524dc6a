"""Write-offs (核销), maker-checker (四眼原则), their recoveries, the allowance's movement and the
journal export for the general ledger. The allowance as of a date is the company's provision
(`method`: its setting by default), or with `rate` that share of what is open more than 90 days past
due (services/risk/provision_movement.py)."""

from __future__ import annotations

import io
from datetime import date
from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from pydantic import Field

from credo.api.deps import CompanyDep, Db, Me, ScopeDep, allowed
from credo.api.problems import ERRORS
from credo.api.routes.reports import FILE_RESPONSE, Format, FormatQuery, rendered
from credo.api.schemas import Body, Dated
from credo.api.params import IdempotencyKey, Today
from credo.api.writes import actor_of, answer_once, body_bytes, committed, person_of
from credo.domain.access import Permission, allows
from credo.errors import Forbidden
from credo.services import idempotency
from credo.services.credit.check import amount_of
from credo.services.risk import provision_movement as movements
from credo.services.risk import write_offs
from credo.services.users import Principal

router = APIRouter(tags=["write-offs"], responses=ERRORS)
Approver = allowed(Permission.write_offs_approve)
Reports = allowed(Permission.reports_read)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The write-off's id")]
Start = Annotated[date, Query(alias="from", description="First day of the period")]
End = Annotated[date, Query(alias="to", description="Last day of the period")]
Rate = Annotated[str | None, Query(description="Instead of the company's provision: this share (0.5 or 50%) of "
                                               "what is open more than 90 days past due")]
Method = Annotated[str | None, Query(description="The provision's method, matrix or aging-table (default: the "
                                                 "company's setting)")]


def requester(who: Me) -> Principal:
    """Who may ask for a write-off: provisions.manage or ledger.write."""
    if not (allows(who.role, Permission.provisions_manage) or allows(who.role, Permission.ledger_write)):
        raise Forbidden(f"the role {who.role.value} may not do this ({Permission.provisions_manage.value} or "
                        f"{Permission.ledger_write.value})")
    return who


class WriteOffIn(Dated):
    invoice_numbers: list[str] = Field(default_factory=list, max_length=1000,
                                       description="The invoices (or customer_code for its open balance)")
    customer_code: str | None = Field(None, description="Write off this customer's open balance")
    amount: str | None = Field(None, description="A decimal string (default: all that is open)", examples=["1500.00"])
    currency: str | None = Field(None, description="With customer_code: the currency, if it owes in several")
    reason: str = Field(min_length=1, max_length=500)
    as_of: date | None = Field(None, description="The day it is booked on (default: today)")


class DecisionIn(Body):
    note: str = Field("", max_length=500)


class ApprovalIn(DecisionIn, Dated):
    """An approval's note; `to_open_period` when the write-off's day closed since the request."""


class RecoveryIn(Dated):
    amount: str | None = Field(None, description="Default: all that is left, or the payment's unapplied amount")
    payment_ref: str | None = Field(None, description="A payment of the customer's, applied to the reinstated invoices")
    as_of: date | None = Field(None, description="The recovery date (default: today)")
    note: str = Field("", max_length=500)


class AccountsIn(Body):
    impairment_loss: str | None = Field(None, max_length=32, description="信用减值损失 (default 6702)")
    allowance: str | None = Field(None, max_length=32, description="坏账准备 (default 1231)")
    receivables: str | None = Field(None, max_length=32, description="应收账款 (default 1122)")


class JournalFormat(str, Enum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@router.get("/write-offs", summary="Write-offs, newest first", dependencies=[allowed(Permission.ledger_read)])
def listing(conn: Db, company: CompanyDep, scope: ScopeDep, status: Annotated[
        str | None, Query(description="pending, approved or rejected")] = None) -> list[dict]:
    return write_offs.list_write_offs(conn, company, status, scope)


@router.post("/write-offs", summary="Ask to write off invoices or a customer's open balance (a second person approves)",
             status_code=201)
def request(body: WriteOffIn, request: Request, conn: Db, company: CompanyDep, today: Today,
            key: IdempotencyKey = None, raw: bytes = Depends(body_bytes), who: Principal = Depends(requester)):
    return answer_once(request, conn, who, key, raw, lambda: idempotency.Answer(201, write_offs.request_write_off(
        conn, company, person_of(who), reason=body.reason, on=body.as_of or today, today=today,
        invoices_named=body.invoice_numbers, customer=body.customer_code,
        amount=None if body.amount is None else amount_of(body.amount), currency=body.currency,
        to_open_period=body.to_open_period)))


@router.post("/write-offs/{write_off_id}/approval", summary="Approve a write-off (four eyes: never your own); booked on its date")
def approve(write_off_id: RowId, body: ApprovalIn, conn: Db, company: CompanyDep, who: Principal = Approver) -> dict:
    return committed(conn, write_offs.approve_write_off(conn, company, write_off_id, person_of(who), body.note,
                                                        to_open_period=body.to_open_period))


@router.post("/write-offs/{write_off_id}/rejection", summary="Reject a write-off, saying why")
def reject(write_off_id: RowId, body: DecisionIn, conn: Db, company: CompanyDep, who: Principal = Approver) -> dict:
    return committed(conn, write_offs.reject_write_off(conn, company, write_off_id, person_of(who), body.note))


@router.post("/write-offs/{write_off_id}/recovery", summary="Recover a write-off (fully or partly) as of a date",
             status_code=201)
def recovery(write_off_id: RowId, body: RecoveryIn, request: Request, conn: Db, company: CompanyDep, today: Today,
             key: IdempotencyKey = None, raw: bytes = Depends(body_bytes),
             who: Principal = allowed(Permission.ledger_write)):
    return answer_once(request, conn, who, key, raw, lambda: idempotency.Answer(201, write_offs.recover(
        conn, company, write_off_id, actor_of(who), on=body.as_of or today,
        amount=None if body.amount is None else amount_of(body.amount), payment=body.payment_ref, note=body.note,
        to_open_period=body.to_open_period)))


@router.get("/write-offs/accounts", summary="The journal's account codes", dependencies=[Reports])
def accounts(conn: Db, company: CompanyDep) -> dict:
    return vars(movements.accounts_of(conn, company))


@router.put("/write-offs/accounts", summary="Change the journal's account codes given (the others stay)")
def accounts_put(body: AccountsIn, conn: Db, company: CompanyDep,
                 who: Principal = allowed(Permission.provisions_manage)) -> dict:
    return committed(conn, vars(movements.set_accounts(
        conn, company, actor_of(who), impairment_loss=body.impairment_loss, allowance=body.allowance,
        receivables=body.receivables)))


@router.get("/reports/provision-movement", summary="The allowance's movement: opening, charge, used, recovered, "
            "released, closing", responses=FILE_RESPONSE, dependencies=[Reports], tags=["reports"])
def movement(conn: Db, company: CompanyDep, start: Start, end: End, rate: Rate = None, method: Method = None,
             monthly: Annotated[bool, Query(description="One row per calendar month")] = False,
             format: FormatQuery = Format.json):
    allowance_at = movements.allowance_rule(conn, company, rate, method)
    return rendered(movements.movement_report(conn, company, start, end, allowance_at, monthly), format,
                    f"provision-movement-{start}-{end}")


@router.get("/reports/provision-journal", summary="The period's journal entries for the general ledger (JSON, CSV, XLSX)",
            dependencies=[Reports], tags=["reports"], responses={200: {"content": {
                "text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}})
def journal(conn: Db, company: CompanyDep, start: Start, end: End, rate: Rate = None, method: Method = None,
            format: Annotated[JournalFormat, Query(description="json, csv or xlsx")] = JournalFormat.json):
    allowance_at = movements.allowance_rule(conn, company, rate, method)
    found = movements.journal_report(conn, company, start, end, allowance_at)
    if format is JournalFormat.json:
        return found.to_json()
    name = f"journal-{start}-{end}.{format.value}"
    if format is JournalFormat.csv:
        text = io.StringIO()
        movements.write_journal(found, text, "csv")
        content, media = ("\ufeff" + text.getvalue()).encode("utf-8"), "text/csv; charset=utf-8"
    else:
        stream = io.BytesIO()
        movements.write_journal(found, stream, "xlsx")
        content, media = stream.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
