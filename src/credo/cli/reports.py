"""Report commands: aging, dso, metrics, trends, behaviour, and the portfolio summary."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from credo.cli import context
from credo.cli.app import app, new_app
from credo.cli.output import Format, FormatOption, OutOption, emit, print_table
from credo.errors import InvalidInput
from credo.services.reports.aging import aging_report
from credo.services.reports.behaviour import behaviour_report
from credo.services.reports.dso import dso_report
from credo.services.reports.period import default_period, period_metrics
from credo.services.reports.summary import portfolio_summary
from credo.services.reports.trends import trend_report
from credo.store.queries import BY_KEYS

report_app = new_app("Reports as of any date: aging, DSO, measures, trends, payment behaviour.")
app.add_typer(report_app, name="report")

AsOf = typer.Option(None, "--as-of", help="Report date, YYYY-MM-DD (default: today).")
CompanyOption = typer.Option(None, "--company", help="Company code (default: CREDO_COMPANY, or the only company).")


def _check_by(by: str | None) -> None:
    if by is not None and by not in BY_KEYS:
        raise InvalidInput(f"--by {by!r}: use one of {', '.join(BY_KEYS)}")


@report_app.command("aging")
def aging(
    as_of: Optional[str] = AsOf,
    by: str = typer.Option("customer", help=f"Group by {', '.join(BY_KEYS)}."),
    basis: str = typer.Option("due", help="due (days past due) or invoice (days since invoice)."),
    buckets: Optional[str] = typer.Option(None, help="Bucket limits in days, e.g. 30,60,90,180,365 (the default)."),
    currency: Optional[str] = typer.Option(None, help="Only this currency, in that currency (default: all, in base)."),
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Open receivables by age bucket, with unapplied cash beside them and the net."""
    _check_by(by)
    config = context.settings()
    with context.transaction(config) as conn:
        report = aging_report(conn, context.company(conn, config, company), context.parse_day(as_of, "--as-of"),
                              buckets, by=by, basis=basis, currency=currency.upper() if currency else None)
    emit(report, fmt, out)


@report_app.command("dso")
def dso(
    as_of: Optional[str] = AsOf,
    days: int = typer.Option(90, help="Days of credit sales the standard DSO divides by."),
    method: str = typer.Option("standard", help="standard or countback."),
    by: Optional[str] = typer.Option(None, help=f"Also one row per {', '.join(BY_KEYS)}."),
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Days sales outstanding, best possible DSO and average days delinquent."""
    _check_by(by)
    config = context.settings()
    with context.transaction(config) as conn:
        report = dso_report(conn, context.company(conn, config, company), context.parse_day(as_of, "--as-of"),
                            days=days, method=method, by=by)
    emit(report, fmt, out)


def _period(start: str | None, end: str | None):
    last = context.parse_day(end, "--to")
    return default_period(context.parse_day(start, "--from") if start else None, last, last)


@report_app.command("metrics")
def metrics(
    start: Optional[str] = typer.Option(None, "--from", help="First day (default: a year before --to)."),
    end: Optional[str] = typer.Option(None, "--to", help="Last day (default: today)."),
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """AR turnover, CEI, collection rate (回款率), overdue ratio and DSO for a period."""
    first, last = _period(start, end)
    config = context.settings()
    with context.transaction(config) as conn:
        report = period_metrics(conn, context.company(conn, config, company), first, last)
    emit(report, fmt, out)


@report_app.command("trends")
def trends(
    start: Optional[str] = typer.Option(None, "--from", help="First day (default: a year before --to)."),
    end: Optional[str] = typer.Option(None, "--to", help="Last day (default: today)."),
    days: int = typer.Option(90, help="Days of sales behind each month's DSO."),
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Month-end receivables, overdue, DSO, CEI and collection rate, month by month."""
    first, last = _period(start, end)
    config = context.settings()
    with context.transaction(config) as conn:
        report = trend_report(conn, context.company(conn, config, company), first, last, days)
    emit(report, fmt, out)


@report_app.command("behaviour")
def behaviour(
    as_of: Optional[str] = AsOf,
    months: int = typer.Option(12, min=1, help="Look back this many months."),
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Each customer's average days to pay and days late (amount-weighted) on settled invoices."""
    config = context.settings()
    with context.transaction(config) as conn:
        report = behaviour_report(conn, context.company(conn, config, company), context.parse_day(as_of, "--as-of"),
                                  months)
    emit(report, fmt, out)


@app.command()
def summary(
    as_of: Optional[str] = AsOf,
    top: int = typer.Option(10, min=1, help="How many overdue customers to list."),
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """The portfolio at a glance: aging, DSO, measures and the customers most overdue."""
    config = context.settings()
    with context.transaction(config) as conn:
        result = portfolio_summary(conn, context.company(conn, config, company), context.parse_day(as_of, "--as-of"), top)
    if fmt is not Format.table:
        emit(result, fmt, out)
        return
    console = Console()
    console.print(f"[bold]{result.company.name}[/] ({result.company.code}) as of {result.as_of}, in {result.currency}")
    for table in result.tables():
        print_table(table, console)
