"""Provision benchmark: `provision_report` (the as-of aging summed per customer and currency in SQL,
then `domain.risk.provisioning.provide` per customer) over a generated ledger, against a row-by-row
baseline in the same run that fetches every invoice issued by the date with what was settled on it
by then (Core rows), and buckets, converts, rates and rounds each open one in a Python loop, as an
ERP's report would.

    python -m bench.provision [--invoices 2600000] [--engine sqlite] [--runs 3] [--keep]

At 2.6M invoices the generated ledger (bench/ledger.py) holds about 1M open items (993,160) of
52,000 customers. Three figures: the provision with a given matrix (the IFRS 9 example's rates),
the 账龄分析法 table, and the matrix derived from 12 months of roll-rate history observed every 30
days (three grouped statements in SQL, `roll_steps`); the baseline runs the first. Printed and written to bench/data/provision-<engine>.json.
"""

from __future__ import annotations

import argparse
import json
import time
from decimal import Decimal

from sqlalchemy import func, select

from bench import database, ledger
from bench.database import DATA, timed_median

IFRS9_RATES = tuple(Decimal(r) for r in ("0.003", "0.016", "0.036", "0.066", "0.106"))



def row_by_row(conn, company, as_of, table) -> tuple[int, Decimal]:
    """The baseline: every invoice issued by the date with its allocations by then (one grouped
    join, Core rows), then per row in Python: open amount, days past due, bucket, conversion,
    rate, allowance rounded per invoice. Returns (open items, total allowance)."""
    from credo.domain.money import from_minor, quantize
    from credo.services.reports.common import Converter
    from credo.store.tables import allocations, invoices

    i, a = invoices.c, allocations.c
    settled = (select(a.invoice_id, func.sum(a.amount).label("settled"))
               .where(a.company_id == company.id, a.alloc_date <= as_of).group_by(a.invoice_id).subquery())
    query = (select(i.customer_id, i.due_date, i.currency, i.amount, func.coalesce(settled.c.settled, 0))
             .select_from(invoices.outerjoin(settled, settled.c.invoice_id == i.id))
             .where(i.company_id == company.id, i.issue_date <= as_of))
    convert = Converter.load(conn, company, as_of)
    base = convert.currency
    bands = table.bands
    total, count = Decimal(0), 0
    for customer_id, due_date, currency, amount, paid in conn.execute(query):
        open_minor = amount - paid
        if open_minor <= 0:
            continue
        count += 1
        days = (as_of - due_date).days
        band = next(b for b in bands if (b.low is None or days >= b.low) and (b.high is None or days <= b.high))
        balance = convert(open_minor, currency) if currency != base else from_minor(open_minor, base)
        total += quantize(balance * band.rate, base)
    return count, total


def main(argv: list[str] | None = None) -> int:
    from credo.domain.risk.provisioning import ladder
    from credo.services.companies import get_company
    from credo.services.risk.provision import provision_report, roll_steps
    from credo.services.risk.provision_settings import provision_settings_of

    p = argparse.ArgumentParser(prog="python -m bench.provision", description=__doc__.splitlines()[0])
    database.ledger_arguments(p, engine="sqlite")
    p.add_argument("--runs", type=int, default=3, help="runs of each figure (the median is reported)")
    p.add_argument("--baseline-runs", type=int, default=1, help="runs of the row-by-row baseline")
    args = p.parse_args(argv)
    engine = database.prepared(args)
    as_of = ledger.END
    table = ladder((30, 60, 90), IFRS9_RATES)
    with engine.connect() as conn:
        company = get_company(conn, ledger.COMPANY_CODE)
        shape = ladder(provision_settings_of(conn, company).limits)
        given_s, given_cpu_s, given = timed_median(lambda: provision_report(conn, company, as_of, rates=table), args.runs)
        aging_s, _, aging = timed_median(lambda: provision_report(conn, company, as_of, method="aging-table"), args.runs)
        derived_s, derived_cpu_s, derived = timed_median(lambda: provision_report(conn, company, as_of), args.runs)
        history_s, _, _ = timed_median(lambda: roll_steps(conn, company, as_of, shape, 12), args.runs)
        baseline_s, baseline_cpu_s, (open_items, baseline_total) = timed_median(
            lambda: row_by_row(conn, company, as_of, table), args.baseline_runs)
    engine.dispose()
    figures = {
        "engine": args.engine, "invoices": args.invoices, "open_items": open_items,
        "customers": len(given.customers), "as_of": as_of.isoformat(),
        "given_matrix_s": given_s, "given_matrix_cpu_s": given_cpu_s, "given_total": str(given.total_allowance),
        "aging_table_s": aging_s, "aging_table_total": str(aging.total_allowance),
        "derived_matrix_s": derived_s, "derived_matrix_cpu_s": derived_cpu_s,
        "derived_rates": [str(r) for r in derived.rates.rates], "derived_total": str(derived.total_allowance),
        "history_s": history_s,
        "row_by_row_s": baseline_s, "row_by_row_cpu_s": baseline_cpu_s, "row_by_row_total": str(baseline_total),
        "speedup": baseline_s / given_s, "measured": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    print(f"{args.engine}, {args.invoices:,} invoices: {open_items:,} open items of {len(given.customers):,} customers "
          f"as of {as_of}")
    print(f"given matrix: {given_s:.2f} s ({given_cpu_s:.2f} s CPU here), allowance {given.total_allowance:,}")
    print(f"aging table: {aging_s:.2f} s, allowance {aging.total_allowance:,}")
    print(f"derived matrix (13 observations, 30 days apart): {derived_s:.2f} s, rates {', '.join(figures['derived_rates'])}, "
          f"allowance {derived.total_allowance:,}")
    print(f"roll-rate history: {history_s:.2f} s (three grouped statements)")
    print(f"row by row: {baseline_s:.2f} s, allowance {baseline_total:,} (rounded per invoice, not per customer): "
          f"the set-based provision is {baseline_s / given_s:.1f}x faster")
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / f"provision-{args.engine}.json").write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
