"""`credo credit check|queue|release|reviews|hold|settings` and `credo credit limit ...`: limits,
the credit check and maker-checker. The command line acts as its operator (CREDO_ACTOR) with the
rights of an administrator; the four-eyes rule still compares the operator's name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Optional

import typer
from sqlalchemy import Connection

from credo.cli import context
from credo.cli.app import new_app
from credo.cli.credit import credit_app
from credo.cli.output import Format, FormatOption, OutOption, emit
from credo.cli.reports import CompanyOption
from credo.errors import InvalidInput
from credo.services.companies import Company
from credo.services.reports.common import Tabular

limit_app = new_app("Credit limit requests (maker-checker, 四眼原则): request, approve, reject, list, show.")
credit_app.add_typer(limit_app, name="limit")
BLOCK_EXIT = 1  # `credo credit check` when the decision is block


@dataclass(frozen=True)
class Listing:
    """Rows of dicts, shown as a table or JSON."""

    title: str
    columns: list[str]
    items: list[dict[str, Any]]

    def to_json(self) -> list[dict[str, Any]]:
        return self.items

    def table(self) -> Tabular:
        return Tabular(self.title, self.columns, [[_cell(item.get(c)) for c in self.columns] for item in self.items])


def _cell(value):
    if isinstance(value, list):
        return ", ".join(v["code"] if isinstance(v, dict) else str(v) for v in value)
    return value


def amount_option(text: str, option: str = "--amount") -> Decimal:
    from credo.services.credit.check import amount_of

    return amount_of(text, option)


def day_option(text: str | None, option: str) -> date | None:
    return None if text is None else context.parse_day(text, option)


def operator():
    """The command's user as a person of the maker-checker (credo --as USER: its one identity and role)."""
    return context.person()


def in_company(company: str | None, work: Callable[[Connection, Company, str], Any]) -> Any:
    """Run work(conn, company, actor) in one transaction on the named company; its result."""
    config = context.settings()
    with context.transaction(config) as conn:
        return work(conn, context.company(conn, config, company), context.actor(config))


@credit_app.command("check")
def check(
    customer: str = typer.Argument(..., help="The customer code."),
    amount: str = typer.Option(..., "--amount", help="The amount under check (an order, a delivery)."),
    currency: Optional[str] = typer.Option(None, "--currency", help="The amount's currency (default: the base)."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Check as of this date (default: today)."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Credit check: approve, warn or block, with every reason (exit status 1 when blocked)."""
    from credo.services.credit.check import check_credit

    found = in_company(company, lambda conn, chosen, _: check_credit(
        conn, chosen, customer, amount_option(amount), context.parse_day(as_of, "--as-of"),
        currency=currency and currency.upper()))
    emit(found, fmt, out)
    if found.decision == "block":
        raise typer.Exit(BLOCK_EXIT)


@credit_app.command("queue")
def queue_list(
    status: str = typer.Option("blocked", "--status", help="blocked, released or all."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """The credit queue: orders, deliveries and invoices a credit check blocked."""
    from credo.services.credit.queue import list_queue

    items = in_company(company, lambda conn, chosen, _: list_queue(conn, chosen, context.scope(),
                                                                   None if status == "all" else status))
    emit(Listing(f"Credit queue ({status})", ["id", "point", "number", "customer", "amount", "currency", "as_of",
                                              "reasons", "status", "released_by", "release_reason"], items), fmt, out)


@credit_app.command("release")
def release(
    item: int = typer.Argument(..., help="The queue item's id (see `credo credit queue`)."),
    reason: str = typer.Option(..., "--reason", help="Why it may go ahead (written to the audit log)."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Release a blocked item (credit manager): a blocked order is open again and counts in the exposure."""
    from credo.services.credit.queue import release as release_item

    done = in_company(company, lambda conn, chosen, actor: release_item(conn, chosen, context.scope(), item, reason, actor))
    typer.echo(f"released {done['point']} {done['number']} ({done['customer']})")


@credit_app.command("reviews")
def reviews(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Reviews due on or before this date (default: today)."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Credit lines in force whose review date has come."""
    from credo.services.credit.lines import reviews_due

    day = context.parse_day(as_of, "--as-of")
    items = in_company(company, lambda conn, chosen, _: reviews_due(conn, chosen, context.scope(), day))
    emit(Listing(f"Credit reviews due by {day}", ["customer", "group", "name", "amount", "currency", "rating",
                                                   "review_due"], items), fmt, out)


@credit_app.command("review")
def review(
    customer: Optional[str] = typer.Argument(None, help="The customer's code (or --due for every review due)."),
    due: bool = typer.Option(False, "--due", help="Review every customer whose line's review date has come."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="Review as of this date (default: today)."),
    to_open_period: bool = typer.Option(False, "--to-open-period", help="--as-of in a closed period (on or before "
                                        "the lock date): review as of the first open day instead of refusing."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Re-run the assessment, record it, and request the advised limit, term and rating (maker-checker:
    a second person approves); the same review run again for the same customer and date asks nothing new."""
    from credo.services.credit.review import review_all_due, review_customer

    if (customer is None) == (not due):
        raise InvalidInput("name a customer, or --due for every review due (not both)")
    day = context.parse_day(as_of, "--as-of")
    done = in_company(company, lambda conn, chosen, _: review_all_due(
        conn, chosen, context.scope(), day, operator(), to_open_period=to_open_period) if due
        else [review_customer(conn, chosen, context.scope(), customer, day, operator(),
                              to_open_period=to_open_period)])
    items = [{"customer": r["customer"], "score": r["assessment"]["score"], "rating": r["assessment"]["rating"],
              "limit": r["assessment"]["recommended_limit"], "term_days": r["assessment"]["recommended_term_days"],
              "review_due": r["assessment"]["review_due"], "changed": r["changed"], "request": r["request"]["id"],
              "status": r["request"]["status"]} for r in done]
    emit(Listing(f"Credit reviews as of {day}", ["customer", "score", "rating", "limit", "term_days", "review_due",
                                                 "changed", "request", "status"], done if fmt is Format.json
                 else items), fmt, out)


@credit_app.command("hold")
def hold(
    customer: str = typer.Argument(..., help="The customer code."),
    reason: str = typer.Option(..., "--reason", help="Why (written to the audit log)."),
    lift: bool = typer.Option(False, "--lift", help="Lift the hold instead of setting it."),
    on: Optional[str] = typer.Option(None, "--from", help="From this date (default: today)."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Put a customer on credit hold (every check blocks), or lift the hold with --lift."""
    from credo.services.credit.lines import set_hold

    done = in_company(company, lambda conn, chosen, actor: set_hold(
        conn, chosen, context.scope(), customer, not lift, reason, actor, context.parse_day(on, "--from")))
    typer.echo(f"{customer}: {'on hold' if done['on_hold'] else 'hold lifted'} from {done['from']}")
