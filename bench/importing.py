"""Import rate: the real `run_import` path (read, parse, validate, stage, insert) on a CSV of invoices.

A fresh company with its customers is made (committed) first; then the import and its commit are
timed in one transaction; then the company's rows are deleted again so the benchmark ledger stays
as generated. `profile` runs the same import under cProfile (rolled back) to show where the time goes.
"""

from __future__ import annotations

import cProfile
import csv
import io
import math
import pstats
import random
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select

from bench import ledger
from bench.database import DATA, Target, analyse
from credo.services.companies import add_company
from credo.services.imports import ImportOptions, run_import
from credo.store.bulk import copy_rows
from credo.store.tables import audit_log, companies, customers, invoices

IMPORT_CAP = 1_000_000
HEADER = ("invoice_number", "customer_code", "invoice_date", "due_date", "amount", "currency")


def write_csv(path: Path, rows: int, n_customers: int, prefix: str, seed: int = 7) -> None:
    rng = random.Random(seed)
    low, high = math.log(50_000), math.log(20_000_000)
    with path.open("w", newline="", encoding="utf-8") as stream:
        out = csv.writer(stream)
        out.writerow(HEADER)
        for k in range(rows):
            issue = ledger.START + timedelta(days=k * ledger.DAYS // rows)
            due = issue + timedelta(days=rng.choice(ledger.TERMS))
            minor = int(math.exp(rng.uniform(low, high)))
            out.writerow((f"IMP{k + 1:09d}", f"{prefix}{rng.randint(1, n_customers):07d}", issue.isoformat(),
                          due.isoformat(), f"{minor // 100}.{minor % 100:02d}", "CNY"))


def _fresh_company(engine, code: str, n_customers: int, prefix: str):
    with engine.begin() as conn:
        company = add_company(conn, code=code, name=f"Import bench {code}", base_currency="CNY", calendar=None,
                              actor="bench")
        rows = (r[1:] for r in ledger.customer_rows(company.id, n_customers, 99, prefix=prefix))
        copy_rows(conn, customers, ledger.CUSTOMER_COLUMNS[1:], rows)
    return company


def _remove_company(engine, code: str) -> None:
    """Delete an import company's rows. Foreign-key checks are off for it: nothing refers to these
    invoices, and credit_notes.invoice_id has no index, so each deleted invoice would scan credit_notes."""
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        company_id = conn.execute(select(companies.c.id).where(companies.c.code == code)).scalar()
        conn.rollback()
        if company_id is None:
            return
        conn.exec_driver_sql("PRAGMA foreign_keys = OFF" if sqlite else "SET session_replication_role = replica")
        try:
            for table in (invoices, customers):
                conn.execute(delete(table).where(table.c.company_id == company_id))
            conn.execute(delete(audit_log).where(audit_log.c.company_id == company_id))
            conn.execute(delete(companies).where(companies.c.id == company_id))
            conn.commit()
        finally:
            conn.rollback()
            conn.exec_driver_sql("PRAGMA foreign_keys = ON" if sqlite else "RESET session_replication_role")


def cleanup(t: Target) -> None:
    """Remove import companies a previous (interrupted) run may have left."""
    engine = t.make()
    with engine.connect() as conn:
        codes = conn.execute(select(companies.c.code).where(companies.c.code.like("IMPORT%"))).scalars().all()
    for code in codes:
        _remove_company(engine, code)
    engine.dispose()


def _prepare(t: Target) -> tuple[Path, int]:
    rows = min(t.n, IMPORT_CAP)
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"import-{rows}.csv"
    if not path.exists():
        write_csv(path, rows, ledger.customer_count(rows), "M")
    cleanup(t)
    return path, rows


def _finish(t: Target, engine) -> None:
    _remove_company(engine, "IMPORT1")
    if t.engine == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # A million rows in and out leave the partial open-items index several times its size
            # (164 MB instead of 22 MB at 1M), and the planner then walks away from it: rebuild.
            conn.exec_driver_sql("REINDEX TABLE invoices")
            conn.exec_driver_sql("VACUUM (ANALYZE) invoices, customers, audit_log")
    else:
        analyse(engine)
    engine.dispose()


def measure(t: Target) -> dict:
    """Time run_import + commit of min(N, 1M) invoices into a fresh company."""
    path, rows = _prepare(t)
    engine = t.make()
    out: dict = {"rows": rows, "file_mb": path.stat().st_size / 1e6}
    try:
        company = _fresh_company(engine, "IMPORT1", ledger.customer_count(rows), "M")
        with engine.connect() as conn:
            start = time.perf_counter()
            result = run_import(conn, company, "invoices", path, ImportOptions(), "bench")
            out["import_s"] = time.perf_counter() - start
            conn.commit()
            out["with_commit_s"] = time.perf_counter() - start
        out["inserted"] = result.inserted
        out["rows_per_s"] = rows / out["with_commit_s"]
    finally:
        _finish(t, engine)
    return out


def profile(t: Target) -> dict:
    """The same import under cProfile (rolled back): where the time goes."""
    path, rows = _prepare(t)
    engine = t.make()
    try:
        company = _fresh_company(engine, "IMPORT1", ledger.customer_count(rows), "M")
        profiler = cProfile.Profile()
        with engine.connect() as conn:
            start = time.perf_counter()
            profiler.enable()
            run_import(conn, company, "invoices", path, ImportOptions(), "bench")
            profiler.disable()
            elapsed = time.perf_counter() - start
            conn.rollback()
        return {"profiled_s": elapsed, **_top(profiler)}
    finally:
        _finish(t, engine)


def _top(profiler: cProfile.Profile, limit: int = 25) -> dict:
    """Cumulative and own-time tops, as text."""
    out = {}
    for key in ("cumulative", "tottime"):
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(key).print_stats(limit)
        out[key] = stream.getvalue()
    return out

