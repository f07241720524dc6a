"""Early-payment discount offers (提前付款折扣, relationship care): a share off one or more open
invoices of a customer if it pays by a date (e.g. 2 % within 10 days of a 30-day invoice).

Honoured at payment: a payment dated from the offer's day to its pay-by date that leaves no more open
on an offered invoice than the discount (plus one minor unit) takes it, and what is left is booked
as a credit note on the invoice (`DSC<offer>-<invoice>`, through `services/records.py`, dated the
payment's date), so the invoice closes. The payments import (files and `POST /payments`) and
`credo payments apply` call `honour_offers`; the daily run does too before it expires the offers
whose date has passed. A late or short payment takes nothing. Every change is audit-logged
(entity `discount_offer`); statuses as of a date follow `domain.discounts.status_on`."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterable, Sequence

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.domain.discounts import Settled, discount_on, discount_taken, status_on
from credo.domain.money import from_minor, parse_decimal, to_minor
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit, records
from credo.services.access import Scope
from credo.services.browse.customers import customer_row
from credo.services.collections.disputes import invoice_open
from credo.services.companies import Company
from credo.services.imports import ImportOptions
from credo.store.discount_tables import DISCOUNT_STATUSES, discount_offer_invoices, discount_offers
from credo.store.tables import allocations, credit_notes, customers, invoices

ENTITY = "discount_offer"
# A discount taken or undone follows money booked already: its credit or debit note never fails for
# the lock date, it is booked on the first open day when its own day is closed.
AUTOMATIC = ImportOptions(to_open_period=True)


def _percent(value: Decimal | str) -> Decimal:
    try:
        percent = value if isinstance(value, Decimal) else parse_decimal(str(value))
    except ValueError as error:
        raise InvalidInput(f"percent {value!r}: {error}") from None
    if not Decimal(0) < percent < 100:
        raise InvalidInput(f"a discount of {percent} %: it must be above 0 and below 100 percent")
    return percent


def offer_discount(conn: Connection, company: Company, scope: Scope, *, customer: str, invoices_offered: Sequence[str],
                   percent: Decimal | str, pay_by: date, offered_on: date, offered_by: str, actor: str,
                   notes: str | None = None) -> dict:
    """Offer `percent` off what is open on each named invoice of the customer on `offered_on`, if it
    is paid by `pay_by`. An invoice can be in one offer standing at a time."""
    share = _percent(percent)
    row = customer_row(conn, company, scope, customer)
    if not invoices_offered:
        raise InvalidInput("an offer names one or more open invoices (--invoice)")
    if len(set(invoices_offered)) < len(invoices_offered):
        raise InvalidInput("the offer names the same invoice twice")
    if pay_by < offered_on:
        raise InvalidInput(f"the pay-by date {pay_by} is before the offer is made ({offered_on})")
    if not offered_by.strip():
        raise InvalidInput("an offer names who made it")
    lines = []
    for number in invoices_offered:
        invoice_id, customer_id, currency, open_minor = invoice_open(conn, company, scope, number, offered_on)
        if customer_id != row.id:
            raise InvalidInput(f"invoice {number} belongs to another customer than {customer}")
        if open_minor <= 0:
            raise Conflict(f"nothing is open on invoice {number} on {offered_on}")
        standing = _standing_offer(conn, invoice_id)
        if standing is not None:
            raise Conflict(f"invoice {number} is in discount offer {standing} already: withdraw it first")
        discount = to_minor(discount_on(from_minor(open_minor, currency), share, currency), currency)
        if not 0 < discount < open_minor:
            raise InvalidInput(f"{share} % of the {from_minor(open_minor, currency)} {currency} open on {number} "
                               "gives no discount")
        lines.append(dict(company_id=company.id, invoice_id=invoice_id, currency=currency, open_amount=open_minor,
                          discount=discount))
    offer_id = conn.execute(insert(discount_offers).values(
        company_id=company.id, customer_id=row.id, percent=f"{share.normalize():f}", offered_on=offered_on,
        pay_by=pay_by, offered_by=offered_by.strip(), status="offered", notes=notes or None,
        created_at=clock.now(), actor=actor)).inserted_primary_key[0]
    conn.execute(insert(discount_offer_invoices), [{**line, "offer_id": offer_id} for line in lines])
    found = get_offer(conn, company, scope, offer_id, offered_on)
    audit.record(conn, actor=actor, action="offer", entity=ENTITY, key=str(offer_id), company_id=company.id,
                 after=_audited(found))
    return found


def offer_terms_discounts(conn: Connection, company: Company, invoice_ids: Iterable[int], actor: str) -> int:
    """An offer for each invoice whose payment terms carry a cash discount (2/10 NET30): the terms'
    percent, by the terms' discount date, from the invoice date, so that a payment in time takes it
    like any offer. Invoices in a standing offer already are left alone; how many were offered."""
    i, ids, made = invoices.c, sorted(set(invoice_ids)), 0
    for start in range(0, len(ids), 1000):
        rows = conn.execute(select(i.id, i.customer_id, i.number, i.issue_date, i.discount_date, i.terms, i.currency,
                                   i.amount, i.discount_amount)
                            .where(i.company_id == company.id, i.id.in_(ids[start:start + 1000]),
                                   i.discount_amount > 0, i.discount_date.is_not(None))).all()
        for row in rows:
            if _standing_offer(conn, row.id) is not None:
                continue
            percent = (Decimal(row.discount_amount) * 100 / row.amount).quantize(Decimal("0.001"))
            offer_id = conn.execute(insert(discount_offers).values(
                company_id=company.id, customer_id=row.customer_id, percent=f"{percent.normalize():f}",
                offered_on=row.issue_date, pay_by=row.discount_date, offered_by="payment terms", status="offered",
                notes=f"cash discount of the terms {row.terms}", created_at=clock.now(),
                actor=actor)).inserted_primary_key[0]
            conn.execute(insert(discount_offer_invoices).values(
                offer_id=offer_id, company_id=company.id, invoice_id=row.id, currency=row.currency,
                open_amount=row.amount, discount=row.discount_amount))
            audit.record(conn, actor=actor, action="offer", entity=ENTITY, key=str(offer_id), company_id=company.id,
                         after={"invoice": row.number, "terms": row.terms, "pay_by": row.discount_date,
                                "discount": str(from_minor(row.discount_amount, row.currency))})
            made += 1
    return made


def _standing_offer(conn: Connection, invoice_id: int) -> int | None:
    o, line = discount_offers.c, discount_offer_invoices.c
    return conn.execute(select(o.id).join_from(discount_offer_invoices, discount_offers, o.id == line.offer_id)
                        .where(line.invoice_id == invoice_id, o.status == "offered")).scalar()


def withdraw_offer(conn: Connection, company: Company, scope: Scope, offer_id: int, actor: str, *,
                   withdrawn_on: date, reason: str | None = None) -> dict:
    """Withdraw an offer still standing; discounts already taken on it stay."""
    before = get_offer(conn, company, scope, offer_id, withdrawn_on)
    stored = _stored(conn, company, offer_id)
    if stored.status != "offered":
        raise Conflict(f"discount offer {offer_id} is {stored.status} already")
    if withdrawn_on < stored.offered_on:
        raise InvalidInput(f"the withdrawal date {withdrawn_on} is before the offer was made ({stored.offered_on})")
    if withdrawn_on > stored.pay_by:
        raise Conflict(f"discount offer {offer_id} expired after {stored.pay_by}: nothing to withdraw")
    notes = f"{stored.notes}\n{reason}" if stored.notes and reason else (reason or stored.notes)
    conn.execute(update(discount_offers).where(discount_offers.c.id == offer_id).values(
        status="withdrawn", closed_on=withdrawn_on, notes=notes))
    after = get_offer(conn, company, scope, offer_id, withdrawn_on)
    audit.record(conn, actor=actor, action="withdraw", entity=ENTITY, key=str(offer_id), company_id=company.id,
                 before=_audited(before), after=_audited(after))
    return after


def _stored(conn: Connection, company: Company, offer_id: int):
    return conn.execute(select(discount_offers).where(discount_offers.c.company_id == company.id,
                                                      discount_offers.c.id == offer_id)).one()


def honour_offers(conn: Connection, company: Company, actor: str,
                  customer_ids: Iterable[int] | None = None) -> list[dict]:
    """Book the discount of every offered invoice a payment dated by the pay-by date brought to within
    the discount (of the given customers, or all); once each. The discounts taken: [{offer, invoice,
    credit_note, taken_on, amount, currency}]."""
    o, line, i = discount_offers.c, discount_offer_invoices.c, invoices.c
    query = (select(line.id, line.offer_id, line.invoice_id, line.currency, line.discount, o.offered_on, o.pay_by,
                    o.percent, o.customer_id, i.number, i.amount, i.paid_amount, customers.c.code)
             .select_from(discount_offer_invoices.join(discount_offers, o.id == line.offer_id)
                          .join(invoices, i.id == line.invoice_id).join(customers, customers.c.id == o.customer_id))
             .where(o.company_id == company.id, o.status == "offered", line.taken_on.is_(None))
             .order_by(line.offer_id, line.id))
    # The offers standing are few; a payments file may touch any number of customers, so they are
    # picked here rather than by an IN list of the file's customers.
    wanted = None if customer_ids is None else set(customer_ids)
    if wanted is not None and not wanted:
        return []
    taken = []
    for row in conn.execute(query).all():
        if wanted is not None and row.customer_id not in wanted:
            continue
        done = _take(conn, company, row, actor)
        if done:
            taken.append(done)
    for offer_id in sorted({t["offer"] for t in taken}):
        _close_if_all_taken(conn, company, offer_id, actor)
    return taken


def _take(conn: Connection, company: Company, row, actor: str) -> dict | None:
    a, cur = allocations.c, row.currency
    settled = [Settled(r.alloc_date, from_minor(r.amount, cur), r.payment_id is not None) for r in conn.execute(
        select(a.alloc_date, a.amount, a.payment_id).where(a.invoice_id == row.invoice_id))]
    found = discount_taken(from_minor(row.amount, cur), settled, from_minor(row.discount, cur), cur,
                           row.offered_on, row.pay_by)
    if found is None:
        return None
    credit = min(to_minor(found.credit, cur), row.amount - row.paid_amount)  # never more than is open now
    if credit <= 0:
        return None
    number = f"DSC{row.offer_id}-{row.number}"[:64]
    records.record(conn, company, "credit-notes", {
        "credit_note_number": number, "customer_code": row.code, "issue_date": found.on.isoformat(),
        "amount": str(from_minor(credit, cur)), "invoice_number": row.number, "currency": cur,
        "reason": f"early-payment discount, offer {row.offer_id}: {row.percent} % by {row.pay_by.isoformat()}"}, actor,
        AUTOMATIC)
    n = credit_notes.c
    note_id = conn.execute(select(n.id).where(n.company_id == company.id, n.number == number)).scalar_one()
    conn.execute(update(discount_offer_invoices).where(discount_offer_invoices.c.id == row.id).values(
        taken_on=found.on, credit_note_id=note_id))
    done = {"offer": row.offer_id, "invoice": row.number, "credit_note": number, "taken_on": found.on.isoformat(),
            "amount": str(from_minor(credit, cur)), "currency": cur}
    audit.record(conn, actor=actor, action="take", entity=ENTITY, key=str(row.offer_id), company_id=company.id,
                 after=done)
    return done


def undo_discounts(conn: Connection, company: Company, invoice_ids: Iterable[int], paid_on: date, on: date,
                   actor: str) -> list[str]:
    """A payment that took a discount was reversed on `on`: the discount was not earned after all, so
    each one it took comes back as a debit note of the same amount, due at once (`DSCR<offer>-<invoice>`,
    dated `on`; the credit note stays, history kept). The debit notes' numbers."""
    line, i, n = discount_offer_invoices.c, invoices.c, credit_notes.c
    rows = conn.execute(
        select(line.offer_id, line.invoice_id, i.number, i.currency, customers.c.code, n.amount)
        .join(invoices, i.id == line.invoice_id).join(customers, customers.c.id == i.customer_id)
        .join(credit_notes, n.id == line.credit_note_id)
        .where(line.company_id == company.id, line.invoice_id.in_(sorted(set(invoice_ids))),
               line.taken_on >= paid_on, line.taken_on <= on)).all()
    made = []
    for row in rows:
        number = f"DSCR{row.offer_id}-{row.number}"[:64]
        records.record(conn, company, "invoices", {
            "invoice_number": number, "customer_code": row.code, "invoice_date": on.isoformat(),
            "due_date": on.isoformat(), "amount": str(from_minor(row.amount, row.currency)),
            "currency": row.currency}, actor, AUTOMATIC)
        audit.record(conn, actor=actor, action="undo", entity=ENTITY, key=str(row.offer_id), company_id=company.id,
                     after={"invoice": row.number, "debit_note": number, "on": on,
                            "amount": str(from_minor(row.amount, row.currency))})
        made.append(number)
    return made


