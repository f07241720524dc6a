"""One benchmark database per engine and size: made by the migrations, loaded by `ledger.generate`.

SQLite: bench/data/sqlite-<N>.db. PostgreSQL: schema bench_<N> in the BENCH_POSTGRES_URL database
(search_path set on connect), so several sizes can be kept side by side. A marker table
(bench_marker) records the size and seed; --keep reuses a database whose marker and invoice count
match, and regenerates otherwise.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import Engine, text

from bench import ledger
from credo.store.db import make_engine, upgrade
from credo.store.queries import stale_allocations

DATA = Path(__file__).resolve().parent / "data"
LOADED_TABLES = ("customers", "invoices", "credit_notes", "payments", "allocations", "fx_rates")


@dataclass(frozen=True)
class Target:
    """Where one engine's benchmark database for one size lives."""

    engine: str  # "sqlite" | "postgresql"
    n: int
    url: str
    schema: str | None = None

    def make(self, **connect_args) -> Engine:
        if self.schema:
            connect_args["options"] = f"-c search_path={self.schema}"
        if self.engine == "sqlite":
            connect_args.pop("prepare_threshold", None)
        return make_engine(self.url, connect_args=connect_args) if connect_args else make_engine(self.url)

    def spec(self) -> dict:
        return asdict(self)


def target(engine: str, n: int, postgres_url: str) -> Target:
    if engine == "sqlite":
        return Target("sqlite", n, f"sqlite:///{DATA / f'sqlite-{n}.db'}")
    if engine == "postgresql":
        return Target("postgresql", n, postgres_url, f"bench_{n}")
    raise ValueError(f"unknown engine {engine!r}: use sqlite or postgresql")


def marker(t: Target, seed: int) -> dict | None:
    """The marker of a complete database of this size and seed, or None."""
    try:
        engine = t.make()
        with engine.connect() as conn:
            row = conn.execute(text("SELECT n, seed, counts FROM bench_marker")).first()
            if row is None or row.n != t.n or row.seed != seed:
                return None
            found = conn.execute(text("SELECT count(*) FROM invoices WHERE company_id = 1")).scalar()
            if found != t.n:
                return None
            return json.loads(row.counts)
    except Exception:  # no file, no schema, no table: not usable
        return None
    finally:
        engine.dispose()


def reuse(t: Target, seed: int, log=print) -> dict | None:
    """The counts of a kept database of this size and seed, migrated to the newest schema (indexes
    change as the reports are tuned: a kept ledger gets them, then fresh statistics); None: build."""
    counts = marker(t, seed)
    if counts is None:
        return None
    from alembic.script import ScriptDirectory

    from credo.store.db import alembic_config, current_revision

    engine = t.make()
    head = ScriptDirectory.from_config(alembic_config(t.url)).get_current_head()
    found = current_revision(engine)
    if found != head:
        log(f"kept database at revision {found}, migrating to {head} (indexes), then statistics ...")
        start = time.perf_counter()
        upgrade(engine)
        analyse(engine)
        log(f"migrated in {time.perf_counter() - start:.1f} s")
    engine.dispose()
    return counts


