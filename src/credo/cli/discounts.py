"""`credo discount offer|list|withdraw`: early-payment discount offers (提前付款折扣, e.g. 2/10 net 30),
taken by a payment on time that covers the invoice less the discount. The command line acts as its
operator (CREDO_ACTOR) and sees every customer."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from credo.cli import context
from credo.cli.app import app, new_app
from credo.cli.dates import OnAlias, as_of_day, as_of_option
from credo.cli.limits import Listing, in_company
from credo.cli.output import Format, FormatOption, OutOption, emit
from credo.cli.reports import CompanyOption

discount_app = new_app("Early-payment discount offers (提前付款折扣): offer, list, withdraw.")
app.add_typer(discount_app, name="discount")

COLUMNS = ["id", "customer", "percent", "offered_on", "pay_by", "offered_by", "status", "invoices", "closed_on"]


def _flat(offer: dict) -> dict:
    """One row per offer: each invoice as `number open - discount = net [taken on D]`."""
    parts = [f"{i['invoice']} {i['open_amount']} - {i['discount']} = {i['net']} {i['currency']}"
             + (f" (taken {i['taken_on']}, {i['credit_note']})" if i["taken_on"] else "") for i in offer["invoices"]]
    return {**offer, "invoices": "; ".join(parts)}


def _show(title: str, items: list[dict], fmt: Format, out: Path | None, one: bool = False) -> None:
    if fmt is Format.json:
        emit(Listing(title, COLUMNS, items[0] if one else items), fmt, out)
    else:
        emit(Listing(title, COLUMNS, [_flat(i) for i in items]), fmt, out)


@discount_app.command("offer")
def discount_offer(
    customer: str = typer.Argument(..., help="The customer's code."),
    invoice: List[str] = typer.Option(..., "--invoice", help="An open invoice of the customer (repeat for more)."),
    percent: str = typer.Option(..., "--percent", help="The discount share in percent, e.g. 2 for 2/10 net 30."),
    pay_by: str = typer.Option(..., "--pay-by", help="The last day a payment takes the discount, YYYY-MM-DD."),
    offered_by: Optional[str] = typer.Option(None, "--offered-by", help="Who made the offer (default: the operator)."),
    notes: Optional[str] = typer.Option(None, "--notes", help="Free text kept with it."),
    as_of: Optional[str] = as_of_option("The day it is offered, YYYY-MM-DD (default: today)."),
    on: Optional[str] = OnAlias,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """Offer a discount off what is open on the invoices if paid by a date; a payment on time that
    covers the invoice less the discount takes it (a credit note closes the invoice)."""
    from credo.services.collections.discounts import offer_discount

    done = in_company(company, lambda conn, chosen, actor: offer_discount(
        conn, chosen, context.scope(), customer=customer, invoices_offered=invoice, percent=percent,
        pay_by=context.parse_day(pay_by, "--pay-by"), offered_on=as_of_day(as_of, on),
        offered_by=offered_by or actor, actor=actor, notes=notes))
    _show(f"Discount offer {done['id']}", [done], fmt, out, one=True)


@discount_app.command("list")
def discount_list(
    customer: Optional[str] = typer.Option(None, "--customer", help="Only this customer's."),
    status: Optional[str] = typer.Option(None, "--status", help="offered, taken, expired or withdrawn."),
    as_of: Optional[str] = typer.Option(None, "--as-of", help="As of this date, YYYY-MM-DD (default: today)."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """Discount offers made by the date, oldest first, with their status as of it."""
    from credo.services.collections.discounts import list_offers

    day = context.parse_day(as_of, "--as-of")
    items = in_company(company, lambda conn, chosen, _: list_offers(conn, chosen, context.scope(), day, customer=customer,
                                                                      status=status))
    _show(f"Discount offers as of {day}", items, fmt, out)


@discount_app.command("withdraw")
def discount_withdraw(
    offer: int = typer.Argument(..., help="The offer's id (see `credo discount list`)."),
    reason: Optional[str] = typer.Option(None, "--reason", help="Why it is withdrawn."),
    as_of: Optional[str] = as_of_option("The day it is withdrawn, YYYY-MM-DD (default: today)."),
    on: Optional[str] = OnAlias,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """Withdraw an offer still standing (discounts already taken on it stay)."""
    from credo.services.collections.discounts import withdraw_offer

    done = in_company(company, lambda conn, chosen, actor: withdraw_offer(
        conn, chosen, context.scope(), offer, actor, withdrawn_on=as_of_day(as_of, on), reason=reason))
    _show(f"Discount offer {offer} withdrawn", [done], fmt, out, one=True)
