"""The provision page (坏账准备): as-of date and method, the per-bucket table and the customers with
the largest allowances, in the visitor's language. The same service as `GET /api/v1/risk/provision`."""

from __future__ import annotations

import re

from fastapi import APIRouter, Query

from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.domain.risk.provisioning import METHODS
from credo.services.risk.provision import company_provision
from credo.services.risk.provision_settings import check_method
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
METHOD_LABELS = {"matrix": N_("Provision matrix (IFRS 9)"), "aging-table": N_("Aging table (账龄分析法)")}
SOURCE_LABELS = {"derived": N_("derived from the ledger's roll rates"), "given": N_("given rates"),
                 "settings": N_("the company's rate table"), "default": N_("the default rate table")}
BASIS_LABELS = {"matrix": N_("matrix rate"), "aging-table": N_("aging table rate"),
                "specific-rate": N_("specific rate"), "specific-amount": N_("specific amount")}
RULE_LABELS = {"replace": N_("the specific figure replaces the collective one"),
               "higher": N_("the higher of the specific and the collective figure counts")}
TOP = 20
_DAYS = re.compile(r"^(>\d+|\d+-\d+)$")


def bucket_name(view: View, label: str) -> str:
    """A bucket of days as the aging shows it (Not due, 1-30 days); a table's own names as they are."""
    return view.lang.bucket(label) if label == "not_due" or _DAYS.match(label) else label


@router.get("/risk/provision")
def provision_page(conn: Db, company: CompanyDep, view: View = viewer(P.reports_read), as_of: str = "",
                   method: str = "", top: int = Query(TOP, ge=1, le=500)):
    as_of_day = day(as_of, "as_of") or view.today
    report = company_provision(conn, company, as_of_day, method=check_method(method) if method else None,
                               scope=view.scope)
    params = {"as_of": as_of_day.isoformat(), "method": report.method}
    return render(view, "risk_provision.html", report=report, params=params, methods=METHODS,
                  method_labels=METHOD_LABELS, source_labels=SOURCE_LABELS, basis_labels=BASIS_LABELS,
                  rule_labels=RULE_LABELS,
                  customers=report.top(top), top=top, bucket_name=lambda label: bucket_name(view, label))