def _close_if_all_taken(conn: Connection, company: Company, offer_id: int, actor: str) -> None:
    line = discount_offer_invoices.c
    days = conn.execute(select(line.taken_on).where(line.offer_id == offer_id)).scalars().all()
    if days and all(days):
        conn.execute(update(discount_offers).where(discount_offers.c.id == offer_id).values(
            status="taken", closed_on=max(days)))
        audit.record(conn, actor=actor, action="taken", entity=ENTITY, key=str(offer_id), company_id=company.id,
                     before={"status": "offered"}, after={"status": "taken", "closed_on": max(days)})


def expire_offers(conn: Connection, company: Company, as_of: date, actor: str) -> dict:
    """The daily job: honour what payments allow, then expire the offers whose pay-by date is past
    (closed the day after it). Idempotent."""
    taken = honour_offers(conn, company, actor)
    o = discount_offers.c
    due = conn.execute(select(o.id, o.pay_by).where(o.company_id == company.id, o.status == "offered",
                                                    o.pay_by < as_of).order_by(o.id)).all()
    for row in due:
        closed = row.pay_by + timedelta(days=1)
        conn.execute(update(discount_offers).where(o.id == row.id).values(status="expired", closed_on=closed))
        audit.record(conn, actor=actor, action="expire", entity=ENTITY, key=str(row.id), company_id=company.id,
                     before={"status": "offered"}, after={"status": "expired", "closed_on": closed})
    return {"discounts_taken": len(taken), "offers_expired": len(due)}


