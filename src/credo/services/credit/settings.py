"""A company's credit settings: where the check runs, the tolerance, the overdue days N and the
approval levels. No row: the defaults (`domain.credit.limits.CreditSettings()`); every change is
written to the audit log with the values before and after."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Connection, delete, insert, select

from credo.domain.approval import levels_text, parse_levels
from credo.domain.credit.limits import CreditSettings
from credo.errors import InvalidInput
from credo.services import audit, lookups
from credo.services.companies import Company
from credo.store.limit_tables import credit_control_settings


def credit_settings_of(conn: Connection, company: Company) -> CreditSettings:
    """A `lookups.lasting` value (every change is audited)."""
    return lookups.lasting(("credit settings", company.id), lambda: _read(conn, company))


def _read(conn: Connection, company: Company) -> CreditSettings:
    row = conn.execute(select(credit_control_settings).where(credit_control_settings.c.company_id == company.id)).first()
    if row is None:
        return CreditSettings()
    return CreditSettings(check_points=tuple(p for p in row.check_points.split(",") if p),
                          tolerance_share=Decimal(row.tolerance_share), overdue_days=row.overdue_days,
                          levels=parse_levels(row.approval_levels))


def settings_json(settings: CreditSettings) -> dict:
    return {"check_points": list(settings.check_points), "tolerance_share": str(settings.tolerance_share),
            "overdue_days": settings.overdue_days, "approval_levels": levels_text(settings.levels)}


def change_credit_settings(conn: Connection, company: Company, actor: str, *, check_points: str | None = None,
                           tolerance_share: str | None = None, overdue_days: int | None = None,
                           approval_levels: str | None = None) -> CreditSettings:
    """Change the named settings (the others stay); InvalidInput says what is wrong."""
    before = credit_settings_of(conn, company)
    try:
        after = CreditSettings(
            check_points=before.check_points if check_points is None
            else tuple(p.strip() for p in check_points.split(",") if p.strip()),
            tolerance_share=before.tolerance_share if tolerance_share is None else Decimal(tolerance_share),
            overdue_days=before.overdue_days if overdue_days is None else overdue_days,
            levels=before.levels if approval_levels is None else parse_levels(approval_levels))
    except (ValueError, ArithmeticError) as error:
        raise InvalidInput(f"credit settings: {error}") from None
    if after == before:
        return after
    conn.execute(delete(credit_control_settings).where(credit_control_settings.c.company_id == company.id))
    conn.execute(insert(credit_control_settings).values(
        company_id=company.id, check_points=",".join(after.check_points), tolerance_share=str(after.tolerance_share),
        overdue_days=after.overdue_days, approval_levels=levels_text(after.levels)))
    audit.record(conn, actor=actor, action="update", entity="credit_control_settings", key=company.code,
                 company_id=company.id, before=settings_json(before), after=settings_json(after))
    return after
