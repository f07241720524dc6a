"""Import the credit file (信用档案): financial statements, company facts, trade and bank
references, and qualitative reviews, each kept as versions (`services.imports.versions`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from credo.channels.files import parse_amount, parse_choice, parse_currency, parse_date, parse_int, parse_text
from credo.domain.credit.file import DEFAULT_REVIEW_WEIGHTS, ReviewItem
from credo.domain.money import to_minor
from credo.services.imports.common import Field, ImportOptions
from credo.services.imports.versions import Owner, RowIssue, VersionedKind, import_versioned
from credo.store.credit_tables import (REVIEW_ITEMS, STATEMENT_ITEMS, credit_facts, credit_references,
                                       credit_reviews, credit_statements)

# A statement's stated working capital comes in a column named working_capital.
ITEM_COLUMNS = {("working_capital" if n == "stated_working_capital" else n): n for n in STATEMENT_ITEMS}
YES, NO = ("yes", "y", "true", "1", "是", "x"), ("no", "n", "false", "0", "否")


def _text(limit: int):
    return lambda text: parse_text(text, limit)


def _flag(text: str) -> bool:
    return parse_choice(text, YES + NO) in YES


def _score(text: str) -> int:
    value = parse_int(text)
    if not 0 <= value <= 100:
        raise ValueError(f"a score from 0 to 100, not {value}")
    return value


def _minor(values: dict[str, Any], column: str, currency: str) -> int | None:
    amount: Decimal | None = values[column]
    if amount is None:
        return None
    try:
        return to_minor(amount, currency)
    except ValueError as error:
        raise RowIssue(column, str(error)) from None


def _dates(options: ImportOptions):
    return lambda text: parse_date(text, options.date_format)


def statement_fields(options: ImportOptions) -> list[Field]:
    return [Field("period_end", _dates(options), required=True), Field("currency", parse_currency),
            Field("source", _text(200)), *[Field(column, parse_amount) for column in ITEM_COLUMNS]]


def statement_values(v: dict[str, Any], owner: Owner) -> dict[str, Any]:
    currency = v["currency"] or owner.currency
    return {"period_end": v["period_end"], "currency": currency, "source": v["source"],
            **{item: _minor(v, column, currency) for column, item in ITEM_COLUMNS.items()}}


def fact_fields(options: ImportOptions) -> list[Field]:
    return [Field("listed", _flag), Field("manufacturer", _flag), Field("emerging_market", _flag),
            Field("founded_on", _dates(options)), Field("years_in_business", parse_int),
            Field("registered_capital", parse_amount),
            Field("capital_currency", parse_currency), Field("industry", _text(100)), Field("ownership", _text(64)),
            Field("external_rating", _text(16)), Field("bureau_score", parse_int)]


def _founded_on(v: dict[str, Any]) -> date | None:
    """The founding date, or (given years in business instead) the same day that many years before recorded_on."""
    years, recorded_on = v["years_in_business"], v["recorded_on"]
    if v["founded_on"] is not None or years is None:
        return v["founded_on"]
    if not 0 <= years <= 500:
        raise RowIssue("years_in_business", f"0 to 500 years, not {years}")
    day = 28 if (recorded_on.month, recorded_on.day) == (2, 29) else recorded_on.day
    return date(recorded_on.year - years, recorded_on.month, day)


def fact_values(v: dict[str, Any], owner: Owner) -> dict[str, Any]:
    currency = v["capital_currency"] or owner.currency if v["registered_capital"] is not None else None
    return {name: v[name] for name in ("listed", "manufacturer", "emerging_market", "industry", "ownership",
                                        "external_rating", "bureau_score")} | {"founded_on": _founded_on(v),
        "registered_capital": _minor(v, "registered_capital", currency) if currency else None,
        "capital_currency": currency}


def reference_fields(options: ImportOptions) -> list[Field]:
    return [Field("kind", lambda t: parse_choice(t.lower(), ("trade", "bank")), required=True),
            Field("name", _text(200), required=True), Field("contact", _text(200)), Field("since", _dates(options)),
            Field("highest_credit", parse_amount), Field("currency", parse_currency), Field("terms", _text(32)),
            Field("experience", lambda t: parse_choice(t.lower(), ("prompt", "slow", "poor"))),
            Field("notes", _text(500))]


def reference_values(v: dict[str, Any], owner: Owner) -> dict[str, Any]:
    currency = v["currency"] or owner.currency
    return {name: v[name] for name in ("kind", "name", "contact", "since", "terms", "experience", "notes")} | {
        "highest_credit": _minor(v, "highest_credit", currency), "currency": currency}


def review_fields(options: ImportOptions) -> list[Field]:
    return [Field("reviewed_on", _dates(options), required=True), Field("reviewer", _text(128), required=True),
            *[Field(item, _score) for item in REVIEW_ITEMS],
            *[Field(f"{item}_weight", parse_int) for item in REVIEW_ITEMS], Field("notes", _text(1000))]


def review_values(v: dict[str, Any], owner: Owner) -> dict[str, Any]:
    out = {"reviewed_on": v["reviewed_on"], "reviewer": v["reviewer"], "notes": v["notes"]}
    for item in REVIEW_ITEMS:
        weight = v[f"{item}_weight"]
        weight = DEFAULT_REVIEW_WEIGHTS[item] if weight is None else weight
        try:
            ReviewItem(item, v[item], weight)
        except ValueError as error:
            raise RowIssue(f"{item}_weight", str(error)) from None
        out |= {item: v[item], f"{item}_weight": weight}
    if all(v[item] is None for item in REVIEW_ITEMS):
        raise RowIssue(REVIEW_ITEMS[0], f"score at least one of {', '.join(REVIEW_ITEMS)}")
    return out


STATEMENTS = VersionedKind("financials", "credit_statement", credit_statements, statement_fields, ("period_end",),
                           statement_values, groups=True, dated="period_end")
FACTS = VersionedKind("credit-facts", "credit_facts", credit_facts, fact_fields, (), fact_values, groups=True)
REFERENCES = VersionedKind("credit-references", "credit_reference", credit_references, reference_fields,
                           ("kind", "name"), reference_values)
REVIEWS = VersionedKind("credit-reviews", "credit_review", credit_reviews, review_fields, ("reviewed_on",),
                        review_values, dated="reviewed_on")
CREDIT_FILE_KINDS = {spec.kind: partial(import_versioned, spec) for spec in (STATEMENTS, FACTS, REFERENCES, REVIEWS)}
