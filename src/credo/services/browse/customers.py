"""Customers: the list (with what each owes today) and the customer 360 (master data, aging, open
items, payments, credit notes, payment behaviour)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, case, func, or_, select

from credo.errors import NotFound
from credo.services import lookups
from credo.services.access import Scope
from credo.services.browse.paging import Page, PageRequest, like, paginate
from credo.services.companies import Company
from credo.services.reports.aging import aging_report
from credo.services.reports.behaviour import customer_behaviour
from credo.services.reports.common import Converter, money_text
from credo.store import db
from credo.store.queries import money_sum
from credo.store.tables import customer_groups, customers, invoices

MASTER = ("code", "name", "country", "currency", "language", "segment", "collector", "salesperson", "terms",
          "contact_name", "contact_email", "contact_phone")


@dataclass(frozen=True)
class CustomerFilter:
    q: str | None = None  # code or name contains
    group: str | None = None
    collector: str | None = None
    salesperson: str | None = None
    segment: str | None = None
    currency: str | None = None
    overdue: bool | None = None  # only customers with (True) or without (False) overdue invoices today


def _balances(company_id: int, today: date, ids=None):
    """Per customer and currency: open and overdue today (minor units), from the open-items index;
    for the customers `ids` only when given."""
    i = invoices.c
    open_amount = i.amount - i.paid_amount
    query = (select(i.customer_id, i.currency, money_sum(open_amount).label("open"),
                    money_sum(case((i.due_date < today, open_amount), else_=0)).label("overdue"))
             .where(i.company_id == company_id, i.amount > i.paid_amount)
             .group_by(i.customer_id, i.currency))
    return query if ids is None else query.where(i.customer_id.in_(ids))


def list_customers(conn: Connection, company: Company, scope: Scope, today: date, where: CustomerFilter,
                   page: PageRequest) -> Page:
    """Customers with their open and overdue balances today in the base currency.

    Balances are summed for the page's customers only, unless the list is sorted or filtered by
    them: then for every customer (sorted by the sum in minor units of the customer's invoices'
    currencies, exact for the usual single-currency customer; the amounts shown are converted)."""
    c, g = customers.c, customer_groups.c
    columns = [c.code, c.name, g.code.label("group_code"), *[c[n] for n in MASTER[2:9]], c.id]
    query = (select(*columns).select_from(customers.outerjoin(customer_groups, g.id == c.group_id))
             .where(c.company_id == company.id, scope.customers()))
    query = _filtered(query, where)
    sortable = {"code": c.code, "name": c.name, "segment": c.segment, "collector": c.collector}
    if (page.sort or "").removeprefix("-") in ("open", "overdue") or where.overdue is not None:
        balances = _balances(company.id, today).subquery()
        open_sort = func.coalesce(func.sum(balances.c.open), 0)
        overdue_sort = func.coalesce(func.sum(balances.c.overdue), 0)
        query = (query.outerjoin(balances, balances.c.customer_id == c.id).group_by(*columns)
                 .add_columns(open_sort.label("open_sort"), overdue_sort.label("overdue_sort")))
        if where.overdue is not None:
            query = query.having(overdue_sort > 0 if where.overdue else overdue_sort == 0)
        sortable |= {"open": open_sort, "overdue": overdue_sort}
    found = paginate(conn, query, sortable, "code", page, lambda row: dict(row._mapping))
    convert = Converter.load(conn, company, today)
    amounts = _converted_balances(conn, _balances(company.id, today, [item["id"] for item in found.items]), convert)
    zero = convert(0, convert.currency)
    items = []
    for item in found.items:
        open_amount, overdue = amounts.get(item["id"], (zero, zero))
        items.append({k: v for k, v in item.items() if k not in ("id", "open_sort", "overdue_sort")}
                     | {"open_amount": money_text(open_amount), "overdue_amount": money_text(overdue),
                        "amount_currency": convert.currency})
    return Page(items, found.total, found.limit, found.offset, found.total_capped)


def _filtered(query, where: CustomerFilter):
    c, g = customers.c, customer_groups.c
    if where.q:
        pattern = like(where.q)
        query = query.where(or_(c.code.like(pattern, escape="\\"), c.name.like(pattern, escape="\\")))
    for column, value in ((g.code, where.group), (c.collector, where.collector), (c.salesperson, where.salesperson),
                          (c.segment, where.segment), (c.currency, where.currency)):
        if value:
            query = query.where(column == value)
    return query


def _converted_balances(conn: Connection, balances, convert: Converter) -> dict:
    out: dict[int, list] = {}
    zero = convert(0, convert.currency)
    for customer_id, currency, open_minor, overdue_minor in conn.execute(balances):
        line = out.setdefault(customer_id, [zero, zero])
        line[0] += convert(open_minor, currency)
        line[1] += convert(overdue_minor, currency)
    return {k: tuple(v) for k, v in out.items()}


def customer_row(conn: Connection, company: Company, scope: Scope, code: str):
    """The customer's row if the scope sees it; NotFound otherwise (a portfolio hides the rest).
    Read once per `lookups.read_once` block (a customer page asks for it ten times)."""
    return lookups.once(("customer row", company.id, scope, code), lambda: _customer_row(conn, company, scope, code))


def _customer_row(conn: Connection, company: Company, scope: Scope, code: str):
    c = customers.c
    row = conn.execute(select(customers, customer_groups.c.code.label("group_code"),
                              customer_groups.c.name.label("group_name"))
                       .select_from(customers.outerjoin(customer_groups, customer_groups.c.id == c.group_id))
                       .where(c.company_id == company.id, c.code == code, scope.customers())).first()
    if row is None:
        raise NotFound(f"no customer {code!r}")
    return row


def customer_360_key(company: Company, scope: Scope, code: str, as_of: date, behaviour_months: int = 12) -> tuple:
    """What a cached customer 360 is kept under (`services.snapshots`, which adds the ledger's
    version): the page and the API share it; the scope is part of it, as it decides what is seen."""
    return ("customer 360", company.id, scope, code, as_of, behaviour_months)


def customer_360(conn: Connection, company: Company, scope: Scope, code: str, as_of: date,
                 behaviour_months: int = 12) -> dict[str, Any]:
    """Everything credo knows of one customer as of a date, for the customer page and the API
    (a fresh dict each call: a cached one is shared, and nobody changes it)."""
    with lookups.read_once():  # the credit check reads the same customer, rates and receivables
        one_customer_plans(conn)
        row = customer_row(conn, company, scope, code)
        aging = aging_report(conn, company, as_of, customer_id=row.id)
        lookups.remember(receivables_key(company, as_of, row.id), aging.totals.net)
        behaviour = customer_behaviour(conn, company, as_of, behaviour_months, row.id, (row.code, row.name))
        master = {name: row._mapping[name] for name in MASTER}
        return {
            "customer": master | {"group_code": row.group_code, "group_name": row.group_name},
            "as_of": as_of.isoformat(),
            "aging": aging.to_json(),
            "behaviour": behaviour.to_json() if behaviour else None,
            "exposure": _exposure(aging),
            "credit": _credit(conn, company, scope, code, as_of),
        }


def one_customer_plans(conn: Connection) -> None:
    """`store.db.one_customer_plans`, once per `lookups` block (the page and its 360 both ask)."""
    lookups.once(("one-customer plans", id(conn)), lambda: db.one_customer_plans(conn))


def receivables_key(company: Company, as_of: date, customer_id: int) -> tuple:
    """Under what a lookups block keeps one customer's net receivables as of a date (open invoices
    less unapplied cash and credits, in the base currency: its aging's net, its exposure's part)."""
    return ("receivables", company.id, as_of, customer_id)


def _credit(conn: Connection, company: Company, scope: Scope, code: str, as_of: date) -> dict[str, Any]:
    """The credit line in force, the exposure with open orders, and where a check of nothing more
    stands (the check's reasons without an amount: no line, overdue, hold ...)."""
    from credo.services.credit.check import check_credit  # it reads customers through this module

    return check_credit(conn, company, code, Decimal(0), as_of, scope=scope).to_json()


def _exposure(aging) -> dict[str, str]:
    totals = aging.totals
    return {"open": money_text(totals.total), "overdue": money_text(totals.overdue), "unapplied": money_text(totals.unapplied),
            "net": money_text(totals.net), "currency": aging.currency}


def list_groups(conn: Connection, company: Company, scope: Scope) -> list[dict[str, Any]]:
    """Customer groups (集团客户) with how many of the scope's customers each holds."""
    g, c = customer_groups.c, customers.c
    query = (select(g.code, g.name, func.count(c.id).label("customers"))
             .select_from(customer_groups.join(customers, c.group_id == g.id))
             .where(g.company_id == company.id, scope.customers()).group_by(g.code, g.name).order_by(g.code))
    return [dict(row._mapping) for row in conn.execute(query)]
