"""Promises to pay (承诺付款): the customer's dated commitment, judged by the payments it made
(`domain.arrangements.promise_standing`): open, kept, or broken. A broken promise raises the
customer's attention: the dunning run moves it one step further (`facts.py`) and the worklist reads
`broken_promises`. A promise is never deleted: it is cancelled, with who and when in the audit log."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable, Sequence

from sqlalchemy import Connection, insert, or_, select, update

from credo import clock
from credo.domain.arrangements import Promise, Standing, promise_paid, promise_standing
from credo.domain.money import from_minor, is_currency_code, to_minor
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import EVERYONE, Scope
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.services.periods import booking_day
from credo.store.collections_tables import CHANNELS, promise_invoices, promises
from credo.store.tables import customers, invoices, payments

STANDINGS = tuple(s.value for s in Standing)


def add_promise(conn: Connection, company: Company, scope: Scope, *, customer: str, promised_on: date,
                amount: Decimal, actor: str, made_on: date, currency: str | None = None,
                promised_by: str | None = None, channel: str = "phone", grace_days: int = 0,
                invoices_covered: Sequence[str] = (), notes: str | None = None) -> dict:
    """Record a promise (in the customer's currency unless another is given), optionally naming
    the invoices it covers (none named: all the customer's)."""
    row = customer_row(conn, company, scope, customer)
    # a promise made in a closed period would change the early-warning state its close stored
    booking_day(conn, company.id, made_on, f"a promise of {customer}")
    currency = (currency or row.currency or company.base_currency).upper()
    if not is_currency_code(currency):
        raise InvalidInput(f"currency {currency!r} is not a three-letter ISO code")
    if channel not in CHANNELS:
        raise InvalidInput(f"channel {channel!r}: use one of {', '.join(CHANNELS)}")
    if promised_on < made_on:
        raise InvalidInput(f"the promised date {promised_on} is before the promise was made ({made_on})")
    if grace_days < 0 or promised_on > date.max - timedelta(days=grace_days):
        raise InvalidInput("grace days: zero or more, ending on a real date")
    if promised_on + timedelta(days=grace_days) <= made_on:
        raise InvalidInput(f"a promise is kept only by money received after the day it is made ({made_on}): "
                           f"give a later promised date or grace days")
    try:
        minor = to_minor(amount, currency)
    except ValueError as error:
        raise InvalidInput(f"amount {amount}: {error}") from None
    if minor <= 0:
        raise InvalidInput("a promise needs an amount above zero")
    invoice_ids = covered_invoices(conn, company, row.id, invoices_covered)
    promise_id = conn.execute(insert(promises).values(
        company_id=company.id, customer_id=row.id, made_on=made_on, promised_on=promised_on, amount=minor,
        currency=currency, promised_by=promised_by or None, channel=channel, grace_days=grace_days,
        notes=notes or None, created_at=clock.now(), actor=actor)).inserted_primary_key[0]
    if invoice_ids:
        conn.execute(insert(promise_invoices), [{"promise_id": promise_id, "invoice_id": i} for i in invoice_ids])
    found = get_promise(conn, company, scope, promise_id, made_on)
    audit.record(conn, actor=actor, action="create", entity="promise", key=str(promise_id), company_id=company.id,
                 after={k: v for k, v in found.items() if k not in ("id", "standing", "paid") and v})
    return found


def covered_invoices(conn: Connection, company: Company, customer_id: int, numbers: Sequence[str]) -> list[int]:
    """The ids of the customer's invoices named (a promise or a plan covers them); NotFound names a stranger."""
    if not numbers:
        return []
    i = invoices.c
    found = dict(conn.execute(select(i.number, i.id).where(
        i.company_id == company.id, i.customer_id == customer_id, i.number.in_(list(numbers)))).all())
    missing = [n for n in numbers if n not in found]
    if missing:
        raise NotFound(f"the customer has no invoice {', '.join(missing)}")
    return [found[n] for n in dict.fromkeys(numbers)]


def cancel_promise(conn: Connection, company: Company, scope: Scope, promise_id: int, actor: str, *,
                   cancelled_on: date, reason: str | None = None) -> dict:
    return cancel_arrangement(conn, company, promises, "promise", promise_id, actor, cancelled_on, reason,
                              lambda: get_promise(conn, company, scope, promise_id, cancelled_on))


def cancel_arrangement(conn: Connection, company: Company, table, entity: str, row_id: int, actor: str,
                       cancelled_on: date, reason: str | None, shown: Callable[[], dict]) -> dict:
    """Cancel a promise or a payment plan (a row with cancelled_on and notes): it counts no more
    from the date; the reason joins its notes and the audit log. `shown()` reads it as it stands."""
    booking_day(conn, company.id, cancelled_on, f"the cancellation of {entity.replace('_', ' ')} {row_id}")
    before = shown()
    if before["cancelled_on"]:
        raise Conflict(f"{entity.replace('_', ' ')} {row_id} was cancelled already, on {before['cancelled_on']}")
    conn.execute(update(table).where(table.c.id == row_id).values(
        cancelled_on=cancelled_on, notes="\n".join(filter(None, [before["notes"], reason])) or None))
    audit.record(conn, actor=actor, action="cancel", entity=entity, key=str(row_id), company_id=company.id,
                 before={"cancelled_on": None}, after={"cancelled_on": cancelled_on, "reason": reason})
    return shown()


def get_promise(conn: Connection, company: Company, scope: Scope, promise_id: int, as_of: date) -> dict:
    found = list_promises(conn, company, scope, as_of, promise_id=promise_id, cancelled=True)
    if not found:
        raise NotFound(f"no promise {promise_id}")
    return found[0]


def list_promises(conn: Connection, company: Company, scope: Scope, as_of: date, *, customer: str | None = None,
                  standing: str | None = None, cancelled: bool = False, promise_id: int | None = None) -> list[dict]:
    """Promises made by the date with how they stand on it (cancelled ones only when asked),
    soonest promised first."""
    if standing is not None and standing not in STANDINGS:
        raise InvalidInput(f"standing {standing!r}: use one of {', '.join(STANDINGS)}")
    p, c = promises.c, customers.c
    query = (select(promises, c.code.label("customer_code"), c.name.label("customer_name"))
             .select_from(promises.join(customers, c.id == p.customer_id))
             .where(p.company_id == company.id, p.made_on <= as_of, scope.customers())
             .order_by(p.promised_on, p.id))
    if promise_id is not None:
        query = query.where(p.id == promise_id)
    if customer:
        customer_row(conn, company, scope, customer)
        query = query.where(c.code == customer)
    if not cancelled:
        query = query.where(or_(p.cancelled_on.is_(None), p.cancelled_on > as_of))
    rows = conn.execute(query).all()
    covered = _covered(conn, [r.id for r in rows])
    paid = paid_by(conn, company, {r.customer_id for r in rows}, as_of)
    out = []
    for r in rows:
        promise = Promise(r.promised_on, from_minor(r.amount, r.currency), r.made_on, r.grace_days)
        counted = [(day, amount) for day, amount, currency in paid.get(r.customer_id, []) if currency == r.currency]
        judged = promise_standing(promise, counted, as_of)
        if standing is None or judged.value == standing:
            out.append(_promise_json(r, promise, judged, counted, covered.get(r.id, []), as_of))
    return out


def _promise_json(r, promise: Promise, judged: Standing, counted, covered: list[str], as_of: date) -> dict:
    paid = promise_paid(promise, counted, as_of)
    day = lambda d: d and d.isoformat()  # noqa: E731
    return {"id": r.id, "customer": r.customer_code, "customer_name": r.customer_name, "made_on": day(r.made_on),
            "promised_on": day(r.promised_on), "deadline": day(promise.deadline), "amount": str(promise.amount),
            "currency": r.currency, "paid": str(min(paid, promise.amount)), "promised_by": r.promised_by,
            "channel": r.channel, "grace_days": r.grace_days, "invoices": covered, "standing": judged.value,
            "cancelled_on": day(r.cancelled_on), "notes": r.notes}


def _covered(conn: Connection, promise_ids: list[int]) -> dict[int, list[str]]:
    if not promise_ids:
        return {}
    out = defaultdict(list)
    pi, i = promise_invoices.c, invoices.c
    for promise_id, number in conn.execute(select(pi.promise_id, i.number).select_from(
            promise_invoices.join(invoices, i.id == pi.invoice_id)).where(pi.promise_id.in_(promise_ids))
            .order_by(i.number)):
        out[promise_id].append(number)
    return out


def paid_by(conn: Connection, company: Company, customer_ids, as_of: date) -> dict[int, list]:
    """customer id -> [(date, amount, currency)] of the payments dated by the date and not reversed by then."""
    if not customer_ids:
        return {}
    p = payments.c
    out = defaultdict(list)
    for customer_id, day, amount, currency in conn.execute(
            select(p.customer_id, p.payment_date, p.amount, p.currency).where(
                p.company_id == company.id, p.customer_id.in_(list(customer_ids)), p.payment_date <= as_of,
                or_(p.reversed_on.is_(None), p.reversed_on > as_of))):
        out[customer_id].append((day, from_minor(amount, currency), currency))
    return out


def broken_promises(conn: Connection, company: Company, as_of: date) -> list[dict]:
    """The promises broken as of the date (not cancelled): customer code, promise id, amount,
    currency, promised date. What the worklist raises the customer's attention by."""
    return [{"customer": p["customer"], "promise_id": p["id"], "amount": Decimal(p["amount"]),
             "currency": p["currency"], "promised_on": date.fromisoformat(p["promised_on"])}
            for p in list_promises(conn, company, EVERYONE, as_of, standing="broken")]
