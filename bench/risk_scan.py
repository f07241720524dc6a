"""Early-warning scan benchmark: the daily scan (`services.risk.scan`: every indicator for every
customer in a few set-based statements, the default rules, the alerts written) over a generated
ledger, against a row-by-row baseline that asks the database customer by customer (its invoices
and each invoice's allocations, its unapplied cash, its line, its settled invoices, disputes,
reversed payments, flags and assessments), as a loop over an ERP's customer records would.

    python -m bench.risk_scan [--invoices 2600000] [--engine postgresql] [--sample 300] [--keep]

At 2.6M invoices the generated ledger (bench/ledger.py) holds about 1M open items of 52,000
customers. Each scan runs in a transaction that is rolled back, so every run raises the same
alerts. The baseline runs on --sample customers and its rate is carried to all of them. Figures
are printed and written to bench/data/risk-scan-<engine>.json for docs/performance.md. The
PostgreSQL database is this benchmark's own (credo_bench_risk), apart from the other benchmarks'.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, or_, select

from bench import database, ledger
from bench.database import DATA, timed_median

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/credo_bench_risk"



def _scan_rolled_back(engine, company, as_of):
    from credo.services.risk.scan import scan

    with engine.connect() as conn:
        found = scan(conn, company, as_of, "bench")
        conn.rollback()
    return found


def _row_by_row(conn, company, as_of, customer_ids):
    """The baseline's readings, customer by customer, then the same domain comparison."""
    from credo.domain.risk.warnings import DEFAULT_RULES, Reading, breaches, share, slowdown, weighted_days
    from credo.store.collections_tables import disputes
    from credo.store.limit_tables import credit_lines
    from credo.store.risk_alert_tables import risk_flags
    from credo.store.tables import allocations, customers, invoices, payments

    i, a, p, d, f, li = invoices.c, allocations.c, payments.c, disputes.c, risk_flags.c, credit_lines.c
    readings, owed_by = [], {}
    prior_end = as_of - timedelta(days=90)
    prior_start = prior_end - relativedelta(months=12) + timedelta(days=1)
    for customer_id in customer_ids:
        code = conn.execute(select(customers.c.code).where(customers.c.id == customer_id)).scalar_one()
        oldest, overdue, owed, late = None, 0, 0, {"recent": [0, 0], "prior": [0, 0]}
        for inv in conn.execute(select(i.id, i.due_date, i.issue_date, i.amount).where(
                i.customer_id == customer_id, i.issue_date <= as_of)):
            paid, last = conn.execute(select(func.coalesce(func.sum(a.amount), 0), func.max(a.alloc_date)).where(
                a.invoice_id == inv.id, a.alloc_date <= as_of)).one()
            left = inv.amount - paid
            if left > 0:
                owed += left
                if inv.due_date < as_of:
                    overdue += left
                    oldest = inv.due_date if oldest is None or inv.due_date < oldest else oldest
            elif last is not None:
                last = date.fromisoformat(last) if isinstance(last, str) else last
                period = "recent" if last > prior_end else "prior" if last >= prior_start else None
                if period:
                    late[period][0] += inv.amount
                    late[period][1] += inv.amount * max((last - inv.due_date).days, 0)
            conn.execute(select(d.id).where(d.invoice_id == inv.id, d.opened_on <= as_of)).all()
        owed -= conn.execute(select(func.coalesce(func.sum(p.amount - p.applied_amount), 0)).where(
            p.customer_id == customer_id, p.payment_date <= as_of, or_(p.reversed_on.is_(None), p.reversed_on > as_of))
        ).scalar()
        returned = conn.execute(select(func.count()).where(p.customer_id == customer_id, p.reversed_on > as_of - timedelta(days=90),
                                                           p.reversed_on <= as_of)).scalar()
        conn.execute(select(li.id).where(li.customer_id == customer_id, li.valid_from <= as_of)).all()
        flags = conn.execute(select(func.count()).where(f.customer_id == customer_id, f.flagged_on <= as_of,
                                                        f.cleared_on.is_(None))).scalar()
        if oldest is not None:
            readings.append(Reading("days_past_due", code, Decimal((as_of - oldest).days)))
            readings.append(Reading("overdue_amount", code, Decimal(overdue) / 100))
        value = slowdown(weighted_days(late["recent"][1], late["recent"][0]) if late["recent"][0] else None,
                         weighted_days(late["prior"][1], late["prior"][0]) if late["prior"][0] else None)
        if value and value > 0:
            readings.append(Reading("payment_slowdown", code, value))
        if returned:
            readings.append(Reading("returned_payments", code, Decimal(returned), 90))
        if flags:
            readings.append(Reading("manual_flags", code, Decimal(flags)))
        owed_by[code] = owed
    total = sum(owed for owed in owed_by.values() if owed > 0)
    readings += [Reading("concentration", code, share(owed, total)) for code, owed in owed_by.items() if owed > 0]
    return breaches(readings, DEFAULT_RULES)


