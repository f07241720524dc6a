"""Early-payment discount offers (提前付款折扣). Reading needs ledger.read, offering and withdrawing
collections.work; collectors and sales see and work their portfolio only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.discount_schemas import DiscountOfferIn, WithdrawalIn
from credo.api.params import AsOf, Today
from credo.api.problems import ERRORS
from credo.api.writes import actor_of, committed
from credo.domain.access import Permission
from credo.services.collections import discounts
from credo.services.users import Principal

router = APIRouter(tags=["collections"], responses=ERRORS)
Reader = allowed(Permission.ledger_read)
Worker = allowed(Permission.collections_work)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id credo gave it")]


@router.get("/discount-offers", summary="Early-payment discount offers made by a date, with their status on it",
            dependencies=[Reader])
def offers_list(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
                customer: Annotated[str | None, Query(description="Only this customer's")] = None,
                status: Annotated[str | None, Query(description="offered, taken, expired or withdrawn")] = None
                ) -> list[dict]:
    return discounts.list_offers(conn, company, scope, as_of, customer=customer, status=status)


@router.get("/discount-offers/{offer_id}", summary="One discount offer with its invoices", dependencies=[Reader])
def offer_get(offer_id: RowId, conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf) -> dict:
    return discounts.get_offer(conn, company, scope, offer_id, as_of)


@router.post("/discount-offers", summary="Offer an early-payment discount on open invoices (taken at payment)",
             status_code=201)
def offer_add(body: DiscountOfferIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
              who: Principal = Worker) -> dict:
    return committed(conn, discounts.offer_discount(
        conn, company, scope, customer=body.customer_code, invoices_offered=body.invoice_numbers,
        percent=body.percent, pay_by=body.pay_by, offered_on=body.offered_on or today,
        offered_by=body.offered_by or who.username, actor=actor_of(who), notes=body.notes))


@router.post("/discount-offers/{offer_id}/withdrawal", summary="Withdraw a discount offer still standing")
def offer_withdraw(offer_id: RowId, body: WithdrawalIn, conn: Db, company: CompanyDep, scope: ScopeDep,
                   today: Today, who: Principal = Worker) -> dict:
    return committed(conn, discounts.withdraw_offer(conn, company, scope, offer_id, actor_of(who),
                                                    withdrawn_on=body.withdrawn_on or today, reason=body.reason))
