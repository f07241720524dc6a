"""`build_demo` loads a generated ledger through the real imports into a fresh database."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from credo.demo import build_demo, generate
from credo.errors import InvalidInput
from credo.store.db import make_engine, upgrade
from credo.store.tables import credit_notes, customers, fx_rates, invoices, payments

pytestmark = pytest.mark.db

UNTIL = date(2026, 6, 30)
SIZE = dict(customers=40, months=12, seed=7, until=UNTIL)


def _build(where, **kwargs):
    engine = make_engine(f"sqlite:///{where}/demo.db")
    upgrade(engine)
    with engine.begin() as conn:
        summary = build_demo(conn, **{**SIZE, **kwargs})
    return engine, summary


def _invoice_table(engine):
    columns = [c for c in invoices.c if c.name != "id"]
    with engine.connect() as conn:
        return conn.execute(select(*columns).order_by(invoices.c.number)).all()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    engine, summary = _build(folder, folder=folder / "files")
    yield engine, summary, folder / "files"
    engine.dispose()


def test_the_summary_counts_the_rows_in_the_tables(built):
    engine, summary, _ = built
    with engine.connect() as conn:
        count = lambda table: conn.execute(select(func.count()).select_from(table)).scalar_one()  # noqa: E731
        assert (summary.customers, summary.invoices, summary.payments, summary.credit_notes, summary.fx_rates) == (
            count(customers), count(invoices), count(payments), count(credit_notes), count(fx_rates))
    assert summary.company == "DEMO" and summary.customers == 40 and summary.invoices > 500


def test_no_invoice_is_over_allocated(built):
    engine, _, _ = built
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).where(invoices.c.paid_amount > invoices.c.amount)).scalar_one() == 0


def test_some_invoices_are_open_and_overdue_at_until(built):
    engine, _, _ = built
    overdue = (invoices.c.amount > invoices.c.paid_amount) & (invoices.c.due_date < UNTIL)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).where(overdue)).scalar_one() > 10


def test_some_payments_are_left_unapplied(built):
    engine, _, _ = built
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).where(payments.c.applied_amount < payments.c.amount)).scalar_one()


def test_the_ledger_is_the_one_the_generator_planned(built):
    engine, _, _ = built
    planned = generate(**SIZE).open_amounts
    with engine.connect() as conn:
        found = dict(conn.execute(select(invoices.c.number, invoices.c.amount - invoices.c.paid_amount)).all())
    assert found == dict(planned)


def test_building_twice_gives_identical_files_and_invoice_tables(built, tmp_path):
    engine, _, files = built
    again, _ = _build(tmp_path, folder=tmp_path / "files")
    try:
        assert _invoice_table(again) == _invoice_table(engine)
    finally:
        again.dispose()
    for path in sorted(files.iterdir()):
        assert (tmp_path / "files" / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_second_demo_under_the_same_code_is_refused(built):
    engine, _, _ = built
    with engine.begin() as conn, pytest.raises(InvalidInput, match="DEMO exists already"):
        build_demo(conn, **SIZE)


def test_the_demo_customers_have_credit_files_and_their_ratings_spread(built):
    from credo.services.access import EVERYONE
    from credo.services.companies import get_company
    from credo.services.credit.assessment import assess

    engine, _, _ = built
    with engine.connect() as conn:
        company = get_company(conn, "DEMO")
        codes = conn.execute(select(customers.c.code).order_by(customers.c.code)).scalars().all()
        ratings = [assess(conn, company, EVERYONE, code, UNTIL).rating.letter for code in codes]
    assert len(set(ratings)) >= 3, ratings


def test_the_demo_customers_have_credit_lines_that_approve_warn_and_block(built):
    from decimal import Decimal

    from credo.services.companies import get_company
    from credo.services.credit.check import check_credit
    from credo.store.limit_tables import credit_lines

    engine, summary, _ = built
    decisions = set()
    with engine.connect() as conn:
        company = get_company(conn, "DEMO")
        assert summary.credit_lines == conn.execute(select(func.count()).select_from(credit_lines)).scalar_one()
        codes = list(conn.execute(select(customers.c.code).order_by(customers.c.code)).scalars())[:12]
        for code in codes:
            first = check_credit(conn, company, code, Decimal(1), UNTIL)
            if first.result.headroom is None:
                continue
            near = first.result.headroom + first.result.limit * Decimal("0.02")
            for amount in (Decimal(1), near, first.result.limit * 2):
                decisions.add(check_credit(conn, company, code, amount, UNTIL).decision)
    assert decisions == {"approve", "warn", "block"}


def test_the_demo_orders_passed_the_credit_check_some_wait_in_the_queue_and_one_has_a_history(built):
    from credo.services.companies import get_company
    from credo.services.credit.order_history import history
    from credo.store.limit_tables import orders

    engine, summary, _ = built
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(orders.c.status, func.count()).group_by(orders.c.status)).all())
        first = conn.execute(select(orders.c.number).order_by(orders.c.number).limit(1)).scalar_one()
        events = history(conn, get_company(conn, "DEMO"), first)
    assert sum(statuses.values()) == summary.orders > 0
    assert statuses["open"] > 0 and statuses["blocked"] > 0 and statuses["cancelled"] == 1
    assert events[-1]["status"] == "cancelled" and events[-1]["effective_on"] <= UNTIL.isoformat()
    assert len(events) >= 2


def test_the_demo_ran_the_early_warning_scan_of_its_last_day(built):
    """The alerts page of a fresh demo has work: the default rules' breaches as of the last day,
    each alert once (a second scan raises nothing)."""
    from credo.services.companies import get_company
    from credo.services.risk.alerts import list_alerts
    from credo.services.risk.scan import scan

    engine, summary, _ = built
    with engine.connect() as conn:
        company = get_company(conn, "DEMO")
        alerts = list_alerts(conn, company)
        again = scan(conn, company, UNTIL, "test")
        conn.rollback()
    assert len(alerts) == summary.alerts > 0
    assert {a["raised_on"] for a in alerts} == {UNTIL.isoformat()}
    assert again.raised == [] and again.still_open == summary.alerts


def test_the_customer_pages_shared_figures_equal_each_computed_alone(built):
    """The customer page reads in one `lookups` block: the 360, its credit check and the assessment
    share the customer row, the rates, the payment behaviour and the receivables (the aging's net),
    and the assessment takes its 90-day and 12-month sales in one pass; the aging, behaviour,
    sales, open orders and oldest item of one customer run statements built once with named
    parameters. For every demo customer (CNY, USD and EUR ones) each figure equals the one computed
    alone, and the assessment's DSO and sales are the DSO report's and the sales measure's. Inside
    the block one probe says which side records a customer has (services/browse/holdings.py): the
    collections sections, the desk, the credit file, lines, holds and insured limit read in it
    equal those read outside, where nothing is probed; so do the page's prebuilt document lists
    and the general lists they stand for."""
    from credo.services import lookups
    from credo.services.browse import documents, holdings
    from credo.services.browse.documents import DocumentFilter
    from credo.services.browse.paging import PageRequest
    from credo.web.arrangements import customer_arrangements
    from credo.web.worklist import customer_desk
    from credo.services.access import EVERYONE
    from credo.services.browse.customers import customer_360
    from credo.services.companies import get_company
    from credo.services.credit.assessment import assess
    from credo.services.credit.check import check_credit
    from credo.services.credit.exposure import exposure, oldest_days_past_due
    from credo.services.reports import measures
    from credo.services.reports.aging import aging_report
    from credo.services.reports.behaviour import behaviour_report
    from credo.services.reports.common import Converter
    from credo.services.reports.dso import dso_report
    from credo.store import queries

    engine, _, _ = built
    with engine.connect() as conn:
        company = get_company(conn, None)
        rows = conn.execute(select(customers.c.id, customers.c.code, customers.c.currency)
                            .order_by(customers.c.code)).all()
        assert {r.currency for r in rows} >= {"CNY", "USD"}
        held: dict[str, int] = {}
        for customer_id, code, _ in rows:
            with lookups.read_once():
                page = customer_360(conn, company, EVERYONE, code, UNTIL)
                shared = assess(conn, company, EVERYONE, code, UNTIL)
                sections = customer_arrangements(conn, company, EVERYONE, code, UNTIL)
                desk = customer_desk(conn, company, EVERYONE, code, UNTIL)
                lists = documents.customer_lists(conn, company, customer_id, UNTIL)
                for table in holdings.TABLES:
                    held[table.name] = held.get(table.name, 0) + holdings.has(conn, company.id, customer_id, table)
            assert sections == customer_arrangements(conn, company, EVERYONE, code, UNTIL)
            assert desk == customer_desk(conn, company, EVERYONE, code, UNTIL)
            mine = DocumentFilter(customer=code)
            assert lists == {
                "open_invoices": documents.list_invoices(conn, company, EVERYONE, UNTIL,
                                                         DocumentFilter(customer=code, status="open"),
                                                         PageRequest(100, 0, "due_date")),
                "payments": documents.list_payments(conn, company, EVERYONE, mine,
                                                    PageRequest(20, 0, "-date", count=False)),
                "credit_notes": documents.list_credit_notes(conn, company, EVERYONE, mine,
                                                            PageRequest(20, 0, "-date", count=False))}
            assert page["credit"] == check_credit(conn, company, code, Decimal(0), UNTIL).to_json()
            assert shared.to_json() == assess(conn, company, EVERYONE, code, UNTIL).to_json()
            only = queries.among_customers(company.id, customers.c.id == customer_id)
            for basis, currency in (("due", None), ("invoice", None), ("due", "USD")):
                assert aging_report(conn, company, UNTIL, basis=basis, currency=currency,  # prebuilt statements
                                    customer_id=customer_id).to_json() == aging_report(
                    conn, company, UNTIL, basis=basis, currency=currency, among=only).to_json()
            assert behaviour_report(conn, company, UNTIL, 12, customer_id=customer_id) == behaviour_report(
                conn, company, UNTIL, 12, among=only)
            convert = Converter.load(conn, company, UNTIL)
            starts = (date(2026, 4, 2), date(2025, 7, 1))
            assert measures.sales_since(conn, company, starts, UNTIL, convert, customer_id=customer_id) == \
                measures.sales_since(conn, company, starts, UNTIL, convert, among=only)
            assert exposure(conn, company, UNTIL, only, customer_id=customer_id) == exposure(conn, company, UNTIL, only)
            assert oldest_days_past_due(conn, company, UNTIL, only, customer_id) == oldest_days_past_due(
                conn, company, UNTIL, only)
            assert shared.ledger.dso == dso_report(conn, company, UNTIL, days=90, among=only).total.dso
            year = measures.sales(conn, company, date(2025, 7, 1), UNTIL, Converter.load(conn, company, UNTIL),
                                  among=only)[measures.ALL]["sales"]
            assert shared.ledger.sales_12_months == year
        # Demo customers with and without each part of a credit file and discount offers; the pages'
        # tests record disputes, promises, plans, activities, contacts and tasks and read them back.
        both = ("credit_statements", "credit_facts", "credit_references", "credit_reviews", "discount_offers")
        assert all(0 < held[name] < len(rows) for name in both), str(sorted(held.items()))


@pytest.mark.parametrize("months, lines_from", [
    (1, date(2026, 6, 1)),  # the history is June 2026 alone: its first day, not 2025-12-12
    (3, date(2026, 4, 1)),  # April to June
    (6, date(2026, 1, 1)),  # January to June; 200 days before 2026-06-30 is 2025-12-12, before the first rate
])
def test_a_demo_of_a_few_months_builds_its_credit_lines_from_the_histories_first_day(tmp_path, monkeypatch, months,
                                                                                      lines_from):
    """The lines are assessed as of their start; with a history shorter than 200 days that start
    came before the first exchange rate ("no EUR to CNY rate dated on or before 2025-12-12")."""
    from typer.testing import CliRunner

    from credo.cli import app
    from credo.store.limit_tables import credit_lines

    monkeypatch.setenv("CREDO_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    result = CliRunner().invoke(app, ["demo", "--customers", "40", "--months", str(months), "--until", "2026-06-30"])
    assert result.exit_code == 0, result.output
    assert "demo company DEMO: 40 customers" in result.stdout
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    try:
        with engine.connect() as conn:
            starts = set(conn.execute(select(credit_lines.c.valid_from)).scalars())
            currencies = set(conn.execute(select(customers.c.currency)).scalars())
    finally:
        engine.dispose()
    assert starts == {lines_from} and currencies - {"CNY"}  # foreign customers: their rates were missing


def test_a_demo_of_a_year_starts_its_lines_200_days_before_its_last_day(built):
    from credo.store.limit_tables import credit_lines

    engine, _, _ = built
    with engine.connect() as conn:
        starts = set(conn.execute(select(credit_lines.c.valid_from)).scalars())
    assert starts == {date(2025, 12, 12)}  # 2026-06-30 - 200 days; the history begins 2025-07-01

def test_the_demo_keeps_its_credit_policy_no_positive_limit_at_d_or_e_without_a_recorded_exception(built):
    from credo.domain.credit.policy import needs_exception
    from credo.services.companies import get_company
    from credo.services.credit.setup import policy_for
    from credo.store.limit_tables import credit_lines, limit_requests

    engine, _, _ = built
    with engine.connect() as conn:
        policy = policy_for(conn, get_company(conn, "DEMO"))
        lines = conn.execute(select(credit_lines, limit_requests.c.requested_by, customers.c.segment)
                             .join(limit_requests, limit_requests.c.id == credit_lines.c.request_id)
                             .outerjoin(customers, customers.c.id == credit_lines.c.customer_id)).all()
    no_credit = {r.letter for r in policy.ratings if not r.credit}
    assert no_credit == {"D", "E"}
    rated_without_credit = [line for line in lines if line.rating in no_credit]
    assert rated_without_credit, "the demo should rate some customers D or E"
    for line in lines:
        exception = needs_exception(policy, line.rating, Decimal(line.amount))
        assert (line.policy_exception is not None) == exception, line  # said where needed, and only there
        if exception:
            assert line.policy_exception.strip() and line.approved_by != line.requested_by
            assert line.segment == "key_account"
    assert all(line.amount == 0 for line in rated_without_credit if line.segment != "key_account")
