"""The credit check as a use case: gather the figures of one customer (and its group) as of a
date, and ask the domain (`domain.credit.check`). Every adapter and check point calls this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Connection

from credo.domain.credit import check as rules
from credo.domain.credit.limits import Line
from credo.channels.files import parse_amount
from credo.domain.money import is_currency_code, to_minor
from credo.errors import InvalidInput
from credo.services import lookups
from credo.services.access import EVERYONE, Scope
from credo.services.browse.customers import receivables_key
from credo.services.companies import Company
from credo.services.credit.exposure import Exposure, exposure, oldest_days_past_due
from credo.services.credit.lines import Holder, customer_holder, in_force, line_json, on_hold
from credo.services.credit.settings import credit_settings_of
from credo.services.reports.common import Converter, Tabular, money_text


@dataclass(frozen=True)
class CreditCheck:
    customer: str
    group: str | None
    as_of: date
    amount: Decimal  # in the base currency
    exposure: Exposure
    group_exposure: Exposure | None
    line: Line | None  # the customer's governing line
    group_line: Line | None
    hold: dict | None
    oldest_days_past_due: int
    result: rules.CheckResult

    @property
    def decision(self) -> str:
        return self.result.decision

    def to_json(self) -> dict:
        return {"customer": self.customer, "group": self.group, "as_of": self.as_of.isoformat(),
                "amount": money_text(self.amount), "currency": self.exposure.currency, **self.result.to_json(),
                "exposure": self.exposure.to_json(),
                "group_exposure": self.group_exposure and self.group_exposure.to_json(),
                "line": line_json(self.line), "group_line": line_json(self.group_line), "on_hold": self.hold,
                "oldest_days_past_due": self.oldest_days_past_due}

    def table(self) -> Tabular:
        rows = [[r.code, r.weight, r.en, r.zh, r.detail] for r in self.result.reasons]
        title = (f"Credit check of {self.customer} for {self.amount} {self.exposure.currency} as of {self.as_of}: "
                 f"{self.decision} (exposure {self.exposure.total}, limit {self.result.limit}, "
                 f"headroom {self.result.headroom})")
        return Tabular(title, ["reason", "weight", "en", "zh", "detail"], rows)


def amount_of(text: str, what: str = "amount") -> Decimal:
    """An amount a person typed ("12,000.50"): a Decimal, or InvalidInput saying what is wrong."""
    try:
        return parse_amount(text)
    except ValueError as error:
        raise InvalidInput(f"{what} {text!r} is not an amount ({error}): write e.g. 12000.50") from None


def check_currency(code: str) -> str:
    if not is_currency_code(code):
        raise InvalidInput(f"currency {code!r} is not a three-letter ISO code")
    return code


def check_credit(conn: Connection, company: Company, customer_code: str, amount: Decimal, as_of: date, *,
                 currency: str | None = None, scope: Scope = EVERYONE,
                 excluding_order: str | None = None) -> CreditCheck:
    """May this customer take on `amount` (in `currency`, default the base) as of the date?"""
    holder = customer_holder(conn, company, scope, customer_code)
    convert = Converter.load(conn, company, as_of)
    currency = currency or company.base_currency
    try:
        base_amount = convert(to_minor(amount, check_currency(currency)), currency)
    except ValueError as error:
        raise InvalidInput(f"amount: {error}") from None
    return assess(conn, company, holder, base_amount, as_of, convert, excluding_order)


def assess(conn: Connection, company: Company, holder: Holder, amount: Decimal, as_of: date, convert: Converter,
           excluding_order: str | None = None) -> CreditCheck:
    """The check of an amount already in the base currency (the check points call this)."""
    settings = credit_settings_of(conn, company)
    own = in_force(conn, company, as_of, customer_id=holder.customer_id)
    group = in_force(conn, company, as_of, group_id=holder.group_id)
    among = holder.among(company)
    mine = exposure(conn, company, as_of, among, excluding_order=excluding_order, convert=convert,
                    receivables=lookups.known(receivables_key(company, as_of, holder.customer_id)),
                    customer_id=holder.customer_id)
    group_line = group.governing
    theirs = None
    if group_line is not None:
        group_among = Holder(None, None, holder.group_id, holder.group_code).among(company)
        theirs = exposure(conn, company, as_of, group_among, excluding_order=excluding_order, convert=convert)
    rated = own.governing or group_line
    hold = on_hold(conn, company, holder.customer_id, as_of)
    days = oldest_days_past_due(conn, company, as_of, among, holder.customer_id)
    given = rules.CheckInput(
        as_of=as_of, amount=amount, exposure=mine.total, line_limit=_base(own.permanent, convert),
        temporary_limit=_base(own.temporary, convert), tolerance_share=settings.tolerance_share,
        oldest_days_past_due=days, overdue_days=settings.overdue_days,
        review_due=rated and rated.review_due, rating=rated and rated.rating, on_hold=hold is not None,
        group_exposure=theirs and theirs.total, group_limit=_base(group_line, convert))
    return CreditCheck(holder.customer_code, holder.group_code, as_of, amount, mine, theirs, own.governing,
                       group_line, hold, days, rules.check_credit(given))


def _base(line: Line | None, convert: Converter) -> Decimal | None:
    """A line's limit in the base currency at the as-of date's rate."""
    return None if line is None else convert(to_minor(line.amount, line.currency), line.currency)
