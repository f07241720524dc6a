"""`credo dispute|promise|plan ...`: disputes (争议发票), promises to pay (承诺付款) and payment plans
(分期付款). The command line acts as its operator (CREDO_ACTOR) and sees every customer."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from credo.cli import context
from credo.cli.app import app, new_app
from credo.cli.dates import OnAlias, as_of_day, as_of_option
from credo.cli.limits import Listing, amount_option, day_option, in_company
from credo.cli.output import Format, FormatOption, OutOption, Sections, emit
from credo.cli.reports import CompanyOption

dispute_app = new_app("Disputes (争议发票): open, investigate, resolve, list, and the root causes report.")
promise_app = new_app("Promises to pay (承诺付款): record, cancel, list with their standing.")
plan_app = new_app("Payment plans (分期付款): agree, cancel, show with each instalment, list.")
app.add_typer(dispute_app, name="dispute")
app.add_typer(promise_app, name="promise")
app.add_typer(plan_app, name="plan")

DISPUTE_COLUMNS = ["id", "customer", "invoice", "amount", "currency", "reason", "owner", "status", "opened_on",
                   "due_on", "resolved_on", "resolution", "credit_note"]
PROMISE_COLUMNS = ["id", "customer", "made_on", "promised_on", "deadline", "amount", "currency", "paid", "channel",
                   "invoices", "standing", "cancelled_on"]
PLAN_COLUMNS = ["id", "customer", "agreed_on", "amount", "currency", "frequency", "invoices", "next_due", "breached",
                "cancelled_on"]
INSTALMENT_COLUMNS = ["number", "due_date", "principal", "interest", "amount", "paid", "standing"]
On = as_of_option("The action's date, YYYY-MM-DD (default: today).")
AsOfOption = typer.Option(None, "--as-of", help="As of this date, YYYY-MM-DD (default: today).")
Notes = typer.Option(None, "--notes", help="Free text kept with it.")


def _one(title: str, columns: list[str], item: dict, fmt: Format, out: Path | None) -> None:
    if fmt is Format.json:
        emit(Listing(title, columns, item), fmt, out)  # to_json() gives the dict itself
    else:
        emit(Listing(title, columns, [item]), fmt, out)


@dispute_app.command("open")
def dispute_open(
    invoice: str = typer.Argument(..., help="The invoice number."),
    reason: str = typer.Option(..., "--reason", help="price, quantity, quality, missing_po, duplicate, delivery, other."),
    owner: str = typer.Option(..., "--owner", help="Who investigates (a username)."),
    amount: Optional[str] = typer.Option(None, "--amount", help="The disputed part (default: all that is open)."),
    due: Optional[str] = typer.Option(None, "--due", help="The day the investigation should end."),
    notes: Optional[str] = Notes, as_of: Optional[str] = On, on: Optional[str] = OnAlias,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Open a dispute on an invoice or part of it: the disputed part leaves dunning while it is open."""
    from credo.services.collections.disputes import open_dispute

    disputed = None if amount is None else amount_option(amount)
    done = in_company(company, lambda conn, chosen, actor: open_dispute(
        conn, chosen, context.scope(), invoice=invoice, reason=reason, owner=owner, actor=actor, amount=disputed,
        due_on=day_option(due, "--due"), notes=notes, opened_on=as_of_day(as_of, on)))
    _one(f"Dispute {done['id']} opened", DISPUTE_COLUMNS, done, fmt, out)


