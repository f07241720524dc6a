"""Period-close benchmark: `close_period` (结账) of one month-end over a generated ledger, then
`verify_closes`, beside the aging report alone at the same date, measured in the same run.

    python -m bench.closing [--invoices 1000000] [--engine postgresql] [--runs 3] [--keep]

A close of the month-end computes the aging by customer, the provision with its roll-rate matrix,
the DSO (standard and countback) and the early-warning breaches, plus a sha256 digest of each input
table's rows as of the day, and stores them (services/closing/). Verifying computes every stored
figure and digest again. Each close and its verification run in one transaction that is rolled
back (the default early-warning rules are seeded in it first), so the ledger stays as generated and
every run closes the same month-end. The parts are then timed one by one (once): each input table's
digest and each figure's body, to say where the close's time goes. Printed and written to
bench/data/closing-<engine>-<invoices>.json for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import timedelta

from bench import database, ledger
from bench.database import DATA, timed_median

ACTOR = "bench"


def _close_and_verify(engine, company, day, today) -> tuple[float, float, int, bool]:
    """(close s, verify s, figures stored, all agree), in a transaction rolled back."""
    from credo.services.closing import close_period, verify_closes
    from credo.services.risk.rules import seed_rules

    with engine.connect() as conn:
        seed_rules(conn, company, ACTOR)
        start = time.perf_counter()
        close_period(conn, company, day, ACTOR, today)
        closed_s = time.perf_counter() - start
        start = time.perf_counter()
        verification = verify_closes(conn, company, day)
        verify_s = time.perf_counter() - start
        conn.rollback()
    return closed_s, verify_s, len(verification.checked), verification.agrees


def _parts(engine, company, day) -> dict[str, float]:
    """Seconds of each input table's digest and of each figure's body (its digests already known)."""
    from credo.services.closing.figures import compute, current_settings
    from credo.services.closing.inputs import SOURCES, source_digest
    from credo.services.risk.rules import seed_rules
    from credo.store.period_tables import SNAPSHOT_KINDS

    out: dict[str, float] = {}
    with engine.connect() as conn:
        seed_rules(conn, company, ACTOR)
        known: dict[str, str] = {}
        for kind in SNAPSHOT_KINDS:
            for source in SOURCES[kind]:
                if source.name not in known:
                    start = time.perf_counter()
                    known[source.name] = source_digest(conn, company.id, source, day)
                    out[f"digest {source.name}"] = time.perf_counter() - start
        for kind in SNAPSHOT_KINDS:
            start = time.perf_counter()
            settings = current_settings(conn, company, kind)
            compute(conn, company, kind, day, settings, known)
            out[f"figure {kind}"] = time.perf_counter() - start
        conn.rollback()
    return out


def main(argv: list[str] | None = None) -> int:
    from credo.services.companies import get_company
    from credo.services.reports.aging import aging_report
    from credo.services.settings import aging_limits

    p = argparse.ArgumentParser(prog="python -m bench.closing", description=__doc__.splitlines()[0])
    database.ledger_arguments(p)
    p.set_defaults(invoices=1_000_000)
    p.add_argument("--runs", type=int, default=3, help="runs of the aging and of the close (the median is reported)")
    args = p.parse_args(argv)
    engine = database.prepared(args)
    day, today = ledger.END, ledger.END + timedelta(days=1)
    with engine.connect() as conn:
        company = get_company(conn, ledger.COMPANY_CODE)
        limits = aging_limits(conn, company)
        aging_report(conn, company, day, limits)  # warm-up
        aging_s, _, aging = timed_median(lambda: aging_report(conn, company, day, limits), args.runs)
    _close_and_verify(engine, company, day, today)  # warm-up
    closes = [_close_and_verify(engine, company, day, today) for _ in range(args.runs)]
    close_s = sorted(c[0] for c in closes)[len(closes) // 2]
    verify_s = sorted(c[1] for c in closes)[len(closes) // 2]
    stored, agrees = closes[-1][2], all(c[3] for c in closes)
    parts = _parts(engine, company, day)
    engine.dispose()
    figures = {"engine": args.engine, "invoices": args.invoices, "customers": len(aging.rows), "as_of": day.isoformat(),
               "aging_s": aging_s, "close_s": close_s, "verify_s": verify_s, "close_runs_s": [c[0] for c in closes],
               "verify_runs_s": [c[1] for c in closes], "figures_stored": stored, "verify_agrees": agrees,
               "close_over_aging": close_s / aging_s, "verify_over_aging": verify_s / aging_s, "parts_s": parts,
               "load_average": os.getloadavg(), "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
    print(f"{args.engine}, {args.invoices:,} invoices, {len(aging.rows):,} customers, month-end {day} "
          f"(load average {os.getloadavg()[1]:.1f} over the last 5 minutes)")
    print(f"aging report alone: {aging_s:.3f} s (median of {args.runs}, after a warm-up)")
    print(f"close of the month-end: {close_s:.2f} s ({close_s / aging_s:.0f}x the aging report; "
          f"runs {', '.join(f'{c[0]:.2f}' for c in closes)})")
    print(f"verify: {verify_s:.2f} s ({verify_s / aging_s:.0f}x; {stored} stored figures, "
          f"{'all agree' if agrees else 'DIFFERENCES'})")
    print("where a close's time goes (one run each):")
    for name, seconds in sorted(parts.items(), key=lambda kv: -kv[1]):
        print(f"  {name:32} {seconds:7.2f} s")
    print(f"  {'sum of the parts':32} {sum(parts.values()):7.2f} s")
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / f"closing-{args.engine}-{args.invoices}.json").write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
