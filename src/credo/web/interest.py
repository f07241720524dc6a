"""The late interest report page (逾期罚息, /reports/interest): per customer in the base currency and per
late invoice in its own, accrued, charged, waived and still to charge as of a date, with the API
route's XLSX download. Read by those who read reports (company-wide, as the API route)."""

from __future__ import annotations


from fastapi import APIRouter

from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.domain.money import ZERO
from credo.services.collections.interest import interest_report
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
SUMS = ("accrued", "charged", "waived", "to_charge")


@router.get("/reports/interest")
def interest_page(conn: Db, company: CompanyDep, view: View = viewer(P.reports_read), as_of: str = "",
                  customer: str = ""):
    as_of_day = day(as_of, "as_of") or view.today
    report = interest_report(conn, company, as_of_day, customer.strip() or None)
    totals = {k: sum((s[k] for s in report.totals.values()), ZERO) for k in SUMS}
    params = {"as_of": as_of_day.isoformat(), "customer": customer.strip()}
    return render(view, "report_interest.html", tab="interest", report=report, totals=totals, params=params,
                  lines=[line.to_json() for line in report.lines],
                  xlsx=view.link(view.request.app.url_path_for("report"), **params, format="xlsx"))
