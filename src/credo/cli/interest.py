"""`credo interest terms|settings|report|charge|waive|approve|reject|waivers`: late interest (逾期罚息).
The command line acts as its operator (CREDO_ACTOR) with an administrator's rights; the four-eyes
rule of waivers still compares the operator's name."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from credo.cli import context
from credo.cli.app import app, err, new_app
from credo.cli.limits import Listing, amount_option, in_company, operator
from credo.cli.output import Format, FormatOption, OutOption, emit
from credo.cli.reports import AsOf, CompanyOption

interest_app = new_app("Late interest and fees (逾期罚息): terms, the report, debit notes, waivers.")
app.add_typer(interest_app, name="interest")
terms_app = new_app("Interest terms per customer or the company default, each in force from a date.")
interest_app.add_typer(terms_app, name="terms")

TERMS = ["id", "customer", "valid_from", "statute", "rate", "basis", "day_basis", "grace_days", "fixed_fee",
         "raise_debit_note", "actor"]
WAIVERS = ["id", "customer", "invoice", "amount", "currency", "reason", "status", "waived_on", "requested_by",
           "decided_by", "decision_note", "credit_note"]
CustomerOption = typer.Option(None, "--customer", help="One customer's code (default: every customer).")


@terms_app.command("set")
def terms_set(
    customer: Optional[str] = typer.Option(None, "--customer", help="The customer (default: the company default)."),
    valid_from: Optional[str] = typer.Option(None, "--valid-from", help="In force from (default: today)."),
    statute: str = typer.Option("contract", "--statute", help="contract, eu_2011_7 or uk_1998."),
    rate: str = typer.Option("0", "--rate", help="Percent (a year or a day); statutes: the margin (8)."),
    basis: str = typer.Option("annual", "--basis", help="annual or daily (万分之五 = --rate 0.05 --basis daily)."),
    day_basis: int = typer.Option(365, "--day-basis", help="Days an annual rate is spread over: 365 or 360."),
    grace_days: int = typer.Option(0, "--grace-days", min=0, help="Days after the due date free of interest."),
    fixed_fee: str = typer.Option("0", "--fixed-fee", help="A contract's fixed fee per late invoice."),
    debit_note: bool = typer.Option(False, "--debit-note/--no-debit-note", help="Raise debit notes for it."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Add interest terms in force from a date (earlier terms stay, as history)."""
    from credo.services.collections.interest_terms import set_interest_terms

    found = in_company(company, lambda conn, chosen, actor: set_interest_terms(
        conn, chosen, actor, customer=customer, valid_from=context.parse_day(valid_from, "--valid-from"),
        statute=statute, rate=rate, basis=basis, day_basis=day_basis, grace_days=grace_days, fixed_fee=fixed_fee,
        raise_debit_note=debit_note))
    emit(Listing("Interest terms", TERMS, [found]), fmt, out)


@terms_app.command("show")
def terms_show(customer: Optional[str] = CustomerOption, fmt: Format = FormatOption, out: Optional[Path] = OutOption,
               company: Optional[str] = CompanyOption) -> None:
    """Every interest terms row, history included (the company default first)."""
    from credo.services.collections.interest_terms import list_interest_terms

    items = in_company(company, lambda conn, chosen, _: list_interest_terms(conn, chosen, customer))
    emit(Listing("Interest terms", TERMS, items), fmt, out)


