"""Alternatives to the statements the reports run, measured on the same data beside the original.

Nothing here changes credo: each variant is a copy of a captured report statement, rewritten as
text (or run under another session setting), timed (one warm-up + repeat, median) and checked to
return the same rows. The findings go to docs/performance.md as recommendations.

Variants tried:
- SQLite: `invoices NOT INDEXED` / `payments NOT INDEXED` (a full scan instead of the index the
  planner walks), and the GROUP BY key written as `customer_id + 0` (no index order for grouping);
- PostgreSQL: the same statement with `SET jit = off` (JIT compilation of big CASE aggregates
  costs a fixed few hundred milliseconds per run once a plan's cost passes jit_above_cost).
"""

from __future__ import annotations

import re
import statistics
import time
from datetime import date
from decimal import Decimal
from typing import Callable

from bench import statements
from bench.database import Target


def _time(conn, sql: str, params, repeat: int) -> tuple[float, list]:
    rows = conn.exec_driver_sql(sql, params).all()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = conn.exec_driver_sql(sql, params).all()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), rows


def _same(a: list, b: list) -> bool:
    """Same rows, whatever numeric type the driver gave the sums (Decimal on PostgreSQL, int on SQLite)."""
    def norm(rows):
        return sorted(tuple(int(v) if isinstance(v, (int, Decimal)) else v for v in r) for r in rows)
    return norm(a) == norm(b)


def _not_indexed(table: str) -> Callable[[str], str | None]:
    def rewrite(sql: str) -> str | None:
        new = re.sub(rf"\bFROM {table}\b(?! NOT INDEXED)(?!\s+AS\b)", f"FROM {table} NOT INDEXED", sql)
        return new if new != sql else None
    return rewrite


def _plain_group_key(sql: str) -> str | None:
    """GROUP BY <x>.customer_id -> GROUP BY <x>.customer_id + 0 (SQLite then sorts instead of walking
    an index in customer order, and the expression is the same value)."""
    new = re.sub(r"GROUP BY ([a-z_0-9]+)\.customer_id,", r"GROUP BY \1.customer_id + 0,", sql)
    return new if new != sql else None


SQLITE_VARIANTS = {
    "invoices NOT INDEXED": _not_indexed("invoices"),
    "payments NOT INDEXED": _not_indexed("payments"),
    "invoices and payments NOT INDEXED": lambda sql: (_not_indexed("payments")(_not_indexed("invoices")(sql) or sql)
                                                      if _not_indexed("invoices")(sql) else None),
    "GROUP BY customer_id + 0": _plain_group_key,
}


def run(t: Target, as_of: date, past: date, repeat: int, slower_than: float = 0.05) -> dict:
    """Variants of every distinct statement taking more than `slower_than` seconds."""
    from credo.services.companies import get_company

    engine = t.make(prepare_threshold=None) if t.engine == "postgresql" else t.make()
    out: dict = {}
    with engine.connect() as conn:
        company = get_company(conn, "BENCH")
        seen = set()
        for c in statements.captured_reports(conn, company, as_of, past):
            key = (c.sql, repr(c.params))
            if key in seen:
                continue
            seen.add(key)
            base_s, base_rows = _time(conn, c.sql, c.params, 1)
            if base_s < slower_than:
                continue
            if base_s > 120:  # too slow to try variants of within a run; the plan tells why
                out[c.label()] = {"statement": c.label(), "median_s": base_s, "variants": {}, "skipped": "over 120 s"}
                continue
            if base_s < 10:
                base_s, base_rows = _time(conn, c.sql, c.params, repeat)
            runs = repeat if base_s < 10 else 1
            entry = {"statement": c.label(), "median_s": base_s, "variants": {}}
            if t.engine == "sqlite":
                for name, rewrite in SQLITE_VARIANTS.items():
                    sql = rewrite(c.sql)
                    if sql is None:
                        continue
                    seconds, rows = _time(conn, sql, c.params, runs)
                    plan = "; ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, c.params))
                    entry["variants"][name] = {"median_s": seconds, "same_rows": _same(rows, base_rows),
                                               "plan": plan[:600]}
            else:
                conn.exec_driver_sql("SET jit = off")
                seconds, rows = _time(conn, c.sql, c.params, runs)
                conn.exec_driver_sql("RESET jit")
                entry["variants"]["SET jit = off"] = {"median_s": seconds, "same_rows": _same(rows, base_rows)}
            out[c.label()] = entry
    engine.dispose()
    return out
