"""The pages that change things: imports, company settings, users; and the audit log."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import RedirectResponse

from credo.api.deps import Db
from credo.api.problems import status_of
from credo.api.routes.imports import UploadOptions, run_upload
from credo.domain.access import ROLE_LABELS, Permission as P, Role
from credo.domain.aging import parse_buckets
from credo.errors import CredoError, InvalidInput
from credo.services import audit, users
from credo.services.browse.paging import PageRequest
from credo.services.imports import KINDS, ImportFailed
from credo.services.credit.setup import KINDS as MODEL_KINDS, setting
from credo.services.credit.settings import change_credit_settings, credit_settings_of, settings_json
from credo.services.settings import aging_buckets, aging_limits, send_window, set_aging_buckets, set_send_window
from credo.web.credit import POINT_LABELS
from credo.web.i18n import N_
from credo.web.ledger import PAGE_SIZE, pager
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
KIND_LABELS = {"customers": N_("Customers"), "invoices": N_("Invoices"), "payments": N_("Payments"),
               "credit-notes": N_("Credit notes"), "fx-rates": N_("Exchange rates"), "orders": N_("Orders")}
# The credit file's kinds, offered to those who may import them (credit.manage).
CREDIT_KIND_LABELS = {"financials": N_("Financial statements"), "credit-facts": N_("Company facts"),
                      "credit-references": N_("Trade and bank references"), "credit-reviews": N_("Qualitative reviews")}
MODEL_LABELS = {"scorecard": N_("Scorecard"), "policy": N_("Credit policy")}
Importer = viewer(P.ledger_write)


def _kinds(view: View) -> dict[str, str]:
    return KIND_LABELS | (CREDIT_KIND_LABELS if view.can(P.credit_manage) else {})
Admin = viewer(P.users_manage)


@router.get("/imports")
def imports_page(view: View = Importer):
    return render(view, "imports.html", kinds=_kinds(view), chosen={"kind": "invoices"})


@router.post("/imports")
def import_post(conn: Db, company: CompanyDep, view: View = Importer, kind: Annotated[str, Form()] = "",
                file: Annotated[UploadFile | None, File()] = None,
                skip_bad_rows: Annotated[bool, Form()] = False, date_format: Annotated[str, Form()] = "",
                create_customers: Annotated[bool, Form()] = False):
    chosen = {"kind": kind, "skip_bad_rows": skip_bad_rows, "date_format": date_format,
              "create_customers": create_customers}
    answer = dict(kinds=_kinds(view), chosen=chosen)
    if kind not in KINDS:
        return render(view, "imports.html", 422, **answer, error=f"unknown import kind {kind!r}")
    if file is None or not file.filename:
        return render(view, "imports.html", 422, **answer, error=view.lang.gettext("Choose a file to import."))
    options = UploadOptions(skip_bad_rows, date_format.strip() or None, create_customers=create_customers)
    try:
        result = run_upload(conn, company, kind, file, options, view.who)
    except ImportFailed as failed:
        conn.rollback()
        return render(view, "imports.html", 422, **answer, errors=failed.errors, file_name=file.filename)
    except CredoError as error:
        conn.rollback()
        return render(view, "imports.html", status_of(error), **answer, error=str(error))
    conn.commit()
    return render(view, "imports.html", **answer, result=result)


def settings_answer(view: View, conn, company, status: int = 200, error: str | None = None, typed: str | None = None,
                    credit: dict | None = None, models_typed: dict[str, str] | None = None,
                    window_typed: str | None = None):
    """The settings page; what was typed stays in a refused form (aging, credit check, a credit model)."""
    stored = aging_buckets(conn, company)
    labels = [b.label for b in parse_buckets(aging_limits(conn, company))]
    return render(view, "settings.html", status, stored=stored, typed=stored if typed is None else typed,
                  window=send_window(conn, company), default_window=view.request.app.state.settings.send_window,
                  window_typed=window_typed,
                  labels=labels, error=error, saved=view.request.query_params.get("saved"),
                  credit=credit or settings_json(credit_settings_of(conn, company)), check_points=POINT_LABELS,
                  models=_credit_models(view, conn, company, models_typed or {}), model_labels=MODEL_LABELS,
                  model_saved=view.request.query_params)


def _credit_models(view: View, conn, company, typed: dict[str, str]) -> list[dict]:
    """The scorecard and policy in force (version 0: the default shipped), for credit.manage only."""
    if not view.can(P.credit_manage):
        return []
    found = [setting(conn, company, kind) for kind in MODEL_KINDS]
    return [{"kind": f["kind"], "version": f["version"], "text": typed.get(f["kind"]) or json.dumps(
        f["body"], indent=2, sort_keys=True, ensure_ascii=False)} for f in found]


@router.get("/settings")
def settings_page(conn: Db, company: CompanyDep, view: View = viewer(P.settings_manage)):
    return settings_answer(view, conn, company)


@router.post("/settings")
def settings_post(conn: Db, company: CompanyDep, view: View = viewer(P.settings_manage),
                  aging_buckets: Annotated[str, Form()] = ""):
    try:
        set_aging_buckets(conn, company, aging_buckets, f"user:{view.who.username}")
    except InvalidInput as error:
        conn.rollback()
        return settings_answer(view, conn, company, 422, str(error), aging_buckets)
    conn.commit()
    return RedirectResponse("/settings?saved=1", status_code=303)


@router.post("/settings/send-window")
def send_window_post(conn: Db, company: CompanyDep, view: View = viewer(P.settings_manage),
                     send_window: Annotated[str, Form()] = ""):
    """The hours the company's dunning messages may go out (empty: the installation's CREDO_SEND_WINDOW)."""
    try:
        set_send_window(conn, company, send_window, f"user:{view.who.username}")
    except InvalidInput as error:
        conn.rollback()
        return settings_answer(view, conn, company, 422, str(error), window_typed=send_window)
    conn.commit()
    return RedirectResponse("/settings?saved=1", status_code=303)


@router.post("/settings/credit")
def credit_settings_post(conn: Db, company: CompanyDep, view: View = viewer(P.settings_manage),
                         check_points: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI reads it)
                         tolerance_share: Annotated[str, Form()] = "", overdue_days: Annotated[str, Form()] = "",
                         approval_levels: Annotated[str, Form()] = ""):
    typed = {"check_points": check_points, "tolerance_share": tolerance_share, "overdue_days": overdue_days,
             "approval_levels": approval_levels}
    try:
        if not overdue_days.strip().isdigit():
            raise InvalidInput(f"overdue days {overdue_days!r}: a whole number of days, e.g. 30")
        change_credit_settings(conn, company, f"user:{view.who.username}", check_points=",".join(check_points),
                               tolerance_share=tolerance_share.strip(), overdue_days=int(overdue_days),
                               approval_levels=approval_levels)
    except InvalidInput as error:
        conn.rollback()
        return settings_answer(view, conn, company, 422, str(error), credit=typed)
    conn.commit()
    return RedirectResponse("/settings?saved=1", status_code=303)


def _users(view: View, conn, status: int = 200, error: str | None = None, typed: dict | None = None):
    roles = {role.value: (ROLE_LABELS[role][0] if view.lang.code == "en" else ROLE_LABELS[role][1]) for role in Role}
    return render(view, "users.html", status, people=users.list_users(conn), roles=roles, error=error,
                  typed=typed or {"role": "collector", "language": "zh"},
                  added=view.request.query_params.get("added"))


@router.get("/users")
def users_page(conn: Db, view: View = Admin):
    return _users(view, conn)


@router.post("/users")
def user_post(conn: Db, view: View = Admin, username: Annotated[str, Form()] = "",
              display_name: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
              portfolio: Annotated[str, Form()] = "", language: Annotated[str, Form()] = "zh",
              password: Annotated[str, Form()] = ""):
    typed = {"username": username, "display_name": display_name, "role": role, "portfolio": portfolio,
             "language": language}
    try:
        made = users.add_user(conn, username=username, display_name=display_name, role=role, password=password,
                              portfolio=portfolio.strip() or None, language=language, actor=f"user:{view.who.username}")
    except CredoError as error:
        conn.rollback()
        return _users(view, conn, status_of(error), str(error), typed)
    conn.commit()
    return RedirectResponse(view.link("/users", added=made.username), status_code=303)


@router.get("/audit")
def audit_page(conn: Db, view: View = viewer(P.audit_read), actor: str = "", entity: str = "", action: str = "",
               key: str = "", date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to"),
               page: int = 1):
    first, last = day(date_from, "from"), day(date_to, "to")
    zone = view.lang.zone  # the days of the pages' time zone, as the times are shown
    since = datetime.combine(first, time.min, zone) if first else None
    until = datetime.combine(last + timedelta(days=1), time.min, zone) if last else None
    where = audit.AuditFilter(actor.strip() or None, action.strip() or None, entity.strip() or None,
                              key.strip() or None, None, since, until)
    listing = audit.search(conn, where, PageRequest(PAGE_SIZE, (max(page, 1) - 1) * PAGE_SIZE))
    filters = {"actor": actor, "entity": entity, "action": action, "key": key, "from": date_from, "to": date_to}
    return render(view, "audit.html", listing=listing, pager=pager(listing), filters=filters)
