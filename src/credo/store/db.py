"""Engines and the schema's life cycle. Nothing is built at import time."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

MIGRATIONS = Path(__file__).with_name("migrations")


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for a URL; SQLite gets foreign keys, WAL and a busy timeout. Nothing is created
    yet: SQLite makes its file at the first connection, which only `upgrade` should be (`credo init`,
    `credo demo`); every other command first asks `database_exists`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "postgresql":
        event.listen(engine, "connect", _postgres_settings)
    return engine


def _postgres_settings(dbapi_connection, _record) -> None:
    """Reports run the same statements with dates far apart (today, a month end two years ago):
    psycopg prepares a statement after its fifth run, and PostgreSQL may then settle on one generic
    plan for every date. A custom plan per execution costs a millisecond and is never the wrong one.

    JIT off: PostgreSQL compiles a statement's expressions when its estimated cost passes
    jit_above_cost, which every portfolio report at 1M does; the compiling took 0.1-0.2 s of reports
    that run well under a second (the aging as of a past date 1.06 -> 0.85 s, the countback DSO 0.42
    -> 0.29 s; docs/performance.md)."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
        cursor.execute("SET jit = off")
    dbapi_connection.commit()


def one_customer_plans(conn: Connection) -> None:
    """For the rest of this transaction PostgreSQL may keep a generic plan of a prepared statement
    (plan_cache_mode auto): a customer page's statements run for customer after customer, and
    planning the aging's unions afresh cost more than running them (about 1 ms against 0.3 ms: a
    third of the customer 360's time in the database). Not for the portfolio reports, whose dates far
    apart want a plan each (`_postgres_settings`)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL plan_cache_mode = auto")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    # 32 MB: at 1M invoices 20 MB was as fast as 200 MB; at 10M, 32 MB ran the four reports as
    # fast as 64 MB (the OS caches the file) and kept their process at 252 MB instead of 282-303.
    cursor.execute("PRAGMA cache_size = -32000")
    cursor.close()


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None: another database, or SQLite in memory)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def database_exists(url: str) -> bool:
    """False when the URL names a SQLite file that is not there (connecting would create it empty);
    True otherwise (a server database that is missing refuses the connection itself)."""
    path = sqlite_file(url)
    return path is None or path.exists()


def is_sqlite(engine_or_conn) -> bool:
    return engine_or_conn.dialect.name == "sqlite"


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration (what `credo init` does); a SQLite
    file is created here, with its folder."""
    from alembic import command

    path = sqlite_file(engine.url.render_as_string(hide_password=False))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    """The newest migration this credo knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
