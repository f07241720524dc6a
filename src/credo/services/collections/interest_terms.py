"""Interest terms as data (逾期罚息条款): per customer, or the company's default (no customer), each in
force from a date. A change adds a row and never overwrites one, so the terms in force on any past
day can be read again. Also the statutes' reference rates and the company's interest settings.

The fixed fee is kept in minor units at the base currency's exponent and charged as that amount in
each late invoice's currency (a contract fixes it per invoice, whatever its currency)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from credo import clock
from credo.domain.interest import COSTS_INTEREST_PRINCIPAL, InterestRule, Part, RateBasis, ReferenceRates, Statute
from credo.domain.money import from_minor, to_minor
from credo.errors import InvalidInput
from credo.services import audit
from credo.services.access import EVERYONE, Scope
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.store.collections_tables import interest_settings, interest_terms, reference_rates
from credo.store.tables import customers

DEFAULT_WAIVER_THRESHOLD = Decimal("1000")  # base currency; a credit manager approves up to it, a controller above


@dataclass(frozen=True)
class Terms:
    """One row of interest terms: the rule and whether a debit note is raised for it."""

    valid_from: date
    rule: InterestRule
    raise_debit_note: bool


@dataclass(frozen=True)
class InterestSettings:
    waiver_threshold: Decimal = DEFAULT_WAIVER_THRESHOLD
    settle_order: tuple[Part, ...] = COSTS_INTEREST_PRINCIPAL
    debit_note_days: int = 0  # a debit note is due this many days after its date (0: at once)

    def to_json(self) -> dict[str, Any]:
        return {"waiver_threshold": str(self.waiver_threshold),
                "settle_order": ",".join(p.value for p in self.settle_order),
                "debit_note_days": self.debit_note_days}


def _rule(row, company: Company) -> Terms:
    rule = InterestRule(Statute(row.statute), Decimal(row.rate), RateBasis(row.basis), row.day_basis,
                        row.grace_days, from_minor(row.fixed_fee, company.base_currency))
    return Terms(row.valid_from, rule, bool(row.raise_debit_note))


class TermsBook:
    """Every terms row of a company, to ask which were in force for a customer on a day."""

    def __init__(self, company: Company, rows):
        self.history: dict[int | None, list[Terms]] = {}
        for row in sorted(rows, key=lambda r: (r.valid_from, r.id)):
            self.history.setdefault(row.customer_id, []).append(_rule(row, company))

    @classmethod
    def load(cls, conn: Connection, company: Company) -> "TermsBook":
        return cls(company, conn.execute(select(interest_terms).where(interest_terms.c.company_id == company.id)))

    def in_force(self, customer_id: int, day: date) -> Terms | None:
        """The customer's own terms in force on the day, else the company default's, else None."""
        for key in (customer_id, None):
            rows = self.history.get(key, [])
            at = bisect_right([t.valid_from for t in rows], day)
            if at:
                return rows[at - 1]
        return None


def reference_rates_of(conn: Connection) -> dict[Statute, ReferenceRates]:
    by: dict[Statute, dict[date, Decimal]] = {Statute.EU: {}, Statute.UK: {}}
    for row in conn.execute(select(reference_rates)):
        by[Statute(row.statute)][row.half_year] = Decimal(row.rate)
    return {statute: ReferenceRates(rates) for statute, rates in by.items()}


def _decimal(text: str, name: str) -> Decimal:
    try:
        return Decimal(str(text).strip().replace("%", ""))
    except InvalidOperation:
        raise InvalidInput(f"{name}: {text!r} is not a number") from None


def set_interest_terms(conn: Connection, company: Company, actor: str, *, valid_from: date, statute: str = "contract",
                       rate: str = "0", basis: str = "annual", day_basis: int = 365, grace_days: int = 0,
                       fixed_fee: str = "0", raise_debit_note: bool = False,
                       customer: str | None = None) -> dict[str, Any]:
    """Add terms in force from valid_from (for the customer, or the company's default)."""
    try:
        rule = InterestRule(Statute(statute), _decimal(rate, "rate"), RateBasis(basis), day_basis, grace_days,
                            _decimal(fixed_fee, "fixed fee"))
    except ValueError as error:
        raise InvalidInput(f"interest terms: {error}") from None
    customer_id = customer_row(conn, company, EVERYONE, customer).id if customer else None
    values = dict(company_id=company.id, customer_id=customer_id, valid_from=valid_from, statute=statute,
                  rate=str(rule.rate), basis=basis, day_basis=day_basis, grace_days=grace_days,
                  fixed_fee=to_minor(rule.fixed_fee, company.base_currency), raise_debit_note=raise_debit_note,
                  created_at=clock.now(), actor=actor)
    terms_id = conn.execute(insert(interest_terms).values(**values)).inserted_primary_key[0]
    shown = _json(conn.execute(_query(company).where(interest_terms.c.id == terms_id)).one(), company)
    audit.record(conn, actor=actor, action="create", entity="interest_terms", key=str(terms_id),
                 company_id=company.id, after=shown)
    return shown


def _query(company: Company):
    t = interest_terms.c
    return (select(interest_terms, customers.c.code.label("customer_code"))
            .select_from(interest_terms.outerjoin(customers, customers.c.id == t.customer_id))
            .where(t.company_id == company.id).order_by(t.customer_id.is_not(None), customers.c.code, t.valid_from, t.id))


def _json(row, company: Company) -> dict[str, Any]:
    return {"id": row.id, "customer": row.customer_code, "valid_from": row.valid_from.isoformat(),
            "statute": row.statute, "rate": row.rate, "basis": row.basis, "day_basis": row.day_basis,
            "grace_days": row.grace_days, "fixed_fee": str(from_minor(row.fixed_fee, company.base_currency)),
            "raise_debit_note": bool(row.raise_debit_note), "actor": row.actor}


def list_interest_terms(conn: Connection, company: Company, customer: str | None = None,
                        scope: Scope = EVERYONE) -> list[dict[str, Any]]:
    """Every terms row (history included), the company default first, oldest first; a portfolio
    sees the default and its own customers' terms."""
    query = _query(company)
    if customer:
        query = query.where(interest_terms.c.customer_id == customer_row(conn, company, scope, customer).id)
    elif scope.limited:
        query = query.where(or_(interest_terms.c.customer_id.is_(None), scope.customers()))
    return [_json(row, company) for row in conn.execute(query)]


def interest_settings_of(conn: Connection, company: Company) -> InterestSettings:
    row = conn.execute(select(interest_settings).where(interest_settings.c.company_id == company.id)).first()
    if row is None:
        return InterestSettings()
    return InterestSettings(from_minor(row.waiver_threshold, company.base_currency), parse_order(row.settle_order),
                            row.debit_note_days)


def parse_order(text: str) -> tuple[Part, ...]:
    try:
        order = tuple(Part(p.strip()) for p in text.split(",") if p.strip())
    except ValueError:
        raise InvalidInput(f"settlement order {text!r}: name costs, interest and principal") from None
    if sorted(p.value for p in order) != sorted(p.value for p in Part):
        raise InvalidInput(f"settlement order {text!r}: name costs, interest and principal once each")
    return order


def change_interest_settings(conn: Connection, company: Company, actor: str, *, waiver_threshold: str | None = None,
                             settle_order: str | None = None, debit_note_days: int | None = None) -> InterestSettings:
    """Change the named settings (the others stay), audit-logged before and after."""
    before = interest_settings_of(conn, company)
    threshold = before.waiver_threshold if waiver_threshold is None else _decimal(waiver_threshold, "waiver threshold")
    days = before.debit_note_days if debit_note_days is None else debit_note_days
    if threshold < 0 or days < 0:
        raise InvalidInput("the waiver threshold and the debit notes' days cannot be negative")
    after = InterestSettings(threshold, before.settle_order if settle_order is None else parse_order(settle_order), days)
    values = dict(waiver_threshold=to_minor(threshold, company.base_currency),
                  settle_order=",".join(p.value for p in after.settle_order), debit_note_days=days)
    s = interest_settings.c
    if conn.execute(select(s.company_id).where(s.company_id == company.id)).first() is None:
        conn.execute(insert(interest_settings).values(company_id=company.id, **values))
    else:
        conn.execute(update(interest_settings).where(s.company_id == company.id).values(**values))
    audit.record(conn, actor=actor, action="update", entity="interest_settings", key=company.code,
                 company_id=company.id, before=before.to_json(), after=after.to_json())
    return after
