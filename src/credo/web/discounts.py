"""The customer page's early-payment discount offers (提前付款折扣): the offers with their invoices,
discounts and status, a form to make one and a button to withdraw one standing (collections.work).
The same services as the API; CSRF on every form."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form
from sqlalchemy import Connection

from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.errors import InvalidInput
from credo.services.access import Scope
from credo.services.browse import holdings
from credo.services.browse.customers import customer_row
from credo.services.collections import discounts
from credo.services.companies import Company
from credo.store.discount_tables import discount_offers
from credo.web.arrangements import _changed
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, day, error_page, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Worker = viewer(P.collections_work)
STATUS_LABELS = {"offered": N_("offered"), "taken": N_("taken"), "expired": N_("expired"),
                 "withdrawn": N_("withdrawn")}


def customer_discounts(conn: Connection, company: Company, scope: Scope, code: str, as_of: date) -> dict:
    """The section's data: the customer's offers made by the date, with their status on it."""
    held = holdings.of(conn, company.id, customer_row(conn, company, scope, code).id)
    offers = discounts.list_offers(conn, company, scope, as_of, customer=code) if held(discount_offers) else []
    return {"offers": offers, "labels": STATUS_LABELS}


@router.post("/customers/{code}/discount-offers")
def offer_add(code: str, conn: Db, company: CompanyDep, view: View = Worker,
              invoices: Annotated[str, Form()] = "", percent: Annotated[str, Form()] = "",
              pay_by: Annotated[str, Form()] = "", notes: Annotated[str, Form()] = ""):
    def change():
        numbers = [n for n in re.split(r"[\s,;]+", invoices) if n]
        paid_by = day(pay_by, "pay-by date")
        if paid_by is None:
            raise InvalidInput("an offer needs a pay-by date")
        return discounts.offer_discount(conn, company, view.scope, customer=code, invoices_offered=numbers,
                                        percent=percent.strip(), pay_by=paid_by, offered_on=view.today,
                                        offered_by=view.who.username, actor=f"user:{view.who.username}",
                                        notes=notes or None)
    return _changed(conn, change, lambda status, error: error_page(view.request, status, error),
                    view.link(f"/customers/{code}", recorded="discount"))


@router.post("/customers/{code}/discount-offers/{offer_id}/withdrawal")
def offer_withdraw(code: str, offer_id: int, conn: Db, company: CompanyDep, view: View = Worker):
    return _changed(conn, lambda: discounts.withdraw_offer(conn, company, view.scope, offer_id,
                                                           f"user:{view.who.username}", withdrawn_on=view.today),
                    lambda status, error: error_page(view.request, status, error),
                    view.link(f"/customers/{code}", recorded="withdrawn"))
