"""What every PostgreSQL connection of credo sets (store/db.py): a custom plan for each execution
(reports run with dates years apart) and no JIT (its compiling cost more than it saved on reports
of a second or less: docs/performance.md). SQLite keeps its own pragmas."""

from sqlalchemy import text


def test_each_connection_takes_its_engines_settings(engine):
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            assert conn.execute(text("SHOW plan_cache_mode")).scalar() == "force_custom_plan"
            assert conn.execute(text("SHOW jit")).scalar() == "off"
        else:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
