"""Lookups an import needs in memory: customers by code, open invoices by number."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Connection, insert, select

from credo.channels.files import SourceRow
from credo.domain.money import to_minor
from credo.domain.terms import PaymentTerms, parse_terms
from credo.services import audit
from credo.services.companies import Company
from credo.services.imports.common import RowIssues
from credo.store.tables import customers


@dataclass(frozen=True)
class CustomerRef:
    id: int
    code: str
    currency: str
    terms: PaymentTerms | None


class CustomerIndex:
    def __init__(self, company: Company, refs: dict[str, CustomerRef]):
        self.company, self.refs = company, refs

    @classmethod
    def load(cls, conn: Connection, company: Company) -> "CustomerIndex":
        query = select(customers.c.id, customers.c.code, customers.c.currency, customers.c.terms).where(
            customers.c.company_id == company.id
        )
        refs = {row.code: CustomerRef(row.id, row.code, row.currency, _terms(row.terms)) for row in conn.execute(query)}
        return cls(company, refs)

    def find(self, code: str, source: SourceRow, issues: RowIssues) -> CustomerRef | None:
        ref = self.refs.get(code)
        if ref is None:
            issues.add(source, "customer_code", f"unknown customer {code!r}: import it with `credo import customers` first")
        return ref

    def amount_of(self, item, issues: RowIssues, refusal: str = "must be positive"
                  ) -> tuple[CustomerRef, str, int] | None:
        """A parsed row's customer, currency (given, else the customer's) and positive amount in
        minor units of it; None after recording why not."""
        v, source = item.values, item.source
        customer = self.find(v["customer_code"], source, issues)
        if customer is None:
            return None
        if v["amount"] <= 0:
            issues.add(source, "amount", refusal)
            return None
        currency = v["currency"] or customer.currency
        try:
            return customer, currency, to_minor(v["amount"], currency)
        except ValueError as error:
            issues.add(source, "amount", str(error))
            return None

    def create_missing(self, conn: Connection, codes: Iterable[tuple[str, str | None]], actor: str) -> None:
        """Create customers named only by code (name = code), for first loads of foreign exports."""
        for code, currency in codes:
            if code in self.refs:
                continue
            values = dict(company_id=self.company.id, code=code, name=code,
                          currency=currency or self.company.base_currency, language="en")
            new_id = conn.execute(insert(customers).values(**values)).inserted_primary_key[0]
            audit.record(conn, actor=actor, action="create", entity="customer", key=code,
                         company_id=self.company.id, after=values)
            self.refs[code] = CustomerRef(new_id, code, values["currency"], None)


def _terms(code: str | None) -> PaymentTerms | None:
    return parse_terms(code) if code else None
