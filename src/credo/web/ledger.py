"""The ledger's pages: the dashboard, customers and the customer 360, invoices and payments.
Each calls the same service as its API route, within the visitor's portfolio."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query
from sqlalchemy import Connection

from credo.api.deps import Db
from credo.domain.access import Permission as P
from credo.errors import InvalidInput
from credo.services.browse import documents
from credo.services.browse.customers import (CustomerFilter, customer_360, customer_360_key, list_customers,
                                             customer_row, list_groups, one_customer_plans)
from credo.services.browse.dashboard import dashboard_figures
from credo.services.browse.documents import DocumentFilter
from credo.services.browse.paging import Page, PageRequest
from credo.services.companies import Company
from credo.services.credit.assessment import assess
from credo.services.snapshots import Snapshots, ledger_version
from credo.web.arrangements import customer_arrangements
from credo.web.charts import aging_chart, trend_chart
from credo.web.view import CompanyDep, PageRoute, View, day, fragment, render, viewer
from credo.web.worklist import customer_desk

router = APIRouter(route_class=PageRoute, include_in_schema=False)
PAGE_SIZE = 50
Reader = viewer(P.ledger_read)
FLAGS = {"true": True, "false": False}


def _page(number: int, sort: str | None) -> PageRequest:
    return PageRequest(PAGE_SIZE, (max(number, 1) - 1) * PAGE_SIZE, sort or None)


def pager(page: Page) -> dict:
    """What the pager shows: the rows on this page, the total, and the neighbouring page numbers."""
    number = page.offset // page.limit + 1
    last = max((page.total + page.limit - 1) // page.limit, 1)
    return {"first": page.offset + 1 if page.items else 0, "last": page.offset + len(page.items),
            "total": page.total, "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < last else None, "number": number, "pages": last}


@router.get("/")
def dashboard(conn: Db, company: CompanyDep, view: View = Reader, as_of: str | None = None):
    as_of_day = day(as_of, "as_of") or view.today
    measures = view.can(P.reports_read)
    # Figures and charts are made once per state of the ledger (and language, for the charts): a
    # 12-month trend over a million invoices takes seconds, plotly's figures ~12 ms a page.
    snapshots, key = view.request.app.state.snapshots, ("dashboard", company.id, view.scope, as_of_day, measures)
    version = ledger_version(conn)
    figures = snapshots.get(conn, key, lambda: dashboard_figures(conn, company, view.scope, as_of_day,
                                                                 company_measures=measures), version)
    lang = view.lang
    aging_link = view.link("/reports/aging", as_of=as_of_day.isoformat())
    buckets = [(lang.bucket(label), label, amount) for label, amount in figures.aging]
    chart, trend = snapshots.get(conn, (*key, "charts", lang.code),
                                 lambda: _dashboard_charts(view, figures, buckets, aging_link), version)
    return render(view, "dashboard.html", company=company, figures=figures, buckets=buckets, chart=chart,
                  trend=trend, aging_link=aging_link, is_today=as_of_day == view.today)


def _dashboard_charts(view: View, figures, buckets, aging_link: str):
    lang, _ = view.lang, view.lang.gettext
    chart = aging_chart(lang, figures.currency, buckets, [aging_link] * len(buckets))
    trend = None
    if figures.trend:
        links = [view.link("/reports/dso", as_of=m.month_end.isoformat()) for m in figures.trend]
        trend = trend_chart(lang, list(figures.trend), {"dso": _("DSO"), "best": _("Best possible DSO")}, links)
    return chart, trend


@router.get("/customers")
def customers_page(conn: Db, company: CompanyDep, view: View = Reader, q: str = "", group: str = "",
                   collector: str = "", segment: str = "", overdue: str = "", sort: str = "code", page: int = 1):
    where = CustomerFilter(q.strip() or None, group or None, collector.strip() or None, None,
                           segment.strip() or None, None, FLAGS.get(overdue))
    listing = list_customers(conn, company, view.scope, view.today, where, _page(page, sort))
    return render(view, "customers.html", listing=listing, pager=pager(listing), groups=list_groups(
        conn, company, view.scope), filters={"q": q, "group": group, "collector": collector, "segment": segment,
                                             "overdue": overdue, "sort": sort}, currency=company.base_currency)


@router.get("/customers/{code}")
def customer_page(code: str, conn: Db, company: CompanyDep, view: View = Reader, as_of: str | None = None):
    return customer_answer(view, conn, company, code, day(as_of, "as_of") or view.today)


def customer_answer(view: View, conn: Connection, company: Company, code: str, as_of_day: date, status: int = 200,
                    **limit_form):
    """The customer page; `limit_form` (error, typed) when a limit request sent from it was refused
    (a refusal writes nothing, so the block below may remember what it read)."""
    snapshots = view.request.app.state.snapshots
    # Its sections read the same customer row, FX rates and settings once (services/lookups.py).
    with snapshots.reading(conn) as version:
        one_customer_plans(conn)
        return _customer_answer(view, conn, company, code, as_of_day, status, snapshots, version, **limit_form)


def _customer_answer(view: View, conn: Connection, company: Company, code: str, as_of_day: date, status: int,
                     snapshots: Snapshots, version: tuple, **limit_form):
    # Once per state of the ledger, as the dashboard (the same key as the API's customer 360).
    data = snapshots.get(conn, customer_360_key(company, view.scope, code, as_of_day),
                         lambda: customer_360(conn, company, view.scope, code, as_of_day), version)
    # The document tables as HTML, once per state of the ledger and language: they show the same rows
    # to everyone who sees the customer, and drawing a large customer's took 20 ms a page.
    today = view.today
    tables = snapshots.get(conn, ("customer documents", company.id, view.scope, code, today, view.lang.code),
                           lambda: _document_tables(view, data, _documents_of(conn, company, view, code, today)),
                           version)
    credit = None
    if view.can(P.credit_read):
        credit = snapshots.get(conn, ("credit assessment", company.id, view.scope, code, as_of_day),
                               lambda: _assessment_of(conn, company, view, code, as_of_day), version)
    # The collections sections too: every write to disputes, promises, plans, offers, activities,
    # contacts and tasks is audited, so a new ledger version follows each of them.
    collections = snapshots.get(conn, ("customer collections", company.id, view.scope, code, as_of_day),
                                lambda: customer_arrangements(conn, company, view.scope, code, as_of_day), version)
    work = snapshots.get(conn, ("customer desk", company.id, view.scope, code, today),
                         lambda: customer_desk(conn, company, view.scope, code, today), version)
    desk = {**work, "can_work": view.can(P.collections_work)}
    return render(view, "customer.html", status, data=data, as_of=as_of_day, credit=credit, collections=collections,
                  desk=desk, base_currency=company.base_currency, **limit_form, **tables)


def _document_tables(view: View, data: dict, lists: dict) -> dict:
    return {"open_invoices_html": fragment(view, "customer_open_invoices.html", data=data, **lists),
            "documents_html": fragment(view, "customer_documents.html", data=data, **lists)}


def _assessment_of(conn: Connection, company: Company, view: View, code: str, as_of: date) -> dict:
    """The credit section: the assessment as of the date, or why there is none (e.g. a missing FX rate)."""
    try:
        return {"assessment": assess(conn, company, view.scope, code, as_of).to_json()}
    except InvalidInput as error:
        return {"error": str(error)}


def _documents_of(conn: Connection, company: Company, view: View, code: str, today: date) -> dict:
    """The customer's open invoices, latest payments and credit notes (as they stand today: the day
    the cache key names, even across midnight); the page links to all of them."""
    return documents.customer_lists(conn, company, customer_row(conn, company, view.scope, code).id, today)


def _document_filter(q: str, customer: str, date_from: str, date_to: str, status: str) -> DocumentFilter:
    return DocumentFilter(customer.strip() or None, q.strip() or None, None, day(date_from, "from"),
                          day(date_to, "to"), status or "all")


@router.get("/invoices")
def invoices_page(conn: Db, company: CompanyDep, view: View = Reader, q: str = "", customer: str = "",
                  status: str = "all", date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to"),
                  sort: str = "-date", page: int = 1):
    where = _document_filter(q, customer, date_from, date_to, status)
    listing = documents.list_invoices(conn, company, view.scope, view.today, where, _page(page, sort))
    filters = {"q": q, "customer": customer, "status": status, "from": date_from, "to": date_to, "sort": sort}
    return render(view, "invoices.html", listing=listing, pager=pager(listing), filters=filters,
                  statuses=documents.INVOICE_STATUSES)


@router.get("/invoices/{number}")
def invoice_page(number: str, conn: Db, company: CompanyDep, view: View = Reader):
    invoice = documents.invoice_detail(conn, company, view.scope, number, view.today)
    return render(view, "invoice.html", invoice=invoice)


@router.get("/payments")
def payments_page(conn: Db, company: CompanyDep, view: View = Reader, q: str = "", customer: str = "",
                  status: str = "all", date_from: str = Query("", alias="from"), date_to: str = Query("", alias="to"),
                  sort: str = "-date", page: int = 1):
    where = _document_filter(q, customer, date_from, date_to, status)
    listing = documents.list_payments(conn, company, view.scope, where, _page(page, sort))
    filters = {"q": q, "customer": customer, "status": status, "from": date_from, "to": date_to, "sort": sort}
    return render(view, "payments.html", listing=listing, pager=pager(listing), filters=filters)
