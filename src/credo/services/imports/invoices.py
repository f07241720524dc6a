"""Import invoices: number, customer, dates, amount; the due date given or derived from terms."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Connection

from credo.channels.files import SourceRow, parse_amount, parse_currency, parse_date, parse_text
from credo.domain import terms as payment_terms
from credo.domain.money import to_minor
from credo.services.companies import Company, business_day_rule
from credo.services.imports.common import (
    Field,
    ImportOptions,
    ImportResult,
    Parsed,
    RowIssues,
    check_header,
    flag_duplicates,
    parse_rows,
    count,
    settler,
)
from credo.services.credit.gate import check_invoices
from credo.services.credit.settings import credit_settings_of
from credo.services.imports.dating import DateColumn, Dating
from credo.services.imports.lookups import CustomerIndex
from credo.services.imports.orders import billed_orders, mark_invoiced
from credo.services.imports.staging import Merge, merge, money_changed
from credo.store.tables import invoices

MERGE = Merge(
    table=invoices,
    keys=("number",),
    columns=("customer_id", "issue_date", "due_date", "terms", "discount_date", "currency", "amount", "discount_amount"),
    extra=("paid_amount",),
)
# Changing these on an invoice that has payments or credits applied is a conflict.
MONEY_COLUMNS = ("customer_id", "currency", "amount")
ISSUE_DATE = DateColumn("invoice", "invoice_number", "invoice_date", invoices.c.number, invoices.c.issue_date)


def fields(options: ImportOptions) -> list[Field]:
    dates = lambda text: parse_date(text, options.date_format)  # noqa: E731
    return [
        Field("invoice_number", lambda t: parse_text(t, 64), required=True),
        Field("customer_code", lambda t: parse_text(t, 64), required=True),
        Field("invoice_date", dates, required=True),
        Field("due_date", dates),
        Field("terms", payment_terms.parse_terms),
        Field("amount", parse_amount, required=True),
        Field("currency", parse_currency),
        Field("order_number", lambda t: parse_text(t, 64)),  # the order this invoice bills
    ]


def import_invoices(
    conn: Connection, company: Company, path: Path, header: list[str], rows: list[SourceRow],
    options: ImportOptions, actor: str,
) -> ImportResult:
    result = ImportResult("invoices", str(path), rows=len(rows))
    specs = fields(options)
    check_header(path.name, header, specs, either=())
    issues = RowIssues(path.name)
    parsed = flag_duplicates(parse_rows(rows, specs, issues), "invoice_number", issues)
    dating = Dating.load(conn, company.id, options)
    dating.book(conn, parsed, ISSUE_DATE, issues, result)
    customers = CustomerIndex.load(conn, company)
    if options.create_customers:
        customers.create_missing(conn, [(p.values["customer_code"], p.values["currency"]) for p in parsed], actor)
    roll = business_day_rule(company)
    billed = billed_orders(conn, company, parsed, issues)
    staged_rows = [r for p in parsed if not issues.has(p.source.row)
                   and (r := _row(p, customers, roll, issues, result.moved.get(p.source.row)))]
    billed = {row: billed[row] for row in {r[0] for r in staged_rows} & billed.keys()}
    sources = {p.source.row: p.source for p in parsed}
    settle = settler(result, issues, sources, "amount", header, options, path)
    gate = credit_settings_of(conn, company).checks_at("invoice")
    with_discount = any(r[-1] for r in staged_rows)  # the staged discount amount: cash-discount terms
    outcome = merge(conn, MERGE, company.id, staged_rows, entity="invoice", actor=actor, settle=settle,
                    conflict=_conflict_rule(dating), want_ids=gate or with_discount)
    count(result, outcome)
    if with_discount:
        from credo.services.collections.discounts import offer_terms_discounts  # it books through records (imports)

        offered = offer_terms_discounts(conn, company, [outcome.ids[row] for row in outcome.new_rows], actor)
        if offered:
            result.notes.append(f"{offered} cash discount(s) of the payment terms offered until their discount date")
    mark_invoiced(conn, company, {row: billed[row] for row in billed if row not in outcome.conflicts}, actor)
    if gate:
        gated = check_invoices(conn, company, [outcome.ids[row] for row in sorted(outcome.new_rows)], actor)
        blocked = [g.number for g in gated if g.decision == "block"]
        if blocked:
            result.notes.append(f"credit check: {len(blocked)} invoice(s) booked and queued for review "
                                f"({', '.join(blocked)}: see `credo credit queue`)")
    return result


def _row(item: Parsed, customers: CustomerIndex, roll, issues: RowIssues, moved: tuple | None) -> tuple | None:
    """The staged tuple for a parsed row, or None after recording why it cannot be booked. `moved`:
    (the file's date, the first open day) when the invoice is booked in the open period instead."""
    v, source = item.values, item.source
    found = customers.amount_of(item, issues, "must be positive (book credits with `credo import credit-notes`)")
    if found is None:
        return None
    customer, currency, amount = found
    terms = v["terms"] or customer.terms
    try:
        due, discount_date, discount = _due(v, terms, currency, roll, moved[0] if moved else v["invoice_date"])
    except ValueError as error:
        issues.add(source, "due_date", str(error))
        return None
    due, discount_date = _not_before(v["invoice_date"], due, discount_date)
    return (source.row, v["invoice_number"], customer.id, v["invoice_date"], due,
            terms.code if terms else None, discount_date, currency, amount, discount)


def _due(v: dict, terms, currency: str, roll, issue: date) -> tuple[date, date | None, int]:
    """Due date, discount date and discount from the terms on `issue`, the date the file gives."""
    if v["due_date"] is not None:
        due = v["due_date"]
    elif terms is not None:
        due = payment_terms.due_date(terms, issue, roll)
    else:
        raise ValueError("no due_date, no terms, and the customer has no terms to derive the due date")
    if due < issue:
        raise ValueError(f"due date {due} is before the invoice date {issue}")
    if terms is None or terms.discount_days is None:
        return due, None, 0
    discount = payment_terms.discount_amount(terms, v["amount"], currency)
    return due, payment_terms.discount_date(terms, issue, roll), to_minor(discount, currency)


def _not_before(issue: date, due: date, discount_date: date | None) -> tuple[date, date | None]:
    """An invoice moved to the first open day keeps the due (and discount) date of its terms on the
    file's date, unless that falls before its new issue date: then the issue date."""
    return max(due, issue), discount_date and max(discount_date, issue)


def _conflict_rule(dating: Dating):
    def conflict(change) -> str | tuple[str, str] | None:
        """An invoice dated in a closed period does not change; a paid one keeps its customer, currency and amount."""
        closed = dating.refuse_change(change, ISSUE_DATE)
        if closed:
            return closed
        if not change.old_paid_amount or not money_changed(change, MONEY_COLUMNS):
            return None
        return (f"invoice {change.number} already has payments or credits applied; its customer, currency and "
                "amount cannot change: issue a credit note or reverse the payments first")
    return conflict

