"""Credit lines in force, credit holds and the reviews that fall due, read from their history.

Lines are written only by an approved request (`services.credit.requests`); a hold is set and
lifted here, each change a new row and an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, insert, select

from credo import clock
from credo.domain.credit.limits import Line, LinesInForce, lines_in_force
from credo.domain.money import from_minor
from credo.errors import Forbidden, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import Scope
from credo.services.browse import holdings
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.services.periods import booking_day
from credo.store import queries
from credo.store.tables import customer_groups, customers
from credo.store.limit_tables import credit_holds, credit_lines


@dataclass(frozen=True)
class Holder:
    """Whom a line belongs to: a customer (with its group, if any) or a group."""

    customer_id: int | None
    customer_code: str | None
    group_id: int | None
    group_code: str | None

    @property
    def key(self) -> str:
        return self.customer_code if self.customer_id is not None else f"group:{self.group_code}"

    @property
    def owner(self) -> dict[str, int | None]:
        """The columns a line of this holder is kept under: the customer's own, or the group's."""
        if self.customer_id is not None:
            return {"customer_id": self.customer_id, "group_id": None}
        return {"customer_id": None, "group_id": self.group_id}

    def among(self, company: Company) -> Select:
        """The customers whose exposure is this holder's."""
        if self.customer_id is not None:
            return queries.among_customers(company.id, customers.c.id == self.customer_id)
        return queries.among_customers(company.id, customers.c.group_id == self.group_id)


def customer_holder(conn: Connection, company: Company, scope: Scope, code: str) -> Holder:
    row = customer_row(conn, company, scope, code)  # NotFound outside the portfolio
    return Holder(row.id, row.code, row.group_id, row.group_code)


def group_holder(conn: Connection, company: Company, scope: Scope, code: str) -> Holder:
    if scope.limited:
        raise Forbidden("a group's credit line is for a role that sees every customer")
    g = customer_groups.c
    found = conn.execute(select(g.id).where(g.company_id == company.id, g.code == code)).scalar()
    if found is None:
        raise NotFound(f"no customer group {code!r}")
    return Holder(None, None, found, code)


def holder_of(conn: Connection, company: Company, scope: Scope, customer: str | None, group: str | None) -> Holder:
    if (customer is None) == (group is None):
        raise InvalidInput("name a customer or a group (one of them)")
    return customer_holder(conn, company, scope, customer) if customer else group_holder(conn, company, scope, group)


def _line(row) -> Line:
    return Line(row.id, from_minor(row.amount, row.currency), row.currency, row.term_days, row.rating,
                row.valid_from, row.valid_to, row.review_due, row.policy_exception)


def lines_of(conn: Connection, company: Company, *, customer_id: int | None = None,
             group_id: int | None = None) -> LinesInForce | None:
    """Every line of one customer or group, in the order approved; None without an owner."""
    if customer_id is None and group_id is None:
        return None
    if customer_id is not None and not holdings.has(conn, company.id, customer_id, credit_lines):
        return LinesInForce(lines=())  # the page's probe found none (services/browse/holdings.py)
    c = credit_lines.c
    owner = c.customer_id == customer_id if customer_id is not None else c.group_id == group_id
    rows = conn.execute(select(credit_lines).where(c.company_id == company.id, owner).order_by(c.id)).all()
    return LinesInForce(lines=tuple(map(_line, rows)))


def in_force(conn: Connection, company: Company, as_of: date, **owner: int | None) -> LinesInForce:
    found = lines_of(conn, company, **owner)
    return lines_in_force(found.lines, as_of) if found else LinesInForce()


def ratings_in_force(conn: Connection, company: Company, as_of: date) -> dict[int, str]:
    """customer id -> the rating of the line governing it as of the date: its own line's, else its
    group's (what dunning chooses its policy by). Customers with neither are left out."""
    c, k = credit_lines.c, customers.c
    rows = conn.execute(select(credit_lines).where(c.company_id == company.id, c.valid_from <= as_of)
                        .order_by(c.id)).all()
    by_customer: dict[int, list[Line]] = {}
    by_group: dict[int, list[Line]] = {}
    for row in rows:
        owner = by_customer.setdefault(row.customer_id, []) if row.customer_id else by_group.setdefault(row.group_id, [])
        owner.append(_line(row))
    group_rating = {group: line.rating for group, lines in by_group.items()
                    if (line := lines_in_force(lines, as_of).governing) is not None}
    out = {customer: line.rating for customer, lines in by_customer.items()
           if (line := lines_in_force(lines, as_of).governing) is not None}
    if group_rating:
        members = conn.execute(select(k.id, k.group_id).where(k.company_id == company.id, k.group_id.in_(group_rating)))
        for customer_id, group_id in members:
            out.setdefault(customer_id, group_rating[group_id])
    return out


