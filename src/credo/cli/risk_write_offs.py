"""`credo risk write-off request|approve|reject|list`, `credo risk recover`, `credo risk movement`,
`credo risk journal` and `credo risk journal-accounts`: write-offs (核销), maker-checker, recoveries,
the allowance's movement and its journal. The command line acts as its operator (CREDO_ACTOR) with an
administrator's rights; the four-eyes rule still compares the operator's name.

The allowance as of a date is the company's provision (`credo risk provision`, its settings and
method, or `--method`); `--rate` replaces it by a plain rule: that share of what is open more than
90 days past due (services/risk/provision_movement.py)."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from credo import clock
from credo.cli import context
from credo.cli.app import err, new_app
from credo.cli.dates import ToOpenPeriod
from credo.cli.limits import Listing, amount_option, in_company, operator
from credo.cli.output import Format, emit
from credo.cli.output import FormatOption, OutOption
from credo.cli.reports import CompanyOption
from credo.cli.risk import risk_app
from credo.errors import InvalidInput

write_off_app = new_app("Write-offs (核销) of uncollectable balances, maker-checker: request, approve, reject, list.")
risk_app.add_typer(write_off_app, name="write-off")

COLUMNS = ["id", "customer", "written_off_on", "amount", "currency", "base_amount", "recovered_amount", "reason",
           "status", "requested_by", "decided_by", "decision_note", "invoices"]
RateOption = typer.Option(None, "--rate", help="Instead of the company's provision: this share (0.5 or 50%) of "
                                               "what is open over 90 days past due.")
MethodOption = typer.Option(None, "--method", help="The provision's method, matrix or aging-table (default: the "
                                                   "company's setting).")
FromOption = typer.Option(..., "--from", help="First day of the period, YYYY-MM-DD.")
ToOption = typer.Option(..., "--to", help="Last day of the period, YYYY-MM-DD.")


def _listing(items: list[dict]) -> Listing:
    shown = [item | {"invoices": [x["invoice"] for x in item["invoices"]]} for item in items]
    return Listing("Write-offs", COLUMNS, shown)


@write_off_app.command("request")
def request(
    invoice: Optional[List[str]] = typer.Argument(None, help="The invoices to write off (or --customer)."),
    customer: Optional[str] = typer.Option(None, "--customer", help="Write off this customer's open balance."),
    amount: Optional[str] = typer.Option(None, "--amount", help="The amount (default: all that is open)."),
    currency: Optional[str] = typer.Option(None, "--currency", help="With --customer: the currency, if several."),
    reason: str = typer.Option(..., "--reason", help="Why it cannot be collected."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The day it is booked on (default: today)."),
    to_open_period: bool = ToOpenPeriod,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Ask to write off invoices (or a customer's open balance); a second person approves it."""
    from credo.services.risk.write_offs import request_write_off

    found = in_company(company, lambda conn, chosen, _: request_write_off(
        conn, chosen, operator(), reason=reason, on=context.parse_day(as_of, "--as-of"), today=clock.today(),
        invoices_named=invoice or (), customer=customer,
        amount=None if amount is None else amount_option(amount), currency=currency, to_open_period=to_open_period))
    emit(_listing([found]), fmt, out)


