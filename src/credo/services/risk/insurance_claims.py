"""Insurance claims (索赔): a claim on a buyer under a policy, for an amount and the invoices it
covers, moving draft -> filed -> accepted or rejected, accepted -> paid (domain.risk.insurance.
CLAIM_FLOW); each move audit-logged with the status before and after.

Maker-checker (credo.domain.approval): one person drafts a claim, a second one files it with the
insurer, of a role that holds `risk.manage` (a credit manager or above); the drafter never files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Sequence

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.domain.access import Permission
from credo.domain.approval import ApprovalLevel
from credo.domain.money import from_minor, to_minor
from credo.domain.risk.insurance import CLAIM_STATUSES, may_move, next_statuses
from credo.errors import Conflict, Forbidden, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import EVERYONE, Scope
from credo.services.approvals import Person, require_approver
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.services.reports.common import Converter, money_text
from credo.services.risk.claim_basis import claim_basis
from credo.services.risk.insurance import policy_row, short, terms_of
from credo.store.risk_insurance_tables import claim_invoices, insurance_claims, insurance_policies
from credo.store.tables import customers, invoices


LEVELS = (ApprovalLevel(None, "credit_manager"),)  # who files a claim: a credit manager or above
FOUR_EYES = ("four eyes: a claim is drafted by one person and filed by another: save it as a draft (no filing date), "
             "then a second user moves it to filed")


def _query():
    k, c, p = insurance_claims.c, customers.c, insurance_policies.c
    return (select(insurance_claims, c.code.label("customer"), c.name, p.number.label("policy"))
            .select_from(insurance_claims.join(customers, c.id == k.customer_id)
                         .join(insurance_policies, p.id == k.policy_id)))


def _json(conn: Connection, row) -> dict:
    numbers = [n for (n,) in conn.execute(
        select(invoices.c.number).select_from(claim_invoices.join(invoices, invoices.c.id == claim_invoices.c.invoice_id))
        .where(claim_invoices.c.claim_id == row.id).order_by(invoices.c.number))]
    return {"id": row.id, "policy": row.policy, "customer": row.customer, "name": row.name,
            "amount": money_text(from_minor(row.amount, row.currency)), "currency": row.currency,
            "invoices": numbers, "status": row.status, "next": list(next_statuses(row.status)),
            "filed_on": row.filed_on and row.filed_on.isoformat(),
            "decided_on": row.decided_on and row.decided_on.isoformat(),
            "paid_amount": money_text(from_minor(row.paid_amount, row.currency)),
            "paid_on": row.paid_on and row.paid_on.isoformat(), "reference": row.reference, "note": row.note}


def _money(amount, currency: str, what: str) -> int:
    try:
        return to_minor(Decimal(amount), currency)
    except (InvalidOperation, ValueError, TypeError) as error:
        raise InvalidInput(f"{what} {amount}: {error}") from None


def file_claim(conn: Connection, company: Company, scope: Scope, actor: str, *, policy: str, customer: str,
               amount: Decimal, filed_on: date | None, invoice_numbers: Sequence[str] = (),
               reference: str | None = None, note: str | None = None, on: date | None = None) -> dict:
    """A draft claim on a buyer (the loss in the policy's currency, and the buyer's invoices it covers;
    none named: all its open insured invoices), which a second person files (`update_claim`); a
    filing date given here is refused. `on`, the day it is made: the claim may ask for no more than
    is open and insured on its invoices that day (`claim_basis`). Audit-logged."""
    if filed_on is not None:
        raise Forbidden(FOUR_EYES)
    prow, crow = policy_row(conn, company, policy), customer_row(conn, company, scope, customer)
    minor = _money(amount, prow.currency, "claimed amount")
    if minor <= 0:
        raise InvalidInput("a claim needs an amount above zero")
    if on is None:
        raise InvalidInput("a draft claim needs the day it is made, to read what is open on its invoices")
    numbers = list(dict.fromkeys(n.strip() for n in invoice_numbers if n.strip()))
    basis = claim_basis(conn, company, prow, terms_of(prow), crow.id, customer, numbers, on)
    basis.check(from_minor(minor, prow.currency), on)
    ids = basis.invoice_ids
    status = "draft"
    claim_id = conn.execute(insert(insurance_claims).values(
        company_id=company.id, policy_id=prow.id, customer_id=crow.id, amount=minor, currency=prow.currency,
        status=status, filed_on=filed_on, reference=short(reference, 100, "reference"), note=note or None,
        created_at=clock.now(), actor=actor)).inserted_primary_key[0]
    if ids:
        conn.execute(insert(claim_invoices), [{"claim_id": claim_id, "invoice_id": n} for n in ids])
    found = claim(conn, company, scope, claim_id)
    audit.record(conn, actor=actor, action="create", entity="insurance_claim", key=str(claim_id),
                 company_id=company.id, after={k: found[k] for k in ("policy", "customer", "amount", "currency",
                                                                      "invoices", "status", "filed_on")})
    return found


def claim(conn: Connection, company: Company, scope: Scope, claim_id: int) -> dict:
    row = conn.execute(_query().where(insurance_claims.c.company_id == company.id, insurance_claims.c.id == claim_id,
                                      scope.customers())).first()
    if row is None:
        raise NotFound(f"no insurance claim {claim_id}")
    return _json(conn, row)


def update_claim(conn: Connection, company: Company, scope: Scope, who: Person, claim_id: int, status: str, *,
                 on: date, paid_amount: Decimal | None = None, reference: str | None = None,
                 note: str | None = None) -> dict:
    """Move a claim to its next status on a day: filed (from draft, by a second person), accepted or
    rejected (from filed), paid (from accepted, with the amount the insurer paid). Audit-logged."""
    actor = who.name
    if status not in CLAIM_STATUSES:
        raise InvalidInput(f"claim status {status!r}: use one of {', '.join(CLAIM_STATUSES)}")
    before = claim(conn, company, scope, claim_id)
    if not may_move(before["status"], status):
        allowed = ", ".join(next_statuses(before["status"])) or "nothing (it is final)"
        raise Conflict(f"claim {claim_id} is {before['status']}: it can move to {allowed}, not {status}")
    changes: dict = {"status": status}
    if status == "filed":
        k = insurance_claims.c
        drafted_by, minor = conn.execute(select(k.actor, k.amount).where(k.id == claim_id)).one()
        base = Converter.load(conn, company, on)(minor, before["currency"])
        require_approver("a claim", Permission.risk_manage, LEVELS, base, drafted_by, who)
        changes["filed_on"] = on
    elif status in ("accepted", "rejected"):
        if on < date.fromisoformat(before["filed_on"]):
            raise InvalidInput(f"the decision ({on}) comes before the claim was filed ({before['filed_on']})")
        changes["decided_on"] = on
    else:
        if paid_amount is None:
            raise InvalidInput("a paid claim needs the amount the insurer paid")
        minor = _money(paid_amount, before["currency"], "paid amount")
        if minor <= 0:
            raise InvalidInput("the paid amount must be above zero")
        changes |= {"paid_amount": minor, "paid_on": on}
    if reference:
        changes["reference"] = short(reference, 100, "reference")
    if note:
        changes["note"] = note
    conn.execute(update(insurance_claims).where(insurance_claims.c.id == claim_id).values(**changes))
    after = claim(conn, company, scope, claim_id)
    audit.record(conn, actor=actor, action=status, entity="insurance_claim", key=str(claim_id), company_id=company.id,
                 before={k: before[k] for k in ("status", "filed_on", "decided_on", "paid_amount", "paid_on")},
                 after={k: after[k] for k in ("status", "filed_on", "decided_on", "paid_amount", "paid_on")})
    return after


def list_claims(conn: Connection, company: Company, scope: Scope = EVERYONE, status: str | None = None) -> list[dict]:
    """Every claim, newest first, with the indemnity the policy terms expect for it."""
    if status is not None and status not in CLAIM_STATUSES:
        raise InvalidInput(f"claim status {status!r}: use one of {', '.join(CLAIM_STATUSES)}")
    k = insurance_claims.c
    query = _query().where(k.company_id == company.id, scope.customers())
    if status is not None:
        query = query.where(k.status == status)
    return [_json(conn, row) for row in conn.execute(query.order_by(k.id.desc()))]

