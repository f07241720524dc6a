"""Early warnings (风险预警): alerts with their status and comments, the rules, manual flags, the
scan and the warning report. Reading needs credit.read (sales: their portfolio's customers);
acting needs risk.manage."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from credo.api.deps import CompanyDep, Db, ScopeDep, allowed
from credo.api.params import AsOf, Today
from credo.api.problems import ERRORS
from credo.api.risk_schemas import AlertCommentIn, AlertStatusIn, FlagClearIn, FlagIn, RuleIn, ScanIn
from credo.api.writes import actor_of, committed
from credo.domain.access import Permission
from credo.services.risk import alerts, rules
from credo.services.risk.scan import scan
from credo.services.users import Principal

router = APIRouter(tags=["risk"], responses=ERRORS)
Reader = allowed(Permission.credit_read)
Manager = allowed(Permission.risk_manage)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The id credo gave it")]
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/risk/alerts", summary="Early-warning alerts, the most severe and newest first", dependencies=[Reader])
def alerts_list(conn: Db, company: CompanyDep, scope: ScopeDep,
                status: Annotated[str, Query(description="unresolved, open, acknowledged, resolved or all")] = "unresolved",
                severity: Annotated[str | None, Query(description="high, medium or low")] = None,
                customer: Annotated[str | None, Query(description="One customer's code")] = None) -> list[dict]:
    return alerts.list_alerts(conn, company, scope, status=status, severity=severity, customer=customer)


@router.get("/risk/alerts/{alert_id}", summary="One alert with its comments", dependencies=[Reader])
def alert_get(alert_id: RowId, conn: Db, company: CompanyDep, scope: ScopeDep) -> dict:
    return alerts.get_alert(conn, company, alert_id, scope)


@router.post("/risk/alerts/{alert_id}/status", summary="Acknowledge or resolve an alert")
def alert_status(alert_id: RowId, body: AlertStatusIn, conn: Db, company: CompanyDep, today: Today,
                 who: Principal = Manager) -> dict:
    return committed(conn, alerts.change_status(conn, company, alert_id, body.status, actor_of(who), body.on or today,
                                                body.note))


@router.post("/risk/alerts/{alert_id}/comments", summary="Comment on an alert", status_code=201)
def alert_comment(alert_id: RowId, body: AlertCommentIn, conn: Db, company: CompanyDep,
                  who: Principal = Manager) -> dict:
    return committed(conn, alerts.add_comment(conn, company, alert_id, actor_of(who), body.body))


@router.get("/risk/rules", summary="The early-warning rules (the defaults, the first time)", dependencies=[Reader])
def rules_list(conn: Db, company: CompanyDep) -> list[dict]:
    return committed(conn, rules.list_rules(conn, company))


@router.put("/risk/rules/{code}", summary="Change an early-warning rule, or add one")
def rule_put(code: Annotated[str, Path(min_length=1, max_length=64)], body: RuleIn, conn: Db, company: CompanyDep,
             who: Principal = Manager) -> dict:
    return committed(conn, rules.set_rule(conn, company, code, actor_of(who), indicator=body.indicator,
                                          threshold=body.threshold, severity=body.severity, owner=body.owner,
                                          window_days=body.window_days, active=body.active))


@router.get("/risk/flags", summary="Manual flags on customers (lawsuit, news, management change)",
            dependencies=[Reader])
def flags_list(conn: Db, company: CompanyDep, scope: ScopeDep,
               customer: Annotated[str | None, Query(description="One customer's code")] = None,
               cleared: bool = False) -> list[dict]:
    return alerts.list_flags(conn, company, scope, customer=customer, cleared=cleared)


@router.post("/risk/flags", summary="Flag a customer by hand", status_code=201)
def flag_add(body: FlagIn, conn: Db, company: CompanyDep, scope: ScopeDep, today: Today,
             who: Principal = Manager) -> dict:
    return committed(conn, alerts.add_flag(conn, company, scope, body.customer_code, body.kind, body.note,
                                           body.flagged_on or today, actor_of(who)))


@router.post("/risk/flags/{flag_id}/clearance", summary="Clear a manual flag")
def flag_clear(flag_id: RowId, body: FlagClearIn, conn: Db, company: CompanyDep, today: Today,
               who: Principal = Manager) -> dict:
    return committed(conn, alerts.clear_flag(conn, company, flag_id, body.cleared_on or today, actor_of(who)))


@router.post("/risk/scans", summary="Scan against the rules and raise the new alerts (never one twice)")
def scan_run(body: ScanIn, conn: Db, company: CompanyDep, today: Today, who: Principal = Manager) -> dict:
    found = scan(conn, company, body.as_of or today, actor_of(who))
    return committed(conn, {"as_of": found.as_of.isoformat(), **found.summary(), "raised": found.raised})


@router.get("/reports/warnings", summary="The warning report (风险预警报告) as of a date: JSON, PDF or XLSX",
            dependencies=[allowed(Permission.reports_read)], tags=["reports"],
            responses={200: {"content": {PDF: {}, XLSX: {}}, "description": "The report"}})
def report(request: Request, conn: Db, company: CompanyDep, as_of: AsOf,
           format: Annotated[Literal["json", "pdf", "xlsx"], Query(description="json, pdf or xlsx")] = "json",
           language: Annotated[Literal["zh", "en"], Query(description="zh or en")] = "zh"):
    from credo.channels.warning_report import render_pdf, render_xlsx
    from credo.services.risk.warning_report import warning_report

    found = warning_report(conn, company, as_of)
    if format == "json":
        return found.to_json()
    name = f"warnings-{company.code}-{as_of}.{format}"
    content, media = ((render_pdf(found, language, request.app.state.settings), PDF) if format == "pdf"
                      else (render_xlsx(found, language), XLSX))
    return Response(content, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