@interest_app.command("settings")
def settings(
    waiver_threshold: Optional[str] = typer.Option(None, "--waiver-threshold", help="Base currency: a credit manager approves a waiver up to it, a controller above it (never the requester)."),
    settle_order: Optional[str] = typer.Option(None, "--settle-order", help="e.g. costs,interest,principal."),
    debit_note_days: Optional[int] = typer.Option(None, "--debit-note-days", min=0, help="Debit notes due after (0: at once)."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Show the interest settings, or change the ones given."""
    from credo.services.collections.interest_terms import change_interest_settings, interest_settings_of

    def work(conn, chosen, actor):
        if waiver_threshold is None and settle_order is None and debit_note_days is None:
            return interest_settings_of(conn, chosen)
        return change_interest_settings(conn, chosen, actor, waiver_threshold=waiver_threshold,
                                        settle_order=settle_order, debit_note_days=debit_note_days)

    emit(Listing("Interest settings", ["waiver_threshold", "settle_order", "debit_note_days"],
                 [in_company(company, work).to_json()]), Format.table, None)


@interest_app.command("report")
def report(as_of: Optional[str] = AsOf, customer: Optional[str] = CustomerOption, fmt: Format = FormatOption,
           out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Interest and fees accrued on each late invoice as of the date, what is charged, waived and still to charge."""
    from credo.services.collections.interest import interest_report

    emit(in_company(company, lambda conn, chosen, _: interest_report(
        conn, chosen, context.parse_day(as_of, "--as-of"), customer)), fmt, out)


@interest_app.command("charge")
def charge(as_of: Optional[str] = AsOf, customer: Optional[str] = CustomerOption,
           to_open_period: bool = typer.Option(False, "--to-open-period", help="--as-of in a closed period (on or "
                                               "before the lock date): charge as of the first open day instead."),
           fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Raise debit notes for the interest and fees accrued up to the date and not charged yet (idempotent)."""
    from credo.services.collections.charges import charge_interest

    found = in_company(company, lambda conn, chosen, actor: charge_interest(
        conn, chosen, context.parse_day(as_of, "--as-of"), actor, customer, to_open_period=to_open_period))
    emit(found, fmt, out)
    for reason in found.skipped:
        err.print(reason)


@interest_app.command("waive")
def waive(
    invoice: str = typer.Argument(..., help="The invoice (uncharged interest) or debit note."),
    amount: str = typer.Option(..., "--amount", help="The amount waived, in the invoice's currency."),
    reason: str = typer.Option(..., "--reason", help="Why."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="The day it counts from (default: today)."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Ask to waive interest; within the threshold it is approved at once."""
    from credo.services.collections.waivers import request_waiver

    found = in_company(company, lambda conn, chosen, _: request_waiver(
        conn, chosen, operator(), invoice=invoice, amount=amount_option(amount), reason=reason,
        today=context.parse_day(as_of, "--as-of")))
    emit(Listing("Interest waiver", WAIVERS, [found]), fmt, out)


@interest_app.command("approve")
def approve(waiver_id: int = typer.Argument(..., help="The waiver's id."),
            note: str = typer.Option("", "--note", help="A note on the decision."),
            as_of: Optional[str] = typer.Option(None, "--as-of", help="The day it counts from (default: today)."),
            fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Approve a pending waiver (never your own)."""
    from credo.services.collections.waivers import approve_waiver

    found = in_company(company, lambda conn, chosen, _: approve_waiver(
        conn, chosen, waiver_id, operator(), note, context.parse_day(as_of, "--as-of")))
    emit(Listing("Interest waiver", WAIVERS, [found]), fmt, out)


@interest_app.command("reject")
def reject(waiver_id: int = typer.Argument(..., help="The waiver's id."),
           note: str = typer.Option(..., "--note", help="Why it is rejected."),
           fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Reject a pending waiver, saying why."""
    from credo.services.collections.waivers import reject_waiver

    found = in_company(company, lambda conn, chosen, _: reject_waiver(conn, chosen, waiver_id, operator(), note))
    emit(Listing("Interest waiver", WAIVERS, [found]), fmt, out)


@interest_app.command("waivers")
def waivers(status: Optional[str] = typer.Option(None, "--status", help="pending, approved or rejected."),
            fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Waivers, newest first."""
    from credo.services.collections.waivers import list_waivers

    items = in_company(company, lambda conn, chosen, _: list_waivers(conn, chosen, status))
    emit(Listing("Interest waivers", WAIVERS, items), fmt, out)