@write_off_app.command("approve")
def approve(write_off_id: int = typer.Argument(..., help="The write-off's id."),
            note: str = typer.Option("", "--note", help="A note on the decision."),
            to_open_period: bool = ToOpenPeriod,
            fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Approve a pending write-off (never your own): it is booked dated on its date (its period closed
    since: refused, or on the first open day with --to-open-period)."""
    from credo.services.risk.write_offs import approve_write_off

    found = in_company(company, lambda conn, chosen, _: approve_write_off(conn, chosen, write_off_id, operator(), note,
                                                                          to_open_period=to_open_period))
    emit(_listing([found]), fmt, out)


@write_off_app.command("reject")
def reject(write_off_id: int = typer.Argument(..., help="The write-off's id."),
           note: str = typer.Option(..., "--note", help="Why it is rejected."),
           fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Reject a pending write-off, saying why."""
    from credo.services.risk.write_offs import reject_write_off

    found = in_company(company, lambda conn, chosen, _: reject_write_off(conn, chosen, write_off_id, operator(), note))
    emit(_listing([found]), fmt, out)


@write_off_app.command("list")
def listing(status: Optional[str] = typer.Option(None, "--status", help="pending, approved or rejected."),
            fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Write-offs, newest first."""
    from credo.services.risk.write_offs import list_write_offs

    emit(_listing(in_company(company, lambda conn, chosen, _: list_write_offs(conn, chosen, status))), fmt, out)


@risk_app.command("recover")
def recover(
    write_off_id: int = typer.Argument(..., help="The write-off's id."),
    amount: Optional[str] = typer.Option(None, "--amount", help="The amount recovered (default: all that is left, "
                                                                "or the payment's unapplied amount)."),
    payment: Optional[str] = typer.Option(None, "--payment", help="The payment's ref, applied to the reinstated invoices."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The recovery date (default: today)."),
    note: str = typer.Option("", "--note", help="A note."),
    to_open_period: bool = ToOpenPeriod,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Reverse a write-off (fully or partly) as of the recovery date: the balance is reinstated, the payment applied."""
    from credo.services.risk.write_offs import recover as recover_write_off

    found = in_company(company, lambda conn, chosen, actor: recover_write_off(
        conn, chosen, write_off_id, actor, on=context.parse_day(as_of, "--as-of"),
        amount=None if amount is None else amount_option(amount), payment=payment, note=note,
        to_open_period=to_open_period))
    emit(_listing([found]), fmt, out)


@risk_app.command("movement")
def movement(
    start: str = FromOption,
    end: str = ToOption,
    monthly: bool = typer.Option(False, "--monthly", help="One row per calendar month."),
    rate: Optional[str] = RateOption,
    method: Optional[str] = MethodOption,
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """The allowance's movement: opening, charge, used by write-offs, recovered, released, closing."""
    from credo.services.risk.provision_movement import allowance_rule, movement_report

    first, last = context.parse_day(start, "--from"), context.parse_day(end, "--to")
    emit(in_company(company, lambda conn, chosen, _: movement_report(
        conn, chosen, first, last, allowance_rule(conn, chosen, rate, method), monthly)), fmt, out)


@risk_app.command("journal")
def journal(
    start: str = FromOption,
    end: str = ToOption,
    out: Path = typer.Option(..., "-o", "--out", help="FILE.csv or FILE.xlsx."),
    rate: Optional[str] = RateOption,
    method: Optional[str] = MethodOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Export the period's journal entries (charge or release, write-offs, recoveries) for the general ledger."""
    from credo.services.risk.provision_movement import allowance_rule, journal_report, write_journal

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise InvalidInput(f"-o {out}: name a .csv or .xlsx file")
    first, last = context.parse_day(start, "--from"), context.parse_day(end, "--to")
    found = in_company(company, lambda conn, chosen, _: journal_report(
        conn, chosen, first, last, allowance_rule(conn, chosen, rate, method)))
    write_journal(found, out, fmt)
    err.print(f"wrote {out}: {len(found.entries)} entries, debits {found.debits} = credits {found.credits} "
              f"{found.currency}")


@risk_app.command("journal-accounts")
def journal_accounts(
    impairment_loss: Optional[str] = typer.Option(None, "--impairment-loss", help="信用减值损失 (default 6702)."),
    allowance: Optional[str] = typer.Option(None, "--allowance", help="坏账准备 (default 1231)."),
    receivables: Optional[str] = typer.Option(None, "--receivables", help="应收账款 (default 1122)."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Show the journal's account codes, or change the ones given."""
    from credo.services.risk.provision_movement import accounts_of, set_accounts

    def work(conn, chosen, actor):
        if impairment_loss is None and allowance is None and receivables is None:
            return accounts_of(conn, chosen)
        return set_accounts(conn, chosen, actor, impairment_loss=impairment_loss, allowance=allowance,
                            receivables=receivables)

    emit(Listing("Journal accounts", ["impairment_loss", "allowance", "receivables"],
                 [vars(in_company(company, work))]), Format.table, None)
