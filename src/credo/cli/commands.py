"""Ledger commands: init, companies, imports, payments, demo, audit."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from credo.cli import context
from credo.cli.app import app, err, new_app
from credo.cli.dates import ToOpenPeriod, as_of_day, as_of_option
from credo.errors import InvalidInput
from credo.services import audit, ledger
from credo.services.companies import add_company, first_company, list_companies
from credo.services.imports import KINDS, ImportFailed, ImportOptions, run_import
from credo.store.db import make_engine, upgrade

out = Console(highlight=False, soft_wrap=True)
CompanyOption = typer.Option(None, "--company", help="Company code (default: CREDO_COMPANY, or the only company).")


@app.command()
def init(
    company: Optional[str] = typer.Option(None, "--company", help="The company to create when missing (code; default: "
                                          "CREDO_COMPANY, else MAIN when the database has no company yet)."),
    name: Optional[str] = typer.Option(None, help="The new company's name (default: its code)."),
    currency: str = typer.Option("", help="The new company's base currency (default: CREDO_BASE_CURRENCY, CNY)."),
    calendar: Optional[str] = typer.Option(None, help="Holiday calendar due dates roll over, e.g. CN."),
) -> None:
    """Create or upgrade the database schema (Alembic), and the first company: the one --company or
    CREDO_COMPANY names, else MAIN when the database has none. Safe to run again."""
    config = context.settings()
    engine = make_engine(config.database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    out.print(f"schema ready: {engine.url.render_as_string()}")
    code = company or config.company or None
    with context.transaction(config) as conn:
        made, created = first_company(conn, code=code, name=name, base_currency=currency or config.base_currency,
                                      calendar=calendar, actor=context.actor(config))
    if made is None:
        return
    if not created:
        out.print(f"company {made.code} ({made.base_currency}) exists already")
        return
    how = ("" if company else " (code from CREDO_COMPANY)" if code else
           f": {made.code} is the default code, as neither --company nor CREDO_COMPANY named one")
    out.print(f"company {made.code} ({made.base_currency}) created{how}")


company_app = new_app("Companies (legal entities) whose ledgers credo keeps.")
app.add_typer(company_app, name="company")


@company_app.command("add")
def company_add(
    code: str = typer.Argument(..., help="Short code, e.g. SH01."),
    name: str = typer.Option(..., help="Legal name."),
    currency: str = typer.Option("", help="Base currency (default: CREDO_BASE_CURRENCY, CNY)."),
    calendar: Optional[str] = typer.Option(None, help="Holiday calendar for due dates, e.g. CN."),
) -> None:
    """Add a company."""
    config = context.settings()
    with context.transaction(config) as conn:
        made = add_company(conn, code=code, name=name, base_currency=currency or config.base_currency,
                           calendar=calendar, actor=context.actor(config))
    out.print(f"company {made.code} ({made.base_currency}) created")


@company_app.command("list")
def company_list() -> None:
    """List the companies."""
    with context.transaction(context.settings()) as conn:
        for c in list_companies(conn):
            out.print(f"{c.code}\t{c.name}\t{c.base_currency}\t{c.calendar or '-'}")


def _column_map(pairs: list[str]) -> dict[str, str]:
    mapping = {}
    for pair in pairs:
        new, sep, old = pair.partition("=")
        if not sep or not new.strip() or not old.strip():
            raise InvalidInput(f"--column {pair!r}: write it as credo_name=file_name, e.g. invoice_number=InvoiceNo")
        mapping[old.strip()] = new.strip()
    return mapping


@app.command("import")
def import_file(
    kind: str = typer.Argument(..., help=f"What the file holds: {', '.join(KINDS)}."),
    file: Path = typer.Argument(..., help="CSV (UTF-8 with or without BOM, or GBK) or XLSX file."),
    date_format: Optional[str] = typer.Option(None, help="strptime format for ambiguous dates, e.g. %m/%d/%Y."),
    encoding: Optional[str] = typer.Option(None, help="Force the CSV encoding (default: UTF-8, else GB18030)."),
    sheet: Optional[str] = typer.Option(None, help="XLSX sheet name (default: the first)."),
    skip_bad_rows: bool = typer.Option(False, "--skip-bad-rows", help="Import the good rows; write the bad ones to a rejects file."),
    rejects: Optional[Path] = typer.Option(None, help="Where the rejects go (default: FILE.rejects.csv)."),
    column: list[str] = typer.Option([], "--column", help="Rename a column: credo_name=file_name (repeatable)."),
    create_customers: bool = typer.Option(False, "--create-customers", help="Invoices: create unknown customer codes."),
    recorded_on: Optional[str] = typer.Option(None, "--recorded-on", help="Credit file kinds: the day credo learns "
                                              "the entries (YYYY-MM-DD, default today; a recorded_on column wins)."),
    to_open_period: bool = typer.Option(False, "--to-open-period", help="Invoices, payments, credit notes, orders: a "
                                        "new one dated in a closed period (on or before the lock date) is booked on "
                                        "the first open day instead of refused; an invoice keeps the due date of its "
                                        "terms on its own date, unless that falls before the new issue date."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Import customers, invoices, payments, credit notes, FX rates or the credit file (financials,
    credit-facts, credit-references, credit-reviews); all or nothing unless --skip-bad-rows. A row
    dated in a closed period is an error naming the lock date (or see --to-open-period)."""
    config = context.settings()
    options = ImportOptions(date_format=date_format, encoding=encoding, sheet=sheet, skip_bad_rows=skip_bad_rows,
                            rejects_path=rejects, columns=_column_map(column), create_customers=create_customers,
                            recorded_on=context.parse_day(recorded_on, "--recorded-on") if recorded_on else None,
                            to_open_period=to_open_period)
    try:
        with context.transaction(config) as conn:
            result = run_import(conn, context.company(conn, config, company), kind, file, options, context.actor(config))
    except ImportFailed as failed:
        for error in failed.errors:
            err.print(str(error), markup=False, soft_wrap=True)
        raise InvalidInput(f"{len(failed.errors)} error(s) in {file.name}; nothing was imported "
                           "(fix the file, or use --skip-bad-rows)") from None
    out.print(f"{result.kind} from {file.name}: {result.rows} rows, {result.inserted} new, {result.updated} updated, "
              f"{result.unchanged} unchanged, {result.rejected} rejected")
    for note in result.notes:
        out.print(f"  {note}")
    if result.rejects_path:
        for error in result.errors:
            err.print(str(error), markup=False, soft_wrap=True)
        err.print(f"rejected rows written to {result.rejects_path}", markup=False)


