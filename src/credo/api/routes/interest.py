"""Late interest and fees (逾期罚息): terms, settings, the report, debit notes and waivers
(maker-checker, 四眼原则)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.interest_schemas import InterestChargeIn, InterestSettingsIn, InterestTermsIn, WaiverDecisionIn, WaiverIn
from credo.api.params import AsOf, IdempotencyKey, Today
from credo.api.problems import ERRORS
from credo.api.routes.reports import FILE_RESPONSE, FormatQuery, Format, rendered
from credo.api.writes import actor_of, answer_once, body_bytes, committed, person_of
from credo.domain.access import Permission
from credo.services import idempotency
from credo.services.collections import interest_terms, waivers
from credo.services.collections.charges import charge_interest
from credo.services.collections.interest import interest_report
from credo.services.credit.check import amount_of
from credo.services.users import Principal

router = APIRouter(tags=["interest"], responses=ERRORS)
Reader = allowed(Permission.ledger_read)
Runner = allowed(Permission.dunning_run)
Waiver = allowed(Permission.interest_waive)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id credo gave it")]
Customer = Annotated[str | None, Query(description="One customer's code (default: every customer)")]


@router.get("/interest/terms", summary="Interest terms, history included (the company default first)",
            dependencies=[Reader])
def terms_list(conn: Db, company: CompanyDep, scope: ScopeDep, customer: Customer = None) -> list[dict]:
    return interest_terms.list_interest_terms(conn, company, customer, scope)


@router.post("/interest/terms", summary="Add interest terms in force from a date", status_code=201)
def terms_set(body: InterestTermsIn, conn: Db, company: CompanyDep, today: Today, who: Principal = Runner) -> dict:
    return committed(conn, interest_terms.set_interest_terms(
        conn, company, actor_of(who), customer=body.customer_code, valid_from=body.valid_from or today,
        statute=body.statute, rate=body.rate, basis=body.basis, day_basis=body.day_basis,
        grace_days=body.grace_days, fixed_fee=body.fixed_fee, raise_debit_note=body.raise_debit_note))


@router.get("/interest/settings", summary="Waiver threshold, settlement order, debit notes' days", dependencies=[Reader])
def settings_get(conn: Db, company: CompanyDep) -> dict:
    return interest_terms.interest_settings_of(conn, company).to_json()


@router.put("/interest/settings", summary="Change the interest settings given (the others stay)")
def settings_put(body: InterestSettingsIn, conn: Db, company: CompanyDep,
                 who: Principal = allowed(Permission.settings_manage)) -> dict:
    return committed(conn, interest_terms.change_interest_settings(
        conn, company, actor_of(who), waiver_threshold=body.waiver_threshold,
        settle_order=body.settle_order, debit_note_days=body.debit_note_days).to_json())


@router.get("/reports/interest", summary="Late interest (逾期罚息) accrued, charged, waived and to charge",
            dependencies=[allowed(Permission.reports_read)], responses=FILE_RESPONSE, tags=["reports"])
def report(conn: Db, company: CompanyDep, as_of: AsOf, customer: Customer = None, format: FormatQuery = Format.json):
    return rendered(interest_report(conn, company, as_of, customer), format, f"interest-{as_of}")


@router.post("/interest/charges", summary="Raise debit notes for interest not charged yet (idempotent)",
             status_code=201)
def charges(body: InterestChargeIn, request: Request, conn: Db, company: CompanyDep, today: Today,
            key: IdempotencyKey = None, raw: bytes = Depends(body_bytes), who: Principal = Runner):
    def produce() -> idempotency.Answer:
        found = charge_interest(conn, company, body.as_of or today, actor_of(who), body.customer_code,
                                to_open_period=body.to_open_period)
        return idempotency.Answer(201 if found.debit_notes else 200, found.to_json())
    return answer_once(request, conn, who, key, raw, produce)


@router.get("/interest/waivers", summary="Interest waivers, newest first", dependencies=[Reader])
def waivers_list(conn: Db, company: CompanyDep, scope: ScopeDep, status: Annotated[
        str | None, Query(description="pending, approved or rejected")] = None) -> list[dict]:
    return waivers.list_waivers(conn, company, status, scope)


@router.post("/interest/waivers", summary="Ask to waive interest (a second person decides)",
             status_code=201)
def waiver_request(body: WaiverIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
                   who: Principal = Runner) -> dict:
    return committed(conn, waivers.request_waiver(conn, company, person_of(who), invoice=body.invoice_number,
                                                   amount=amount_of(body.amount), reason=body.reason,
                                                   today=body.as_of or today, scope=scope))


@router.post("/interest/waivers/{waiver_id}/approval", summary="Approve a waiver (four eyes: never your own)")
def waiver_approve(waiver_id: RowId, body: WaiverDecisionIn, conn: Db, company: CompanyDep, today: Today,
                   who: Principal = Waiver) -> dict:
    return committed(conn, waivers.approve_waiver(conn, company, waiver_id, person_of(who), body.note,
                                                   body.as_of or today))


@router.post("/interest/waivers/{waiver_id}/rejection", summary="Reject a waiver, saying why")
def waiver_reject(waiver_id: RowId, body: WaiverDecisionIn, conn: Db, company: CompanyDep,
                  who: Principal = Waiver) -> dict:
    return committed(conn, waivers.reject_waiver(conn, company, waiver_id, person_of(who), body.note))