def _query(company: Company, scope: Scope):
    o, c = discount_offers.c, customers.c
    return (select(discount_offers, c.code.label("customer_code"), c.name.label("customer_name"))
            .select_from(discount_offers.join(customers, c.id == o.customer_id))
            .where(o.company_id == company.id, scope.customers()))


def _lines(conn: Connection, offer_ids: Sequence[int], as_of: date) -> dict[int, list[dict]]:
    line, i, n = discount_offer_invoices.c, invoices.c, credit_notes.c
    found: dict[int, list[dict]] = defaultdict(list)
    if not offer_ids:
        return found
    query = (select(line.offer_id, line.currency, line.open_amount, line.discount, line.taken_on,
                    i.number.label("invoice"), n.number.label("credit_note"))
             .select_from(discount_offer_invoices.join(invoices, i.id == line.invoice_id)
                          .outerjoin(credit_notes, n.id == line.credit_note_id))
             .where(line.offer_id.in_(list(offer_ids))).order_by(line.offer_id, line.id))
    for r in conn.execute(query):
        taken = r.taken_on is not None and r.taken_on <= as_of
        found[r.offer_id].append({
            "invoice": r.invoice, "currency": r.currency, "open_amount": str(from_minor(r.open_amount, r.currency)),
            "discount": str(from_minor(r.discount, r.currency)),
            "net": str(from_minor(r.open_amount - r.discount, r.currency)),
            "taken_on": r.taken_on.isoformat() if taken else None, "credit_note": r.credit_note if taken else None})
    return found


