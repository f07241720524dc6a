"""`credo risk provision`, `credo risk specific set|list|end` and `credo risk provision-settings`:
the bad-debt provision (坏账准备), IFRS 9 provision matrix or 账龄分析法, with specific provisions."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Optional

import typer

from credo.cli import context
from credo.cli.app import new_app
from credo.cli.limits import Listing, in_company
from credo.cli.output import Format, emit
from credo.cli.output import FormatOption, OutOption
from credo.cli.reports import AsOf, CompanyOption
from credo.cli.risk import risk_app
from credo.errors import InvalidInput

specific_app = new_app("Specific provisions for named customers (a rate or an amount), overriding the matrix.")
risk_app.add_typer(specific_app, name="specific")
SPECIFIC = ["id", "customer", "name", "rate", "amount", "reason", "valid_from", "valid_until", "actor"]
SETTINGS = ["method", "lookback_months", "forward_factor", "limits", "loss_rate", "matrix_rates", "aging_rates",
            "specific_rule"]


@risk_app.command("provision")
def provision(
    as_of: Optional[str] = AsOf,
    method: Optional[str] = typer.Option(None, "--method", help="matrix or aging-table (default: the settings')."),
    rates: Optional[Path] = typer.Option(None, "--rates", help="A rate table file (bucket, low_days, high_days, rate) "
                                         "instead of the settings' or a derived one."),
    lookback: Optional[int] = typer.Option(None, "--lookback", min=1, max=120,
                                           help="Months of history for the roll rates (default: the settings')."),
    forward_factor: Optional[str] = typer.Option(None, "--forward-factor",
                                                 help="Multiplies every rate, capped at 100 % (e.g. 1.05)."),
    by: str = typer.Option("bucket", "--by", help="The table's lines: bucket or customer (JSON has both)."),
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """The bad-debt provision as of a date: balance, rate and allowance per bucket and per customer."""
    from credo.services.risk.provision import company_provision
    from credo.services.risk.provision_settings import check_method, factor_of, read_rate_file

    day = context.parse_day(as_of, "--as-of")
    if method is not None:
        check_method(method)
    if by not in ("bucket", "customer"):
        raise InvalidInput("--by: bucket or customer")
    factor = None if forward_factor is None else factor_of(forward_factor, "--forward-factor")

    def work(conn, chosen, _):
        from credo.services.risk.provision_settings import provision_settings_of

        chosen_method = method or provision_settings_of(conn, chosen).method
        table = None if rates is None else read_rate_file(rates, "due" if chosen_method == "matrix" else "invoice")
        return company_provision(conn, chosen, day, method=chosen_method, rates=table, lookback_months=lookback,
                                 forward_factor=factor, by=by)

    emit(in_company(company, work), fmt, out)


@specific_app.command("set")
def specific_set(
    customer: str = typer.Argument(..., help="The customer's code."),
    rate: Optional[str] = typer.Option(None, "--rate", help="A share of the balance: 50% or 0.5."),
    amount: Optional[str] = typer.Option(None, "--amount", help="The allowance as assessed, in the base currency."),
    reason: str = typer.Option(..., "--reason", help="Why (a court case, a liquidation, ...)."),
    valid_from: Optional[str] = typer.Option(None, "--from", help="In force from (default: today)."),
    valid_until: Optional[str] = typer.Option(None, "--until", help="Last day in force (default: until ended)."),
    to_open_period: bool = typer.Option(False, "--to-open-period", help="--from in a closed period (on or before "
                                        "the lock date): in force from the first open day instead of refused."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Add a specific provision for a customer (a rate or an amount); the settings' specific rule says
    whether it replaces the collective (matrix) figure or the higher of the two counts."""
    from credo.cli.limits import day_option
    from credo.services.risk.provision_settings import set_specific

    found = in_company(company, lambda conn, chosen, actor: set_specific(
        conn, chosen, actor, customer=customer, rate=rate, amount=amount, reason=reason,
        valid_from=context.parse_day(valid_from, "--from"), valid_until=day_option(valid_until, "--until"),
        to_open_period=to_open_period))
    emit(Listing("Specific provision", SPECIFIC, [found]), fmt, out)


@specific_app.command("list")
def specific_list(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Only those in force on this day (default: all)."),
    customer: Optional[str] = typer.Option(None, "--customer", help="One customer's code."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Specific provisions, history included (or those in force on a day)."""
    from credo.cli.limits import day_option
    from credo.services.risk.provision_settings import list_specific

    items = in_company(company, lambda conn, chosen, _: list_specific(
        conn, chosen, as_of=day_option(as_of, "--as-of"), customer=customer))
    emit(Listing("Specific provisions", SPECIFIC, items), fmt, out)


@specific_app.command("end")
def specific_end(
    provision_id: int = typer.Argument(..., help="The specific provision's id."),
    until: Optional[str] = typer.Option(None, "--until", help="Its last day in force (default: today)."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """End a specific provision (it stays, as history)."""
    from credo.services.risk.provision_settings import end_specific

    found = in_company(company, lambda conn, chosen, actor: end_specific(
        conn, chosen, actor, provision_id, context.parse_day(until, "--until")))
    emit(Listing("Specific provision", SPECIFIC, [found]), fmt, out)


@risk_app.command("provision-settings")
def provision_settings(
    method: Optional[str] = typer.Option(None, "--method", help="matrix or aging-table."),
    lookback: Optional[int] = typer.Option(None, "--lookback", help="Months of roll-rate history (1-120)."),
    forward_factor: Optional[str] = typer.Option(None, "--forward-factor", help="e.g. 1.05."),
    limits: Optional[str] = typer.Option(None, "--limits", help="The derived matrix's days-past-due ladder, "
                                         "buckets of one width, which is also the roll rates' observation "
                                         "step, e.g. 30,60,90,120,150,180."),
    loss_rate: Optional[str] = typer.Option(None, "--loss-rate", help="The last bucket's rate (default 100%)."),
    matrix_rates: Optional[Path] = typer.Option(None, "--matrix-rates", help="A given matrix file (stops deriving)."),
    derive: bool = typer.Option(False, "--derive", help="Derive the matrix from the ledger again."),
    aging_rates: Optional[Path] = typer.Option(None, "--aging-rates", help="The 账龄分析法 table file."),
    specific_rule: Optional[str] = typer.Option(
        None, "--specific-rule", help="What a specific provision does to the customer's collective (matrix) "
        "figure: replace (the specific figure counts; the default) or higher (the higher of the two counts)."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Show the provision settings, or change the ones given."""
    from credo.services.risk.provision_settings import (change_provision_settings, provision_settings_of,
                                                        read_rate_file)

    matrix = None if matrix_rates is None else read_rate_file(matrix_rates, "due")
    aging = None if aging_rates is None else read_rate_file(aging_rates, "invoice")
    changes = dict(method=method, lookback_months=lookback, forward_factor=forward_factor, limits=limits,
                   loss_rate=loss_rate, matrix_rates=matrix, aging_rates=aging, specific_rule=specific_rule)

    def work(conn, chosen, actor):
        if all(v is None for v in changes.values()) and not derive:
            return provision_settings_of(conn, chosen)
        return change_provision_settings(conn, chosen, actor, derive=derive, **changes)

    shown = in_company(company, work).to_json()
    for key in ("matrix_rates", "aging_rates"):
        if shown[key] is not None and fmt is not Format.json:  # one cell per setting in a table, CSV or XLSX
            shown[key] = ", ".join(f"{r['bucket']} {Decimal(r['rate']) * 100:f}%" for r in shown[key])
    emit(Listing("Provision settings", SETTINGS, [shown]), fmt, out)
