"""Assess a customer as of a date (信用评估): the credit file in force then, the customer's own DSO
and days late with us from the ledger, the ratios and the Altman Z variant of its latest statement,
the expert scorecard with its reasons, and the policy's rating, term and recommended limit.

Everything is read as of the date, so an assessment of a past date is what credo would have said
then. A missing part is said, not guessed: no statement gives no ratios and no Z (the scorecard's
unknown points), and the reason names what was missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection

from credo.domain.credit.altman import MissingItems, Profile, altman_z
from credo.domain.credit.file import years_in_business
from credo.domain.credit.policy import LimitAdvice, Rating, recommended_limit
from credo.domain.credit.ratios import RATIO_NAMES, ratios
from credo.domain.credit.scorecard import Score, Scorecard
from credo.domain import metrics
from credo.domain.money import ZERO, quantize
from credo.errors import InvalidInput
from credo.services.access import Scope
from credo.services import lookups
from credo.services.browse.customers import customer_row, receivables_key
from credo.services.companies import Company
from credo.services.credit.credit_file import CreditFile, read_credit_file
from credo.services.credit.setup import policy_for, scorecard_for
from credo.services.reports import measures
from credo.services.reports.behaviour import customer_behaviour
from credo.services.reports.common import Converter, Tabular, money_text, ratio_text
from credo.store import queries
from credo.store.tables import customers

DSO_DAYS = 90
PURCHASE_MONTHS = 12


@dataclass(frozen=True)
class Ledger:
    """What the ledger says of the customer as of the date (base currency)."""

    dso: Decimal | None  # standard DSO over the last 90 days
    days_late: Decimal | None  # amount-weighted, on invoices settled in the last 12 months
    invoices_settled: int
    sales_12_months: Decimal


@dataclass(frozen=True)
class Assessment:
    customer: str
    name: str
    as_of: date
    currency: str
    file: CreditFile
    ledger: Ledger
    ratios: dict[str, Decimal | None]
    z: dict[str, Any]
    score: Score
    rating: Rating
    limit: LimitAdvice
    monthly_purchases: Decimal
    purchases_given: bool
    review_due: date
    scorecard: str
    notes: tuple[str, ...] = field(default=())

    def to_json(self) -> dict:
        shown = {name: ratio_text(value, 4) for name, value in self.ratios.items() if name != "working_capital"}
        working = self.ratios.get("working_capital")
        shown["working_capital"] = None if working is None else money_text(working)
        shown |= {"dso": ratio_text(self.ledger.dso), "average_days_late": ratio_text(self.ledger.days_late)}
        return {
            "customer": self.customer, "name": self.name, "as_of": self.as_of.isoformat(), "currency": self.currency,
            "score": self.score.score, "rating": self.rating.letter,
            "rating_meaning": {"en": self.rating.meaning_en, "zh": self.rating.meaning_zh},
            "reasons": [{"factor": r.factor, "points_lost": r.points_lost, "en": r.en, "zh": r.zh}
                        for r in self.score.reasons],
            "points": self.score.points, "scorecard": self.scorecard, "ratios": shown, "z": self.z,
            "recommended_limit": money_text(self.limit.amount), "recommended_term_days": self.rating.term_days,
            "review_due": self.review_due.isoformat(),
            "limit": self._limit_json(),
            "ledger": {"dso_days": DSO_DAYS, "invoices_settled_12_months": self.ledger.invoices_settled,
                       "sales_12_months": money_text(self.ledger.sales_12_months)},
            "statement": self.file.statements[-1].to_json() if self.file.statements else None,
            "facts": self.file.facts.to_json() if self.file.facts else None,
            "qualitative_score": ratio_text(self.file.qualitative), "notes": list(self.notes),
        }


    def _limit_json(self) -> dict:
        """The advice with its amounts rounded to the cent (HALF_UP) for display."""
        def cent(amount: Decimal) -> str:
            return money_text(quantize(amount, self.currency))
        return {"amount": money_text(self.limit.amount), "uncapped": cent(self.limit.uncapped),
                "binding": self.limit.binding, "caps": {k: cent(v) for k, v in self.limit.caps.items()},
                "monthly_purchases": money_text(self.monthly_purchases),
                "monthly_purchases_given": self.purchases_given}

    def table(self) -> Tabular:
        shown = self.to_json()
        rows = [["score", f"{self.score.score} of {self.score_best}"],
                ["rating", f"{self.rating.letter}: {self.rating.meaning_en} / {self.rating.meaning_zh}"],
                ["recommended limit", f"{shown['recommended_limit']} {self.currency} (binding: {self.limit.binding})"],
                ["recommended term", f"{self.rating.term_days} days"], ["review due", shown["review_due"]],
                *[[f"ratio: {name}", "" if value is None else value] for name, value in shown["ratios"].items()],
                ["altman", " ".join(str(shown["z"][k]) for k in ("model", "value", "zone") if shown["z"][k])
                 + f" ({shown['z']['reason']})"],
                *[["reason", f"-{r.points_lost} {r.en} / {r.zh}"] for r in self.score.reasons],
                *[["note", note] for note in self.notes]]
        return Tabular(f"Assessment of {self.customer} {self.name} as of {self.as_of}", ["item", "value"], rows)

    @property
    def score_best(self) -> int:
        return sum(self.score.points.values()) + sum(r.points_lost for r in self.score.reasons)


def assess(conn: Connection, company: Company, scope: Scope, code: str, as_of: date, *,
           monthly_purchases: Decimal | None = None, insured_limit: Decimal | None = None) -> Assessment:
    """The assessment of one customer the scope sees (NotFound otherwise) as of a date; without an
    `insured_limit`, the limit the credit insurer granted in force on the date, if any, is the cap."""
    for name, value in (("monthly purchases", monthly_purchases), ("insured limit", insured_limit)):
        if value is not None and value < 0:
            raise InvalidInput(f"{name} cannot be negative: {value}")
    row = customer_row(conn, company, scope, code)
    if insured_limit is None:  # the credit insurer's granted limit in force caps the advice (services/risk/insurance.py)
        from credo.services.risk.insurance import granted_limit

        insured_limit = granted_limit(conn, company, row.id, as_of)
    file = read_credit_file(conn, company, row, as_of)
    convert = Converter.load(conn, company, as_of)
    ledger = _ledger(conn, company, row.id, as_of, convert)
    statement = file.statement
    found = ratios(statement) if statement else {**dict.fromkeys(RATIO_NAMES), "working_capital": None}
    z, zone = _z(file, as_of)
    facts = file.facts.values if file.facts else {}
    card, card_name = scorecard_for(conn, company)
    score = card.score(_factor_values(card, found, ledger, zone, file, facts.get("founded_on"), as_of))
    policy = policy_for(conn, company)
    rating = policy.rating(score.score)
    given = monthly_purchases is not None
    monthly = monthly_purchases if given else quantize(ledger.sales_12_months / PURCHASE_MONTHS, convert.currency)
    rate = convert.rate(statement.currency) if statement else Decimal(1)
    limit = recommended_limit(policy, rating, max(monthly, ZERO), equity=_in_base(statement and statement.equity, rate),
                              working_capital=_in_base(found["working_capital"], rate), insured_limit=insured_limit)
    return Assessment(row.code, row.name, as_of, convert.currency, file, ledger, found, z, score, rating, limit,
                      monthly, given, as_of + relativedelta(months=rating.review_months), card_name, file.notes)


def _in_base(amount: Decimal | None, rate: Decimal) -> Decimal | None:
    return None if amount is None else amount * rate


def _ledger(conn: Connection, company: Company, customer_id: int, as_of: date, convert: Converter) -> Ledger:
    """The customer's 90-day DSO (standard, as the DSO report computes it), days late over 12
    months, and net sales over 12 months: the sales of both periods in one pass; the behaviour and
    receivables the customer 360 found in the same `lookups` block, when it did."""
    only = queries.among_customers(company.id, customers.c.id == customer_id)
    line = customer_behaviour(conn, company, as_of, PURCHASE_MONTHS, customer_id)
    owed = lookups.known(receivables_key(company, as_of, customer_id))
    if owed is None:
        owed = measures.receivables(conn, company, as_of, convert, among=only)[measures.ALL]["receivables"]
    recent = as_of - timedelta(days=DSO_DAYS - 1)
    year = as_of - relativedelta(months=PURCHASE_MONTHS) + relativedelta(days=1)
    sold = measures.sales_since(conn, company, (recent, year), as_of, convert, customer_id=customer_id)[measures.ALL]
    return Ledger(metrics.dso_standard(owed, sold["s0"], DSO_DAYS), line.days_late if line else None,
                  line.invoices if line else 0, sold["s1"])


def _z(file: CreditFile, as_of: date) -> tuple[dict[str, Any], str | None]:
    """The Z result as JSON and its zone (None when it cannot be computed, with the reason)."""
    statement = file.statement
    if statement is None:
        return ({"model": None, "value": None, "zone": None,
                 "reason": f"no financial statement on or before {as_of}"}, None)
    facts = file.facts.values if file.facts else {}
    profile = Profile(bool(facts.get("listed")), bool(facts.get("manufacturer")), bool(facts.get("emerging_market")))
    assumed = "" if file.facts else f" (no company facts on or before {as_of}: taken as a private non-manufacturer)"
    try:
        result = altman_z(statement, profile)
    except MissingItems as missing:
        return {"model": missing.model, "value": None, "zone": None, "reason": f"{missing}{assumed}"}, None
    except ValueError as error:
        return {"model": None, "value": None, "zone": None, "reason": str(error)}, None
    out = result.to_json()
    out["reason"] += assumed
    return out, result.zone


def _factor_values(card: Scorecard, found: dict, ledger: Ledger, zone: str | None, file: CreditFile,
                   founded_on: date | None, as_of: date) -> dict[str, Any]:
    """The values the default scorecard's factors read; a card with other factors gets those it names."""
    values = {"days_late": ledger.days_late, "current_ratio": found["current"],
              "debt_to_assets": found["debt_to_assets"], "z_zone": zone, "qualitative": file.qualitative,
              "interest_coverage": found["interest_coverage"],
              "years_in_business": years_in_business(founded_on, as_of),
              "quick_ratio": found["quick"], "cash_ratio": found["cash"], "debt_to_equity": found["debt_to_equity"],
              "dso": ledger.dso}
    names = {f.name for f in card.factors}
    return {k: v for k, v in values.items() if k in names}
