"""What an insurance claim may ask for (索赔金额): at most what is open, on the day the claim is made,
on its invoices insured under the policy (domain.risk.insurance.uninsured_reason), in the policy's
currency. An invoice already in another claim that was not rejected cannot be claimed again.

An invoice in another currency is converted at the day's rates (each to the base currency, so
invoice -> policy = rate of the invoice's / rate of the policy's), rounded HALF_UP to the policy's
currency invoice by invoice; the ceiling is the sum of those lines. The insured limit caps what the
insurer pays (`PolicyTerms.indemnity`), not the loss claimed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Sequence

from sqlalchemy import Connection, select

from credo.domain.money import ZERO, from_minor, quantize
from credo.domain.risk.insurance import LimitDecision, uninsured_reason
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services.companies import Company
from credo.services.reports.common import Converter, money_text
from credo.store import queries
from credo.store.risk_insurance_tables import claim_invoices, insurance_claims, insured_limits
from credo.store.tables import customers, invoices


@dataclass(frozen=True)
class ClaimBasis:
    """The invoices of a claim and what is open and insured on each, in the policy's currency."""

    currency: str
    lines: tuple[tuple[int, str, Decimal], ...]  # invoice id, number, open and insured

    @property
    def invoice_ids(self) -> list[int]:
        return [invoice_id for invoice_id, _, _ in self.lines]

    @property
    def open_amount(self) -> Decimal:
        return sum((amount for _, _, amount in self.lines), quantize(ZERO, self.currency))

    def check(self, amount: Decimal, on: date) -> None:
        """Refuse a claimed amount above what is open and insured, naming both and each invoice's part."""
        if amount > self.open_amount:
            parts = ", ".join(f"{number} {money_text(part)}" for _, number, part in self.lines)
            raise InvalidInput(f"a claim of {money_text(amount)} {self.currency} exceeds what is open and insured "
                               f"on its invoices on {on}: {money_text(self.open_amount)} {self.currency} ({parts})")


def _decisions(conn: Connection, company: Company, policy_id: int, customer_id: int, on: date) -> list[LimitDecision]:
    """The insurer's decisions on the buyer's limit under the policy made by the day, in order."""
    l = insured_limits.c
    return [LimitDecision(from_minor(r.amount, r.currency), r.dated_on, r.valid_from, r.valid_until)
            for r in conn.execute(select(l.amount, l.currency, l.dated_on, l.valid_from, l.valid_until).where(
                l.company_id == company.id, l.policy_id == policy_id, l.customer_id == customer_id,
                l.kind == "decision", l.dated_on <= on).order_by(l.dated_on, l.id))]


def _claimed(conn: Connection, company: Company, customer_id: int) -> dict[int, int]:
    """invoice id -> the claim (not rejected) it is in already."""
    k, ci = insurance_claims.c, claim_invoices.c
    return dict(conn.execute(select(ci.invoice_id, k.id).join_from(claim_invoices, insurance_claims, k.id == ci.claim_id)
                             .where(k.company_id == company.id, k.customer_id == customer_id, k.status != "rejected")
                             ).all())


def claim_basis(conn: Connection, company: Company, policy, terms, customer_id: int, customer_code: str,
                numbers: Sequence[str], on: date) -> ClaimBasis:
    """The named invoices (each open on the day, insured under the policy and in no other live claim;
    a stranger is NotFound), or, when none is named, every one of the buyer's that is."""
    decisions = _decisions(conn, company, policy.id, customer_id, on)
    among = queries.among_customers(company.id, customers.c.id == customer_id)
    items = {item.invoice_id: item for item in conn.execute(queries.open_invoice_items(company.id, on, among))}
    claimed = _claimed(conn, company, customer_id)
    if numbers:
        i = invoices.c
        found = dict(conn.execute(select(i.number, i.id).where(i.company_id == company.id, i.customer_id == customer_id,
                                                               i.number.in_(list(numbers)))).all())
        missing = [n for n in numbers if n not in found]
        if missing:
            raise NotFound(f"no invoice {', '.join(repr(n) for n in missing)} of {customer_code}")
        chosen = []
        for number in numbers:
            item = items.get(found[number])
            if item is None:
                raise InvalidInput(f"invoice {number} has nothing open on {on}: there is no loss on it to claim")
            reason = uninsured_reason(terms, decisions, item.issue_date, item.due_date)
            if reason:
                raise InvalidInput(f"invoice {number} is not insured under {terms.number}: {reason}")
            if item.invoice_id in claimed:
                raise Conflict(f"invoice {number} is in claim {claimed[item.invoice_id]} already")
            chosen.append(item)
    else:
        chosen = [item for item in items.values() if item.invoice_id not in claimed
                  and uninsured_reason(terms, decisions, item.issue_date, item.due_date) is None]
        if not chosen:
            raise InvalidInput(f"{customer_code} has nothing open and insured under {terms.number} on {on} to claim")
    convert = Converter.load(conn, company, on)
    to_policy = convert.rate(terms.currency)
    return ClaimBasis(terms.currency, tuple(
        (item.invoice_id, item.number,
         quantize(from_minor(item.open_amount, item.currency) * convert.rate(item.currency) / to_policy, terms.currency))
        for item in chosen))
