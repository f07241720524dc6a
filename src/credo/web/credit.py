"""The credit manager's pages: the credit queue (release with a reason), the pending limit
requests (approve or reject, four eyes) and the credit reviews due (review one). The same services as the API routes; CSRF on every form."""

from __future__ import annotations

from typing import Annotated, Any, Callable

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from credo.api.deps import Db
from credo.api.problems import status_of
from credo.domain.access import Permission as P
from credo.errors import CredoError
from credo.services.credit import queue, requests
from credo.services.credit.lines import reviews_due
from credo.services.credit.review import review_customer
from credo.services.credit.requests import Person
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
CreditManager = viewer(P.limits_approve)
POINT_LABELS = {"order": N_("order"), "delivery": N_("delivery"), "invoice": N_("invoice")}


def _changed(conn, change: Callable[[], Any], failed: Callable[[int, str], Any], then: Callable[[Any], str]):
    """Make a change and go to `then(its result)`; a named error rolls it back and shows `failed`."""
    try:
        done = change()
    except CredoError as error:
        conn.rollback()
        return failed(status_of(error), str(error))
    conn.commit()
    return RedirectResponse(then(done), status_code=303)


def _queue(view: View, conn, company, status: int = 200, error: str | None = None):
    items = queue.list_queue(conn, company, view.scope)
    return render(view, "credit_queue.html", status, items=items, error=error, points=POINT_LABELS,
                  released=view.request.query_params.get("released"))


@router.get("/credit/queue")
def queue_page(conn: Db, company: CompanyDep, view: View = CreditManager):
    return _queue(view, conn, company)


@router.post("/credit/queue/{item_id}/release")
def queue_release(item_id: int, conn: Db, company: CompanyDep, view: View = CreditManager,
                  reason: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: queue.release(conn, company, view.scope, item_id, reason, f"user:{view.who.username}"),
                    lambda status, error: _queue(view, conn, company, status, error),
                    lambda done: view.link("/credit/queue", released=done["number"]))


def _requests(view: View, conn, company, status: int = 200, error: str | None = None):
    pending = requests.list_requests(conn, company, view.scope, "pending")
    decided = [r for r in requests.list_requests(conn, company, view.scope) if r["status"] != "pending"][:20]
    due = reviews_due(conn, company, view.scope, view.today)
    return render(view, "credit_requests.html", status, pending=pending, decided=decided, error=error,
                  decided_now=view.request.query_params.get("decided"), due=due,
                  reviewed=view.request.query_params)


@router.get("/credit/requests")
def requests_page(conn: Db, company: CompanyDep, view: View = CreditManager):
    return _requests(view, conn, company)


@router.post("/credit/requests/{request_id}/approval")
def request_approve(request_id: int, conn: Db, company: CompanyDep, view: View = CreditManager,
                    note: Annotated[str, Form()] = ""):
    return _decided(view, conn, company, lambda who: requests.approve(conn, company, request_id, who, note,
                                                                      view.today))


@router.post("/credit/requests/{request_id}/rejection")
def request_reject(request_id: int, conn: Db, company: CompanyDep, view: View = CreditManager,
                   note: Annotated[str, Form()] = ""):
    return _decided(view, conn, company, lambda who: requests.reject(conn, company, request_id, who, note))


def _decided(view: View, conn, company, decide: Callable[[Person], dict]):
    who = view.person
    return _changed(conn, lambda: decide(who), lambda status, error: _requests(view, conn, company, status, error),
                    lambda done: view.link("/credit/requests", decided=done["id"]))


@router.post("/credit/reviews/{customer}")
def review_post(customer: str, conn: Db, company: CompanyDep, view: View = viewer(P.credit_manage)):
    """Review the customer as of today: the assessment is recorded and its advice becomes a request."""
    who = view.person
    return _changed(conn, lambda: review_customer(conn, company, view.scope, customer, view.today, who),
                   lambda status, error: _requests(view, conn, company, status, error),
                   lambda done: view.link("/credit/requests", reviewed=customer, score=str(done["assessment"]["score"]),
                                          rating=done["assessment"]["rating"], request=done["request"]["id"],
                                          status=done["request"]["status"]))
