"""Dunning benchmark: the run's proposal step (`dunning_proposals`: the facts gathered in a few
set-based statements, then `domain.dunning.propose`) over a generated ledger, against a row-by-row
baseline that asks the database customer by customer (its open invoices, then each invoice's
disputes, promises and sends), as a loop over an ERP's customer records would.

    python -m bench.dunning [--invoices 2600000] [--engine postgresql] [--sample 1000] [--keep]

At 2.6M invoices the generated ledger (bench/ledger.py) holds about 1M open items of 52,000
customers, the issue's size. The baseline runs on --sample customers and its rate is carried to
all of them. Figures are printed and written to bench/data/dunning.json for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import time

from sqlalchemy import func, or_, select

from bench import database, ledger
from bench.database import DATA, timed_median



def _row_by_row(conn, company, as_of, customer_ids):
    """The baseline: for each customer, its open invoices, then per invoice its disputes, promises
    and sends, each a query; the same domain decision per customer."""
    from credo.domain.dunning import DunningCustomer, DunningItem, SentBefore, propose
    from credo.domain.dunning_defaults import DEFAULT_POLICIES
    from credo.domain.money import from_minor
    from credo.store.collections_tables import disputes, dunning_sends, promises
    from credo.store.tables import allocations, customers, invoices

    i, a, d, s, p = invoices.c, allocations.c, disputes.c, dunning_sends.c, promises.c
    out = []
    for customer_id in customer_ids:
        row = conn.execute(select(customers.c.code, customers.c.segment).where(customers.c.id == customer_id)).one()
        items = []
        for inv in conn.execute(select(i.id, i.number, i.due_date, i.amount, i.currency).where(
                i.customer_id == customer_id, i.issue_date <= as_of)):
            paid = conn.execute(select(func.coalesce(func.sum(a.amount), 0)).where(
                a.invoice_id == inv.id, a.alloc_date <= as_of)).scalar()
            if inv.amount - paid <= 0:
                continue
            disputed = conn.execute(select(func.count()).where(d.invoice_id == inv.id, d.opened_on <= as_of, or_(
                d.resolved_on.is_(None), d.resolved_on > as_of))).scalar()
            conn.execute(select(p.id).where(p.customer_id == customer_id, p.made_on <= as_of)).all()
            sent = conn.execute(select(s.level, s.run_on).where(s.invoice_id == inv.id, s.status == "sent")
                                .order_by(s.level.desc())).first()
            items.append(DunningItem(inv.number, inv.due_date, from_minor(inv.amount - paid, inv.currency),
                                     disputed=bool(disputed), sent=SentBefore(sent.level, 1, sent.run_on) if sent else None))
        if items:
            out.append(DunningCustomer(row.code, row.segment, None, tuple(items)))
    return propose(out, DEFAULT_POLICIES, as_of, lambda day: True)


def main(argv: list[str] | None = None) -> int:
    from credo.services.collections import dunning
    from credo.services.companies import get_company
    from credo.store.tables import customers

    p = argparse.ArgumentParser(prog="python -m bench.dunning", description=__doc__.splitlines()[0])
    database.ledger_arguments(p)
    p.add_argument("--sample", type=int, default=1_000, help="customers the row-by-row baseline really runs")
    p.add_argument("--runs", type=int, default=3, help="runs of the proposal step (the median is reported)")
    args = p.parse_args(argv)
    engine = database.prepared(args)
    as_of = ledger.END
    with engine.connect() as conn:
        company = get_company(conn, ledger.COMPANY_CODE)
        proposal_s, proposal_cpu_s, report = timed_median(lambda: dunning.dunning_proposals(conn, company, as_of),
                                                     args.runs)
        open_items = len(report.facts.items)
        ids = [r for (r,) in conn.execute(select(customers.c.id).where(customers.c.company_id == company.id)
                                          .order_by(customers.c.id).limit(args.sample))]
        start = time.perf_counter()
        _row_by_row(conn, company, as_of, ids)
        per_customer_s = (time.perf_counter() - start) / len(ids)
    engine.dispose()
    customers_with_open = len(report.facts.customers)
    baseline_s = per_customer_s * customers_with_open
    figures = {"engine": args.engine, "invoices": args.invoices, "open_items": open_items,
               "customers_in_dunning": customers_with_open, "proposals": len(report.proposals),
               "proposal_step_s": proposal_s, "proposal_step_cpu_s": proposal_cpu_s, "row_by_row_per_customer_ms": per_customer_s * 1000,
               "row_by_row_s": baseline_s, "speedup": baseline_s / proposal_s, "target_s": 30.0,
               "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
    print(f"{args.engine}, {args.invoices:,} invoices: {open_items:,} open items of {customers_with_open:,} customers, "
          f"{len(report.proposals):,} proposals")
    print(f"proposal step: {proposal_s:.1f} s (median of {args.runs}; target 30 s: "
          f"{'PASS' if proposal_s <= 30 else 'MISS'}); {proposal_cpu_s:.1f} s of it in this process's CPU")
    print(f"row by row: {per_customer_s * 1000:.1f} ms a customer (on {len(ids):,}), {baseline_s:.0f} s for all: "
          f"the set-based step is {baseline_s / proposal_s:.0f}x faster")
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / f"dunning-{args.engine}.json").write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
