"""Companies: the legal entities whose ledgers credo keeps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from credo.domain.money import is_currency_code
from credo.errors import InvalidInput, NotFound
from credo.services import audit
from credo.store.tables import companies


@dataclass(frozen=True)
class Company:
    id: int
    code: str
    name: str
    base_currency: str
    calendar: str | None


def _company(row) -> Company:
    return Company(row.id, row.code, row.name, row.base_currency, row.calendar)


def add_company(
    conn: Connection, *, code: str, name: str, base_currency: str, calendar: str | None, actor: str
) -> Company:
    """Create a company; its code is what every command's --company names."""
    base_currency = base_currency.upper()
    if not is_currency_code(base_currency):
        raise InvalidInput(f"base currency {base_currency!r} is not a three-letter ISO code")
    if conn.execute(select(companies.c.id).where(companies.c.code == code)).first():
        raise InvalidInput(f"company {code!r} exists already")
    if calendar:
        _check_calendar(calendar)
    values = dict(code=code, name=name, base_currency=base_currency, calendar=calendar or None)
    new_id = conn.execute(insert(companies).values(**values)).inserted_primary_key[0]
    audit.record(conn, actor=actor, action="create", entity="company", key=code, company_id=new_id, after=values)
    return Company(new_id, code, name, base_currency, calendar or None)


DEFAULT_CODE = "MAIN"  # the first company's code when neither `credo init --company` nor CREDO_COMPANY names one


def first_company(
    conn: Connection, *, code: str | None, name: str | None, base_currency: str, calendar: str | None, actor: str
) -> tuple[Company | None, bool]:
    """What `credo init` does about companies, safe to run again: the named company, created when
    missing; with no code, a first company under DEFAULT_CODE when the database has none (else
    nothing). Returns the company (None: nothing named, some exist) and whether it was created."""
    if code is None and list_companies(conn):
        return None, False
    chosen = code or DEFAULT_CODE
    found = conn.execute(select(companies).where(companies.c.code == chosen)).first()
    if found is not None:
        return _company(found), False
    return add_company(conn, code=chosen, name=name or chosen, base_currency=base_currency, calendar=calendar,
                       actor=actor), True


def _check_calendar(calendar: str) -> None:
    import holidays

    if calendar.upper() not in holidays.list_supported_countries():
        raise InvalidInput(f"no holiday calendar for {calendar!r}: use a country code such as CN, US, DE")


def list_companies(conn: Connection) -> list[Company]:
    return [_company(row) for row in conn.execute(select(companies).order_by(companies.c.code))]


def get_company(conn: Connection, code: str | None) -> Company:
    """The named company, or the only one when none is named."""
    if code:
        row = conn.execute(select(companies).where(companies.c.code == code)).first()
        if row is None:
            raise NotFound(f"no company {code!r}: see `credo company list`")
        return _company(row)
    found = list_companies(conn)
    if not found:
        raise NotFound("no company yet: run `credo init --company CODE` (CODE: a short code such as SH01; "
                       "`credo demo` builds a demo company)")
    if len(found) > 1:
        codes = ", ".join(c.code for c in found)
        raise InvalidInput(f"several companies ({codes}): name one with --company or CREDO_COMPANY")
    return found[0]


def business_day_rule(company: Company):
    """A date -> bool for the company's holiday calendar, or None when due dates do not roll."""
    if not company.calendar:
        return None
    import holidays

    calendar = holidays.country_holidays(company.calendar.upper())
    return lambda day: day.weekday() < 5 and day not in calendar
