"""The dashboard's figures as of a date: receivables, overdue, aging by bucket, the customers most
overdue and, for those who read company-wide reports, DSO and its monthly trend. One call, one
frozen value; the page only formats it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import Connection

from credo.services.access import Scope
from credo.services.companies import Company
from credo.services.reports.aging import aging_report
from credo.services.reports.dso import dso_report
from credo.services.reports.trends import trend_report
from credo.store import queries

DSO_DAYS = 90
TREND_MONTHS = 12
TOP_OVERDUE = 10


@dataclass(frozen=True)
class OverdueCustomer:
    code: str
    name: str | None
    overdue: Decimal
    total: Decimal


@dataclass(frozen=True)
class TrendMonth:
    month_end: date
    receivables: Decimal
    overdue: Decimal
    dso: Decimal | None
    best_possible_dso: Decimal | None


@dataclass(frozen=True)
class DashboardFigures:
    as_of: date
    currency: str
    portfolio: bool  # True: the figures cover the asker's portfolio only
    open_invoices: Decimal
    overdue: Decimal
    unapplied: Decimal
    net_receivables: Decimal
    overdue_customers: int
    aging: tuple[tuple[str, Decimal], ...]  # (bucket label, amount), oldest last
    top_overdue: tuple[OverdueCustomer, ...]
    # Company-wide, for those allowed to read reports; None otherwise.
    dso: Decimal | None = None
    best_possible_dso: Decimal | None = None
    dso_days: int = DSO_DAYS
    trend: tuple[TrendMonth, ...] | None = None

    @property
    def company_wide(self) -> bool:
        return self.trend is not None


def dashboard_figures(conn: Connection, company: Company, scope: Scope, as_of: date, *,
                      company_measures: bool = False) -> DashboardFigures:
    """The dashboard as of a date for a scope (a portfolio sees its own aging); with
    company_measures (the reports permission), also DSO over 90 days and its 12-month trend."""
    among = queries.among_customers(company.id, scope.customers()) if scope.limited else None
    aging = aging_report(conn, company, as_of, among=among)
    totals = aging.totals
    overdue_rows = [r for r in aging.rows if r.overdue_minor > 0]
    top = sorted(overdue_rows, key=lambda r: (-r.overdue_minor, r.key))[:TOP_OVERDUE]
    figures = dict(
        as_of=as_of, currency=aging.currency, portfolio=scope.limited, open_invoices=totals.total,
        overdue=totals.overdue, unapplied=totals.unapplied, net_receivables=totals.net,
        overdue_customers=len(overdue_rows), aging=tuple(totals.buckets.items()),
        top_overdue=tuple(OverdueCustomer(r.key, r.name, r.overdue, r.total) for r in top),
    )
    if company_measures:
        dso = dso_report(conn, company, as_of, days=DSO_DAYS).total
        figures.update(dso=dso.dso, best_possible_dso=dso.best_possible, trend=_trend(conn, company, as_of))
    return DashboardFigures(**figures)


def _trend(conn: Connection, company: Company, as_of: date) -> tuple[TrendMonth, ...]:
    """Twelve points: the last eleven month ends and the as-of date (itself a month end or not)."""
    start = as_of.replace(day=1) - relativedelta(months=TREND_MONTHS - 1)
    report = trend_report(conn, company, start, as_of, DSO_DAYS)
    return tuple(TrendMonth(p.month_end, p.month.closing_receivables, p.month.closing_overdue, p.dso.dso,
                            p.dso.best_possible) for p in report.points)
