"""The credit insurance page (信用保险): the policies, the insured limits (requested and granted),
each insured buyer's insured and uninsured exposure, the buyers beyond their limit, the reporting
and claim deadlines and the claims, as of a date; with forms to add a policy, record a limit
request or decision, report an overdue buyer, file a claim and move it on (risk.manage). The same
services as the API routes; CSRF on every form."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Form

from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.domain.risk.insurance import CLAIM_FROM
from credo.errors import InvalidInput
from credo.services.credit.check import amount_of
from credo.services.risk import insurance, insurance_claims
from credo.web.credit import _changed
from credo.web.i18n import N_
from credo.web.view import CompanyDep, PageRoute, View, day, render, viewer

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Reader = viewer(P.credit_read)
Manager = viewer(P.risk_manage)
PAGE = "/risk/insurance"
KIND_LABELS = {"report": N_("report the overdue buyer"), "claim": N_("file the claim"),
               "request": N_("requested"), "decision": N_("decided")}
STATUS_LABELS = {"draft": N_("draft"), "filed": N_("filed"), "accepted": N_("accepted"), "rejected": N_("rejected"),
                 "paid": N_("paid")}
CLAIM_FROM_LABELS = {"report": N_("from the report"), "due_date": N_("from the due date")}


def _page(view: View, conn, company, status: int = 200, error: str | None = None):
    query = view.request.query_params
    as_of = day(query.get("as_of"), "as_of") or view.today
    ahead = query.get("ahead")
    ahead_days = int(ahead) if ahead and ahead.isdigit() and int(ahead) <= 366 else None
    split = insurance.insured_split(conn, company, as_of, view.scope)
    totals = {name: sum((Decimal(row[name]) for row in split), Decimal("0.00"))
              for name in ("exposure", "insured", "uninsured")}
    return render(view, "risk_insurance.html", status, as_of=as_of, ahead=ahead_days, error=error,
                  policies=[{**p, "coverage_percent": Decimal(p["coverage_share"]) * 100}
                            for p in insurance.list_policies(conn, company)],
                  limits=insurance.list_limits(conn, company, view.scope)[-50:][::-1],
                  split=split, totals=totals, currency=company.base_currency,
                  beyond=[row for row in split if Decimal(row["excess"]) > 0],
                  deadlines=insurance.deadlines(conn, company, as_of, ahead_days, view.scope),
                  claims=insurance_claims.list_claims(conn, company, view.scope),
                  kinds=KIND_LABELS, statuses=STATUS_LABELS, claim_from=CLAIM_FROM, claim_from_labels=CLAIM_FROM_LABELS,
                  done=query.get("done"), can_manage=view.can(P.risk_manage), today=view.today)


def _then(view: View, what: str):
    return lambda _: view.link(PAGE, done=what)


def _failed(view: View, conn, company):
    return lambda status, error: _page(view, conn, company, status, error)


@router.get(PAGE)
def insurance_page(conn: Db, company: CompanyDep, view: View = Reader):
    return _page(view, conn, company)


@router.post(f"{PAGE}/policies")
def policy_add(conn: Db, company: CompanyDep, view: View = Manager, insurer: Annotated[str, Form()] = "",
               number: Annotated[str, Form()] = "", period_from: Annotated[str, Form()] = "",
               period_to: Annotated[str, Form()] = "", coverage_share: Annotated[str, Form()] = "0.90",
               deductible: Annotated[str, Form()] = "0", currency: Annotated[str, Form()] = "",
               max_credit_days: Annotated[int, Form(ge=0, le=3660)] = 90,
               report_overdue_days: Annotated[int, Form(ge=0, le=3660)] = 30,
               claim_days: Annotated[int, Form(ge=0, le=3660)] = 60, claim_from: Annotated[str, Form()] = "report",
               alert_days: Annotated[int, Form(ge=0, le=366)] = 7):
    def change():
        start, end = day(period_from, "period from"), day(period_to, "period to")
        if start is None or end is None:
            raise InvalidInput("a policy needs the first and the last day of its period")
        return insurance.add_policy(
            conn, company, f"user:{view.who.username}", insurer=insurer, number=number, period_from=start,
            period_to=end, coverage_share=coverage_share, deductible=amount_of(deductible or "0", "deductible"),
            currency=currency or None, max_credit_days=max_credit_days, report_overdue_days=report_overdue_days,
            claim_days=claim_days, claim_from=claim_from, alert_days=alert_days)
    return _changed(conn, change, _failed(view, conn, company), _then(view, "policy"))


@router.post(f"{PAGE}/limits")
def limit_record(conn: Db, company: CompanyDep, view: View = Manager, kind: Annotated[str, Form()] = "request",
                 policy: Annotated[str, Form()] = "", customer: Annotated[str, Form()] = "",
                 amount: Annotated[str, Form()] = "", dated_on: Annotated[str, Form()] = "",
                 valid_until: Annotated[str, Form()] = "", reference: Annotated[str, Form()] = ""):
    def change():
        on, actor = day(dated_on, "date") or view.today, f"user:{view.who.username}"
        if kind == "request":
            return insurance.request_limit(conn, company, view.scope, actor, policy=policy, customer=customer,
                                           amount=amount_of(amount), requested_on=on)
        return insurance.grant_limit(conn, company, view.scope, actor, policy=policy, customer=customer,
                                     amount=amount_of(amount), decided_on=on,
                                     valid_until=day(valid_until, "valid until"), reference=reference)
    return _changed(conn, change, _failed(view, conn, company), _then(view, "limit"))


@router.post(f"{PAGE}/reports")
def report_add(conn: Db, company: CompanyDep, view: View = Manager, policy: Annotated[str, Form()] = "",
               customer: Annotated[str, Form()] = "", reported_on: Annotated[str, Form()] = "",
               reference: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: insurance.report_overdue(
        conn, company, view.scope, f"user:{view.who.username}", policy=policy, customer=customer,
        reported_on=day(reported_on, "reported on") or view.today, reference=reference),
        _failed(view, conn, company), _then(view, "report"))


@router.post(f"{PAGE}/claims")
def claim_file(conn: Db, company: CompanyDep, view: View = Manager, policy: Annotated[str, Form()] = "",
               customer: Annotated[str, Form()] = "", amount: Annotated[str, Form()] = "",
               invoices: Annotated[str, Form()] = "", filed_on: Annotated[str, Form()] = "",
               draft: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: insurance_claims.file_claim(
        conn, company, view.scope, f"user:{view.who.username}", policy=policy, customer=customer,
        amount=amount_of(amount), filed_on=day(filed_on, "filed on"), invoice_numbers=invoices.replace(",", " ").split(),
        on=view.today), _failed(view, conn, company), _then(view, "claim"))


@router.post(f"{PAGE}/claims/{{claim_id}}/status")
def claim_move(claim_id: int, conn: Db, company: CompanyDep, view: View = Manager,
               status: Annotated[str, Form()] = "", on: Annotated[str, Form()] = "",
               paid_amount: Annotated[str, Form()] = ""):
    return _changed(conn, lambda: insurance_claims.update_claim(
        conn, company, view.scope, view.person, claim_id, status,
        on=day(on, "date") or view.today, paid_amount=amount_of(paid_amount) if paid_amount.strip() else None),
        _failed(view, conn, company), _then(view, "claim"))
