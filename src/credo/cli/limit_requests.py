"""`credo credit limit request|approve|reject|withdraw|list|show` and `credo credit settings`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from credo import clock
from credo.cli import context
from credo.cli.credit import credit_app
from credo.cli.dates import ToOpenPeriod
from credo.cli.limits import Listing, amount_option, day_option, in_company, limit_app, operator
from credo.cli.output import Format, FormatOption, OutOption, emit
from credo.cli.reports import CompanyOption

COLUMNS = ["id", "customer", "group", "amount", "currency", "term_days", "rating", "valid_from", "valid_to",
           "policy_exception", "status", "requested_by", "decided_by", "decision_note"]


def _show(found: dict, fmt: Format, out: Path | None) -> None:
    emit(Listing(f"Limit request {found['id']}", COLUMNS, [found]), fmt, out)


@limit_app.command("request")
def request(
    customer: Optional[str] = typer.Option(None, "--customer", help="The customer code (or --group)."),
    group: Optional[str] = typer.Option(None, "--group", help="The customer group's code (or --customer)."),
    amount: str = typer.Option(..., "--amount", help="The proposed limit."),
    currency: Optional[str] = typer.Option(None, "--currency", help="The limit's currency (default: the base)."),
    term_days: int = typer.Option(..., "--term-days", min=0, help="The approved payment term in days."),
    rating: str = typer.Option(..., "--rating", help="The rating the approval gives: A to E."),
    reason: str = typer.Option(..., "--reason", help="Why the change is asked for."),
    valid_from: Optional[str] = typer.Option(None, "--valid-from", help="In force from (default: today)."),
    valid_to: Optional[str] = typer.Option(None, "--valid-to", help="A temporary limit: in force until this day."),
    review_due: Optional[str] = typer.Option(None, "--review-due", help="Review by (default: by the rating)."),
    policy_exception: Optional[str] = typer.Option(
        None, "--policy-exception", help="Why a limit above 0 stands although the credit policy gives the rating no "
                                         "credit (D, E by default): required then, refused otherwise."),
    to_open_period: bool = ToOpenPeriod,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Ask for a limit or term change; a second person approves it (credit limit approve)."""
    from credo.services.credit.requests import Proposal, request_limit

    proposal = Proposal(amount_option(amount), term_days, rating, reason, currency, day_option(valid_from, "--valid-from"),
                        day_option(valid_to, "--valid-to"), day_option(review_due, "--review-due"),
                        policy_exception)
    found = in_company(company, lambda conn, chosen, _: request_limit(
        conn, chosen, context.scope(), operator(), proposal, customer=customer, group=group, today=clock.today(),
        to_open_period=to_open_period))
    _show(found, fmt, out)


@limit_app.command("approve")
def approve(
    request_id: int = typer.Argument(..., help="The request's id."),
    note: str = typer.Option("", "--note", help="A note on the decision."),
    to_open_period: bool = ToOpenPeriod,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Approve a pending request (not your own above the self-approval limit): its line is in force
    from its valid-from day (in a closed period since the request: refused, or see --to-open-period)."""
    from credo.services.credit import requests

    found = in_company(company, lambda conn, chosen, _: requests.approve(conn, chosen, request_id, operator(), note,
                                                                         clock.today(), to_open_period=to_open_period))
    _show(found, fmt, out)


@limit_app.command("reject")
def reject(
    request_id: int = typer.Argument(..., help="The request's id."),
    note: str = typer.Option(..., "--note", help="Why it is rejected."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Reject a pending request, saying why."""
    from credo.services.credit import requests

    found = in_company(company, lambda conn, chosen, _: requests.reject(conn, chosen, request_id, operator(), note))
    _show(found, fmt, out)


@limit_app.command("withdraw")
def withdraw(
    request_id: int = typer.Argument(..., help="The request's id."),
    note: str = typer.Option("", "--note", help="Why it is withdrawn."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Withdraw your own pending request."""
    from credo.services.credit import requests

    in_company(company, lambda conn, chosen, _: requests.withdraw(conn, chosen, request_id, operator(), note))
    typer.echo(f"limit request {request_id} withdrawn")


@limit_app.command("list")
def list_(
    status: Optional[str] = typer.Option(None, "--status", help="pending, approved, rejected or withdrawn."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Limit requests and their decisions, newest first."""
    from credo.services.credit.requests import list_requests

    items = in_company(company, lambda conn, chosen, _: list_requests(conn, chosen, context.scope(), status))
    emit(Listing("Limit requests", COLUMNS, items), fmt, out)


@limit_app.command("show")
def show(
    request_id: int = typer.Argument(..., help="The request's id."),
    fmt: Format = typer.Option(Format.json, "--format", help="json, table, csv or xlsx (xlsx: with --out)."),
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """One request with its proposal, reason and decision."""
    from credo.services.credit.requests import show_request

    found = in_company(company, lambda conn, chosen, _: show_request(conn, chosen, context.scope(), request_id))
    _show(found, fmt, out)


@credit_app.command("settings")
def settings(
    check_points: Optional[str] = typer.Option(None, "--check-points", help="Where the check runs: order, "
                                                                            "delivery, invoice (comma-separated)."),
    tolerance: Optional[str] = typer.Option(None, "--tolerance", help="Share over the limit that only warns, "
                                                                      "e.g. 0.05."),
    overdue_days: Optional[int] = typer.Option(None, "--overdue-days", min=0, help="Past due beyond this blocks."),
    levels: Optional[str] = typer.Option(None, "--levels", help="Who approves what amount, e.g. "
                                         "100000:credit_manager,1000000:controller,admin, or "
                                         "100000:credit_manager,controller (the controller without bound); "
                                         "the requester never approves."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Show the company's credit settings, or change the ones given."""
    import json

    from credo.services.credit.settings import change_credit_settings, settings_json

    found = in_company(company, lambda conn, chosen, actor: change_credit_settings(
        conn, chosen, actor, check_points=check_points, tolerance_share=tolerance, overdue_days=overdue_days,
        approval_levels=levels))
    typer.echo(json.dumps(settings_json(found), indent=2))
