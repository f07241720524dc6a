"""Recorded assessments: what an assessment said and exactly what it read, kept (append-only) so a
past decision can be shown as it was made."""

from __future__ import annotations

import json

from sqlalchemy import Connection, insert, select

from credo import clock
from credo.domain.money import from_minor, to_minor
from credo.services import audit
from credo.services.access import Scope
from credo.services.audit import as_utc
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.services.credit.assessment import Assessment
from credo.store.credit_tables import credit_assessments


def record_assessment(conn: Connection, company: Company, customer_id: int, assessment: Assessment,
                      actor: str) -> dict:
    """Store the assessment with its inputs (its whole JSON) and write the audit log."""
    shown = assessment.to_json()
    values = dict(company_id=company.id, customer_id=customer_id, as_of=assessment.as_of,
                  assessed_at=clock.now(), actor=actor, score=assessment.score.score,
                  rating=assessment.rating.letter, currency=assessment.currency,
                  recommended_limit=to_minor(assessment.limit.amount, assessment.currency),
                  recommended_term_days=assessment.rating.term_days, review_due=assessment.review_due,
                  reasons=json.dumps(shown["reasons"], ensure_ascii=False),
                  inputs=json.dumps(shown, ensure_ascii=False, sort_keys=True))
    new_id = conn.execute(insert(credit_assessments).values(**values)).inserted_primary_key[0]
    audit.record(conn, actor=actor, action="create", entity="credit_assessment", key=f"{assessment.customer} "
                 f"{assessment.as_of}", company_id=company.id,
                 after={k: values[k] for k in ("as_of", "score", "rating", "recommended_limit", "currency",
                                               "recommended_term_days", "review_due")})
    return {"id": new_id, **shown, "assessed_at": values["assessed_at"].isoformat(), "actor": actor}


def recorded_assessments(conn: Connection, company: Company, scope: Scope, code: str) -> list[dict]:
    """The customer's recorded assessments, newest first (NotFound outside the scope)."""
    row = customer_row(conn, company, scope, code)
    a = credit_assessments.c
    rows = conn.execute(select(credit_assessments).where(a.company_id == company.id, a.customer_id == row.id)
                        .order_by(a.assessed_at.desc(), a.id.desc())).all()
    return [{"id": r.id, "customer": row.code, "as_of": r.as_of.isoformat(),
             "assessed_at": as_utc(r.assessed_at).isoformat(), "actor": r.actor, "score": r.score,
             "rating": r.rating, "recommended_limit": str(from_minor(r.recommended_limit, r.currency)),
             "currency": r.currency, "recommended_term_days": r.recommended_term_days,
             "review_due": r.review_due.isoformat(), "reasons": json.loads(r.reasons),
             "inputs": json.loads(r.inputs)} for r in rows]
