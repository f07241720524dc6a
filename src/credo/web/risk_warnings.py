"""The early-warning pages: the alerts with filters, an alert with its comments and the
acknowledge and resolve buttons, the rules, and the manual flags with a form to flag a customer.
Reading needs credit.read (sales: their portfolio's customers), acting risk.manage. The same
services as the API and the command line; CSRF on every form."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response

from credo.api.deps import Db
from credo.channels.warning_report import value_text
from credo.domain.access import Permission as P
from credo.domain.risk.warnings import FLAG_KINDS, SEVERITIES
from credo.services.browse.paging import PageRequest, Page
from credo.services.risk import alerts, rules
from credo.services.risk.scan import scan
from credo.store.risk_alert_tables import ALERT_STATUSES
from credo.web.arrangements import _changed
from credo.web.i18n import N_
from credo.web.ledger import pager
from credo.web.view import CompanyDep, PageRoute, View, day, error_page, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Reader = viewer(P.credit_read)
Manager = viewer(P.risk_manage)
SEVERITY_LABELS = {"high": N_("high"), "medium": N_("medium"), "low": N_("low")}
STATUS_LABELS = {"open": N_("open"), "acknowledged": N_("acknowledged"), "resolved": N_("resolved"),
                 "unresolved": N_("unresolved"), "all": N_("all")}
KIND_LABELS = {"lawsuit": N_("lawsuit"), "news": N_("adverse news"), "management_change": N_("management change"),
               "other": N_("other")}
INDICATOR_LABELS = {
    "days_past_due": N_("Days past due"), "overdue_amount": N_("Overdue amount"),
    "limit_utilisation": N_("Limit utilisation"), "broken_promises": N_("Broken promises"),
    "payment_slowdown": N_("Payment slowdown (days)"), "rating_downgrade": N_("Rating downgrade"),
    "score_drop": N_("Score drop"), "altman_distress": N_("Altman distress zone"),
    "concentration": N_("Concentration"), "group_concentration": N_("Group concentration"),
    "dispute_rate": N_("Dispute rate"), "returned_payments": N_("Returned payments"),
    "manual_flags": N_("Manual flags")}
LABELS = {"severities": SEVERITY_LABELS, "statuses": STATUS_LABELS, "kinds": KIND_LABELS,
          "indicators": INDICATOR_LABELS}


def _shown(view: View, alert: dict) -> dict:
    language = "en" if view.lang.code == "en" else "zh"
    return {**alert, "value_text": value_text(alert, "value", language),
            "threshold_text": value_text(alert, "threshold", language)}


def _actor(view: View) -> str:
    return f"user:{view.who.username}"


PER_PAGE = 100  # alerts on a page: a first scan of a large ledger raises thousands


@router.get("/risk/alerts")
def alerts_page(conn: Db, company: CompanyDep, view: View = Reader,
                status: Annotated[str, Query()] = "unresolved", severity: Annotated[str, Query()] = "",
                customer: Annotated[str, Query()] = "", scanned: Annotated[str, Query()] = "", page: int = 1):
    chosen = dict(status=status, severity=severity or None, customer=customer or None)
    offset = PageRequest(PER_PAGE, (max(page, 1) - 1) * PER_PAGE).offset  # within the bounds of every page
    items = alerts.list_alerts(conn, company, view.scope, **chosen, limit=PER_PAGE, offset=offset)
    total = alerts.count_alerts(conn, company, view.scope, **chosen)
    return render(view, "risk_alerts.html", items=[_shown(view, a) for a in items], chosen=status,
                  pager=pager(Page(items, total, PER_PAGE, offset)), severity=severity, customer=customer,
                  labels=LABELS, severities=SEVERITIES, statuses=("unresolved", *ALERT_STATUSES, "all"),
                  scanned=scanned, today=view.today)


@router.post("/risk/scans")
def scan_now(conn: Db, company: CompanyDep, view: View = Manager):
    return _changed(conn, lambda: scan(conn, company, view.today, _actor(view)),
                    lambda status, error: error_page(view.request, status, error),
                    view.link("/risk/alerts", scanned="1"))


def _alert(view: View, conn, company, alert_id: int, status: int = 200, error: str | None = None, done: str = ""):
    found = alerts.get_alert(conn, company, alert_id, view.scope)
    return render(view, "risk_alert.html", status, alert=_shown(view, found), labels=LABELS, error=error, done=done)


@router.get("/risk/alerts/{alert_id}")
def alert_page(alert_id: int, conn: Db, company: CompanyDep, view: View = Reader,
               done: Annotated[str, Query()] = ""):
    return _alert(view, conn, company, alert_id, done=done)


@router.post("/risk/alerts/{alert_id}/status")
def alert_status(alert_id: int, conn: Db, company: CompanyDep, view: View = Manager,
                 status: Annotated[str, Form()] = "", note: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: alerts.change_status(conn, company, alert_id, status, _actor(view), view.today,
                                                       note or None),
                    lambda code, error: _alert(view, conn, company, alert_id, code, error),
                    view.link(f"/risk/alerts/{alert_id}", done=status))


@router.post("/risk/alerts/{alert_id}/comments")
def alert_comment(alert_id: int, conn: Db, company: CompanyDep, view: View = Manager,
                  body: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: alerts.add_comment(conn, company, alert_id, _actor(view), body),
                    lambda code, error: _alert(view, conn, company, alert_id, code, error),
                    view.link(f"/risk/alerts/{alert_id}", done="comment"))


def _rules(view: View, conn, company, status: int = 200, error: str | None = None, saved: str = ""):
    found = rules.list_rules(conn, company, _actor(view))
    conn.commit()  # the defaults, seeded on first use
    return render(view, "risk_rules.html", status, rules=found, labels=LABELS, severities=SEVERITIES, error=error,
                  saved=saved)


@router.get("/risk/rules")
def rules_page(conn: Db, company: CompanyDep, view: View = Reader, saved: Annotated[str, Query()] = ""):
    return _rules(view, conn, company, saved=saved)


@router.post("/risk/rules/{code}")
def rule_save(code: str, conn: Db, company: CompanyDep, view: View = Manager,
              threshold: Annotated[str, Form()] = "", severity: Annotated[str, Form()] = "",
              owner: Annotated[str, Form()] = "", active: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: rules.set_rule(conn, company, code, _actor(view), threshold=threshold or None,
                                                 severity=severity or None, owner=owner or None,
                                                 active=active == "on"),
                    lambda status, error: _rules(view, conn, company, status, error),
                    view.link("/risk/rules", saved=code))


def _flags(view: View, conn, company, status: int = 200, error: str | None = None, saved: str = ""):
    found = alerts.list_flags(conn, company, view.scope, cleared=True)
    return render(view, "risk_flags.html", status, flags=found, labels=LABELS, kinds=FLAG_KINDS, error=error,
                  saved=saved)


@router.get("/risk/flags")
def flags_page(conn: Db, company: CompanyDep, view: View = Reader, saved: Annotated[str, Query()] = ""):
    return _flags(view, conn, company, saved=saved)


@router.post("/risk/flags")
def flag_add(conn: Db, company: CompanyDep, view: View = Manager, customer: Annotated[str, Form()] = "",
             kind: Annotated[str, Form()] = "", note: Annotated[str, Form()] = "",
             flagged_on: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: alerts.add_flag(conn, company, view.scope, customer.strip(), kind, note,
                                                  day(flagged_on, "flagged on") or view.today, _actor(view)),
                    lambda status, error: _flags(view, conn, company, status, error),
                    view.link("/risk/flags", saved="flag"))


@router.post("/risk/flags/{flag_id}/clearance")
def flag_clear(flag_id: int, conn: Db, company: CompanyDep, view: View = Manager):
    return _changed(conn, lambda: alerts.clear_flag(conn, company, flag_id, view.today, _actor(view)),
                    lambda status, error: _flags(view, conn, company, status, error),
                    view.link("/risk/flags", saved="cleared"))


@router.get("/risk/report")
def report_download(conn: Db, company: CompanyDep, view: View = viewer(P.reports_read),
                    as_of: Annotated[str, Query()] = "", format: Annotated[Literal["pdf", "xlsx"], Query()] = "pdf"):
    from credo.channels.warning_report import render_pdf, render_xlsx
    from credo.services.risk.warning_report import warning_report

    when = day(as_of, "as of") or view.today
    found = warning_report(conn, company, when)
    language = "en" if view.lang.code == "en" else "zh"
    if format == "pdf":
        content, media = render_pdf(found, language, view.request.app.state.settings), "application/pdf"
    else:
        content = render_xlsx(found, language)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(content, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="warnings-{company.code}-{when}.{format}"'})
