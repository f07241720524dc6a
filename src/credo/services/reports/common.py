"""What the reports share: conversion to the base currency and a neutral table shape."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from sqlalchemy import Connection

from credo.domain.money import ZERO, Rounding, from_minor, quantize
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
        if not minor:
            return quantize(ZERO, self.currency)
        amount = from_minor(int(minor), currency)
        if currency == self.currency:
            return amount
        return quantize(amount * self.rate(currency), self.base, Rounding.HALF_UP)


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
    """Run a grouped query (key, name, currency, *names) and add its amounts up per key in base currency."""
    out: dict[str, dict[str, Any]] = {}
    for row in conn.execute(query):
        line = out.setdefault(row.key, {"name": row.name, **{n: convert(0, convert.currency) for n in names}})
        for n in names:
            line[n] += convert(getattr(row, n), row.currency)
    return out


def total_of(lines: dict[str, dict[str, Any]], name: str, zero: Decimal) -> Decimal:
    return sum((line[name] for line in lines.values()), zero)
