"""The allowance's movement (坏账准备变动表) over a period and its journal export for the general ledger.

Opening is the allowance as of the day before the period, closing as of its last day; `used` is what
write-offs booked in the period took from it and `recovered` what recoveries put back (both from
services/risk/write_offs.py); the charge (计提) or release (转回) is the balancing figure, closing -
opening + used - recovered (domain/risk/write_offs.py). The allowance as of a date is a parameter,
`allowance_at(day) -> Decimal` in the base currency: the integrator passes the provision matrix's
`provision_report(conn, company, day).total_allowance`; `over_90_days_allowance` is a simple rule of
the same shape (a rate times what is open more than 90 days past due).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Callable, TextIO

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection, insert, select, union_all, update

from credo.domain.money import parse_decimal, quantize
from credo.domain.risk.write_offs import Accounts, Booked, Entry, Movement, journal, movement_of
from credo.errors import InvalidInput
from credo.services import audit
from credo.services.companies import Company
from credo.services.reports.common import Converter, Tabular, money_text
from credo.services.risk.write_offs import booked_between, recovered, written_off
from credo.store import queries
from credo.store.tables import invoices
from credo.store.write_off_tables import write_off_accounts

AllowanceAt = Callable[[date], Decimal]
ROWS = ("opening", "charge", "used", "recovered", "released", "closing")
JOURNAL_COLUMNS = ["date", "account", "debit", "credit", "memo"]


MAX_MONTHS = 240  # a monthly movement of more than 20 years no longer reads as a report


def _check_period(start: date, end: date) -> None:
    if start > end:
        raise InvalidInput(f"the period starts ({start}) after it ends ({end})")
    if start.year < 1900 or end.year > 9000:
        raise InvalidInput(f"the period {start} to {end}: years from 1900 to 9000")


def movement(conn: Connection, company: Company, start: date, end: date, allowance_at: AllowanceAt) -> Movement:
    """The allowance's movement from start to end inclusive."""
    _check_period(start, end)
    before = start - timedelta(days=1)
    return movement_of(start, end, allowance_at(before), allowance_at(end),
                       written_off(conn, company, before, end), recovered(conn, company, before, end))


