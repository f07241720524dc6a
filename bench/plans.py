"""Query plans of the statements the reports run (captured while they run): EXPLAIN QUERY PLAN on
SQLite, EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL after one warm run."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bench import statements
from bench.database import Target


def explain(conn, sql: str, params) -> str:
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params).all()
        depth = {0: -1}
        lines = []
        for node, parent, _, detail in rows:
            depth[node] = depth.get(parent, -1) + 1
            lines.append("  " * depth[node] + detail)
        return "\n".join(lines)
    conn.exec_driver_sql(sql, params).all()  # warm
    rows = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + sql, params).all()
    return "\n".join(r[0] for r in rows)


def write(t: Target, as_of: date, past: date, path: Path) -> dict[str, str]:
    """Plan of every distinct statement the four reports run, with its SQL, written to `path`."""
    from credo.services.companies import get_company

    engine = t.make(prepare_threshold=None) if t.engine == "postgresql" else t.make()
    plans: dict[str, str] = {}
    chunks = []
    done: dict[tuple, str] = {}
    with engine.connect() as conn:
        company = get_company(conn, "BENCH")
        for c in statements.captured_reports(conn, company, as_of, past):
            key = (c.sql, repr(c.params))
            if key in done:
                chunks.append(f"=== {c.label()}: same statement as {done[key]}\n")
                continue
            done[key] = c.name
            plans[c.label()] = explain(conn, c.sql, c.params)
            sql = statements.literal_sql(c.sql, c.params, conn.dialect.name)
            chunks.append(f"=== {c.label()}\n--- SQL\n{sql}\n--- plan\n{plans[c.label()]}\n")
    engine.dispose()
    path.write_text("\n".join(chunks), encoding="utf-8")
    return plans
