"""The collections pages: open disputes with the root causes figures and a resolve form, and the
customer page's section of disputes, promises and payment plans with small forms to record a
promise or open a dispute (collections.work). The same services as the API; CSRF on every form."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Callable

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse
from sqlalchemy import Connection

from credo.api.deps import Db
from credo.api.problems import status_of
from credo.domain.access import Permission as P
from credo.errors import CredoError, InvalidInput
from credo.services.access import Scope
from credo.services.browse import holdings
from credo.services.browse.customers import customer_row
from credo.services.collections import disputes, plans, promises
from credo.services.collections.dispute_report import disputes_report
from credo.services.companies import Company
from credo.services.credit.check import amount_of
from credo.store import collections_tables as t
from credo.store.collections_tables import CHANNELS, DISPUTE_REASONS, DISPUTE_RESOLUTIONS
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, day, error_page, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Reader = viewer(P.ledger_read)
Worker = viewer(P.collections_work)
REASON_LABELS = {"price": N_("price"), "quantity": N_("quantity"), "quality": N_("quality"),
                 "missing_po": N_("missing PO"), "duplicate": N_("duplicate"), "delivery": N_("delivery"),
                 "other": N_("other")}
RESOLUTION_LABELS = {"credit_note": N_("credit note"), "valid": N_("invoice valid"), "partial": N_("partial credit")}
STANDING_LABELS = {"open": N_("open"), "kept": N_("kept"), "broken": N_("broken")}
STATUS_LABELS = {"open": N_("open"), "investigating": N_("investigating"), "resolved": N_("resolved")}
LABELS = {"reasons": REASON_LABELS, "resolutions": RESOLUTION_LABELS, "standings": STANDING_LABELS,
          "statuses": STATUS_LABELS, "channels": CHANNELS}


def _changed(conn: Connection, change: Callable[[], Any], failed: Callable[[int, str], Any], then: str):
    """Make a change and go to `then`; a named error rolls it back and shows `failed`."""
    try:
        change()
    except CredoError as error:
        conn.rollback()
        return failed(status_of(error), str(error))
    conn.commit()
    return RedirectResponse(then, status_code=303)


def customer_discounts(conn: Connection, company: Company, scope: Scope, code: str, as_of: date) -> dict:
    from credo.web.discounts import customer_discounts as offers  # the discounts' own module

    return offers(conn, company, scope, code, as_of)


def customer_arrangements(conn: Connection, company: Company, scope: Scope, code: str, as_of: date) -> dict:
    """The customer page's collections section: open disputes, promises with their standing, and
    payment plans with the next instalment, as of the date (none read of a kind it has none of)."""
    held = holdings.of(conn, company.id, customer_row(conn, company, scope, code).id)
    return {"disputes": disputes.list_disputes(conn, company, scope, customer=code) if held(t.disputes) else [],
            "promises": promises.list_promises(conn, company, scope, as_of, customer=code) if held(t.promises) else [],
            "plans": plans.list_plans(conn, company, scope, as_of, customer=code) if held(t.payment_plans) else [],
            "labels": LABELS, "reasons": DISPUTE_REASONS,
            "discounts": customer_discounts(conn, company, scope, code, as_of)}


def _disputes(view: View, conn, company, status: int = 200, error: str | None = None):
    query = view.request.query_params
    reason, owner = query.get("reason") or None, query.get("owner") or None
    items = disputes.list_disputes(conn, company, view.scope, reason=reason, owner=owner)
    report = disputes_report(conn, company, view.scope, view.today)
    return render(view, "disputes.html", status, items=items, report=report, error=error, reason=reason or "",
                  owner=owner or "", labels=LABELS, reasons=DISPUTE_REASONS, resolutions=DISPUTE_RESOLUTIONS,
                  resolved=query.get("resolved"))


@router.get("/disputes")
def disputes_page(conn: Db, company: CompanyDep, view: View = Reader):
    return _disputes(view, conn, company)


@router.post("/disputes/{dispute_id}/resolution")
def dispute_resolve(dispute_id: int, conn: Db, company: CompanyDep, view: View = Worker,
                    resolution: Annotated[str, Form()] = "", amount: Annotated[str, Form()] = "",
                    notes: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: disputes.resolve(
        conn, company, view.scope, dispute_id, resolution or None, f"user:{view.who.username}",
        resolved_on=view.today, amount=amount_of(amount) if amount.strip() else None, notes=notes or None),
        lambda status, error: _disputes(view, conn, company, status, error),
        view.link("/disputes", resolved=dispute_id))


@router.post("/customers/{code}/promises")
def promise_add(code: str, conn: Db, company: CompanyDep, view: View = Worker,
                promised_on: Annotated[str, Form()] = "", amount: Annotated[str, Form()] = "",
                channel: Annotated[str, Form()] = "phone", grace_days: Annotated[int, Form()] = 0,
                promised_by: Annotated[str, Form()] = ""):
    def change():
        promised = day(promised_on, "promised date") or view.today
        return promises.add_promise(conn, company, view.scope, customer=code, promised_on=promised,
                                    amount=amount_of(amount), actor=f"user:{view.who.username}", made_on=view.today,
                                    channel=channel, grace_days=grace_days, promised_by=promised_by or None)
    return _changed(conn, change, lambda status, error: error_page(view.request, status, error),
                    view.link(f"/customers/{code}", recorded="promise"))


@router.post("/customers/{code}/disputes")
def dispute_open(code: str, conn: Db, company: CompanyDep, view: View = Worker,
                 invoice: Annotated[str, Form()] = "", amount: Annotated[str, Form()] = "",
                 reason: Annotated[str, Form()] = "", owner: Annotated[str, Form()] = "",
                 due_on: Annotated[str, Form()] = ""):
    def change():
        customer_id = disputes.invoice_open(conn, company, view.scope, invoice, view.today)[1]
        if customer_id != customer_row(conn, company, view.scope, code).id:
            raise InvalidInput(f"invoice {invoice} is not {code}'s")
        return disputes.open_dispute(conn, company, view.scope, invoice=invoice, reason=reason,
                                     owner=owner or view.who.username, actor=f"user:{view.who.username}",
                                     amount=amount_of(amount) if amount.strip() else None,
                                     due_on=day(due_on, "due date"), opened_on=view.today)
    return _changed(conn, change, lambda status, error: error_page(view.request, status, error),
                    view.link(f"/customers/{code}", recorded="dispute"))


@router.post("/customers/{code}/plans")
def plan_agree(code: str, conn: Db, company: CompanyDep, view: View = Worker,
               invoices: Annotated[str, Form()] = "", count: Annotated[int, Form()] = 3,
               frequency: Annotated[str, Form()] = "monthly", first_due: Annotated[str, Form()] = "",
               annual_rate: Annotated[str, Form()] = "0", notes: Annotated[str, Form()] = ""):
    """Agree a payment plan over the invoices named (commas or spaces between them)."""
    def change():
        first = day(first_due, "first instalment") or view.today
        return plans.agree_plan(conn, company, view.scope, customer=code,
                                invoices_covered=[n for n in invoices.replace(",", " ").split() if n],
                                count=count, frequency=frequency, first_due=first, actor=f"user:{view.who.username}",
                                agreed_on=view.today, annual_rate=amount_of(annual_rate or "0", "interest rate"),
                                notes=notes or None)
    return _changed(conn, change, lambda status, error: error_page(view.request, status, error),
                    view.link(f"/customers/{code}", recorded="plan"))
