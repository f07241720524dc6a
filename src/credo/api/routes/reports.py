"""Reports as of any date, as JSON or an XLSX download. Aging and payment behaviour follow the
asker's portfolio; the company-wide measures need the reports permission."""

from __future__ import annotations

import io
from datetime import date
from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.params import AsOf, Today
from credo.api.problems import ERRORS
from credo.channels.files import write_xlsx
from credo.domain.access import Permission
from credo.errors import InvalidInput
from credo.services.access import Scope
from credo.services.reports.aging import aging_report
from credo.services.reports.behaviour import behaviour_report
from credo.services.reports.dso import dso_report
from credo.services.reports.period import default_period, period_metrics
from credo.services.reports.trends import trend_report
from credo.store.queries import BY_KEYS, among_customers

router = APIRouter(prefix="/reports", tags=["reports"], responses=ERRORS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Format(str, Enum):
    json = "json"
    xlsx = "xlsx"


FormatQuery = Annotated[Format, Query(description="json, or xlsx for a workbook download")]
FILE_RESPONSE = {200: {"content": {XLSX: {}}, "description": "The report (JSON, or XLSX with format=xlsx)"}}


def rendered(report, fmt: Format, name: str):
    if fmt is Format.json:
        return report.to_json()
    table = report.table()
    stream = io.BytesIO()
    write_xlsx(stream, {"report": (table.columns, table.rows + ([table.footer] if table.footer else []))})
    return Response(stream.getvalue(), media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})


def _among(company, scope: Scope):
    return among_customers(company.id, scope.customers()) if scope.limited else None


def _check_by(by: str | None) -> None:
    if by is not None and by not in BY_KEYS:
        raise InvalidInput(f"by {by!r}: use one of {', '.join(BY_KEYS)}")


@router.get("/aging", summary="Aging (账龄分析) by bucket, with unapplied cash and the net",
            responses=FILE_RESPONSE, dependencies=[allowed(Permission.ledger_read)])
def aging(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
          by: Annotated[str, Query(description=f"Group by {', '.join(BY_KEYS)}")] = "customer",
          basis: Annotated[str, Query(description="due (days past due) or invoice (days since invoice)")] = "due",
          buckets: Annotated[str | None, Query(description="Bucket limits in days, e.g. 30,60,90,180,365")] = None,
          currency: Annotated[str | None, Query(description="Only this currency, in it")] = None,
          format: FormatQuery = Format.json):
    _check_by(by)
    report = aging_report(conn, company, as_of, buckets, by=by, basis=basis,
                          currency=currency.upper() if currency else None, among=_among(company, scope))
    return rendered(report, format, f"aging-{as_of}")


@router.get("/dso", summary="DSO (standard or countback), best possible DSO and ADD", responses=FILE_RESPONSE,
            dependencies=[allowed(Permission.reports_read)])
def dso(conn: Db, company: CompanyDep, as_of: AsOf,
        days: Annotated[int, Query(ge=1, le=3660, description="Days of credit sales")] = 90,
        method: Annotated[str, Query(description="standard or countback")] = "standard",
        by: Annotated[str | None, Query(description=f"Also one row per {', '.join(BY_KEYS)}")] = None,
        format: FormatQuery = Format.json):
    _check_by(by)
    return rendered(dso_report(conn, company, as_of, days=days, method=method, by=by), format, f"dso-{as_of}")


@router.get("/metrics", summary="AR turnover, CEI, collection rate (回款率), overdue ratio for a period",
            responses=FILE_RESPONSE, dependencies=[allowed(Permission.reports_read)])
def metrics(conn: Db, company: CompanyDep, today: Today,
            start: Annotated[date | None, Query(alias="from", description="First day (default: a year before to)")] = None,
            end: Annotated[date | None, Query(alias="to", description="Last day (default: today)")] = None,
            format: FormatQuery = Format.json):
    first, last = default_period(start, end, today)
    return rendered(period_metrics(conn, company, first, last), format, f"metrics-{first}-{last}")


@router.get("/trends", summary="Month by month: receivables, overdue, DSO, CEI, collection rate",
            responses=FILE_RESPONSE, dependencies=[allowed(Permission.reports_read)])
def trends(conn: Db, company: CompanyDep, today: Today,
           start: Annotated[date | None, Query(alias="from", description="First day (default: a year before to)")] = None,
           end: Annotated[date | None, Query(alias="to", description="Last day (default: today)")] = None,
           days: Annotated[int, Query(ge=1, le=3660, description="Days of sales behind each DSO")] = 90,
           format: FormatQuery = Format.json):
    first, last = default_period(start, end, today)
    if (last - first).days > 3660:
        raise InvalidInput("a trend spans at most ten years")
    return rendered(trend_report(conn, company, first, last, days), format, f"trends-{first}-{last}")


@router.get("/behaviour", summary="Each customer's amount-weighted days to pay and days late",
            responses=FILE_RESPONSE, dependencies=[allowed(Permission.ledger_read)])
def behaviour(conn: Db, company: CompanyDep, scope: ScopeDep, as_of: AsOf,
              months: Annotated[int, Query(ge=1, le=120)] = 12, format: FormatQuery = Format.json):
    report = behaviour_report(conn, company, as_of, months, among=_among(company, scope))
    return rendered(report, format, f"behaviour-{as_of}")
