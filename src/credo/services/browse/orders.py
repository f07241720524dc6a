"""Orders: a list with filters (what counts in the exposure is `open` and not yet invoiced)."""

from __future__ import annotations

from sqlalchemy import Connection, select

from credo.domain.money import from_minor
from credo.errors import InvalidInput
from credo.services.access import Scope
from credo.services.browse.paging import Page, PageRequest, paginate
from credo.services.companies import Company
from credo.services.reports.common import money_text
from credo.store.tables import customers
from credo.store.limit_tables import orders

ORDER_STATUSES = ("open", "blocked", "cancelled", "invoiced")


def list_orders(conn: Connection, company: Company, scope: Scope, page: PageRequest, *, customer: str | None = None,
                status: str | None = None) -> Page:
    o, c = orders.c, customers.c
    query = (select(o.number, c.code.label("customer_code"), c.name.label("customer_name"), o.order_date,
                    o.currency, o.amount, o.status, o.invoice_number, o.delivered_on)
             .select_from(orders.join(customers, c.id == o.customer_id))
             .where(o.company_id == company.id, scope.customers()))
    if customer:
        query = query.where(c.code == customer)
    if status:
        if status not in ORDER_STATUSES:
            raise InvalidInput(f"status {status!r}: use one of {', '.join(ORDER_STATUSES)}")
        query = query.where(o.status == status)

    def shape(row) -> dict:
        return {"number": row.number, "customer_code": row.customer_code, "customer_name": row.customer_name,
                "order_date": row.order_date.isoformat(), "currency": row.currency,
                "amount": money_text(from_minor(row.amount, row.currency)), "status": row.status,
                "invoice_number": row.invoice_number,
                "delivered_on": row.delivered_on and row.delivered_on.isoformat()}

    sortable = {"number": o.number, "order_date": o.order_date, "amount": o.amount, "status": o.status}
    return paginate(conn, query, sortable, "-order_date", page, shape)
