"""Late interest as of a date (逾期罚息), read from the ledger: for every invoice due before the date,
the terms in force for its customer on its due date, its allocations dated by then (a reversal's
negative allocation raises the balance again), and `domain.interest.late_interest`. What debit notes
already charged (up to the date) and what approved waivers took off (by the date) is subtracted, so
`to_charge` is what is still to charge. Reproducible: every document counted is dated by the as-of.

Debit notes themselves earn no interest (no interest on interest, BGB s.289). Under a statute, an
invoice in another currency than the statute's (EUR, GBP) earns the interest but no fixed sum.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, func, select

from credo.domain.interest import STATUTE_CURRENCY, LateInterest, Statute, late_interest
from credo.domain.money import ZERO, from_minor, quantize, to_minor
from credo.errors import InvalidInput
from credo.services.access import EVERYONE
from credo.services.browse.customers import customer_row
from credo.services.collections.interest_terms import Terms, TermsBook, reference_rates_of
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular
from credo.store.collections_tables import interest_charges, interest_waivers
from credo.store.tables import allocations, customers, invoices


@dataclass(frozen=True)
class InterestLine:
    """One late invoice: in its own currency."""

    customer_id: int
    customer: str
    invoice_id: int
    invoice: str
    currency: str
    due_date: date
    first_day: date | None  # the first day interest ran
    interest: Decimal  # accrued up to the as-of date
    fee: Decimal  # the fixed fee or statutory sum
    charged_interest: Decimal  # by debit notes dated by the as-of date
    charged_fee: Decimal
    waived: Decimal  # approved waivers dated by the as-of date
    raise_debit_note: bool

    @property
    def to_charge_interest(self) -> Decimal:
        return max(self.interest - self.charged_interest - min(self.waived, self.interest), ZERO)

    @property
    def to_charge_fee(self) -> Decimal:
        spill = max(self.waived - self.interest, ZERO)  # a waiver beyond the interest takes the fee
        return max(self.fee - self.charged_fee - spill, ZERO)

    @property
    def to_charge(self) -> Decimal:
        return self.to_charge_interest + self.to_charge_fee

    def to_json(self) -> dict[str, Any]:
        return {"customer": self.customer, "invoice": self.invoice, "currency": self.currency,
                "due_date": self.due_date.isoformat(), "first_day": self.first_day and self.first_day.isoformat(),
                "interest": str(self.interest), "fee": str(self.fee),
                "charged": str(self.charged_interest + self.charged_fee), "waived": str(self.waived),
                "to_charge": str(self.to_charge)}


@dataclass(frozen=True)
class InterestReport:
    as_of: date
    currency: str  # the base currency of the customer totals
    lines: tuple[InterestLine, ...]
    totals: dict[str, dict[str, Decimal]]  # customer code -> accrued, charged, waived, to_charge (base)

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "currency": self.currency,
                "customers": [{"customer": code, **{k: str(v) for k, v in sums.items()}}
                              for code, sums in self.totals.items()],
                "invoices": [line.to_json() for line in self.lines]}

    def table(self) -> Tabular:
        columns = ["customer", "invoice", "currency", "due_date", "first_day", "interest", "fee", "charged",
                   "waived", "to_charge"]
        rows = [[line.to_json()[c] for c in columns] for line in self.lines]
        total = {k: sum((s[k] for s in self.totals.values()), ZERO) for k in ("accrued", "charged", "waived", "to_charge")}
        footer = ["total", "", self.currency, "", "", total["accrued"], "", total["charged"], total["waived"],
                  total["to_charge"]]
        return Tabular(f"Late interest as of {self.as_of} (逾期罚息)", columns, rows, footer if rows else None)


def interest_report(conn: Connection, company: Company, as_of: date, customer: str | None = None) -> InterestReport:
    """Interest and fees accrued, charged, waived and still to charge on each late invoice as of the date."""
    customer_id = customer_row(conn, company, EVERYONE, customer).id if customer else None
    book = TermsBook.load(conn, company)
    rates = reference_rates_of(conn)
    payments = _allocations(conn, company, as_of, customer_id)
    charged, waived = _charged(conn, company, as_of), _waived(conn, company, as_of)
    lines = []
    for row in conn.execute(_late_invoices(company, as_of, customer_id)):
        terms = book.in_force(row.customer_id, row.due_date)
        if terms is None:
            continue
        accrued = _accrued(row, payments.get(row.id, []), as_of, terms, rates)
        if not accrued.periods:
            continue
        interest_minor, fee_minor = charged.get(row.id, (0, 0))
        lines.append(InterestLine(row.customer_id, row.code, row.id, row.number, row.currency, row.due_date,
                                  accrued.periods[0].start, accrued.interest, accrued.compensation,
                                  from_minor(interest_minor, row.currency), from_minor(fee_minor, row.currency),
                                  from_minor(waived.get(row.id, 0), row.currency), terms.raise_debit_note))
    return InterestReport(as_of, company.base_currency, tuple(lines), _totals(conn, company, as_of, lines))


def _accrued(row, paid: list[tuple[date, Decimal]], as_of: date, terms: Terms, rates) -> LateInterest:
    amount = from_minor(row.amount, row.currency)
    rule, statute = terms.rule, terms.rule.statute
    try:
        if statute is Statute.CONTRACT or STATUTE_CURRENCY[statute] == row.currency:
            return late_interest(amount, row.currency, row.due_date, paid, as_of, rule, rates[statute] if statute in rates else None)
        # Another currency: the statute's interest, without its fixed sum (set in EUR or GBP).
        found = late_interest(amount, STATUTE_CURRENCY[statute], row.due_date, paid, as_of, rule, rates[statute])
        return replace(found, currency=row.currency, interest=quantize(sum((p.interest for p in found.periods), ZERO),
                                                                       row.currency),
                       compensation=quantize(ZERO, row.currency))
    except ValueError as error:
        raise InvalidInput(f"interest on {row.number}: {error} (import them: `credo import reference-rates FILE`)") from None


def _late_invoices(company: Company, as_of: date, customer_id: int | None):
    i = invoices.c
    debit_notes = select(interest_charges.c.debit_note_id).where(interest_charges.c.company_id == company.id)
    query = (select(i.id, i.customer_id, i.number, i.currency, i.amount, i.due_date, customers.c.code)
             .join_from(invoices, customers, customers.c.id == i.customer_id)
             .where(i.company_id == company.id, i.due_date < as_of, i.issue_date <= as_of, i.id.not_in(debit_notes))
             .order_by(customers.c.code, i.due_date, i.number))
    return query if customer_id is None else query.where(i.customer_id == customer_id)


def _allocations(conn: Connection, company: Company, as_of: date, customer_id: int | None) -> dict[int, list]:
    a, i = allocations.c, invoices.c
    query = (select(a.invoice_id, a.alloc_date, a.amount, i.currency).join_from(allocations, invoices, i.id == a.invoice_id)
             .where(a.company_id == company.id, a.alloc_date <= as_of, i.due_date < as_of))
    if customer_id is not None:
        query = query.where(i.customer_id == customer_id)
    out: dict[int, list] = defaultdict(list)
    for invoice_id, day, minor, currency in conn.execute(query):
        out[invoice_id].append((day, from_minor(minor, currency)))
    return out


def _charged(conn: Connection, company: Company, as_of: date) -> dict[int, tuple[int, int]]:
    c = interest_charges.c
    query = (select(c.invoice_id, func.sum(c.interest), func.sum(c.fee))
             .where(c.company_id == company.id, c.period_to <= as_of).group_by(c.invoice_id))
    return {invoice_id: (int(interest), int(fee)) for invoice_id, interest, fee in conn.execute(query)}


def _waived(conn: Connection, company: Company, as_of: date) -> dict[int, int]:
    w = interest_waivers.c
    query = (select(w.invoice_id, func.sum(w.amount))
             .where(w.company_id == company.id, w.status == "approved", w.waived_on <= as_of,
                    w.credit_note_id.is_(None)).group_by(w.invoice_id))
    return {invoice_id: int(total) for invoice_id, total in conn.execute(query)}


def _totals(conn: Connection, company: Company, as_of: date, lines: list[InterestLine]) -> dict[str, dict[str, Decimal]]:
    """Per customer in the base currency: each amount converted (HALF_UP) at the as-of date's rate."""
    convert = Converter.load(conn, company, as_of)
    out: dict[str, dict[str, Decimal]] = {}
    for line in lines:
        into = lambda amount: convert.into(line.currency)(to_minor(amount, line.currency))  # noqa: E731
        sums = out.setdefault(line.customer, dict.fromkeys(("accrued", "charged", "waived", "to_charge"), ZERO))
        sums["accrued"] += into(line.interest + line.fee)
        sums["charged"] += into(line.charged_interest + line.charged_fee)
        sums["waived"] += into(line.waived)
        sums["to_charge"] += into(line.to_charge)
    return out