def months(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months (cut to the period) from start to end."""
    _check_period(start, end)
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        raise InvalidInput(f"a monthly movement covers at most {MAX_MONTHS} months")
    out, first = [], start
    while first <= end:
        last = min(first.replace(day=1) + relativedelta(months=1) - timedelta(days=1), end)
        out.append((first, last))
        first = last + timedelta(days=1)
    return out


@dataclass(frozen=True)
class MovementReport:
    currency: str
    periods: tuple[Movement, ...]  # one per month when asked monthly, else one
    total: Movement

    def to_json(self) -> dict[str, Any]:
        return {"currency": self.currency, "total": _json(self.total), "periods": [_json(m) for m in self.periods]}

    def table(self) -> Tabular:
        rows = [_cells(m) for m in self.periods]
        footer = _cells(self.total) if len(self.periods) > 1 else None
        return Tabular(f"Allowance movement {self.total.start} to {self.total.end} ({self.currency})",
                       ["from", "to", *ROWS], rows, footer)


def _json(m: Movement) -> dict[str, Any]:
    return {"from": m.start.isoformat(), "to": m.end.isoformat(),
            **{name: money_text(getattr(m, name)) for name in ROWS}}


def _cells(m: Movement) -> list:
    return [m.start.isoformat(), m.end.isoformat(), *[getattr(m, name) for name in ROWS]]


def movement_report(conn: Connection, company: Company, start: date, end: date, allowance_at: AllowanceAt,
                    monthly: bool = False) -> MovementReport:
    """The period's movement, and with `monthly` one per calendar month (which add up to it)."""
    total = movement(conn, company, start, end, allowance_at)
    periods = tuple(movement(conn, company, a, b, allowance_at) for a, b in months(start, end)) if monthly else (total,)
    return MovementReport(company.base_currency, periods, total)


def over_90_days_allowance(conn: Connection, company: Company, rate: Decimal) -> AllowanceAt:
    """An allowance rule: `rate` (0.5 = 50 %) times the invoices open more than 90 days past due as of
    the day, in the base currency at the day's rates (each currency's total converted, then rounded)."""
    if not 0 <= rate <= 1:
        raise InvalidInput(f"rate {rate}: a share between 0 and 1")

    def allowance_at(day: date) -> Decimal:
        convert = Converter.load(conn, company, day)
        arms = queries.open_invoices(company.id, day, where=(invoices.c.due_date < day - timedelta(days=90),))
        rows = union_all(*arms).subquery()
        query = select(rows.c.currency, queries.money_sum(rows.c.open_amount)).group_by(rows.c.currency)
        total = sum((convert(minor, currency) for currency, minor in conn.execute(query)),
                    convert(0, company.base_currency))
        return quantize(total * rate, company.base_currency)

    return allowance_at


def accounts_of(conn: Connection, company: Company) -> Accounts:
    a = write_off_accounts.c
    row = conn.execute(select(write_off_accounts).where(a.company_id == company.id)).first()
    return Accounts(row.impairment_loss, row.allowance, row.receivables) if row else Accounts()


def set_accounts(conn: Connection, company: Company, actor: str, *, impairment_loss: str | None = None,
                 allowance: str | None = None, receivables: str | None = None) -> Accounts:
    """Change the journal's account codes (those given); audit-logged with the values before."""
    before = accounts_of(conn, company)
    given = {"impairment_loss": impairment_loss, "allowance": allowance, "receivables": receivables}
    values = {}
    for name, value in given.items():
        text = getattr(before, name) if value is None else value.strip()
        if not text or len(text) > 32:
            raise InvalidInput(f"{name}: an account code of 1 to 32 characters")
        values[name] = text
    after = Accounts(**values)
    if after == before:
        return before
    table = write_off_accounts
    if conn.execute(select(table.c.company_id).where(table.c.company_id == company.id)).first():
        conn.execute(update(table).where(table.c.company_id == company.id).values(**values))
    else:
        conn.execute(insert(table).values(company_id=company.id, **values))
    audit.record(conn, actor=actor, action="update", entity="write_off_accounts", key=company.code,
                 company_id=company.id, before=vars(before), after=values)
    return after


@dataclass(frozen=True)
class JournalReport:
    currency: str
    movement: Movement
    entries: tuple[Entry, ...]

    @property
    def debits(self) -> Decimal:
        return sum((e.debit for e in self.entries), self.movement.closing - self.movement.closing)

    @property
    def credits(self) -> Decimal:
        return sum((e.credit for e in self.entries), self.movement.closing - self.movement.closing)

    def rows(self) -> list[list[Any]]:
        return [[e.day.isoformat(), e.account, e.debit, e.credit, e.memo] for e in self.entries]

    def to_json(self) -> dict[str, Any]:
        return {"currency": self.currency, "from": self.movement.start.isoformat(),
                "to": self.movement.end.isoformat(), "debits": money_text(self.debits),
                "credits": money_text(self.credits),
                "entries": [dict(zip(JOURNAL_COLUMNS, [d, a, money_text(dr), money_text(cr), m]))
                            for d, a, dr, cr, m in self.rows()]}

    def table(self) -> Tabular:
        return Tabular(f"Journal {self.movement.start} to {self.movement.end} ({self.currency})", JOURNAL_COLUMNS,
                       self.rows(), ["", "total", self.debits, self.credits, ""])


def journal_report(conn: Connection, company: Company, start: date, end: date,
                   allowance_at: AllowanceAt) -> JournalReport:
    """The period's entries: write-offs and recoveries on their dates, the charge or release on its last day."""
    moved = movement(conn, company, start, end, allowance_at)
    booked = [Booked(**item) for item in booked_between(conn, company, start - timedelta(days=1), end)]
    return JournalReport(company.base_currency, moved, tuple(journal(moved, booked, accounts_of(conn, company))))


def write_journal(report: JournalReport, target: Path | BinaryIO | TextIO, fmt: str) -> None:
    """The journal as CSV (UTF-8 with BOM for a file) or XLSX, debits and credits as numbers."""
    from credo.channels.files import write_csv, write_xlsx

    if fmt == "csv":
        write_csv(target, JOURNAL_COLUMNS, report.rows())
    elif fmt == "xlsx":
        write_xlsx(target, {"journal": (JOURNAL_COLUMNS, report.rows())})
    else:
        raise InvalidInput(f"journal format {fmt!r}: csv or xlsx")


def provision_allowance(conn: Connection, company: Company, method: str | None = None) -> AllowanceAt:
    """The allowance the company's provision gives as of a day (services/risk/provision.py, with the
    company's settings: method, rates, look-back, forward factor, specific provisions)."""
    from credo.services.risk.provision import company_provision

    return lambda day: company_provision(conn, company, day, method=method).total_allowance


def allowance_rule(conn: Connection, company: Company, rate: str | None, method: str | None = None) -> AllowanceAt:
    """The company's provision, or, with a `rate`, that share of what is open over 90 days past due."""
    if rate is None:
        return provision_allowance(conn, company, method)
    return over_90_days_allowance(conn, company, rate_option(rate))


def rate_option(text: str) -> Decimal:
    """A rate given as text (0.5 or 50%)."""
    try:
        value = parse_decimal(text.rstrip("% ")) / (100 if text.strip().endswith("%") else 1)
    except ValueError as error:
        raise InvalidInput(f"rate {text!r}: {error}") from None
    return value

