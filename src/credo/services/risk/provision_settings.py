"""The company's provision settings, specific provisions for named customers (each in force from
a date, until one when ended: a change adds a row, so any past day's provisions can be read again),
and rate files (CSV/XLSX: bucket, low_days, high_days, rate). Every change is audit-logged."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, or_, select, update

from credo import clock
from credo.channels.files import read_table
from credo.domain.money import from_minor, to_minor
from credo.domain.risk.provisioning import (DEFAULT_AGING_TABLE, DEFAULT_MATRIX_LIMITS, METHODS, ONE,
                                            SPECIFIC_RULES, Band, RateTable, Specific)
from credo.domain.risk.roll_rates import step_days
from credo.errors import InvalidInput, NotFound
from credo.services import audit
from credo.services.access import EVERYONE, Scope
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.services.periods import book_on, booking_day, closed_settings
from credo.store.risk_provision_tables import provision_settings, specific_provisions
from credo.store.tables import customers

RATE_COLUMNS = ("bucket", "low_days", "high_days", "rate")
MAX_DAYS = 36_500  # a hundred years: the buckets' bounds stay within the calendar


@dataclass(frozen=True)
class ProvisionSettings:
    method: str = "matrix"
    lookback_months: int = 12
    forward_factor: Decimal = ONE
    limits: tuple[int, ...] = DEFAULT_MATRIX_LIMITS  # the derived matrix's days-past-due ladder
    loss_rate: Decimal = ONE  # the last bucket's rate in a derived matrix
    matrix_rates: RateTable | None = None  # a given matrix (None: derive it from the ledger)
    aging_rates: RateTable = DEFAULT_AGING_TABLE
    specific_rule: str = "replace"  # a specific provision replaces the collective figure, or the higher counts

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "lookback_months": self.lookback_months,
                "forward_factor": str(self.forward_factor), "limits": ",".join(map(str, self.limits)),
                "loss_rate": str(self.loss_rate),
                "matrix_rates": None if self.matrix_rates is None else self.matrix_rates.to_json(),
                "aging_rates": self.aging_rates.to_json(), "specific_rule": self.specific_rule}

    @classmethod
    def from_json(cls, values: dict[str, Any]) -> "ProvisionSettings":
        """The settings as `to_json` wrote them (a period's close keeps them so)."""
        matrix = values["matrix_rates"]
        return cls(values["method"], values["lookback_months"], Decimal(values["forward_factor"]),
                   tuple(int(x) for x in values["limits"].split(",")), Decimal(values["loss_rate"]),
                   None if matrix is None else RateTable.from_json(matrix), RateTable.from_json(values["aging_rates"]),
                   values["specific_rule"])


def provision_settings_of(conn: Connection, company: Company) -> ProvisionSettings:
    row = conn.execute(select(provision_settings).where(provision_settings.c.company_id == company.id)).first()
    if row is None:
        return ProvisionSettings()
    return ProvisionSettings(
        row.method, row.lookback_months, Decimal(row.forward_factor), tuple(int(x) for x in row.limits.split(",")),
        Decimal(row.loss_rate), None if row.matrix_rates is None else RateTable.from_json(json.loads(row.matrix_rates)),
        DEFAULT_AGING_TABLE if row.aging_rates is None else RateTable.from_json(json.loads(row.aging_rates)),
        row.specific_rule)


def provision_settings_at(conn: Connection, company: Company, as_of: date) -> ProvisionSettings:
    """The settings a provision as of the day is computed with: those stored by the close of its
    period when it is closed (services/periods.py), else the company's current ones."""
    stored = closed_settings(conn, company.id, as_of, "provision")
    return provision_settings_of(conn, company) if stored is None else ProvisionSettings.from_json(stored)


def check_method(method: str) -> str:
    if method not in METHODS:
        raise InvalidInput(f"method {method!r}: use matrix or aging-table")
    return method


def check_specific_rule(rule: str) -> str:
    if rule not in SPECIFIC_RULES:
        raise InvalidInput(f"specific rule {rule!r}: use replace (the specific figure counts) or higher "
                           "(the higher of the specific and the collective figure)")
    return rule


def decimal_of(text: Any, name: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        raise InvalidInput(f"{name}: {text!r} is not a number") from None
    if not value.is_finite():
        raise InvalidInput(f"{name}: {text!r} is not a number")
    return value


def fraction_of(text: Any, name: str) -> Decimal:
    """A rate as a fraction: "5%" or "0.05" (a bare number above 1 is refused, never guessed)."""
    raw = str(text).strip()
    if raw.endswith("%"):
        value = decimal_of(raw[:-1], name) / 100
    else:
        value = decimal_of(raw, name)
        if value > 1:
            raise InvalidInput(f"{name}: {raw} is more than 100 %: write {raw}% or {value / 100}")
    if not (0 <= value <= 1):
        raise InvalidInput(f"{name}: {raw} is not between 0 and 100 %")
    return _places(value, name, raw)


def _places(value: Decimal, name: str, raw: str) -> Decimal:
    """At most 12 decimals (a rate is kept as text of 16 characters)."""
    value = value.normalize()
    if value.as_tuple().exponent < -12:
        raise InvalidInput(f"{name}: {raw} has more than 12 decimals")
    return value


def factor_of(text: Any, name: str = "forward factor") -> Decimal:
    """The forward-looking factor: 0 to 10, at most 8 decimals."""
    raw = str(text).strip()
    value = decimal_of(raw, name)
    if not (0 <= value <= 10):
        raise InvalidInput(f"{name}: {raw} is not between 0 and 10")
    if value.normalize().as_tuple().exponent < -8:
        raise InvalidInput(f"{name}: {raw} has more than 8 decimals")
    return value


def change_provision_settings(conn: Connection, company: Company, actor: str, *, method: str | None = None,
                              lookback_months: int | None = None, forward_factor: str | None = None,
                              limits: str | None = None, loss_rate: str | None = None,
                              matrix_rates: RateTable | None = None, derive: bool = False,
                              aging_rates: RateTable | None = None, specific_rule: str | None = None) -> ProvisionSettings:
    """Change the named settings (the others stay); `derive` drops a given matrix. Audit-logged."""
    before = provision_settings_of(conn, company)
    after = before
    if method is not None:
        after = replace(after, method=check_method(method))
    if lookback_months is not None:
        if not 1 <= lookback_months <= 120:
            raise InvalidInput("the look-back is 1 to 120 months")
        after = replace(after, lookback_months=lookback_months)
    if forward_factor is not None:
        after = replace(after, forward_factor=factor_of(forward_factor))
    if limits is not None:
        after = replace(after, limits=limits_of(limits))
    if specific_rule is not None:
        after = replace(after, specific_rule=check_specific_rule(specific_rule))
    if loss_rate is not None:
        after = replace(after, loss_rate=fraction_of(loss_rate, "loss rate"))
    if matrix_rates is not None or derive:
        after = replace(after, matrix_rates=None if derive else matrix_rates)
    if aging_rates is not None:
        after = replace(after, aging_rates=aging_rates)
    values = dict(method=after.method, lookback_months=after.lookback_months, forward_factor=str(after.forward_factor),
                  limits=",".join(map(str, after.limits)), loss_rate=str(after.loss_rate),
                  matrix_rates=None if after.matrix_rates is None else json.dumps(after.matrix_rates.to_json(),
                                                                                    ensure_ascii=False),
                  aging_rates=json.dumps(after.aging_rates.to_json(), ensure_ascii=False),
                  specific_rule=after.specific_rule,
                  actor=actor, updated_at=clock.now())
    s = provision_settings.c
    if conn.execute(select(s.company_id).where(s.company_id == company.id)).first() is None:
        conn.execute(insert(provision_settings).values(company_id=company.id, **values))
    else:
        conn.execute(update(provision_settings).where(s.company_id == company.id).values(**values))
    audit.record(conn, actor=actor, action="update", entity="provision_settings", key=company.code,
                 company_id=company.id, before=_flat(before), after=_flat(after))
    return after


def _flat(settings: ProvisionSettings) -> dict[str, Any]:
    return {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for k, v in settings.to_json().items()}


def limits_of(text: str) -> tuple[int, ...]:
    from credo.domain.aging import parse_buckets

    if len(text) > 200:
        raise InvalidInput("limits: at most 200 characters")
    try:
        buckets = parse_buckets(text, "due")
    except ValueError as error:
        raise InvalidInput(f"limits: {error}") from None
    limits = tuple(b.high for b in buckets[1:-1])
    if limits[-1] > MAX_DAYS:
        raise InvalidInput(f"limits: {limits[-1]} days is more than {MAX_DAYS}")
    try:
        step_days(limits)
    except ValueError as error:
        raise InvalidInput(f"limits: {error}") from None
    return limits


def read_rate_file(path: Path, basis: str = "due") -> RateTable:
    """A rate table from a file with columns bucket, low_days, high_days, rate ("5%" or 0.05); an
    empty low_days opens the first bucket below, an empty high_days the last above. Errors name the
    file, row, column and reason."""
    header, rows = read_table(Path(path))
    name = Path(path).name
    missing = [c for c in RATE_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(f"{name}: row 1: no column {', '.join(missing)} (the columns: {', '.join(RATE_COLUMNS)})")
    bands = []
    for source in rows:
        def cell(column: str, parse):
            text = (source.values.get(column) or "").strip()
            try:
                return parse(text)
            except (InvalidInput, ValueError) as error:
                reason = str(error).split(": ", 1)[-1]
                raise InvalidInput(f"{name}: row {source.row}, column {column}: {reason}") from None
        label = cell("bucket", lambda t: t or _fail("no bucket name"))
        low = cell("low_days", lambda t: None if t == "" else _days(t))
        high = cell("high_days", lambda t: None if t == "" else _days(t))
        rate = cell("rate", lambda t: fraction_of(t, "rate") if t else _fail("no rate"))
        bands.append(Band(label, low, high, rate))
    try:
        return RateTable(tuple(bands))
    except ValueError as error:
        raise InvalidInput(f"{name}: {error}") from None


def _fail(reason: str):
    raise ValueError(reason)


def _days(text: str) -> int:
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"{text!r} is not a whole number of days")
    if int(text) > MAX_DAYS:
        raise ValueError(f"{text} days is more than {MAX_DAYS}")
    return int(text)


# Specific provisions


def set_specific(conn: Connection, company: Company, actor: str, *, customer: str, reason: str, valid_from: date,
                 rate: str | None = None, amount: str | None = None, valid_until: date | None = None,
                 scope: Scope = EVERYONE, to_open_period: bool = False) -> dict[str, Any]:
    """Add a specific provision for a customer from a date (a rate of the balance, or an amount in
    the base currency); from then on it overrides the matrix for that customer (the latest
    starting on or before a day is the one in force). Never from a day in a closed period: refused,
    or with `to_open_period` from the first open day."""
    booked = book_on(conn, company.id, valid_from, f"the specific provision of {customer}",
                     to_open_period=to_open_period)
    valid_from = booked.day
    if amount is not None and abs(decimal_of(amount, "amount")) >= 10**13:
        raise InvalidInput(f"amount: {amount} is too large")
    if not reason.strip() or len(reason.strip()) > 500:
        raise InvalidInput("a specific provision needs a reason of at most 500 characters")
    if valid_until is not None and valid_until < valid_from:
        raise InvalidInput(f"until {valid_until} is before from {valid_from}")
    try:
        specific = Specific(rate=None if rate is None else fraction_of(rate, "rate"),
                            amount=None if amount is None else decimal_of(amount, "amount"), reason=reason)
    except ValueError as error:
        raise InvalidInput(f"specific provision: {error}") from None
    row = customer_row(conn, company, scope, customer)
    try:
        minor = None if specific.amount is None else to_minor(specific.amount, company.base_currency)
    except ValueError as error:
        raise InvalidInput(f"amount: {error}") from None
    values = dict(company_id=company.id, customer_id=row.id, rate=None if specific.rate is None else str(specific.rate),
                  amount=minor, reason=reason.strip(), valid_from=valid_from, valid_until=valid_until, actor=actor,
                  created_at=clock.now())
    new_id = conn.execute(insert(specific_provisions).values(**values)).inserted_primary_key[0]
    shown = _one(conn, company, new_id)
    audit.record(conn, actor=actor, action="create", entity="specific_provision", key=str(new_id),
                 company_id=company.id, after=shown | booked.note)
    return shown


def end_specific(conn: Connection, company: Company, actor: str, provision_id: int, until: date,
                 scope: Scope = EVERYONE) -> dict[str, Any]:
    """End a specific provision: its last day in force is `until` (the row stays, as history; never
    a day in a closed period)."""
    before = _one(conn, company, provision_id, scope)
    booking_day(conn, company.id, until, f"the end of specific provision {provision_id}")
    if before["valid_until"] is not None and date.fromisoformat(before["valid_until"]) <= until:
        raise InvalidInput(f"specific provision {provision_id} ends on {before['valid_until']} already")
    if until < date.fromisoformat(before["valid_from"]):
        raise InvalidInput(f"until {until} is before its start {before['valid_from']}")
    conn.execute(update(specific_provisions).where(specific_provisions.c.id == provision_id).values(
        valid_until=until, ended_by=actor, ended_at=clock.now()))
    after = _one(conn, company, provision_id, scope)
    audit.record(conn, actor=actor, action="end", entity="specific_provision", key=str(provision_id),
                 company_id=company.id, before=before, after=after)
    return after


def _query(company: Company, scope: Scope = EVERYONE):
    s = specific_provisions.c
    return (select(specific_provisions, customers.c.code.label("customer_code"), customers.c.name.label("customer_name"))
            .join(customers, customers.c.id == s.customer_id)
            .where(s.company_id == company.id, scope.customers()).order_by(customers.c.code, s.valid_from, s.id))


def _json(row, company: Company) -> dict[str, Any]:
    return {"id": row.id, "customer": row.customer_code, "name": row.customer_name, "rate": row.rate,
            "amount": None if row.amount is None else str(from_minor(row.amount, company.base_currency)),
            "reason": row.reason, "valid_from": row.valid_from.isoformat(),
            "valid_until": None if row.valid_until is None else row.valid_until.isoformat(), "actor": row.actor,
            "ended_by": row.ended_by}


def _one(conn: Connection, company: Company, provision_id: int, scope: Scope = EVERYONE) -> dict[str, Any]:
    row = conn.execute(_query(company, scope).where(specific_provisions.c.id == provision_id)).first()
    if row is None:
        raise NotFound(f"no specific provision {provision_id}")
    return _json(row, company)


def list_specific(conn: Connection, company: Company, *, as_of: date | None = None, customer: str | None = None,
                  scope: Scope = EVERYONE) -> list[dict[str, Any]]:
    """Every specific provision (history included), or those in force on `as_of`."""
    query = _query(company, scope)
    s = specific_provisions.c
    if customer:
        query = query.where(s.customer_id == customer_row(conn, company, scope, customer).id)
    if as_of is not None:
        query = query.where(s.valid_from <= as_of, or_(s.valid_until.is_(None), s.valid_until >= as_of))
    return [_json(row, company) for row in conn.execute(query)]


def specific_in_force(conn: Connection, company: Company, as_of: date) -> dict[int, Specific]:
    """customer_id -> the specific provision in force on the day (the latest starting by then)."""
    s = specific_provisions.c
    rows = conn.execute(select(s.id, s.customer_id, s.rate, s.amount, s.reason, s.valid_from).where(
        s.company_id == company.id, s.valid_from <= as_of, or_(s.valid_until.is_(None), s.valid_until >= as_of))
        .order_by(s.customer_id, s.valid_from, s.id))
    found: dict[int, Specific] = {}
    for row in rows:  # in start order: the latest wins
        found[row.customer_id] = Specific(
            rate=None if row.rate is None else Decimal(row.rate),
            amount=None if row.amount is None else from_minor(row.amount, company.base_currency), reason=row.reason)
    return found