def line_json(line: Line | None) -> dict | None:
    if line is None:
        return None
    return {"id": line.id, "amount": str(line.amount), "currency": line.currency, "term_days": line.term_days,
            "rating": line.rating, "valid_from": line.valid_from.isoformat(),
            "valid_to": line.valid_to and line.valid_to.isoformat(),
            "review_due": line.review_due and line.review_due.isoformat(), "policy_exception": line.policy_exception}


def on_hold(conn: Connection, company: Company, customer_id: int, as_of: date) -> dict | None:
    """The hold in force as of the date (reason, who, since when), None when not held."""
    if not holdings.has(conn, company.id, customer_id, credit_holds):
        return None
    h = credit_holds.c
    row = conn.execute(select(credit_holds).where(h.company_id == company.id, h.customer_id == customer_id,
                                                  h.held_from <= as_of)
                       .order_by(h.held_from.desc(), h.id.desc()).limit(1)).first()
    if row is None or not row.on_hold:
        return None
    return {"reason": row.reason, "by": row.actor, "since": row.held_from.isoformat()}


def set_hold(conn: Connection, company: Company, scope: Scope, code: str, hold: bool, reason: str, actor: str,
             held_from: date) -> dict:
    """Put a customer on credit hold (hold=True) or lift it, from a date (never one in a closed
    period: credit checks as of it would change), with the reason."""
    if not reason.strip():
        raise InvalidInput("a hold (or its release) needs a reason")
    holder = customer_holder(conn, company, scope, code)
    booking_day(conn, company.id, held_from, f"the credit hold of {code}" if hold else f"lifting the hold of {code}")
    before = on_hold(conn, company, holder.customer_id, held_from)
    values = dict(company_id=company.id, customer_id=holder.customer_id, on_hold=hold, reason=reason.strip(),
                  held_from=held_from, actor=actor, at=clock.now())
    conn.execute(insert(credit_holds).values(**values))
    audit.record(conn, actor=actor, action="hold" if hold else "release_hold", entity="customer", key=code,
                 company_id=company.id, before={"on_hold": before is not None},
                 after={"on_hold": hold, "reason": values["reason"], "held_from": held_from})
    return {"customer": code, "on_hold": hold, "reason": values["reason"], "from": held_from.isoformat()}


def reviews_due(conn: Connection, company: Company, scope: Scope, as_of: date) -> list[dict[str, Any]]:
    """Lines in force as of the date whose review date has come (review_due on or before it)."""
    c, k, g = credit_lines.c, customers.c, customer_groups.c
    query = (select(credit_lines, k.code.label("customer_code"), k.name.label("customer_name"),
                    g.code.label("group_code"), g.name.label("group_name"))
             .select_from(credit_lines.outerjoin(customers, k.id == c.customer_id)
                          .outerjoin(customer_groups, g.id == c.group_id))
             .where(c.company_id == company.id, c.valid_from <= as_of)
             .order_by(c.id))
    if scope.limited:
        query = query.where(c.customer_id.is_not(None), scope.customers())
    by_owner: dict[tuple, list] = {}
    for row in conn.execute(query):
        by_owner.setdefault((row.customer_code, row.group_code), []).append(row)
    due = []
    for (customer, group), rows in sorted(by_owner.items(), key=lambda item: (item[0][0] or "", item[0][1] or "")):
        line = lines_in_force([_line(r) for r in rows], as_of).governing
        if line is not None and line.review_due is not None and line.review_due <= as_of:
            name = rows[0].customer_name or rows[0].group_name
            due.append({"customer": customer, "group": group, "name": name, **line_json(line)})
    return due
