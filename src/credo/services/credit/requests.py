"""Maker-checker (四眼原则) over credit lines: a limit or term change is a request, and an approved
request adds the line it proposes. A second person decides, of the role the company's approval
levels give the amount (`credo.domain.approval.may_approve`): the requester never approves, what
their role. Every request and decision is kept and audit-logged.

A limit above 0 for a rating the credit policy gives no credit (D and E by default) is a policy
exception (政策例外): the request must say why (`policy_exception`), and the line keeps the words.

A credit check as of a day reads the lines valid from it, whenever approved: a line valid from a day
in a closed period is refused at the request and at the approval (services/periods.py), or with
`to_open_period` valid from the first open day; one valid from a past open day says so in the log."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.domain.access import Permission
from credo.domain.credit.limits import RATINGS
from credo.domain.credit.policy import Policy, needs_exception
from credo.domain.periods import Lock
from credo.domain.money import from_minor, to_minor
from credo.errors import Conflict, Forbidden, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import Scope
from credo.services.approvals import Person, require_approver
from credo.services.companies import Company
from credo.services.credit.check import check_currency
from credo.services.credit.lines import holder_of
from credo.services.credit.settings import credit_settings_of
from credo.services.credit.setup import policy_for
from credo.services.periods import Booking, book_on
from credo.services.reports.common import Converter
from credo.store.tables import customer_groups, customers
from credo.store.limit_tables import credit_lines, limit_requests

ACTIONS = {"approved": "approve", "rejected": "reject", "withdrawn": "withdraw"}  # status -> audit action


@dataclass(frozen=True)
class Proposal:
    amount: Decimal
    term_days: int
    rating: str
    reason: str
    currency: str | None = None  # default: the company's base currency
    valid_from: date | None = None  # default: today
    valid_to: date | None = None  # a temporary limit ends on this day
    review_due: date | None = None  # default: valid_from + the rating's review interval
    policy_exception: str | None = None  # why, when the policy gives the rating no credit and the limit is above 0


def request_limit(conn: Connection, company: Company, scope: Scope, requester: Person, proposal: Proposal, *,
                  customer: str | None = None, group: str | None = None, today: date, to_open_period: bool = False,
                  lock: Lock | None = None) -> dict[str, Any]:
    """Record a request; a second person approves it (`approve`). `lock`: the lock date read already."""
    holder = holder_of(conn, company, scope, customer, group)
    booked = book_on(conn, company.id, proposal.valid_from or today, f"the credit line of {holder.key}",
                     to_open_period=to_open_period, lock=lock)
    values = _values(conn, company, replace(proposal, valid_from=booked.day), today)
    values |= dict(company_id=company.id, **holder.owner, requested_by=requester.name, requested_at=clock.now(), status="pending")
    request_id = conn.execute(insert(limit_requests).values(**values)).inserted_primary_key[0]
    audit.record(conn, actor=requester.name, action="request", entity="limit_request", key=str(request_id),
                 company_id=company.id, after={"holder": holder.key, **_plain(values), **booked.note})
    return show_request(conn, company, scope, request_id)


def _values(conn: Connection, company: Company, proposal: Proposal, today: date) -> dict[str, Any]:
    rating = proposal.rating.strip().upper()
    if rating not in RATINGS:
        raise InvalidInput(f"rating {proposal.rating!r}: use one of {', '.join(RATINGS)}")
    if proposal.amount < 0 or proposal.term_days < 0:
        raise InvalidInput("the limit and the term cannot be negative")
    if not proposal.reason.strip():
        raise InvalidInput("a limit request needs a reason")
    currency = check_currency((proposal.currency or company.base_currency).upper())
    valid_from = proposal.valid_from or today
    if proposal.valid_to is not None and proposal.valid_to < valid_from:
        raise InvalidInput(f"valid_to {proposal.valid_to} is before valid_from {valid_from}")
    # The review interval is the company's policy's for the rating (the shipped one when it has none).
    policy = policy_for(conn, company)
    months = next((r.review_months for r in policy.ratings if r.letter == rating), 12)
    review_due = proposal.review_due or valid_from + relativedelta(months=months)
    try:
        amount = to_minor(proposal.amount, currency)
    except ValueError as error:
        raise InvalidInput(f"amount: {error}") from None
    return dict(currency=currency, amount=amount, term_days=proposal.term_days, rating=rating,
                valid_from=valid_from, valid_to=proposal.valid_to, review_due=review_due,
                reason=proposal.reason.strip(), policy_exception=_exception(policy, rating, proposal))


def _exception(policy: Policy, rating: str, proposal: Proposal) -> str | None:
    """The policy exception's words when the limit needs one (refused without); a limit the policy
    allows takes none (an exception recorded where there is none would mislead a later reader)."""
    said = (proposal.policy_exception or "").strip() or None
    if needs_exception(policy, rating, proposal.amount):
        if said is None:
            raise InvalidInput(f"rating {rating} gives no credit on terms under the credit policy: a limit above 0 "
                               f"needs a policy exception saying why")
        if len(said) > 500:
            raise InvalidInput("a policy exception: at most 500 characters")
        return said
    if said is not None:
        raise InvalidInput(f"no policy exception needed: the policy allows a limit of {proposal.amount} at "
                           f"rating {rating}")
    return None


def _in_base(conn: Connection, company: Company, minor: int, currency: str, as_of: date) -> Decimal:
    return Converter.load(conn, company, as_of)(minor, currency)


def approve(conn: Connection, company: Company, request_id: int, approver: Person, note: str, today: date, *,
            to_open_period: bool = False) -> dict:
    """Approve a pending request (four eyes and levels checked): its line is in force from valid_from
    (its period closed since the request: refused, or with `to_open_period` the first open day)."""
    row = _pending(conn, company, request_id)
    settings = credit_settings_of(conn, company)
    base = _in_base(conn, company, row.amount, row.currency, today)
    require_approver("a limit", Permission.limits_approve, settings.levels, base, row.requested_by, approver)
    booked = book_on(conn, company.id, row.valid_from, f"the credit line of limit request {request_id}",
                     to_open_period=to_open_period)
    _decide(conn, company, request_id, approver, "approved", note, booked)
    return show_request(conn, company, Scope(), request_id)


def reject(conn: Connection, company: Company, request_id: int, approver: Person, note: str) -> dict:
    _pending(conn, company, request_id)
    if not note.strip():
        raise InvalidInput("a rejection needs a note saying why")
    _decide(conn, company, request_id, approver, "rejected", note)
    return show_request(conn, company, Scope(), request_id)


def withdraw(conn: Connection, company: Company, request_id: int, requester: Person, note: str) -> dict:
    row = _pending(conn, company, request_id)
    if row.requested_by != requester.name:
        raise Forbidden(f"only the requester ({row.requested_by}) may withdraw a request")
    _decide(conn, company, request_id, requester, "withdrawn", note)
    return show_request(conn, company, Scope(), request_id)


def _pending(conn: Connection, company: Company, request_id: int):
    r = limit_requests.c
    row = conn.execute(select(limit_requests).where(r.company_id == company.id, r.id == request_id)).first()
    if row is None:
        raise NotFound(f"no limit request {request_id}")
    if row.status != "pending":
        raise Conflict(f"limit request {request_id} is {row.status} already")
    return row


def _decide(conn: Connection, company: Company, request_id: int, who: Person, status: str, note: str,
            booked: Booking | None = None) -> None:
    now = clock.now()
    conn.execute(update(limit_requests).where(limit_requests.c.id == request_id).values(
        status=status, decided_by=who.name, decided_at=now, decision_note=note.strip() or None))
    audit.record(conn, actor=who.name, action=ACTIONS[status],
                 entity="limit_request", key=str(request_id), company_id=company.id,
                 before={"status": "pending"}, after={"status": status, "note": note.strip()})
    if status != "approved":
        return
    row = conn.execute(select(limit_requests).where(limit_requests.c.id == request_id)).one()
    line = {name: row._mapping[name] for name in ("company_id", "customer_id", "group_id", "currency", "amount",
                                                   "term_days", "rating", "valid_from", "valid_to", "review_due",
                                                   "policy_exception")}
    line["valid_from"] = booked.day
    line_id = conn.execute(insert(credit_lines).values(**line, request_id=request_id, approved_by=who.name,
                                                       approved_at=now)).inserted_primary_key[0]
    audit.record(conn, actor=who.name, action="create", entity="credit_line", key=str(line_id),
                 company_id=company.id, after={"request": request_id, **_plain(line), **booked.note})


def _plain(values: dict) -> dict:
    return {k: v for k, v in values.items() if k not in ("company_id", "requested_at") and v is not None}


def _query(company: Company, scope: Scope):
    r, k, g = limit_requests.c, customers.c, customer_groups.c
    query = (select(limit_requests, k.code.label("customer_code"), g.code.label("group_code"))
             .select_from(limit_requests.outerjoin(customers, k.id == r.customer_id)
                          .outerjoin(customer_groups, g.id == r.group_id))
             .where(r.company_id == company.id))
    if scope.limited:
        query = query.where(r.customer_id.is_not(None), scope.customers())
    return query


def request_json(row) -> dict[str, Any]:
    moment = lambda m: m and audit.as_utc(m).isoformat()  # noqa: E731
    day = lambda d: d and d.isoformat()  # noqa: E731
    return {"id": row.id, "customer": row.customer_code, "group": row.group_code,
            "amount": str(from_minor(row.amount, row.currency)), "currency": row.currency,
            "term_days": row.term_days, "rating": row.rating, "valid_from": day(row.valid_from),
            "valid_to": day(row.valid_to), "review_due": day(row.review_due), "reason": row.reason,
            "policy_exception": row.policy_exception,
            "requested_by": row.requested_by, "requested_at": moment(row.requested_at), "status": row.status,
            "decided_by": row.decided_by, "decided_at": moment(row.decided_at), "decision_note": row.decision_note}


def list_requests(conn: Connection, company: Company, scope: Scope, status: str | None = None) -> list[dict]:
    """Requests newest first, optionally of one status (pending, approved, rejected, withdrawn)."""
    query = _query(company, scope).order_by(limit_requests.c.id.desc())
    if status:
        query = query.where(limit_requests.c.status == status)
    return [request_json(row) for row in conn.execute(query)]


def show_request(conn: Connection, company: Company, scope: Scope, request_id: int) -> dict:
    row = conn.execute(_query(company, scope).where(limit_requests.c.id == request_id)).first()
    if row is None:
        raise NotFound(f"no limit request {request_id}")
    return request_json(row)