payments_app = new_app("Apply or reverse payments.")
app.add_typer(payments_app, name="payments")


@payments_app.command("apply")
def payments_apply(
    customer: Optional[str] = typer.Option(None, help="Only this customer's unapplied money."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Apply unapplied payments and credit notes to open invoices, oldest first."""
    config = context.settings()
    with context.transaction(config) as conn:
        result = ledger.apply_unapplied(conn, context.company(conn, config, company), context.actor(config), customer)
    out.print(f"{result.allocations} allocation(s) from {result.sources} payment(s) or credit note(s)")


@payments_app.command("reverse")
def payments_reverse(
    ref: str = typer.Argument(..., help="The payment reference."),
    as_of: Optional[str] = as_of_option("Reversal date, YYYY-MM-DD (default: today)."),
    former: Optional[str] = typer.Option(None, "--date", hidden=True, help="The former name of --as-of."),
    reason: str = typer.Option(..., help="Why, e.g. 'cheque returned unpaid'."),
    to_open_period: bool = ToOpenPeriod,
    company: Optional[str] = CompanyOption,
) -> None:
    """Reverse a returned or bounced payment: its invoices open again from that date."""
    config = context.settings()
    with context.transaction(config) as conn:
        count = ledger.reverse_payment(conn, context.company(conn, config, company), ref,
                                       as_of_day(as_of, former, "--date"), reason, context.actor(config),
                                       to_open_period=to_open_period)
    out.print(f"payment {ref} reversed; {count} invoice(s) open again")


@app.command()
def demo(
    customers: int = typer.Option(200, min=1, max=100_000, help="How many customers."),
    months: int = typer.Option(24, min=1, max=120, help="Months of history."),
    seed: int = typer.Option(7, help="Random seed: the same seed gives the same ledger."),
    until: Optional[str] = typer.Option(None, help="Last day of the history (default: today)."),
    if_empty: bool = typer.Option(False, "--if-empty", help="Do nothing when a company exists already."),
) -> None:
    """Build a realistic demo company (DEMO) with customers, invoices, payments and credit notes."""
    from credo.demo import build_demo
    from credo.demo.people import DEMO_PASSWORD, add_demo_users

    config = context.settings()
    end = context.parse_day(until, "--until")
    engine = make_engine(config.database_url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    with context.transaction(config) as conn:
        if if_empty and list_companies(conn):
            out.print("the database holds a company already: no demo data added")
            return
        summary = build_demo(conn, customers=customers, months=months, seed=seed, until=end, actor=context.actor(config))
        people = add_demo_users(conn, context.actor(config))
    out.print(f"demo company {summary.company}: {summary.customers} customers, {summary.invoices} invoices, "
              f"{summary.payments} payments, {summary.credit_notes} credit notes, {summary.credit_lines} credit lines, "
              f"{summary.orders} orders, {summary.alerts} early-warning alerts, up to {end}")
    if people:
        out.print(f"demo users (password {DEMO_PASSWORD}): {', '.join(people)}")


@app.command("audit")
def audit_list(
    entity: Optional[str] = typer.Option(None, help="e.g. invoice, payment, customer, invoices (imports)."),
    key: Optional[str] = typer.Option(None, help="e.g. an invoice number."),
    limit: int = typer.Option(50, min=1, help="How many entries, newest first."),
) -> None:
    """Show the audit log: who changed what, when, before and after."""
    with context.transaction(context.settings()) as conn:
        for entry in audit.entries(conn, entity=entity, key=key, limit=limit):
            out.print(f"{entry['at']:%Y-%m-%d %H:%M:%S} {entry['actor']} {entry['action']} {entry['entity']} "
                      f"{entry['entity_key'] or ''} before={entry['before'] or '-'} after={entry['after'] or '-'}",
                      markup=False, soft_wrap=True)

