"""A credit review (信用复核): re-run the assessment, record it, and put its advice to the
maker-checker as a limit request when it differs from the line in force.

The assessment only advises; a line changes only through a request (`services.credit.requests`),
which a second person approves. An advice equal to the line in force (limit, term, rating) asks for nothing
but a new review date, which is a request too, so that the line's history says who reviewed it.
The same review again (the same customer, date and advice) asks nothing new: it answers the request
and the assessment the first one recorded (`repeated`).

A review as of a day in a closed period is refused (it would change a credit check as of that day
after the fact), or with `to_open_period` made as of the first open day (services/periods.py); one
as of a past open day is marked back-dated in the audit log (its request's entry).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from credo.domain.periods import Lock
from credo.services.access import Scope
from credo.services.companies import Company
from credo.services.credit.assessment import assess
from credo.services.credit.lines import customer_holder, in_force, line_json, reviews_due
from credo.services.credit.recorded import record_assessment
from credo.domain.money import to_minor
from credo.services.credit.recorded import recorded_assessments
from credo.services.credit.requests import Person, Proposal, request_limit, show_request
from credo.services.periods import book_on, lock_of
from credo.store.limit_tables import limit_requests


def review_customer(conn: Connection, company: Company, scope: Scope, code: str, as_of: date,
                    reviewer: Person, *, to_open_period: bool = False, lock: Lock | None = None) -> dict[str, Any]:
    """Assess the customer as of the date, record the assessment, and request the advised line
    (once: the same review again answers what the first one asked). `lock`: read already."""
    lock = lock or lock_of(conn, company.id)
    as_of = book_on(conn, company.id, as_of, f"the credit review of {code}", to_open_period=to_open_period,
                    lock=lock).day
    found = assess(conn, company, scope, code, as_of)
    holder = customer_holder(conn, company, scope, code)
    before = in_force(conn, company, as_of, customer_id=holder.customer_id).governing
    advice = Proposal(found.limit.amount, found.rating.term_days, found.rating.letter,
                      f"credit review as of {as_of}: score {found.score.score}, rating {found.rating.letter}",
                      currency=found.currency, valid_from=as_of, review_due=found.review_due)
    unchanged = before is not None and (before.amount, before.currency, before.term_days, before.rating) == (
        advice.amount, advice.currency, advice.term_days, advice.rating)
    asked = _asked_before(conn, company, holder.customer_id, advice)
    if asked is not None:
        recorded = next((a for a in recorded_assessments(conn, company, scope, code) if a["as_of"] == as_of.isoformat()),
                        None) or record_assessment(conn, company, holder.customer_id, found, reviewer.name)
        request = show_request(conn, company, scope, asked)
    else:
        recorded = record_assessment(conn, company, holder.customer_id, found, reviewer.name)
        request = request_limit(conn, company, scope, reviewer, advice, customer=code, today=as_of, lock=lock)
    return {"customer": code, "as_of": as_of.isoformat(), "assessment": {k: recorded[k] for k in (
        "id", "score", "rating", "recommended_limit", "recommended_term_days", "review_due", "reasons")},
        "line_before": line_json(before), "changed": not unchanged, "request": request, "repeated": asked is not None}


def _asked_before(conn: Connection, company: Company, customer_id: int, advice: Proposal) -> int | None:
    """The request an identical review (same customer, date, score, rating and advice) made already."""
    r = limit_requests.c
    return conn.execute(select(r.id).where(
        r.company_id == company.id, r.customer_id == customer_id, r.reason == advice.reason,
        r.valid_from == advice.valid_from, r.currency == advice.currency, r.amount == to_minor(advice.amount, advice.currency),
        r.term_days == advice.term_days, r.rating == advice.rating).order_by(r.id).limit(1)).scalar()


def review_all_due(conn: Connection, company: Company, scope: Scope, as_of: date, reviewer: Person, *,
                   to_open_period: bool = False) -> list[dict[str, Any]]:
    """Review every customer whose line's review date has come (groups' lines are reviewed by hand)."""
    lock = lock_of(conn, company.id)
    as_of = book_on(conn, company.id, as_of, "the credit reviews due", to_open_period=to_open_period, lock=lock).day
    return [review_customer(conn, company, scope, due["customer"], as_of, reviewer, lock=lock)
            for due in reviews_due(conn, company, scope, as_of) if due["customer"]]