@dispute_app.command("investigate")
def dispute_investigate(
    dispute: int = typer.Argument(..., help="The dispute's id (see `credo dispute list`)."),
    notes: Optional[str] = Notes, as_of: Optional[str] = On, fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Move an open dispute to investigating."""
    from credo.services.collections.disputes import investigate

    day = as_of_day(as_of)
    done = in_company(company, lambda conn, chosen, actor: investigate(conn, chosen, context.scope(), dispute, actor, notes,
                                                                      on=day))
    _one(f"Dispute {dispute} investigating", DISPUTE_COLUMNS, done, fmt, out)


@dispute_app.command("resolve")
def dispute_resolve(
    dispute: int = typer.Argument(..., help="The dispute's id."),
    resolution: Optional[str] = typer.Option(None, "--resolution", help="credit_note, valid or partial (required)."),
    amount: Optional[str] = typer.Option(None, "--amount", help="The credit note's amount (default: all disputed)."),
    credit_note: Optional[str] = typer.Option(None, "--credit-note", help="Its number (default: CN-D<id>)."),
    notes: Optional[str] = Notes, as_of: Optional[str] = On, on: Optional[str] = OnAlias,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Resolve a dispute: valid (the invoice stands, back into dunning), or a credit note for the
    disputed amount (credit_note) or part of it (partial), booked and allocated to the invoice."""
    from credo.services.collections.disputes import resolve

    credited = None if amount is None else amount_option(amount)
    done = in_company(company, lambda conn, chosen, actor: resolve(
        conn, chosen, context.scope(), dispute, resolution, actor, resolved_on=as_of_day(as_of, on),
        amount=credited, credit_note=credit_note, notes=notes))
    _one(f"Dispute {dispute} resolved", DISPUTE_COLUMNS, done, fmt, out)


@dispute_app.command("list")
def dispute_list(
    status: str = typer.Option("unresolved", "--status", help="unresolved, open, investigating, resolved or all."),
    customer: Optional[str] = typer.Option(None, "--customer", help="Only this customer's."),
    reason: Optional[str] = typer.Option(None, "--reason", help="Only this reason."),
    owner: Optional[str] = typer.Option(None, "--owner", help="Only this owner's."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """Disputes, oldest first (unresolved ones by default)."""
    from credo.services.collections.disputes import list_disputes

    items = in_company(company, lambda conn, chosen, _: list_disputes(
        conn, chosen, context.scope(), status=None if status == "all" else status, customer=customer, reason=reason,
        owner=owner))
    emit(Listing(f"Disputes ({status})", DISPUTE_COLUMNS, items), fmt, out)


@dispute_app.command("report")
def dispute_report(as_of: Optional[str] = AsOfOption, fmt: Format = FormatOption, out: Optional[Path] = OutOption,
                   company: Optional[str] = CompanyOption) -> None:
    """Open disputes as of a date by reason, age band (0-30, 31-60, 61-90, >90 days) and owner:
    counts and amounts in the base currency."""
    from credo.services.collections.dispute_report import disputes_report

    day = context.parse_day(as_of, "--as-of")
    emit(in_company(company, lambda conn, chosen, _: disputes_report(conn, chosen, context.scope(), day)), fmt, out)


@promise_app.command("add")
def promise_add(
    customer: str = typer.Argument(..., help="The customer code."),
    promised_on: str = typer.Option(..., "--date", help="The day the customer will have paid by."),
    amount: str = typer.Option(..., "--amount", help="The amount promised."),
    currency: Optional[str] = typer.Option(None, "--currency", help="Default: the customer's currency."),
    promised_by: Optional[str] = typer.Option(None, "--by", help="The customer's person who promised."),
    channel: str = typer.Option("phone", "--channel", help="phone, email, visit, sms, letter, portal or other."),
    grace_days: int = typer.Option(0, "--grace-days", help="Days after the date before it counts as broken."),
    invoice: Optional[list[str]] = typer.Option(None, "--invoice", help="An invoice it covers (repeat; default: all)."),
    notes: Optional[str] = Notes, as_of: Optional[str] = On, on: Optional[str] = OnAlias,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Record a promise to pay: open until its date plus grace, then kept or broken by the payments."""
    from credo.services.collections.promises import add_promise

    money, day = amount_option(amount), context.parse_day(promised_on, "--date")
    done = in_company(company, lambda conn, chosen, actor: add_promise(
        conn, chosen, context.scope(), customer=customer, promised_on=day, amount=money, actor=actor,
        made_on=as_of_day(as_of, on), currency=currency, promised_by=promised_by, channel=channel,
        grace_days=grace_days, invoices_covered=invoice or [], notes=notes))
    _one(f"Promise {done['id']} recorded", PROMISE_COLUMNS, done, fmt, out)


@promise_app.command("cancel")
def promise_cancel(
    promise: int = typer.Argument(..., help="The promise's id (see `credo promise list`)."),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why (kept in its notes and the audit log)."),
    as_of: Optional[str] = On, on: Optional[str] = OnAlias, company: Optional[str] = CompanyOption,
) -> None:
    """Cancel a promise to pay: it counts no more from the date."""
    from credo.services.collections.promises import cancel_promise

    done = in_company(company, lambda conn, chosen, actor: cancel_promise(
        conn, chosen, context.scope(), promise, actor, cancelled_on=as_of_day(as_of, on), reason=reason))
    typer.echo(f"promise {promise} ({done['customer']}) cancelled on {done['cancelled_on']}")


@promise_app.command("list")
def promise_list(
    as_of: Optional[str] = AsOfOption,
    customer: Optional[str] = typer.Option(None, "--customer", help="Only this customer's."),
    standing: Optional[str] = typer.Option(None, "--standing", help="open, kept or broken."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """Promises made by the date with their standing on it (cancelled ones left out)."""
    from credo.services.collections.promises import list_promises

    day = context.parse_day(as_of, "--as-of")
    items = in_company(company, lambda conn, chosen, _: list_promises(conn, chosen, context.scope(), day, customer=customer,
                                                                      standing=standing))
    emit(Listing(f"Promises to pay as of {day}", PROMISE_COLUMNS, items), fmt, out)


@plan_app.command("add")
def plan_add(
    customer: str = typer.Argument(..., help="The customer code."),
    invoice: list[str] = typer.Option(..., "--invoice", help="An open invoice the plan covers (repeat)."),
    count: int = typer.Option(..., "--count", help="How many instalments (1 to 120)."),
    first_due: str = typer.Option(..., "--first-due", help="The first instalment's due date."),
    frequency: str = typer.Option("monthly", "--frequency", help="weekly, fortnightly or monthly."),
    rate: str = typer.Option("0", "--rate", help="Simple interest, percent a year (default 0)."),
    grace_days: int = typer.Option(0, "--grace-days", help="Days after an instalment's date before it is missed."),
    amount: Optional[str] = typer.Option(None, "--amount", help="Default: what is open on the invoices."),
    notes: Optional[str] = Notes, as_of: Optional[str] = On, on: Optional[str] = OnAlias,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Agree a payment plan: the schedule is worked out once and stored as agreed."""
    from credo.services.collections.plans import agree_plan

    first, annual = context.parse_day(first_due, "--first-due"), amount_option(rate, "--rate")
    money = None if amount is None else amount_option(amount)
    done = in_company(company, lambda conn, chosen, actor: agree_plan(
        conn, chosen, context.scope(), customer=customer, invoices_covered=invoice, count=count, frequency=frequency,
        first_due=first, actor=actor, agreed_on=as_of_day(as_of, on), annual_rate=annual,
        grace_days=grace_days, amount=money, notes=notes))
    _show_plan(done, fmt, out)


def _show_plan(plan: dict, fmt: Format, out: Path | None) -> None:
    """The plan and its instalments: two tables (two XLSX sheets), one JSON object."""
    emit(Sections(plan, (Listing(f"Payment plan {plan['id']}", PLAN_COLUMNS, [plan]),
                         Listing("Instalments", INSTALMENT_COLUMNS, plan["instalments"]))), fmt, out)


@plan_app.command("cancel")
def plan_cancel(
    plan: int = typer.Argument(..., help="The plan's id (see `credo plan list`)."),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why (kept in its notes and the audit log)."),
    as_of: Optional[str] = On, on: Optional[str] = OnAlias, company: Optional[str] = CompanyOption,
) -> None:
    """Cancel a payment plan: the invoices' own due dates count again in dunning."""
    from credo.services.collections.plans import cancel_plan

    done = in_company(company, lambda conn, chosen, actor: cancel_plan(
        conn, chosen, context.scope(), plan, actor, cancelled_on=as_of_day(as_of, on), reason=reason))
    typer.echo(f"payment plan {plan} ({done['customer']}) cancelled on {done['cancelled_on']}")


@plan_app.command("show")
def plan_show(
    plan: int = typer.Argument(..., help="The plan's id."),
    as_of: Optional[str] = AsOfOption, fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """One plan with each instalment's standing as of the date (kept, open, broken)."""
    from credo.services.collections.plans import show_plan

    day = context.parse_day(as_of, "--as-of")
    _show_plan(in_company(company, lambda conn, chosen, _: show_plan(conn, chosen, context.scope(), plan, day)), fmt, out)


@plan_app.command("list")
def plan_list(
    as_of: Optional[str] = AsOfOption,
    customer: Optional[str] = typer.Option(None, "--customer", help="Only this customer's."),
    breached: bool = typer.Option(False, "--breached", help="Only plans with a missed instalment."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """Payment plans agreed by the date (cancelled ones left out), with the next instalment."""
    from credo.services.collections.plans import list_plans

    day = context.parse_day(as_of, "--as-of")
    items = in_company(company, lambda conn, chosen, _: list_plans(conn, chosen, context.scope(), day, customer=customer,
                                                                   breached=breached))
    emit(Listing(f"Payment plans as of {day}", PLAN_COLUMNS, items), fmt, out)
