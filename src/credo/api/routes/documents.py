"""Invoices, payments, credit notes and their allocations."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.params import IdempotencyKey, PageDep, Today
from credo.api.problems import ERRORS
from credo.api.schemas import (
    CreditNoteIn, CreditNoteOut, Dated, InvoiceIn, InvoiceOut, PageOut, PaymentIn, PaymentOut, Recorded, ReversalIn,
)
from credo.api.writes import actor_of, answer_once, body_bytes, recorded_answer
from credo.domain.access import Permission
from credo.services import idempotency, ledger, records
from credo.services.imports import ImportOptions
from credo.services.browse import documents
from credo.services.browse.documents import DocumentFilter
from credo.services.users import Principal

router = APIRouter(tags=["documents"], responses=ERRORS)
Reader = allowed(Permission.ledger_read)
Writer = allowed(Permission.ledger_write)


def document_filter(
    customer: Annotated[str | None, Query(description="Customer code")] = None,
    q: Annotated[str | None, Query(description="Number (reference) contains")] = None,
    currency: str | None = None,
    date_from: Annotated[date | None, Query(alias="from", description="Dated on or after")] = None,
    date_to: Annotated[date | None, Query(alias="to", description="Dated on or before")] = None,
) -> DocumentFilter:
    return DocumentFilter(customer, q, currency, date_from, date_to)


Filter = Annotated[DocumentFilter, Depends(document_filter)]


def _options(body: Dated) -> ImportOptions:
    """A record's import options: where a date in a closed period goes."""
    return ImportOptions(to_open_period=body.to_open_period)


def _with(where: DocumentFilter, status: str) -> DocumentFilter:
    return DocumentFilter(where.customer, where.q, where.currency, where.date_from, where.date_to, status)


@router.get("/invoices", summary="Invoices with what is open on them today", response_model=PageOut[InvoiceOut],
            dependencies=[Reader])
def invoices_list(conn: Db, company: CompanyDep, scope: ScopeDep, page: PageDep, today: Today, where: Filter,
                  status: Annotated[str, Query(description="open, overdue, paid or all")] = "all") -> dict:
    return documents.list_invoices(conn, company, scope, today, _with(where, status), page).to_json()


@router.get("/invoices/{number}", summary="One invoice with its allocations", dependencies=[Reader])
def invoice_get(number: str, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today) -> dict:
    return documents.invoice_detail(conn, company, scope, number, today)


@router.post("/invoices", summary="Book an invoice (the rules of an invoices import)", status_code=201,
             response_model=Recorded)
def invoice_create(body: InvoiceIn, request: Request, conn: Db, company: CompanyDep, key: IdempotencyKey = None,
                   raw: bytes = Depends(body_bytes), who: Principal = Writer):
    return answer_once(request, conn, who, key, raw, lambda: recorded_answer(
        records.record(conn, company, "invoices", body.values(), actor_of(who), _options(body))))


@router.get("/payments", summary="Payments with what is applied and unapplied", response_model=PageOut[PaymentOut],
            dependencies=[Reader])
def payments_list(conn: Db, company: CompanyDep, scope: ScopeDep, page: PageDep, where: Filter,
                  status: Annotated[str, Query(description="unapplied or all")] = "all") -> dict:
    return documents.list_payments(conn, company, scope, _with(where, status), page).to_json()


@router.get("/payments/{ref}", summary="One payment with its allocations", dependencies=[Reader])
def payment_get(ref: str, conn: Db, company: CompanyDep, scope: ScopeDep) -> dict:
    return documents.payment_detail(conn, company, scope, ref)


@router.post("/payments", summary="Book a payment and apply it (named invoices, else oldest first)",
             status_code=201, response_model=Recorded)
def payment_create(body: PaymentIn, request: Request, conn: Db, company: CompanyDep, key: IdempotencyKey = None,
                   raw: bytes = Depends(body_bytes), who: Principal = Writer):
    return answer_once(request, conn, who, key, raw, lambda: recorded_answer(
        records.record(conn, company, "payments", body.values(), actor_of(who), _options(body))))


@router.post("/payments/{ref}/reversal", summary="Reverse a returned payment: its invoices open again from the date",
             status_code=201)
def payment_reverse(ref: str, body: ReversalIn, request: Request, conn: Db, company: CompanyDep, scope: ScopeDep,
                    key: IdempotencyKey = None, raw: bytes = Depends(body_bytes), who: Principal = Writer):
    def produce() -> idempotency.Answer:
        count = ledger.reverse_payment(conn, company, ref, body.date, body.reason, actor_of(who),
                                       to_open_period=body.to_open_period)
        reversed_on = documents.payment_detail(conn, company, scope, ref)["reversed_on"]  # moved, or the date
        return idempotency.Answer(201, {"ref": ref, "reversed_on": reversed_on, "invoices_reopened": count})
    return answer_once(request, conn, who, key, raw, produce)


@router.post("/payments/apply", summary="Apply unapplied payments and credit notes to open invoices, oldest first")
def payments_apply(request: Request, conn: Db, company: CompanyDep, key: IdempotencyKey = None,
                   customer: Annotated[str | None, Query(description="Only this customer's money")] = None,
                   raw: bytes = Depends(body_bytes), who: Principal = Writer):
    def produce() -> idempotency.Answer:
        done = ledger.apply_unapplied(conn, company, actor_of(who), customer)
        return idempotency.Answer(200, {"allocations": done.allocations, "sources": done.sources})
    return answer_once(request, conn, who, key, raw, produce)


@router.get("/credit-notes", summary="Credit notes with what is applied and unapplied",
            response_model=PageOut[CreditNoteOut], dependencies=[Reader])
def credit_notes_list(conn: Db, company: CompanyDep, scope: ScopeDep, page: PageDep, where: Filter,
                      status: Annotated[str, Query(description="unapplied or all")] = "all") -> dict:
    return documents.list_credit_notes(conn, company, scope, _with(where, status), page).to_json()


@router.get("/credit-notes/{number}", summary="One credit note with its allocations", dependencies=[Reader])
def credit_note_get(number: str, conn: Db, company: CompanyDep, scope: ScopeDep) -> dict:
    return documents.credit_note_detail(conn, company, scope, number)


@router.post("/credit-notes", summary="Book a credit note (applied to the named invoice, if any)", status_code=201,
             response_model=Recorded)
def credit_note_create(body: CreditNoteIn, request: Request, conn: Db, company: CompanyDep,
                       key: IdempotencyKey = None, raw: bytes = Depends(body_bytes), who: Principal = Writer):
    return answer_once(request, conn, who, key, raw, lambda: recorded_answer(
        records.record(conn, company, "credit-notes", body.values(), actor_of(who), _options(body))))
