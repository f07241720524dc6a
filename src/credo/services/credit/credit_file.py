"""A customer's credit file as of a date: the statements, facts, references and reviews in force
then (`domain.credit.file.in_force`), the customer's own or, when it has none of a kind, its
group's (and the file says so)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Table, select

from credo.domain.credit.file import ReviewItem, Version, in_force, qualitative_score
from credo.domain.credit.financials import Financials
from credo.domain.money import from_minor
from credo.services.browse import holdings
from credo.services.companies import Company
from credo.services.reports.common import Tabular, ratio_text
from credo.store.credit_tables import (REVIEW_ITEMS, STATEMENT_ITEMS, credit_facts, credit_references,
                                       credit_reviews, credit_statements)

@dataclass(frozen=True)
class Entry:
    """One version in force: its values, when credo learned it, and whose it is."""

    owner: str  # "customer CODE" or "group CODE"
    recorded_on: date
    values: dict[str, Any]
    money: tuple[str, ...] = ()  # the values in minor units of the currency named in `currency_column`
    currency_column: str = "currency"

    def to_json(self) -> dict:
        currency = self.values.get(self.currency_column)
        return {"owner": self.owner, "recorded_on": self.recorded_on.isoformat(),
                **{k: str(from_minor(v, currency)) if k in self.money and v is not None else _plain(v)
                   for k, v in self.values.items()}}


@dataclass(frozen=True)
class CreditFile:
    customer: str
    as_of: date
    statements: tuple[Entry, ...]  # oldest period first
    facts: Entry | None
    references: tuple[Entry, ...]
    reviews: tuple[Entry, ...]  # oldest first
    notes: tuple[str, ...]  # e.g. that the group's statements stand in for the customer's

    @property
    def statement(self) -> Financials | None:
        """The latest statement in force, as the ratios and the Z models read it."""
        if not self.statements:
            return None
        v = self.statements[-1].values
        items = {name: None if v[name] is None else from_minor(v[name], v["currency"]) for name in STATEMENT_ITEMS}
        return Financials(v["period_end"], v["currency"], **items)

    @property
    def qualitative(self):
        """The latest review's weighted score (0-100), or None without one."""
        if not self.reviews:
            return None
        v = self.reviews[-1].values
        return qualitative_score(ReviewItem(n, v[n], v[f"{n}_weight"]) for n in REVIEW_ITEMS)

    def to_json(self) -> dict:
        review = self.qualitative  # 0-100, shown to one place (HALF_UP)
        return {"customer": self.customer, "as_of": self.as_of.isoformat(),
                "statements": [e.to_json() for e in self.statements],
                "facts": self.facts.to_json() if self.facts else None,
                "references": [e.to_json() for e in self.references],
                "reviews": [e.to_json() for e in self.reviews],
                "qualitative_score": ratio_text(review), "notes": list(self.notes)}


    def table(self) -> Tabular:
        rows = []
        for title, entries in (("statement", self.statements), ("facts", (self.facts,) if self.facts else ()),
                               ("reference", self.references), ("review", self.reviews)):
            for entry in entries:
                given = ", ".join(f"{k}={v}" for k, v in entry.to_json().items()
                                  if v is not None and k not in ("owner", "recorded_on"))
                rows.append([title, entry.owner, entry.recorded_on.isoformat(), given])
        rows += [["note", "", "", note] for note in self.notes]
        return Tabular(f"Credit file of {self.customer} as of {self.as_of}", ["kind", "owner", "recorded_on", "values"],
                       rows)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@dataclass(frozen=True)
class Kind:
    table: Table
    key: tuple[str, ...]  # beside the owner, what names an entry
    dated: str | None  # the column of the date it speaks of (None: the day it was recorded)
    label: str
    money: tuple[str, ...] = ()
    currency_column: str = "currency"


STATEMENTS = Kind(credit_statements, ("period_end",), "period_end", "financial statements", STATEMENT_ITEMS)
FACTS = Kind(credit_facts, (), None, "company facts", ("registered_capital",), "capital_currency")
REFERENCES = Kind(credit_references, ("kind", "name"), None, "references", ("highest_credit",))
REVIEWS = Kind(credit_reviews, ("reviewed_on",), "reviewed_on", "reviews")


def read_credit_file(conn: Connection, company: Company, customer, as_of: date) -> CreditFile:
    """`customer`: its row (id, code, group_id, group_code), as `customer_row` gives it."""
    notes: list[str] = []
    statements = _owned(conn, company, STATEMENTS, customer, as_of, notes)
    facts = _owned(conn, company, FACTS, customer, as_of, notes)
    own = ("customer_id", customer.id, f"customer {customer.code}")
    references = _in_force(conn, company, REFERENCES, own, as_of)
    reviews = _in_force(conn, company, REVIEWS, own, as_of)
    return CreditFile(customer.code, as_of, tuple(statements), facts[-1] if facts else None, tuple(references),
                      tuple(reviews), tuple(notes))


def _owned(conn: Connection, company: Company, kind: Kind, customer, as_of: date, notes: list[str]) -> list[Entry]:
    """The customer's entries in force; its group's when it has none (noted)."""
    own = _in_force(conn, company, kind, ("customer_id", customer.id, f"customer {customer.code}"), as_of)
    if own or customer.group_id is None:
        return own
    group = _in_force(conn, company, kind, ("customer_group_id", customer.group_id, f"group {customer.group_code}"),
                      as_of)
    if group:
        notes.append(f"{kind.label}: the customer has none on or before {as_of}; those of its group "
                     f"{customer.group_code} are used")
    return group


def _in_force(conn: Connection, company: Company, kind: Kind, owner: tuple[str, int, str], as_of: date) -> list[Entry]:
    """owner: (column, id, label). Only versions recorded and dated by as_of are read."""
    column, owner_id, label = owner
    if column == "customer_id" and not holdings.has(conn, company.id, owner_id, kind.table):
        return []  # the page's probe found none of the customer's own (services/browse/holdings.py)
    t = kind.table.c
    names = [c.name for c in kind.table.columns
             if c.name not in ("id", "company_id", "customer_id", "customer_group_id", "recorded_on")]
    where = [t.company_id == company.id, t[column] == owner_id, t.recorded_on <= as_of]
    if kind.dated:
        where.append(t[kind.dated] <= as_of)
    rows = conn.execute(select(t.recorded_on, *[t[n] for n in names]).where(*where)).all()
    versions = [Version(tuple(getattr(r, k) for k in kind.key), getattr(r, kind.dated) if kind.dated else None,
                        r.recorded_on, {n: getattr(r, n) for n in names}) for r in rows]
    return [Entry(label, v.recorded_on, dict(v.values), kind.money, kind.currency_column)
            for v in in_force(versions, as_of)]
