"""The dunning page (催收): what is due as of a date, one line per customer, and the button that
carries it out (the same services as `credo dunning run [--send]` and the API)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form

from credo import clock
from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.services.collections.dunning import dunning_proposals
from credo.services.collections.sending import carry_out, window_open
from credo.services.settings import company_window
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Dunner = viewer(P.dunning_run)
ACTION_LABELS = {"email": N_("email"), "sms": N_("SMS"), "letter": N_("letter"), "call": N_("call"),
                 "visit": N_("visit"), "account_manager": N_("account manager"), "order_block": N_("order block"),
                 "agency": N_("collection agency"), "legal": N_("legal action")}
OUTSIDE = N_("Outside the sending window (%(window)s): nothing was sent.")


def _page(view: View, conn, company, as_of: date, status: int = 200, error: str | None = None, done=None):
    report = dunning_proposals(conn, company, as_of)
    conn.commit()
    return render(view, "dunning.html", status, report=report.to_json(), as_of=as_of, error=error, done=done,
                  actions=ACTION_LABELS, window=company_window(conn, company, view.request.app.state.settings))


@router.get("/dunning")
def dunning_page(conn: Db, company: CompanyDep, view: View = Dunner, as_of: str | None = None):
    return _page(view, conn, company, day(as_of, "as_of") or view.today)


@router.post("/dunning/run")
def dunning_send(conn: Db, company: CompanyDep, view: View = Dunner, as_of: Annotated[str, Form()] = ""):
    settings = view.request.app.state.settings
    when = day(as_of or None, "as_of") or view.today
    now = clock.now()
    if not window_open(conn, company, settings, now):
        return _page(view, conn, company, when, 409, view.lang.gettext(OUTSIDE, window=company_window(conn, company, settings)))
    report = dunning_proposals(conn, company, when)
    conn.commit()
    done = carry_out(conn, company, report, settings, f"user:{view.who.username}", now)
    return _page(view, conn, company, when, done=[d.to_json() for d in done])