def ensure_postgres_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when the server has none of that name."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    wanted = make_url(url)
    engine = create_engine(wanted.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": wanted.database}).first()
        if found is None:
            conn.execute(text(f'CREATE DATABASE "{wanted.database}"'))
    engine.dispose()


def recreate(t: Target) -> None:
    """An empty database or schema for this target."""
    if t.engine == "sqlite":
        path = Path(t.url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    from sqlalchemy import create_engine

    engine = create_engine(t.url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {t.schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {t.schema}"))
    engine.dispose()


def _secondary_indexes(conn, engine: str) -> list[tuple[str, str]]:
    """(name, DDL) of the indexes the migrations made that no constraint owns."""
    names = ", ".join(f"'{t}'" for t in LOADED_TABLES)
    if engine == "sqlite":
        rows = conn.execute(text(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({names})"))
    else:
        rows = conn.execute(text(
            f"SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            f"AND tablename IN ({names}) AND indexname NOT IN (SELECT conname FROM pg_constraint)"))
    return [(r[0], r[1]) for r in rows]


def build(t: Target, seed: int, progress=None) -> dict:
    """Migrate, then load the synthetic ledger; returns timings and counts.

    The load is how one loads a warehouse: secondary indexes dropped and rebuilt afterwards with
    the migrations' own DDL, foreign-key checks off during the load (the generator writes parents
    before children, and the ledger's invariants are checked by `verify`), then statistics.
    """
    recreate(t)
    engine = t.make()
    upgrade(engine)
    out: dict = {}
    with engine.connect() as conn:
        if t.engine == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys = OFF")
        else:
            conn.exec_driver_sql("SET session_replication_role = replica")
            conn.exec_driver_sql("SET maintenance_work_mem = '1GB'")
        indexes = _secondary_indexes(conn, t.engine)
        for name, _ in indexes:
            conn.execute(text(f"DROP INDEX {name}"))
        conn.commit()
        start = time.perf_counter()
        company_id, counts = ledger.generate(conn, t.n, seed, progress=progress, commit=conn.commit)
        conn.commit()
        out["load_s"] = time.perf_counter() - start
        start = time.perf_counter()
        for _, ddl in indexes:
            conn.execute(text(ddl))
        if t.engine == "postgresql":
            for table in ("customers", "invoices", "credit_notes", "payments", "allocations", "fx_rates",
                          "companies"):
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                  f"(SELECT coalesce(max(id), 1) FROM {table}))"))
        conn.commit()
        out["index_s"] = time.perf_counter() - start
        if t.engine == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")
    start = time.perf_counter()
    analyse(engine)
    out["analyze_s"] = time.perf_counter() - start
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE bench_marker (n BIGINT NOT NULL, seed BIGINT NOT NULL, counts TEXT NOT NULL)"))
        conn.execute(text("INSERT INTO bench_marker VALUES (:n, :seed, :counts)"),
                     {"n": t.n, "seed": seed, "counts": json.dumps(asdict(counts))})
    engine.dispose()
    out["counts"] = asdict(counts)
    out["rows"] = counts.total()
    out["total_s"] = out["load_s"] + out["index_s"] + out["analyze_s"]
    out["rows_per_s"] = out["rows"] / out["total_s"]
    out["load_rows_per_s"] = out["rows"] / out["load_s"]
    out["company_id"] = company_id
    return out


def analyse(engine: Engine) -> None:
    """Statistics for the planner: ANALYZE + PRAGMA optimize on SQLite, VACUUM (ANALYZE) on PostgreSQL
    (VACUUM also sets the visibility map that index-only scans need)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.exec_driver_sql("PRAGMA optimize")
            conn.commit()
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM (ANALYZE)")


def verify(t: Target) -> dict:
    """The ledger's invariants, checked in SQL: paid_amount and applied_amount are the sums of
    allocations, nothing is over-allocated, and the allocations' copies equal their documents'."""
    engine = t.make()
    checks = {
        "invoices_paid_mismatch": """SELECT count(*) FROM invoices i LEFT JOIN (SELECT invoice_id, sum(amount) s
            FROM allocations GROUP BY invoice_id) a ON a.invoice_id = i.id WHERE i.paid_amount <> coalesce(a.s, 0)""",
        "payments_applied_mismatch": """SELECT count(*) FROM payments p LEFT JOIN (SELECT payment_id, sum(amount) s
            FROM allocations WHERE payment_id IS NOT NULL GROUP BY payment_id) a ON a.payment_id = p.id
            WHERE p.applied_amount <> coalesce(a.s, 0)""",
        "credit_applied_mismatch": """SELECT count(*) FROM credit_notes c LEFT JOIN (SELECT credit_note_id, sum(amount) s
            FROM allocations WHERE credit_note_id IS NOT NULL GROUP BY credit_note_id) a ON a.credit_note_id = c.id
            WHERE c.applied_amount <> coalesce(a.s, 0)""",
        "over_allocated": "SELECT count(*) FROM invoices WHERE paid_amount > amount",
        "orphan_allocations": """SELECT count(*) FROM allocations a LEFT JOIN invoices i ON i.id = a.invoice_id
            WHERE i.id IS NULL""",
    }
    with engine.connect() as conn:
        out = {name: conn.execute(text(sql)).scalar() for name, sql in checks.items()}
        out["stale_allocation_copies"] = conn.execute(stale_allocations()).scalar()
        if t.engine == "sqlite":
            out["foreign_key_check"] = len(conn.exec_driver_sql("PRAGMA foreign_key_check").all())
    engine.dispose()
    return out


SEED = 20240601  # the synthetic ledger every benchmark of one size shares
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/credo_bench"


def ledger_arguments(parser, engine: str = "postgresql", postgres_url: str = DEFAULT_URL) -> None:
    """The options of a benchmark over one generated ledger: its size, engine, server and reuse."""
    parser.add_argument("--invoices", type=int, default=2_600_000, help="size of the generated ledger")
    parser.add_argument("--engine", default=engine, help="postgresql or sqlite")
    parser.add_argument("--postgres-url", default=postgres_url)
    parser.add_argument("--keep", action="store_true", help="reuse a generated ledger of the same size")


def prepared(args) -> Engine:
    """The engine over the ledger `ledger_arguments` asked for, generated unless one is kept."""
    if args.engine == "postgresql":
        ensure_postgres_database(args.postgres_url)
    t = target(args.engine, args.invoices, args.postgres_url)
    if not (args.keep and reuse(t, SEED)):
        print(f"generating {args.invoices:,} invoices on {args.engine} ...", flush=True)
        started = time.perf_counter()
        build(t, SEED)
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    return t.make()


def timed_median(fn, runs: int) -> tuple[float, float, object]:
    """Median wall time, median CPU time of this process (the Python side; a busy machine stretches
    the wall time, less the CPU time), and the last result: the bench.dunning, bench.provision and
    bench.risk_scan figures."""
    times, cpu, result = [], [], None
    for _ in range(runs):
        start, used = time.perf_counter(), time.process_time()
        result = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - used)
    return statistics.median(times), statistics.median(cpu), result
