"""Payment plans (分期付款): instalments agreed over one or more open invoices of a customer. The
schedule (`domain.arrangements.instalments`) is stored as agreed in `plan_instalments` and never
recomputed; each instalment's standing comes from the allocations to the plan's invoices dated
after the agreement (`plan_standing`). A plan is cancelled, never deleted; the worklist reads
`breached_plans`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Sequence

from sqlalchemy import Connection, insert, or_, select

from credo import clock
from credo.domain.arrangements import Interval, Standing, next_due, instalments
from credo.domain.money import ZERO, from_minor, to_minor
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import EVERYONE, Scope
from credo.services.browse.customers import customer_row
from credo.services.collections.facts import plan_standings
from credo.services.collections.promises import cancel_arrangement, covered_invoices
from credo.services.companies import Company
from credo.store import queries
from credo.store.collections_tables import payment_plans, plan_instalments, plan_invoices
from credo.store.tables import customers, invoices

FREQUENCIES = tuple(i.value for i in Interval)
MAX_RATE = Decimal(100)


def agree_plan(conn: Connection, company: Company, scope: Scope, *, customer: str, invoices_covered: Sequence[str],
               count: int, frequency: str, first_due: date, actor: str, agreed_on: date,
               annual_rate: Decimal = ZERO, grace_days: int = 0, amount: Decimal | None = None,
               notes: str | None = None) -> dict:
    """Agree a plan over open invoices of one currency: `count` instalments from `first_due`,
    for what is open on them on the day (or `amount`)."""
    if frequency not in FREQUENCIES:
        raise InvalidInput(f"frequency {frequency!r}: use one of {', '.join(FREQUENCIES)}")
    if not invoices_covered:
        raise InvalidInput("a payment plan covers one or more open invoices: name them")
    if first_due < agreed_on:
        raise InvalidInput(f"the first instalment ({first_due}) falls before the plan is agreed ({agreed_on})")
    if grace_days < 0 or not ZERO <= annual_rate <= MAX_RATE:
        raise InvalidInput(f"grace days: zero or more; the interest rate: 0 to {MAX_RATE} percent a year")
    row = customer_row(conn, company, scope, customer)
    ids = covered_invoices(conn, company, row.id, invoices_covered)
    among = queries.among_customers(company.id, customers.c.id == row.id)
    open_items = {r.invoice_id: r for r in conn.execute(queries.open_invoice_items(company.id, agreed_on, among))}
    closed = [n for n, i in zip(dict.fromkeys(invoices_covered), ids) if i not in open_items]
    if closed:
        raise Conflict(f"invoice {', '.join(closed)} has nothing open on {agreed_on}")
    currencies = {open_items[i].currency for i in ids}
    if len(currencies) > 1:
        raise InvalidInput(f"a plan's invoices share one currency, these are in {', '.join(sorted(currencies))}")
    currency = currencies.pop()
    open_minor = sum(int(open_items[i].open_amount) for i in ids)
    minor = open_minor if amount is None else _minor(amount, currency)
    if minor <= 0 or minor > open_minor:
        raise Conflict(f"the plan's amount must be above zero and at most the {from_minor(open_minor, currency)} "
                       f"{currency} open on its invoices")
    try:
        schedule = instalments(from_minor(minor, currency), currency, count, first_due, Interval(frequency),
                               annual_rate)
    except (ValueError, OverflowError) as error:  # a count out of range, a date past the calendar's end
        raise InvalidInput(f"the schedule: {error}") from None
    plan_id = conn.execute(insert(payment_plans).values(
        company_id=company.id, customer_id=row.id, agreed_on=agreed_on, amount=minor, currency=currency,
        frequency=frequency, annual_rate=str(annual_rate), grace_days=grace_days, notes=notes or None,
        created_at=clock.now(), actor=actor)).inserted_primary_key[0]
    conn.execute(insert(plan_invoices), [{"plan_id": plan_id, "invoice_id": i} for i in ids])
    conn.execute(insert(plan_instalments), [
        {"plan_id": plan_id, "number": s.number, "due_date": s.due_date, "principal": to_minor(s.principal, currency),
         "interest": to_minor(s.interest, currency)} for s in schedule])
    found = show_plan(conn, company, scope, plan_id, agreed_on)
    audit.record(conn, actor=actor, action="create", entity="payment_plan", key=str(plan_id), company_id=company.id,
                 after={"customer": customer, "invoices": ",".join(invoices_covered), "amount": found["amount"],
                        "currency": currency, "count": count, "frequency": frequency, "first_due": first_due,
                        "annual_rate": str(annual_rate), "grace_days": grace_days})
    return found


def _minor(amount: Decimal, currency: str) -> int:
    try:
        return to_minor(amount, currency)
    except (ValueError, InvalidOperation) as error:
        raise InvalidInput(f"amount {amount}: {error}") from None


def cancel_plan(conn: Connection, company: Company, scope: Scope, plan_id: int, actor: str, *, cancelled_on: date,
                reason: str | None = None) -> dict:
    return cancel_arrangement(conn, company, payment_plans, "payment_plan", plan_id, actor, cancelled_on, reason,
                              lambda: show_plan(conn, company, scope, plan_id, cancelled_on))


def show_plan(conn: Connection, company: Company, scope: Scope, plan_id: int, as_of: date) -> dict:
    """One plan with each instalment's standing on the date."""
    found = list_plans(conn, company, scope, as_of, plan_id=plan_id, cancelled=True)
    if not found:
        raise NotFound(f"no payment plan {plan_id}")
    return found[0]


