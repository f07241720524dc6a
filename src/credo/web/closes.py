"""The period close page (结账): the lock date, the closes, a line per stored month-end, the close
and reopen forms (periods.close), the verification of what the closes stored, and a month-end's
stored figures. The same services as `credo close` and /api/v1/closes; CSRF on every form."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Callable

from fastapi import APIRouter, Form
from fastapi.responses import RedirectResponse

from credo.api.deps import Db
from credo.api.problems import status_of
from credo.domain.access import Permission as P
from credo.domain.periods import previous_month_end
from credo.errors import CredoError, InvalidInput
from credo.services import closing
from credo.services.closing.figures import DSO_DAYS
from credo.web.i18n import N_
from credo.web.risk_provision import bucket_name
from credo.web.risk_warnings import SEVERITY_LABELS
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE = "/closes"
Reader = viewer(P.reports_read)
Closer = viewer(P.periods_close)


class NotADate(InvalidInput):
    """The close form's date is empty or no date."""


# A refusal in the visitor's language, with the days it names (services/closing/close.py).
REFUSALS = {
    NotADate: N_("Type the month-end to close up to as a date, such as 2024-06-30."),
    closing.NotAMonthEnd: N_("%(day)s is not a month-end: a period closes at a month-end, such as %(month_end)s."),
    closing.NotEnded: N_("The period to %(day)s has not ended yet: today is %(today)s."),
    closing.AlreadyClosed: N_("Already closed up to %(locked_until)s: close a later month-end."),
    closing.NoReason: N_("Say why the period is reopened."),
    closing.NothingToReopen: N_("No closed period to reopen."),
}
KIND_LABELS = {"aging": N_("Aging"), "provision": N_("Provision"), "dso": N_("DSO"), "warnings": N_("Early warnings")}
SOURCE_LABELS = {  # services/closing/inputs.py: the tables a stored figure read
    "customers": N_("Customers"), "invoices": N_("Invoices"), "credit_notes": N_("Credit notes"),
    "payments": N_("Payments"), "allocations": N_("Allocations"), "fx_rates": N_("Exchange rates"),
    "disputes": N_("Disputes"), "insurance_policies": N_("Insurance policies"), "insured_limits": N_("Insured limits"),
    "specific_provisions": N_("Specific provisions"), "credit_lines": N_("Credit limits"),
    "promises": N_("Promises to pay"), "payment_plans": N_("Payment plans"), "risk_flags": N_("Risk flags"),
    "credit_assessments": N_("Credit assessments"),
}


def refusal(view: View, error: CredoError) -> str:
    """The error in the visitor's language when it is one of the close's refusals; else as it is."""
    message = next((text for kind, text in REFUSALS.items() if isinstance(error, kind)), None)
    if message is None:
        return str(error)
    values = getattr(error, "values", {})
    return view.lang.gettext(message, **{name: view.lang.date(value) for name, value in values.items()})


def _period_end(text: str) -> date:
    try:
        chosen = day(text, "period end")
    except InvalidInput:
        chosen = None
    if chosen is None:
        raise NotADate(f"period end {text!r}: use a date such as 2024-06-30")
    return chosen


def _page(view: View, conn, company, status: int = 200, error: str | None = None, typed: dict | None = None,
          verification: closing.Verification | None = None):
    typed = {"period_end": previous_month_end(view.today).isoformat(), "reason": ""} | (typed or {})
    return render(view, "closes.html", status, overview=closing.overview(conn, company), typed=typed, error=error,
                  verification=verification, kinds=KIND_LABELS, dso_days=DSO_DAYS, sources=SOURCE_LABELS,
                  closed=view.request.query_params.get("closed"), reopened=view.request.query_params.get("reopened"))


def _changed(view: View, conn, company, change: Callable[[], closing.Closed], done: str, typed: dict):
    """Make the change and come back to the page saying so; a refusal rolls it back and is shown with what was typed."""
    try:
        made = change()
    except CredoError as error:
        conn.rollback()
        return _page(view, conn, company, status_of(error), refusal(view, error), typed)
    conn.commit()
    return RedirectResponse(view.link(PAGE, **{done: made.period_end.isoformat()}), status_code=303)


@router.get(PAGE)
def page(conn: Db, company: CompanyDep, view: View = Reader):
    return _page(view, conn, company)


@router.post(PAGE)
def close(conn: Db, company: CompanyDep, view: View = Closer, period_end: Annotated[str, Form()] = ""):
    return _changed(view, conn, company,
                    lambda: closing.close_period(conn, company, _period_end(period_end), view.person.name, view.today),
                    "closed", {"period_end": period_end})


@router.post(PAGE + "/reopen")
def reopen(conn: Db, company: CompanyDep, view: View = Closer, reason: Annotated[str, Form()] = ""):
    return _changed(view, conn, company, lambda: closing.reopen_period(conn, company, view.person.name, reason),
                    "reopened", {"reason": reason})


@router.get(PAGE + "/verify")
def verify(conn: Db, company: CompanyDep, view: View = Reader):
    return _page(view, conn, company, verification=closing.verify_closes(conn, company))


@router.get(PAGE + "/{as_of}")
def month_end(as_of: str, conn: Db, company: CompanyDep, view: View = Reader):
    chosen = day(as_of, "month-end")
    figures = {f.kind: f.body for f in closing.stored_figures(conn, company, chosen)}
    return render(view, "close_month_end.html", as_of=chosen, figures=figures, severities=SEVERITY_LABELS,
                  bucket_name=lambda label: bucket_name(view, label))
