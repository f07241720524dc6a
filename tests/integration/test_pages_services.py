"""The services behind the pages: the dashboard's figures and the company settings, on the acme
ledger (see test_pages.py for its hand-computed numbers), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from credo.errors import InvalidInput
from credo.services.access import EVERYONE, Scope
from credo.services.browse.dashboard import dashboard_figures
from credo.services.reports.aging import aging_report
from credo.services.settings import aging_buckets, aging_limits, set_aging_buckets

pytestmark = pytest.mark.db
AS_OF = date(2024, 6, 30)


def test_the_dashboard_figures_of_the_company_as_of_a_date(acme, db):
    with db.connect() as conn:
        figures = dashboard_figures(conn, acme, EVERYONE, AS_OF, company_measures=True)
    assert (figures.open_invoices, figures.overdue, figures.unapplied, figures.net_receivables) == (
        Decimal("6160.00"), Decimal("3660.00"), Decimal("0.00"), Decimal("6160.00"))
    assert dict(figures.aging)["not_due"] == Decimal("2500.00") and dict(figures.aging)["91-180"] == Decimal("3660.00")
    assert [(c.code, c.overdue) for c in figures.top_overdue] == [("C2", Decimal("2160.00")), ("C1", Decimal("1500.00"))]
    assert figures.overdue_customers == 2 and not figures.portfolio
    assert round(figures.dso, 1) == Decimal("221.8") and round(figures.best_possible_dso, 1) == Decimal("90.0")
    assert [m.month_end for m in figures.trend][::11] == [date(2023, 7, 31), date(2024, 6, 30)]
    assert figures.trend[-1].receivables == Decimal("6160.00") and figures.company_wide


def test_a_portfolio_dashboard_has_its_own_aging_and_no_company_measures(acme, db):
    with db.connect() as conn:
        figures = dashboard_figures(conn, acme, Scope("collector", "wang"), AS_OF)
    assert figures.portfolio and figures.open_invoices == Decimal("1500.00")
    assert [c.code for c in figures.top_overdue] == ["C1"]
    assert figures.dso is None and figures.trend is None and not figures.company_wide


def test_the_company_aging_buckets_are_stored_plain_audited_and_used_when_none_are_asked(acme, db):
    with db.begin() as conn:
        assert aging_buckets(conn, acme) is None and aging_limits(conn, acme) == "30,60,90,180,365"
        assert set_aging_buckets(conn, acme, "45， 120", "user:x") == "45,120"
        assert aging_report(conn, acme, AS_OF).labels == ("not_due", "1-45", "46-120", ">120")
        assert aging_report(conn, acme, AS_OF, "30").labels == ("not_due", "1-30", ">30")
        with pytest.raises(InvalidInput, match="must increase"):
            set_aging_buckets(conn, acme, "60,30", "user:x")
        with pytest.raises(InvalidInput, match="at most 12"):
            set_aging_buckets(conn, acme, ",".join(str(d * 10) for d in range(1, 15)), "user:x")
        assert set_aging_buckets(conn, acme, "", "user:x") is None
        assert aging_report(conn, acme, AS_OF).labels[-1] == ">365"


@pytest.mark.parametrize("scope", [EVERYONE, Scope("collector", "wang")], ids=["everyone", "portfolio"])
def test_lists_paged_on_the_document_table_alone_give_the_joined_querys_pages(acme, db, scope):
    """`paginate(keys=...)` counts and picks a page before the join to customers; every sort, both
    directions, every page of two rows must be what the plain joined query gives."""
    from credo.services.browse import documents
    from credo.services.browse.documents import INVOICE, INVOICE_COLUMNS, DocumentFilter, _base, _invoice_item, _sortable
    from credo.services.browse.paging import PageRequest, paginate

    today = date(2024, 6, 30)
    with db.connect() as conn:
        query = _base(INVOICE, acme, scope, DocumentFilter(), INVOICE_COLUMNS)
        sortable = _sortable(INVOICE) | {"due_date": INVOICE.table.c.due_date}
        seen = 0
        for name in sortable:
            for sort in (name, "-" + name):
                for offset in range(0, 8, 2):
                    page = PageRequest(2, offset, sort)
                    fast = paginate(conn, query, sortable, "-date", page, lambda r: _invoice_item(r, today), INVOICE.table.c.id)
                    plain = paginate(conn, query, sortable, "-date", page, lambda r: _invoice_item(r, today))
                    assert fast == plain, (sort, offset)
                    seen += len(fast.items)
        listed = documents.list_invoices(conn, acme, scope, today, DocumentFilter(customer="C1"), PageRequest(50, 0))
    assert seen > 0 and {i["customer_code"] for i in listed.items} <= {"C1"}
    assert listed.total == len(listed.items) > 0


def test_a_full_page_asked_not_to_count_has_no_total_and_the_same_items(acme, db):
    """`PageRequest(count=False)`: the customer page shows the latest few and links to the rest, so
    a full page's total is not counted (one statement fewer); a page with room left still knows it."""
    from credo.services.browse import documents
    from credo.services.browse.documents import DocumentFilter
    from credo.services.browse.paging import PageRequest

    today = date(2024, 6, 30)
    with db.connect() as conn:
        counted = documents.list_invoices(conn, acme, EVERYONE, today, DocumentFilter(), PageRequest(2, 0, "number"))
        uncounted = documents.list_invoices(conn, acme, EVERYONE, today, DocumentFilter(),
                                            PageRequest(2, 0, "number", count=False))
        roomy = documents.list_invoices(conn, acme, EVERYONE, today, DocumentFilter(),
                                        PageRequest(50, 0, "number", count=False))
    assert counted.total > 2 and uncounted.total is None and uncounted.items == counted.items
    assert roomy.total == counted.total == len(roomy.items)