def _json(row, lines: list[dict], as_of: date) -> dict:
    status = status_on(row.status, row.closed_on, row.pay_by, as_of)
    return {"id": row.id, "customer": row.customer_code, "customer_name": row.customer_name, "percent": row.percent,
            "offered_on": row.offered_on.isoformat(), "pay_by": row.pay_by.isoformat(), "offered_by": row.offered_by,
            "status": status, "closed_on": row.closed_on.isoformat() if status != "offered" and row.closed_on else None,
            "invoices": lines, "notes": row.notes}


def get_offer(conn: Connection, company: Company, scope: Scope, offer_id: int, as_of: date) -> dict:
    row = conn.execute(_query(company, scope).where(discount_offers.c.id == offer_id)).first()
    if row is None:
        raise NotFound(f"no discount offer {offer_id}")
    return _json(row, _lines(conn, [row.id], as_of)[row.id], as_of)


def list_offers(conn: Connection, company: Company, scope: Scope, as_of: date, *, customer: str | None = None,
                status: str | None = None) -> list[dict]:
    """Offers made by the date, oldest first, each with its status as of the date."""
    if status is not None and status not in DISCOUNT_STATUSES:
        raise InvalidInput(f"status {status!r}: use one of {', '.join(DISCOUNT_STATUSES)}")
    o = discount_offers.c
    query = _query(company, scope).where(o.offered_on <= as_of).order_by(o.offered_on, o.id)
    if customer:
        customer_row(conn, company, scope, customer)  # NotFound outside the portfolio
        query = query.where(customers.c.code == customer)
    rows = conn.execute(query).all()
    lines = _lines(conn, [r.id for r in rows], as_of)
    found = [_json(r, lines[r.id], as_of) for r in rows]
    return [f for f in found if status is None or f["status"] == status]


def _audited(offer: dict) -> dict:
    return {k: v for k, v in offer.items() if k not in ("id", "customer_name") and v is not None}

