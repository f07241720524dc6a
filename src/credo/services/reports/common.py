"""What the reports share: conversion to the base currency and a neutral table shape."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from datetime import date
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable, Iterator, Sequence

from sqlalchemy import Connection

from credo.domain.money import ZERO, exponent, quantize, quantum, round_places, scale_half_up, scale_parts_half_up
from credo.errors import InvalidInput
from credo.services import lookups
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
        self._minor: dict[str, Any] = {}
        self._rows: dict[tuple, Any] = {}
        self.decimal = _decimal_of(quantum(self.currency), quantize(ZERO, self.currency))

    @classmethod
    def load(cls, conn: Connection, company: Company, as_of: date, only: str | None = None) -> "Converter":
        rates = lookups.lasting(("fx rates", company.id, as_of), lambda: latest_rates(conn, company.id, as_of))
        return cls(company, rates, as_of, only)

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
            to_minor, decimal = self.minor_into(currency), self.decimal
            function = self._functions[currency] = lambda minor: decimal(to_minor(minor))
        return function

    def minor_into(self, currency: str):
        """A function: minor units of `currency` -> whole minor units of the report currency, rounded
        HALF_UP: the one rounding of every conversion (`into` makes its result a Decimal; reports
        add these ints, twenty times cheaper than Decimals, and make Decimals once)."""
        function = self._minor.get(currency)
        if function is None:
            if currency == self.currency:
                function = lambda minor: int(minor) if minor else 0  # noqa: E731
            else:
                function = _scaled(self._factor(currency))
            self._minor[currency] = function
        return function

    def row_into(self, currency: str, parts: tuple[int, int | None] | None = None):
        """A function: a row of amounts in minor units of `currency` -> a list of whole minor units
        of the report currency, each rounded HALF_UP (`minor_into`), but for the columns
        parts = (start, stop): the parts of one whole (an aging's buckets; current and overdue),
        converted together so that they add up to the whole converted once (`scale_parts_half_up`),
        the figure every other report of that whole shows."""
        function = self._rows.get((currency, parts))
        if function is None:
            one = self.minor_into(currency)
            if parts is None or currency == self.currency:
                function = lambda row: [one(minor) for minor in row]  # noqa: E731
            else:
                function = _scaled_row(one, *parts, *self._factor(currency).as_integer_ratio())
            self._rows[currency, parts] = function
        return function

    def _factor(self, currency: str) -> Decimal:
        """Minor units of the report currency per minor unit of `currency` (exact)."""
        return self.rate(currency).scaleb(exponent(self.currency) - exponent(currency))


def _scaled_row(one, start: int, stop: int | None, numerator: int, denominator: int):
    """`row_into`'s function for a row whose columns start:stop are the parts of one whole."""
    def scaled(row) -> list[int]:
        out = [one(minor) for minor in row[:start]]
        out += scale_parts_half_up([int(minor or 0) for minor in row[start:stop]], numerator, denominator)
        if stop is not None:
            out += [one(minor) for minor in row[stop:]]
        return out
    return scaled


def _scaled(factor: Decimal):
    """A function: minor units -> minor units x factor, rounded HALF_UP; in integers for ints
    (`scale_half_up`: exact, ten times cheaper), by Decimal for anything else."""
    numerator, denominator = factor.as_integer_ratio()

    def scaled(minor) -> int:
        if not minor:
            return 0
        if type(minor) is int:
            return scale_half_up(minor, numerator, denominator)
        return int((Decimal(minor) * factor).to_integral_value(ROUND_HALF_UP))
    return scaled


def _decimal_of(unit: Decimal, zero: Decimal):
    """A function: whole minor units -> a Decimal amount (times the unit: exact, with the currency's
    decimals; a closure, as it runs for every amount of a report)."""
    def decimal(minor: int) -> Decimal:
        return Decimal(minor) * unit if minor else zero
    return decimal


def money_text(amount: Decimal) -> str:
    """Amounts in JSON are decimal strings, never floats."""
    return str(amount)


def ratio_value(value: Decimal | None, places: int = 1) -> Decimal | None:
    """A ratio, days or a percentage rounded for a report's table (a number in XLSX, not text)."""
    return None if value is None else round_places(value, places)


def ratio_text(value: Decimal | None, places: int = 1) -> str | None:
    rounded = ratio_value(value, places)
    return None if rounded is None else str(rounded)


def json_value(value):
    """A table's typed value as JSON has it: dates in ISO form, Decimals as decimal strings."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class Tabular:
    """A report as a table any adapter can render (Rich, CSV, XLSX)."""

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    footer: list[Any] | None = None


def sum_minor(conn: Connection, query, convert: Converter, count: int, params: dict | None = None,
              parts: tuple[int, int | None] | None = None) -> dict[str, tuple[Any, list[int]]]:
    """Run a grouped query (key, name, currency, amount x count, ...) and add its amounts up per key
    in whole minor units of the report currency: {key: (name, [amount, ...])}; each amount is
    converted (rounded HALF_UP) once per key and currency, then added exactly; the amounts
    parts = (start, stop) as the parts of one whole (`Converter.row_into`). `params`: values of a
    statement's named parameters."""
    out: dict[str, tuple[Any, list[int]]] = {}
    same = convert.currency
    for key, name, currency, *amounts in fetch(conn, query, params):
        if currency != same:
            amounts = convert.row_into(currency, parts)(amounts[:count])
        elif len(amounts) > count:
            del amounts[count:]  # the report's own currency: the sums are already its minor units
        line = out.get(key)
        if line is None:
            out[key] = (name, amounts)
        else:
            line[1][:] = [a + b for a, b in zip(line[1], amounts)]
    return out


def sum_by(conn: Connection, query, convert: Converter, names: Sequence[str], params: dict | None = None,
           parts: tuple[int, int | None] | None = None) -> dict[str, dict[str, Any]]:
    """`sum_minor`, each key's amounts as Decimals by name: {key: {"name": ..., name: amount, ...}}."""
    decimal = convert.decimal
    return {key: {"name": name, **{n: decimal(m) for n, m in zip(names, amounts)}}
            for key, (name, amounts) in sum_minor(conn, query, convert, len(names), params, parts).items()}


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection within the block. A report makes hundreds of thousands of small
    acyclic objects (rows, tuples, lines); each 700 allocations start a collection, and the older
    generations' passes walk every live object: up to half of the report's Python time, and its
    variance (docs/performance.md). Nothing is freed late: these objects die by reference count."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def fetch(conn: Connection, query, params: dict | None = None) -> Iterable:
    """The rows of a query (with the values of its named parameters, if it has some), fetched in
    batches (a report by customer at 10M invoices has 200,000); inside `same_rows`, all of them,
    remembered."""
    memo = conn.info.get(_SAME_ROWS)
    if memo is None:
        return (row for batch in conn.execute(query, params).partitions(10_000) for row in batch)
    compiled = query.compile(dialect=conn.dialect)
    key = (str(compiled), tuple(sorted({**compiled.params, **(params or {})}.items())))
    if key not in memo:
        memo[key] = conn.execute(query, params).all()
    return memo[key]
