"""The write-offs page (核销): pending and booked write-offs, a request form (provisions.manage or
ledger.write), approve and reject (write_offs.approve, never one's own: four eyes) and a recovery
form. The same services as the API routes; CSRF on every form."""

from __future__ import annotations

from typing import Annotated, Any, Callable

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from credo.api.deps import Db
from credo.api.problems import status_of
from credo.domain.access import Permission as P
from credo.errors import CredoError, Forbidden
from credo.services.credit.check import amount_of
from credo.services.credit.requests import Person
from credo.services.risk import write_offs
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Reader = viewer(P.reports_read)
PAGE = "/risk/write-offs"
STATUS_LABELS = {"pending": N_("pending"), "approved": N_("booked"), "rejected": N_("rejected")}


def may_request(view: View) -> bool:
    return view.can(P.provisions_manage) or view.can(P.ledger_write)


def _page(view: View, conn, company, status: int = 200, error: str | None = None):
    items = write_offs.list_write_offs(conn, company, scope=view.scope)
    return render(view, "risk_write_offs.html", status, error=error, labels=STATUS_LABELS,
                  pending=[w for w in items if w["status"] == "pending"],
                  decided=[w for w in items if w["status"] != "pending"][:50],
                  may_request=may_request(view), today=view.today.isoformat(),
                  done=view.request.query_params.get("done"))


def _changed(view: View, conn, company, change: Callable[[Person], Any]):
    """Make a change as the visitor and come back to the page; a named error rolls it back and shows it."""
    try:
        done = change(view.person)
    except CredoError as error:
        conn.rollback()
        return _page(view, conn, company, status_of(error), str(error))
    conn.commit()
    return RedirectResponse(view.link(PAGE, done=done["number"]), status_code=303)


@router.get(PAGE)
def page(conn: Db, company: CompanyDep, view: View = Reader):
    return _page(view, conn, company)


@router.post(PAGE)
def request(conn: Db, company: CompanyDep, view: View = Reader, invoices: Annotated[str, Form()] = "",
            customer: Annotated[str, Form()] = "", amount: Annotated[str, Form()] = "",
            reason: Annotated[str, Form()] = "", written_off_on: Annotated[str, Form()] = ""):
    def change(who: Person):
        if not may_request(view):
            raise Forbidden(f"the role {view.who.role.value} may not ask for a write-off")
        numbers = [n.strip() for n in invoices.replace(",", " ").split() if n.strip()]
        return write_offs.request_write_off(
            conn, company, who, reason=reason, on=day(written_off_on, "date") or view.today, today=view.today,
            invoices_named=numbers, customer=customer.strip() or None,
            amount=amount_of(amount) if amount.strip() else None)
    return _changed(view, conn, company, change)


@router.post(PAGE + "/{write_off_id}/approval")
def approve(write_off_id: int, conn: Db, company: CompanyDep, view: View = viewer(P.write_offs_approve),
            note: Annotated[str, Form()] = ""):
    return _changed(view, conn, company, lambda who: write_offs.approve_write_off(conn, company, write_off_id, who, note))


@router.post(PAGE + "/{write_off_id}/rejection")
def reject(write_off_id: int, conn: Db, company: CompanyDep, view: View = viewer(P.write_offs_approve),
           note: Annotated[str, Form()] = ""):
    return _changed(view, conn, company, lambda who: write_offs.reject_write_off(conn, company, write_off_id, who, note))


@router.post(PAGE + "/{write_off_id}/recovery")
def recovery(write_off_id: int, conn: Db, company: CompanyDep, view: View = viewer(P.ledger_write),
             amount: Annotated[str, Form()] = "", recovered_on: Annotated[str, Form()] = "",
             payment: Annotated[str, Form()] = "", note: Annotated[str, Form()] = ""):
    return _changed(view, conn, company, lambda who: write_offs.recover(
        conn, company, write_off_id, who.name, on=day(recovered_on, "date") or view.today,
        amount=amount_of(amount) if amount.strip() else None, payment=payment.strip() or None, note=note))
