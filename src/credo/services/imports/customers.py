"""Import customers (master data): code and name at least; groups are created when named."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, insert, select

from credo.channels.files import SourceRow, parse_choice, parse_currency, parse_text
from credo.domain.terms import parse_terms
from credo.services import audit
from credo.services.companies import Company
from credo.services.imports.common import (
    Field, ImportOptions, ImportResult, RowIssues, check_header, flag_duplicates, parse_rows, settle_errors, count,
)
from credo.services.imports.staging import Merge, merge
from credo.store.tables import customer_groups, customers

MERGE = Merge(
    table=customers,
    keys=("code",),
    columns=("name", "group_id", "country", "currency", "language", "segment", "collector",
             "salesperson", "contact_name", "contact_email", "contact_phone", "terms", "time_zone"),
)


def _text(limit: int):
    return lambda text: parse_text(text, limit)


def _country(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise ValueError(f"country {text!r} is not a two-letter ISO code (CN, US, DE...)")
    return code


def _time_zone(text: str) -> str:
    """An IANA time zone name (Asia/Shanghai, America/New_York), as zoneinfo knows it."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = text.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"time zone {text!r} is not an IANA time zone name (Asia/Shanghai, Europe/Berlin...)") from None
    return name


def _email(text: str) -> str:
    if "@" not in text or " " in text.strip():
        raise ValueError(f"not an email address: {text!r}")
    return text.strip()


FIELDS = [
    Field("customer_code", _text(64), required=True),
    Field("name", _text(200), required=True),
    Field("group_code", _text(64)),
    Field("group_name", _text(200)),
    Field("country", _country),
    Field("currency", parse_currency),
    Field("language", lambda t: parse_choice(t.lower().replace("-cn", "").replace("_cn", ""), ("zh", "en"))),
    Field("segment", _text(64)),
    Field("collector", _text(64)),
    Field("salesperson", _text(64)),
    Field("contact_name", _text(200)),
    Field("contact_email", _email),
    Field("contact_phone", _text(64)),
    Field("terms", lambda t: parse_terms(t).code),
    Field("time_zone", _time_zone),  # the sending window's (services/collections/sending.py); none: the company's
]


def _guess_language(name: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in name) else "en"


def import_customers(
    conn: Connection, company: Company, path: Path, header: list[str], rows: list[SourceRow],
    options: ImportOptions, actor: str,
) -> ImportResult:
    result = ImportResult("customers", str(path), rows=len(rows))
    check_header(path.name, header, FIELDS)
    issues = RowIssues(path.name)
    parsed = flag_duplicates(parse_rows(rows, FIELDS, issues), "customer_code", issues)
    settle_errors(result, issues, header, options, path)
    groups = _ensure_groups(conn, company, parsed, actor)
    staged_rows = [
        (p.source.row, p.values["customer_code"], p.values["name"], groups.get(p.values["group_code"]),
         p.values["country"], p.values["currency"] or company.base_currency,
         p.values["language"] or _guess_language(p.values["name"]), p.values["segment"], p.values["collector"],
         p.values["salesperson"], p.values["contact_name"], p.values["contact_email"], p.values["contact_phone"], p.values["terms"],
         p.values["time_zone"])
        for p in parsed
    ]
    outcome = merge(conn, MERGE, company.id, staged_rows, entity="customer", actor=actor,
                    settle=lambda conflicts: None)
    count(result, outcome)
    return result


def _ensure_groups(conn: Connection, company: Company, parsed, actor: str) -> dict[str, int]:
    known = dict(conn.execute(select(customer_groups.c.code, customer_groups.c.id).where(
        customer_groups.c.company_id == company.id)).all())
    for item in parsed:
        code = item.values["group_code"]
        if code and code not in known:
            values = dict(company_id=company.id, code=code, name=item.values["group_name"] or code)
            known[code] = conn.execute(insert(customer_groups).values(**values)).inserted_primary_key[0]
            audit.record(conn, actor=actor, action="create", entity="customer_group", key=code,
                         company_id=company.id, after=values)
    return known