def list_plans(conn: Connection, company: Company, scope: Scope, as_of: date, *, customer: str | None = None,
               breached: bool = False, cancelled: bool = False, plan_id: int | None = None) -> list[dict]:
    """Plans agreed by the date (cancelled ones only when asked), with their instalments' standing."""
    pl, c = payment_plans.c, customers.c
    query = (select(payment_plans, c.code.label("customer_code"), c.name.label("customer_name"))
             .select_from(payment_plans.join(customers, c.id == pl.customer_id))
             .where(pl.company_id == company.id, pl.agreed_on <= as_of, scope.customers()).order_by(pl.id))
    if plan_id is not None:
        query = query.where(pl.id == plan_id)
    if customer:
        customer_row(conn, company, scope, customer)
        query = query.where(c.code == customer)
    if not cancelled:
        query = query.where(or_(pl.cancelled_on.is_(None), pl.cancelled_on > as_of))
    out = [_plan_json(conn, row, as_of) for row in conn.execute(query).all()]
    return [p for p in out if p["breached"]] if breached else out


def _plan_json(conn: Connection, row, as_of: date) -> dict:
    pi, i = plan_invoices.c, invoices.c
    numbers = dict(conn.execute(select(i.id, i.number).select_from(plan_invoices.join(invoices, i.id == pi.invoice_id))
                                .where(pi.plan_id == row.id).order_by(i.number)).all())
    standings = plan_standings(conn, row, list(numbers), as_of)
    upcoming = next_due(standings)
    day = lambda d: d and d.isoformat()  # noqa: E731
    return {"id": row.id, "customer": row.customer_code, "customer_name": row.customer_name,
            "agreed_on": day(row.agreed_on), "amount": str(from_minor(row.amount, row.currency)),
            "currency": row.currency, "frequency": row.frequency, "annual_rate": row.annual_rate,
            "grace_days": row.grace_days, "invoices": list(numbers.values()), "cancelled_on": day(row.cancelled_on),
            "notes": row.notes, "next_due": day(upcoming),
            "breached": any(s.standing is Standing.BROKEN for s in standings),
            "instalments": [{"number": s.instalment.number, "due_date": day(s.instalment.due_date),
                             "principal": str(s.instalment.principal), "interest": str(s.instalment.interest),
                             "amount": str(s.instalment.amount), "reduced": str(s.reduced), "paid": str(s.paid),
                             "standing": s.standing.value}
                            for s in standings]}


def breached_plans(conn: Connection, company: Company, as_of: date) -> list[dict]:
    """The plans (not cancelled) with an instalment unpaid past its date plus grace on the date:
    customer code, plan id, the first missed instalment's number, due date and amount unpaid."""
    out = []
    for plan in list_plans(conn, company, EVERYONE, as_of, breached=True):
        missed = next(s for s in plan["instalments"] if s["standing"] == "broken")
        out.append({"customer": plan["customer"], "plan_id": plan["id"], "instalment": missed["number"],
                    "due_date": date.fromisoformat(missed["due_date"]), "currency": plan["currency"],
                    "unpaid": Decimal(missed["amount"]) - Decimal(missed["reduced"]) - Decimal(missed["paid"])})
    return out