def main(argv: list[str] | None = None) -> int:
    from credo.services.companies import get_company
    from credo.store.tables import customers

    p = argparse.ArgumentParser(prog="python -m bench.risk_scan", description=__doc__.splitlines()[0])
    database.ledger_arguments(p, postgres_url=POSTGRES_URL)
    p.add_argument("--sample", type=int, default=300, help="customers the row-by-row baseline really runs")
    p.add_argument("--runs", type=int, default=3, help="runs of the scan (the median is reported)")
    args = p.parse_args(argv)
    engine = database.prepared(args)
    as_of = ledger.END
    with engine.connect() as conn:
        company = get_company(conn, ledger.COMPANY_CODE)
        from credo.services.risk.rules import seed_rules

        seed_rules(conn, company, "bench")
        conn.commit()
        open_items = conn.execute(select(func.count()).select_from(
            database_open_items(company.id).subquery())).scalar()
        ids = [r for (r,) in conn.execute(select(customers.c.id).where(customers.c.company_id == company.id)
                                          .order_by(customers.c.id).limit(args.sample))]
        all_customers = conn.execute(select(func.count()).where(customers.c.company_id == company.id)).scalar()
    scan_s, scan_cpu_s, found = timed_median(lambda: _scan_rolled_back(engine, company, as_of), args.runs)
    with engine.connect() as conn:
        start = time.perf_counter()
        _row_by_row(conn, company, as_of, ids)
        per_customer_s = (time.perf_counter() - start) / len(ids)
    engine.dispose()
    baseline_s = per_customer_s * all_customers
    figures = {"engine": args.engine, "invoices": args.invoices, "open_items": open_items,
               "customers": all_customers, "alerts_raised": len(found.raised), "scan_s": scan_s,
               "scan_cpu_s": scan_cpu_s, "row_by_row_per_customer_ms": per_customer_s * 1000,
               "row_by_row_s": baseline_s, "speedup": baseline_s / scan_s,
               "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
    print(f"{args.engine}, {args.invoices:,} invoices: {open_items:,} open items of {all_customers:,} customers, "
          f"{len(found.raised):,} alerts raised")
    print(f"scan: {scan_s:.1f} s (median of {args.runs}); {scan_cpu_s:.1f} s of it in this process's CPU")
    print(f"row by row: {per_customer_s * 1000:.1f} ms a customer (on {len(ids):,}), {baseline_s:.0f} s for all: "
          f"the set-based scan is {baseline_s / scan_s:.0f}x faster")
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / f"risk-scan-{args.engine}-{args.invoices}.json").write_text(json.dumps(figures, indent=2))
    return 0


def database_open_items(company_id: int):
    from credo.store.tables import invoices

    i = invoices.c
    return select(i.id).where(i.company_id == company_id, i.amount > i.paid_amount)


if __name__ == "__main__":
    raise SystemExit(main())
