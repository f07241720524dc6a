"""What the reports share: conversion to the base currency and a neutral table shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from contextlib import contextmanager
from typing import Any, Iterator, Sequence

from sqlalchemy import Connection

from credo.domain.money import ZERO, Rounding, exponent, from_minor, quantize
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.store.queries import latest_rates


class Converter:
    """Minor units of any currency -> Decimal in the base currency at the rates of the as-of date.

    Open balances are translated at the closing rate (IAS 21); each converted amount is rounded
    HALF_UP to the base currency's minor unit before it is added up, so rows add to the totals.
    """

    def __init__(self, company: Company, rates: dict[str, str], as_of: date, only: str | None = None):
        """With `only`, the report stays in that one currency and nothing is converted."""
        self.base, self.as_of, self.only = company.base_currency, as_of, only
        self.currency = only or self.base
        self.rates = {cur: Decimal(rate) for cur, rate in rates.items()}
        self._functions: dict[str, Any] = {}

    @classmethod
    def load(cls, conn: Connection, company: Company, as_of: date, only: str | None = None) -> "Converter":
        return cls(company, latest_rates(conn, company.id, as_of), as_of, only)

    def rate(self, currency: str) -> Decimal:
        """Units of the report currency per unit of `currency` (exact, unrounded)."""
        if currency == self.currency:
            return Decimal(1)
        rate = self.rates.get(currency)
        if rate is None:
            raise InvalidInput(
                f"no {currency} to {self.base} rate dated on or before {self.as_of}: "
                "import one with `credo import fx-rates FILE`"
            )
        return rate

    def __call__(self, minor: int | None, currency: str) -> Decimal:
        return self.into(currency)(minor)

    def into(self, currency: str):
        """A function: minor units of `currency` -> Decimal in the report currency (cached per currency)."""
        function = self._functions.get(currency)
        if function is None:
            function = self._functions[currency] = self._make(currency)
        return function

    def _make(self, currency: str):
        zero = quantize(ZERO, self.currency)
        if currency == self.currency:
            places = -exponent(currency)  # from_minor, inlined: this runs for every cell of a report
            return lambda minor: Decimal(minor).scaleb(places) if minor else zero
        rate, base = self.rate(currency), self.base
        return lambda minor: quantize(from_minor(int(minor), currency) * rate, base, Rounding.HALF_UP) if minor else zero


def money_text(amount: Decimal) -> str:
    """Amounts in JSON are decimal strings, never floats."""
    return str(amount)


def ratio_text(value: Decimal | None, places: int = 1) -> str | None:
    if value is None:
        return None
    return str(value.quantize(Decimal(1).scaleb(-places), rounding=Rounding.HALF_UP.value))


@dataclass
class Tabular:
    """A report as a table any adapter can render (Rich, CSV, XLSX)."""

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    footer: list[Any] | None = None


def sum_by(conn: Connection, query, convert: Converter, names: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Run a grouped query (key, name, currency, *names) and add its amounts up per key in the
    report currency: one conversion per key, currency and amount, rounded before adding."""
    out: dict[str, dict[str, Any]] = {}
    for key, name, currency, *amounts in fetch(conn, query):
        to_report = convert.into(currency)
        converted = map(to_report, amounts)
        line = out.get(key)
        if line is None:
            out[key] = {"name": name, **dict(zip(names, converted))}
        else:
            for n, amount in zip(names, converted):
                line[n] += amount
    return out


_SAME_ROWS = "credo.same_rows"


@contextmanager
def same_rows(conn: Connection) -> Iterator[None]:
    """Within the block, a statement run again with the same parameters gets the rows of its first
    run: a trend asks for each month end's receivables three times (the month's closing, the next
    month's opening, the DSO), and one answer serves all three."""
    conn.info[_SAME_ROWS] = {}
    try:
        yield
    finally:
        conn.info.pop(_SAME_ROWS, None)


def fetch(conn: Connection, query) -> list:
    """All rows of a query, in one fetch; remembered inside `same_rows`."""
    memo = conn.info.get(_SAME_ROWS)
    if memo is None:
        return conn.execute(query).all()
    compiled = query.compile(dialect=conn.dialect)
    key = (str(compiled), tuple(sorted(compiled.params.items())))
    if key not in memo:
        memo[key] = conn.execute(query).all()
    return memo[key]
