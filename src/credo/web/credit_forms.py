"""The credit forms on other pages: a limit request from the customer page (sales within their
portfolio, credit managers, admins) and the company's scorecard and policy on the settings page.
The same services as the API routes; CSRF on every form."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form

from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.errors import InvalidInput
from credo.services.credit import requests, setup
from credo.services.credit.check import amount_of
from credo.services.credit.requests import Proposal
from credo.web.admin import settings_answer
from credo.web.credit import _changed
from credo.web.ledger import customer_answer
from credo.web.view import CompanyDep, PageRoute, View, day, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
LIMIT_FIELDS = ("amount", "currency", "term_days", "rating", "valid_to", "reason", "policy_exception")


def _proposal(typed: dict[str, str]) -> Proposal:
    """The request as typed on the customer page: InvalidInput says which field is wrong."""
    term = typed["term_days"].strip()
    if not term.isdigit():
        raise InvalidInput(f"term {term!r}: a whole number of days, e.g. 60")
    return Proposal(amount_of(typed["amount"], "limit"), int(term), typed["rating"], typed["reason"],
                    currency=typed["currency"].strip() or None, valid_to=day(typed["valid_to"], "valid to"),
                    policy_exception=typed["policy_exception"])


@router.post("/customers/{code}/limit-requests")
def limit_request_post(code: str, conn: Db, company: CompanyDep, view: View = viewer(P.limits_request),
                       amount: Annotated[str, Form()] = "", currency: Annotated[str, Form()] = "",
                       term_days: Annotated[str, Form()] = "", rating: Annotated[str, Form()] = "",
                       valid_to: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
                       policy_exception: Annotated[str, Form()] = ""):
    typed = dict(zip(LIMIT_FIELDS, (amount, currency, term_days, rating, valid_to, reason, policy_exception)))
    who = view.person
    today = view.today
    return _changed(conn, lambda: requests.request_limit(conn, company, view.scope, who, _proposal(typed),
                                                        customer=code, today=today),
                   lambda status, error: customer_answer(view, conn, company, code, today, status,
                                                         limit_error=error, limit_typed=typed),
                   lambda done: view.link(f"/customers/{quote(code)}", requested=done["id"], status=done["status"]))


@router.post("/settings/credit-models/{kind}")
def credit_model_post(kind: str, conn: Db, company: CompanyDep, view: View = viewer(P.credit_manage),
                      body: Annotated[str, Form()] = ""):
    def save():
        try:
            parsed = json.loads(body)
        except ValueError as error:
            raise InvalidInput(f"{kind}: not JSON ({error})") from None
        return setup.set_setting(conn, company, kind, parsed, f"user:{view.who.username}")
    return _changed(conn, save, lambda status, error: settings_answer(view, conn, company, status, error,
                                                                     models_typed={kind: body}),
                   lambda done: view.link("/settings", model=done["kind"], version=done["version"]))
