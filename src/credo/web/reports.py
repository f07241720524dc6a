"""The reports pages: aging (within the visitor's portfolio), DSO and the period's measures
(company-wide, for those who read reports), each as a table with its XLSX download: the API's
own report route, which takes the session cookie on GET."""

from __future__ import annotations


from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse

from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.errors import InvalidInput
from credo.services.reports.aging import aging_report
from credo.services.reports.dso import METHODS, dso_report
from credo.services.reports.period import default_period, period_metrics
from credo.services.settings import aging_limits
from credo.store.queries import BY_KEYS, among_customers
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
BASES = {"due": N_("Days past due"), "invoice": N_("Days since invoice")}
GROUPINGS = {"customer": N_("Customer"), "group": N_("Customer group"), "collector": N_("Collector"),
             "segment": N_("Segment"), "currency": N_("Currency")}
# The period's measures in the order shown: (key in PeriodMetrics.to_json(), label, kind).
MEASURES = (
    ("dso", N_("DSO"), "days"), ("best_possible_dso", N_("Best possible DSO"), "days"),
    ("average_days_delinquent", N_("Average days delinquent"), "days"),
    ("ar_turnover", N_("AR turnover"), "times"), ("ar_turnover_days", N_("AR turnover days"), "days"),
    ("cei", N_("Collection effectiveness index (CEI)"), "percent"),
    ("collection_rate", N_("Collection rate"), "percent"), ("overdue_ratio", N_("Overdue ratio"), "percent"),
    ("opening_receivables", N_("Opening receivables"), "money"),
    ("closing_receivables", N_("Closing receivables"), "money"), ("credit_sales", N_("Credit sales"), "money"),
    ("closing_open_invoices", N_("Open invoices at the end"), "money"),
    ("closing_current", N_("Not yet due at the end"), "money"), ("closing_overdue", N_("Overdue at the end"), "money"),
    ("due_in_period", N_("Due in the period"), "money"), ("collected_in_period", N_("Collected in the period"), "money"),
)


def _xlsx(view: View, report: str, **params) -> str:
    """The API route of the report (named after it), as an XLSX download."""
    return view.link(view.request.app.url_path_for(report), **params, format="xlsx")


@router.get("/reports")
def reports_home(view: View = viewer(P.ledger_read)):
    return RedirectResponse("/reports/aging", status_code=303)


@router.get("/reports/aging")
def aging_page(conn: Db, company: CompanyDep, view: View = viewer(P.ledger_read), as_of: str = "",
               by: str = "customer", basis: str = "due", buckets: str = ""):
    as_of_day = day(as_of, "as_of") or view.today
    if by not in BY_KEYS:
        raise InvalidInput(f"by {by!r}: use one of {', '.join(BY_KEYS)}")
    among = among_customers(company.id, view.scope.customers()) if view.scope.limited else None
    report = aging_report(conn, company, as_of_day, buckets.strip() or None, by=by, basis=basis, among=among)
    params = {"as_of": as_of_day.isoformat(), "by": by, "basis": basis, "buckets": buckets.strip()}
    return render(view, "report_aging.html", tab="aging", report=report, params=params,
                  company_buckets=aging_limits(conn, company), bases=BASES, groupings=GROUPINGS,
                  xlsx=_xlsx(view, "aging", **params))


@router.get("/reports/dso")
def dso_page(conn: Db, company: CompanyDep, view: View = viewer(P.reports_read), as_of: str = "",
             days: int = Query(90, ge=1, le=3660), method: str = "standard", by: str = ""):
    as_of_day = day(as_of, "as_of") or view.today
    if by and by not in BY_KEYS:
        raise InvalidInput(f"by {by!r}: use one of {', '.join(BY_KEYS)}")
    report = dso_report(conn, company, as_of_day, days=days, method=method, by=by or None)
    params = {"as_of": as_of_day.isoformat(), "days": days, "method": method, "by": by}
    return render(view, "report_dso.html", tab="dso", report=report, params=params, methods=METHODS,
                  groupings=GROUPINGS, xlsx=_xlsx(view, "dso", **params))


@router.get("/reports/metrics")
def metrics_page(conn: Db, company: CompanyDep, view: View = viewer(P.reports_read),
                 date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to")):
    first, last = default_period(day(date_from, "from"), day(date_to, "to"), view.today)
    values = period_metrics(conn, company, first, last).to_json()
    params = {"from": first.isoformat(), "to": last.isoformat()}
    return render(view, "report_metrics.html", tab="metrics", values=values, measures=MEASURES, params=params,
                  xlsx=_xlsx(view, "metrics", **params))
