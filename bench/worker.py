"""Measurements that run in a process of their own, so its peak memory (ru_maxrss) is theirs alone.

    python -m bench.worker TASK 'JSON arguments'   ->   one JSON object on stdout

Tasks: reports (credo's aging and DSO services), orm (the ERP-style baseline: ORM objects and a
Python loop), core (Core rows and a Python loop), duckdb (the same aging over Parquet).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections import defaultdict
from datetime import date

from bench.database import Target


def _maxrss_mb() -> float:
    """Peak resident memory of this process in MB.

    VmHWM (the high-water mark of this process's own address space) where /proc has it: on Linux
    ru_maxrss of a child also counts the parent's resident set at fork time (the benchmark parent
    holds the generator's memory), so ru_maxrss alone would charge the generation to the reports.
    The ru_maxrss figure is kept beside it in the results (`ru_maxrss_mb`)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _ru_maxrss_mb()


def _ru_maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _timed(fn, repeat: int) -> dict:
    fn()  # warm-up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return {"median_s": statistics.median(runs), "runs_s": runs}


def reports(args: dict) -> dict:
    from credo.services.companies import get_company

    from bench import statements

    t = Target(**args["target"])
    as_of, past, repeat = date.fromisoformat(args["as_of"]), date.fromisoformat(args["past"]), args["repeat"]
    engine = t.make()
    pragmas = args.get("pragmas") or []
    if pragmas:
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _set(dbapi_connection, _record):  # after make_engine's own pragmas
            cursor = dbapi_connection.cursor()
            for pragma in pragmas:
                cursor.execute(pragma)
            cursor.close()

    out: dict = {"rss_before_mb": _maxrss_mb(), "pragmas": pragmas}
    with engine.connect() as conn:
        company = get_company(conn, "BENCH")
        calls = statements.report_calls(company, as_of, past)
        only = args.get("only")
        for name, call in calls.items():
            if only is None or name in only:
                out[name] = _timed(lambda call=call: call(conn), repeat)
        out["rss_reports_mb"] = _maxrss_mb()  # the reports' own peak: one report alive at a time
        if only is not None:
            out["maxrss_mb"] = _maxrss_mb()
            engine.dispose()
            return out
        report = calls["aging_current"](conn)
        out["aging_current"]["customers"] = len(report.rows)
        out["aging_current"]["total"] = str(report.totals.total)
        past_report = calls["aging_past"](conn)
        out["aging_past"]["customers"] = len(past_report.rows)
        out["aging_past"]["total"] = str(past_report.totals.total)
        out["dso_standard"]["dso"] = str(calls["dso_standard"](conn).total.dso)
        out["dso_countback"]["dso"] = str(calls["dso_countback"](conn).total.dso)
        # Each statement the reports ran, re-run alone: which part of a report costs what.
        timed: dict[tuple, float] = {}
        out["statements"] = []
        for c in statements.captured_reports(conn, company, as_of, past):
            key = (c.sql, repr(c.params))
            if key not in timed:
                timed[key] = _timed(lambda c=c: conn.exec_driver_sql(c.sql, c.params).all(), repeat)["median_s"]
            out["statements"].append({"name": c.label(), "median_s": timed[key]})
    engine.dispose()
    out["maxrss_mb"] = _maxrss_mb()
    out["ru_maxrss_mb"] = _ru_maxrss_mb()
    return out


def _bucket_index(days_past_due: int, limits=(0, 30, 60, 90, 180, 365)) -> int:
    for index, limit in enumerate(limits):
        if days_past_due <= limit:
            return index
    return len(limits)


def orm(args: dict) -> dict:
    """ERP style: every open invoice becomes an ORM object, bucketed in a Python loop per customer."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session, registry

    from credo.store.tables import invoices

    class Invoice:
        pass

    registry().map_imperatively(Invoice, invoices)
    t = Target(**args["target"])
    as_of = date.fromisoformat(args["as_of"])
    engine = t.make()
    rss_before = _maxrss_mb()
    runs, count, total = [], 0, 0
    for _ in range(args["runs"]):
        start = time.perf_counter()
        with Session(engine) as session:
            rows = session.scalars(select(Invoice).where(
                Invoice.company_id == 1, Invoice.amount > Invoice.paid_amount, Invoice.issue_date <= as_of)).all()
            sums: dict[int, list[int]] = defaultdict(lambda: [0] * 7)
            for inv in rows:
                sums[inv.customer_id][_bucket_index((as_of - inv.due_date).days)] += inv.amount - inv.paid_amount
            count, total = len(rows), sum(sum(v) for v in sums.values())
            del rows
        runs.append(time.perf_counter() - start)
    engine.dispose()
    timed = runs[1:] if len(runs) > 1 else runs  # the first run warms up
    return {"median_s": statistics.median(timed), "runs_s": runs, "rows": count, "open_total_minor": total,
            "rss_before_mb": rss_before, "maxrss_mb": _maxrss_mb(), "ru_maxrss_mb": _ru_maxrss_mb()}


def core(args: dict) -> dict:
    """Core rows (no ORM objects) and the same Python loop."""
    from sqlalchemy import select

    from credo.store.tables import invoices

    i = invoices.c
    t = Target(**args["target"])
    as_of = date.fromisoformat(args["as_of"])
    engine = t.make()
    runs, count = [], 0
    query = select(i.customer_id, i.due_date, i.amount, i.paid_amount).where(
        i.company_id == 1, i.amount > i.paid_amount, i.issue_date <= as_of)
    for _ in range(args["runs"]):
        start = time.perf_counter()
        with engine.connect() as conn:
            rows = conn.execute(query).all()
            sums: dict[int, list[int]] = defaultdict(lambda: [0] * 7)
            for customer_id, due_date, amount, paid in rows:
                sums[customer_id][_bucket_index((as_of - due_date).days)] += amount - paid
            count = len(rows)
            del rows
        runs.append(time.perf_counter() - start)
    engine.dispose()
    timed = runs[1:] if len(runs) > 1 else runs
    return {"median_s": statistics.median(timed), "runs_s": runs, "rows": count, "maxrss_mb": _maxrss_mb()}


def duckdb_aging_sql(path: str, as_of: date) -> str:
    from bench.statements import aging_starts

    cases, previous = [], None
    for index, (_, start) in enumerate(aging_starts(as_of)):
        conditions = [f"due_date >= DATE '{start}'"] if start else []
        if previous:
            conditions.append(f"due_date < DATE '{previous}'")
        cases.append(f"sum(CASE WHEN {' AND '.join(conditions)} THEN open_amount ELSE 0 END) AS b{index}")
        previous = start
    return (f"SELECT customer_id, {', '.join(cases)}, sum(open_amount) AS total FROM ("
            f"SELECT customer_id, due_date, amount - paid_amount AS open_amount FROM read_parquet('{path}') "
            f"WHERE amount > paid_amount) GROUP BY customer_id")


def duckdb(args: dict) -> dict:
    import duckdb as ddb

    as_of = date.fromisoformat(args["as_of"])
    con = ddb.connect()
    sql = duckdb_aging_sql(args["parquet"], as_of)
    rows: list = []

    def run():
        rows[:] = con.execute(sql).fetchall()

    out = _timed(run, args["repeat"])
    out["customers"] = len(rows)
    out["open_total_minor"] = int(sum(r[-1] for r in rows))
    out["threads"] = con.execute("SELECT current_setting('threads')").fetchone()[0]
    out["maxrss_mb"] = _maxrss_mb()
    return out


TASKS = {"reports": reports, "orm": orm, "core": core, "duckdb": duckdb}

if __name__ == "__main__":
    task, raw = sys.argv[1], sys.argv[2]
    print(json.dumps(TASKS[task](json.loads(raw))))
