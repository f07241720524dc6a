"""The pages of the collections' last resorts and concessions: escalation cases (a debt handed to an
agency or to legal, with the expected recovery against its cost), interest waivers (four eyes above
the threshold), and the statement of account as a PDF from the customer page. The same services as
the API (`api/routes/worklist.py`, `api/routes/interest.py`); CSRF on every form."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from credo.api.deps import Db
from credo.channels import letters
from credo.channels.locales import check_language
from credo.domain.access import Permission as P
from credo.errors import InvalidInput
from credo.services.browse.customers import customer_row
from credo.services.collections import cases, waivers
from credo.services.collections.cases import CASE_KINDS
from credo.services.collections.statement import statement_of_account
from credo.services.credit.check import amount_of
from credo.web.arrangements import _changed
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Reader = viewer(P.ledger_read)
Escalator = viewer(P.dunning_run)
Waiver = viewer(P.interest_waive)
KIND_LABELS = {"agency": N_("collection agency"), "legal": N_("legal action")}
CASE_STATUS_LABELS = {"open": N_("open"), "closed": N_("closed")}
WAIVER_STATUS_LABELS = {"pending": N_("pending"), "approved": N_("approved"), "rejected": N_("rejected")}


def _actor(view: View) -> str:
    return f"user:{view.who.username}"


def _amount(text: str, name: str, default: str | None = None) -> Decimal | None:
    """A figure typed in a form (empty: the default, or none)."""
    text = (text or "").strip() or default
    return None if text is None else amount_of(text, name)


def _cases(view: View, conn, company, status: int = 200, error: str | None = None):
    shown = view.request.query_params.get("status") or "open"
    items = cases.list_cases(conn, company, view.scope, None if shown == "all" else shown)
    return render(view, "cases.html", status, items=items, shown=shown, error=error, kinds=CASE_KINDS,
                  kind_labels=KIND_LABELS, status_labels=CASE_STATUS_LABELS,
                  done=view.request.query_params.get("done"), customer=view.request.query_params.get("customer", ""))


@router.get("/cases")
def cases_page(conn: Db, company: CompanyDep, view: View = Reader):
    return _cases(view, conn, company)


@router.post("/cases")
def case_open(conn: Db, company: CompanyDep, view: View = Escalator, customer: Annotated[str, Form()] = "",
              kind: Annotated[str, Form()] = "agency", handler: Annotated[str, Form()] = "",
              recovery_rate: Annotated[str, Form()] = "", amount: Annotated[str, Form()] = "",
              fixed_cost: Annotated[str, Form()] = "", commission_rate: Annotated[str, Form()] = "",
              notes: Annotated[str, Form()] = "", accept_loss: Annotated[str, Form()] = ""):
    def change():
        rate = _amount(recovery_rate, "expected recovery (percent)")
        if rate is None:
            raise InvalidInput("give the expected recovery, percent of the amount")
        return cases.open_case(conn, company, view.scope, customer.strip(), kind, handler, view.today, _actor(view),
                               rate, _amount(amount, "amount"), _amount(fixed_cost, "fixed cost", "0"),
                               _amount(commission_rate, "commission (percent)", "0"), notes or None,
                               accept_loss=bool(accept_loss))
    return _changed(conn, change, lambda status, error: _cases(view, conn, company, status, error),
                    view.link("/cases", done="opened"))


@router.post("/cases/{case_id}/recovery")
def case_recovery(case_id: int, conn: Db, company: CompanyDep, view: View = Escalator,
                  amount: Annotated[str, Form()] = ""):
    def change():
        return cases.record_recovery(conn, company, view.scope, case_id, _amount(amount, "amount recovered", "0"),
                                     _actor(view))
    return _changed(conn, change, lambda status, error: _cases(view, conn, company, status, error),
                    view.link("/cases", done="recovered"))


@router.post("/cases/{case_id}/closure")
def case_closure(case_id: int, conn: Db, company: CompanyDep, view: View = Escalator,
                 notes: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: cases.close_case(conn, company, view.scope, case_id, view.today, _actor(view),
                                                   notes or None),
                    lambda status, error: _cases(view, conn, company, status, error), view.link("/cases", done="closed"))


def _waivers(view: View, conn, company, status: int = 200, error: str | None = None):
    shown = view.request.query_params.get("status") or "pending"
    items = waivers.list_waivers(conn, company, None if shown == "all" else shown, view.scope)
    return render(view, "waivers.html", status, items=items, shown=shown, error=error,
                  status_labels=WAIVER_STATUS_LABELS, done=view.request.query_params.get("done"),
                  me=_actor(view))


@router.get("/waivers")
def waivers_page(conn: Db, company: CompanyDep, view: View = Reader):
    return _waivers(view, conn, company)


@router.post("/waivers")
def waiver_request(conn: Db, company: CompanyDep, view: View = Escalator, invoice: Annotated[str, Form()] = "",
                   amount: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = ""):
    def change():
        figure = _amount(amount, "amount")
        if figure is None:
            raise InvalidInput("give the amount to waive")
        return waivers.request_waiver(conn, company, view.person, invoice=invoice.strip(), amount=figure,
                                      reason=reason, today=view.today, scope=view.scope)
    return _changed(conn, change, lambda status, error: _waivers(view, conn, company, status, error),
                    view.link("/waivers", done="requested", status="all"))


@router.post("/waivers/{waiver_id}/approval")
def waiver_approve(waiver_id: int, conn: Db, company: CompanyDep, view: View = Waiver,
                   note: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: waivers.approve_waiver(conn, company, waiver_id, view.person, note, view.today),
                    lambda status, error: _waivers(view, conn, company, status, error),
                    view.link("/waivers", done="approved", status="all"))


@router.post("/waivers/{waiver_id}/rejection")
def waiver_reject(waiver_id: int, conn: Db, company: CompanyDep, view: View = Waiver,
                  note: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: waivers.reject_waiver(conn, company, waiver_id, view.person, note),
                    lambda status, error: _waivers(view, conn, company, status, error),
                    view.link("/waivers", done="rejected", status="all"))


@router.get("/customers/{code}/statement.pdf")
def statement_pdf(code: str, conn: Db, company: CompanyDep, view: View = Reader,
                  as_of: Annotated[str | None, Query()] = None, language: Annotated[str | None, Query()] = None):
    """The statement of account (对账单) as of the date, in the customer's language (or the one asked)."""
    row = customer_row(conn, company, view.scope, code)
    on = day(as_of, "as_of") or view.today
    chosen = check_language(language or row.language or "zh")
    pdf = letters.render_letter(statement_of_account(conn, company, row.code, on, chosen),
                                view.request.app.state.settings)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="statement-{row.code}-{on}.pdf"'})
