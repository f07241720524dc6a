"""The benchmark run: for each size and engine, build (or reuse) the ledger, then measure."""

from __future__ import annotations

import csv
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench import database, importing, ledger, plans, targets
from bench.database import DATA, Target

ROOT = Path(__file__).resolve().parent.parent
RESULTS = DATA / "latest.json"
WORKER_TIMEOUT = float(os.environ.get("BENCH_WORKER_TIMEOUT", "3600"))
PHASES = ("reports", "memory", "orm", "core", "duckdb", "plans", "experiments", "import")
console = Console(stderr=True)


def log(message: str) -> None:
    console.log(message, markup=False)


def worker(task: str, args: dict, timeout: float | None = None) -> dict:
    """Run one measurement in a fresh process; its stdout is one JSON object."""
    done = subprocess.run([sys.executable, "-m", "bench.worker", task, json.dumps(args)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"worker {task} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> dict:
    import sqlite3


    info = {"nproc": os.cpu_count(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform()}
    try:
        with open("/proc/meminfo") as f:
            info["mem_total_gb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        pass
    try:
        import duckdb

        info["duckdb"] = duckdb.__version__
    except ImportError:
        pass
    return info


def code_state() -> dict:
    """Which code the figures belong to: the commit and a digest of uncommitted changes under src/."""
    import hashlib

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30).stdout
        except (OSError, subprocess.SubprocessError):
            return ""

    diff = git("diff", "HEAD", "--", "src") + git("status", "--porcelain", "--", "src")
    untracked = [line[3:] for line in git("status", "--porcelain", "--", "src").splitlines() if line.startswith("??")]
    digest = hashlib.sha1(diff.encode())
    for name in sorted(untracked):
        path = ROOT / name
        for f in sorted(path.rglob("*")) if path.is_dir() else [path]:
            if f.is_file():
                digest.update(f.read_bytes())
    return {"commit": git("rev-parse", "--short", "HEAD").strip(), "src_changes": digest.hexdigest()[:12],
            "dirty_files": [line[3:] for line in git("status", "--porcelain", "--", "src").splitlines()]}


def postgres_info(url: str) -> dict:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        out = {"version": conn.execute(text("SHOW server_version")).scalar()}
        for name in ("shared_buffers", "work_mem", "effective_cache_size", "jit", "max_parallel_workers_per_gather",
                     "random_page_cost"):
            out[name] = conn.execute(text(f"SHOW {name}")).scalar()
    engine.dispose()
    return out


def export_open_invoices(t: Target, path: Path) -> dict:
    """customer_id, due_date, amount, paid_amount of the open invoices, to Parquet (through CSV, by DuckDB)."""
    import duckdb
    from sqlalchemy import select

    from credo.store.tables import invoices

    i = invoices.c
    start = time.perf_counter()
    csv_path = path.with_suffix(".csv")
    engine = t.make()
    query = select(i.customer_id, i.due_date, i.amount, i.paid_amount).where(
        i.company_id == 1, i.amount > i.paid_amount, i.issue_date <= ledger.END)
    rows = 0
    with engine.connect() as conn, csv_path.open("w", newline="") as stream:
        out = csv.writer(stream)
        out.writerow(("customer_id", "due_date", "amount", "paid_amount"))
        for chunk in conn.execution_options(stream_results=True, yield_per=100_000).execute(query).partitions():
            out.writerows(chunk)
            rows += len(chunk)
    engine.dispose()
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv('{csv_path}', header=true, columns={{'customer_id': 'INTEGER', "
                f"'due_date': 'DATE', 'amount': 'BIGINT', 'paid_amount': 'BIGINT'}})) TO '{path}' (FORMAT parquet)")
    con.close()
    csv_path.unlink()
    return {"rows": rows, "export_s": time.perf_counter() - start, "parquet_mb": path.stat().st_size / 1e6}


class Suite:
    def __init__(self, sizes, engines, repeat, keep, seed, postgres_url, phases, profile_import, orm_max_runs):
        self.sizes, self.engines, self.repeat, self.keep, self.seed = sizes, engines, repeat, keep, seed
        self.postgres_url, self.phases, self.profile_import = postgres_url, phases, profile_import
        self.orm_max_runs = orm_max_runs
        DATA.mkdir(parents=True, exist_ok=True)
        self.results = self._load()
        self.results["machine"] = machine()
        if "postgresql" in engines:
            database.ensure_postgres_database(postgres_url)
            self.results["postgresql"] = postgres_info(postgres_url)
        self.results["started"] = datetime.now(timezone.utc).isoformat(timespec="seconds")

    def _load(self) -> dict:
        """Earlier figures are kept (a 10M run after a 1M run adds to the same file)."""
        if RESULTS.exists():
            try:
                return json.loads(RESULTS.read_text())
            except json.JSONDecodeError:
                pass
        return {"runs": {}}

    def save(self) -> None:
        RESULTS.write_text(json.dumps(self.results, indent=2, default=str))

    def run(self) -> dict:
        for n in self.sizes:
            for engine in self.engines:
                self.one(database.target(engine, n, self.postgres_url))
        return self.results

    def one(self, t: Target) -> None:
        key = f"{t.engine}:{t.n}"
        run = self.results["runs"].setdefault(key, {})
        run["measured"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        run["code"] = code_state()
        run.pop("errors", None)
        run["repeat"] = self.repeat
        as_of, past = ledger.END, ledger.past_as_of()
        run["as_of"], run["past_as_of"] = as_of.isoformat(), past.isoformat()

        counts = database.reuse(t, self.seed, lambda m: log(f"[{key}] {m}")) if self.keep else None
        if counts is not None:
            log(f"[{key}] reusing the generated ledger ({counts['invoices']:,} invoices)")
            run.setdefault("generation", {})["reused"] = True
        else:
            log(f"[{key}] generating {t.n:,} invoices ...")
            step = max(t.n // 10, 1)
            seen = {"next": step}

            def progress(done: int, total: int) -> None:
                if done >= seen["next"]:
                    log(f"[{key}]   {done:,} / {total:,} invoices")
                    seen["next"] += step

            run["generation"] = database.build(t, self.seed, progress)
            run["verify"] = database.verify(t)
            gen = run["generation"]
            log(f"[{key}] generated {gen['rows']:,} rows in {gen['total_s']:.1f} s "
                f"({gen['rows_per_s']:,.0f} rows/s; load {gen['load_s']:.1f} s, indexes {gen['index_s']:.1f} s, "
                f"analyze {gen['analyze_s']:.1f} s); invariants {run['verify']}")
            self.save()
        importing.cleanup(t)
        args = {"target": t.spec(), "as_of": as_of.isoformat(), "past": past.isoformat(), "repeat": self.repeat}

        self._phases(t, key, run, args, as_of, past)
        after = code_state()
        if after["src_changes"] != run["code"]["src_changes"]:
            run["code_changed_during_run"] = after
            log(f"[{key}] note: src/ changed while this run was measured")
        self.save()

    def _phases(self, t, key, run, args, as_of, past) -> None:
        for phase in PHASES:
            if phase not in self.phases:
                continue
            try:
                getattr(self, f"_{phase}")(t, key, run, args, as_of, past)
            except Exception as error:  # one failing phase must not lose the others' figures
                run.setdefault("errors", {})[phase] = f"{type(error).__name__}: {str(error)[-3000:]}"
                log(f"[{key}] {phase} failed: {type(error).__name__}: {str(error)[-600:]}")
            self.save()

    def _reports(self, t, key, run, args, as_of, past) -> None:
        log(f"[{key}] reports (warm-up + {self.repeat} runs each) in a subprocess ...")
        run["reports"] = worker("reports", args, timeout=WORKER_TIMEOUT)
        r = run["reports"]
        log(f"[{key}] aging current {r['aging_current']['median_s']:.3f} s, past {r['aging_past']['median_s']:.3f} s,"
            f" DSO {r['dso_standard']['median_s']:.3f} s, countback {r['dso_countback']['median_s']:.3f} s, "
            f"peak RSS {r['maxrss_mb']:.0f} MB")

    def _memory(self, t, key, run, args, as_of, past) -> None:
        """SQLite: the same reports with a 20 MB page cache instead of make_engine's 64 MB, to see
        what the cache costs in memory and buys in time."""
        if t.engine != "sqlite":
            return
        log(f"[{key}] reports again with PRAGMA cache_size = -20000 (20 MB) ...")
        run["reports_small_cache"] = worker("reports", args | {"pragmas": ["PRAGMA cache_size = -20000"],
                                                               "only": ["aging_current", "aging_past", "dso_standard",
                                                                        "dso_countback"]}, timeout=WORKER_TIMEOUT)
        r = run["reports_small_cache"]
        log(f"[{key}] 20 MB cache: aging current {r['aging_current']['median_s']:.3f} s, "
            f"past {r['aging_past']['median_s']:.3f} s, DSO {r['dso_standard']['median_s']:.3f} s, "
            f"peak RSS {r['maxrss_mb']:.0f} MB")

    def _orm(self, t, key, run, args, as_of, past) -> None:
        runs = 1 + self.repeat if t.n <= 2_000_000 else self.orm_max_runs
        log(f"[{key}] ORM baseline ({runs} run(s), the first one warms up when more than one) ...")
        run["orm"] = worker("orm", args | {"runs": runs}, timeout=WORKER_TIMEOUT)
        log(f"[{key}] ORM loop {run['orm']['median_s']:.2f} s, {run['orm']['maxrss_mb']:.0f} MB")

    def _core(self, t, key, run, args, as_of, past) -> None:
        runs = 1 + self.repeat if t.n <= 2_000_000 else self.orm_max_runs
        run["core"] = worker("core", args | {"runs": runs}, timeout=WORKER_TIMEOUT)
        log(f"[{key}] Core rows loop {run['core']['median_s']:.2f} s, {run['core']['maxrss_mb']:.0f} MB")

    def _duckdb(self, t, key, run, args, as_of, past) -> None:
        parquet = DATA / f"open-{t.engine}-{t.n}.parquet"
        run["duckdb_export"] = export_open_invoices(t, parquet)
        run["duckdb"] = worker("duckdb", args | {"parquet": str(parquet)})
        log(f"[{key}] DuckDB aging {run['duckdb']['median_s']:.3f} s over {run['duckdb_export']['rows']:,} rows")
        self.save()

    def _plans(self, t, key, run, args, as_of, past) -> None:
        path = DATA / f"plans-{t.engine}-{t.n}.txt"
        plans.write(t, as_of, past, path)
        run["plans_file"] = str(path.relative_to(ROOT))
        log(f"[{key}] plans written to {path}")

    def _experiments(self, t, key, run, args, as_of, past) -> None:
        from bench import experiments

        log(f"[{key}] experiments (alternative SQL, measured on the same data) ...")
        run["experiments"] = experiments.run(t, as_of, past, self.repeat)

    def _import(self, t, key, run, args, as_of, past) -> None:
        log(f"[{key}] import of {min(t.n, importing.IMPORT_CAP):,} invoices through run_import ...")
        run["import"] = imp = importing.measure(t)
        log(f"[{key}] import {imp['with_commit_s']:.1f} s ({imp['rows_per_s']:,.0f} rows/s)")
        if self.profile_import or imp["with_commit_s"] > 30:
            log(f"[{key}] profiling the import (cProfile) ...")
            imp["profile"] = importing.profile(t)


def table(results: dict) -> Table:
    out = Table(title="credo benchmarks (medians of warm runs)", show_lines=False)
    for column in ("engine", "N", "figure", "measured", "target", ""):
        out.add_column(column, justify="right" if column in ("N", "measured") else "left")
    for key, run in sorted(results["runs"].items(), key=lambda kv: (int(kv[0].split(":")[1]), kv[0])):
        engine, n = key.split(":")[0], int(key.split(":")[1])
        figures = targets.flatten(run)
        for label, metric, unit in targets.ROWS:
            if metric not in figures:
                continue
            value = figures[metric]
            shown = f"{value:,.0f} {unit}" if unit in ("rows/s", "MB") else (
                f"{value:.1f}x" if unit == "x" else f"{value:.3f} {unit}")
            wanted, status = targets.verdict(metric, engine, n, value)
            style = "green" if status == "PASS" else "red" if status == "MISS" else ""
            out.add_row(engine, f"{n:,}", label, shown, wanted, f"[{style}]{status}[/]" if style else status)
        out.add_section()
    return out
