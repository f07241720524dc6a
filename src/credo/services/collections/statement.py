"""The statement of account (对账单) of one customer as of a date, built from the ledger: the letter
input for `channels.letters.render_letter` (the dunning send step attaches it).

Each invoice open as of the date is an item; debit notes are items like any invoice (the interest
they charged is their amount). Beside each invoice, the late interest and fees accrued and not
charged yet (services/collections/interest.py), so nothing is counted twice; an invoice paid in full
but late, with interest still to charge, is an item with nothing open."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, select

from credo.channels.letters import Letter, OpenItem, Party
from credo.channels.locales import Formats, check_language
from credo.domain.money import from_minor
from credo.services.access import EVERYONE
from credo.services.browse.customers import customer_row
from credo.services.collections.interest import interest_report
from credo.services.companies import Company
from credo.store import queries
from credo.store.tables import customers, invoices

WORDS = {
    "zh": ("对账单", "截至{date}，贵司在我司的未清款项及逾期利息如下，请核对。如有差异，请尽快告知。", ("此致", "敬礼")),
    "en": ("Statement of account", "Below are the items open on your account as of {date}, with the late interest "
           "accrued. Please check them and tell us of any difference.", ("Yours faithfully",)),
}


def statement_of_account(conn: Connection, company: Company, customer_code: str, as_of: date,
                         language: str) -> Letter:
    """The letter input of a customer's statement as of the date, in zh or en (interest columns only
    when the customer has late interest as of the date)."""
    check_language(language)
    customer = customer_row(conn, company, EVERYONE, customer_code)
    among = queries.among_customers(company.id, customers.c.id == customer.id)
    late = {line.invoice_id: line for line in interest_report(conn, company, as_of, customer_code).lines}
    open_rows = {row.invoice_id: row for row in conn.execute(queries.open_invoice_items(company.id, as_of, among))}
    ids = sorted(set(open_rows) | {i for i, line in late.items() if line.to_charge > 0})
    i = invoices.c
    documents = conn.execute(select(i.id, i.number, i.issue_date, i.due_date, i.amount, i.currency)
                             .where(i.id.in_(ids)).order_by(i.due_date, i.number)).all() if ids else []
    items = [_item(doc, open_rows.get(doc.id), late.get(doc.id), as_of, bool(late)) for doc in documents]
    title, paragraph, closing = WORDS[language]
    return Letter(Party(company.name), Party(customer.name, customer.contact_name or ""), as_of, language, title,
                  (paragraph.format(date=Formats(language).date(as_of)),), tuple(items), (*closing, company.name))


def _item(doc, still, line, as_of: date, with_interest: bool) -> OpenItem:
    zero = from_minor(0, doc.currency)
    late = ((line.to_charge_interest, line.to_charge_fee) if line else (zero, zero)) if with_interest else (None, None)
    return OpenItem(doc.number, doc.issue_date, doc.due_date, max((as_of - doc.due_date).days, 0),
                    from_minor(doc.amount, doc.currency), from_minor(still.open_amount if still else 0, doc.currency),
                    doc.currency, *late)
