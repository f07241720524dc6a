"""What every command needs: settings, an engine, the company, the actor, as-of dates."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date
from typing import Iterator

from sqlalchemy import Connection

from credo import clock
from credo.cli import identity
from credo.config import Settings
from credo.errors import InvalidInput
from credo.services.access import Scope
from credo.services.companies import Company, get_company
from credo.store.db import current_revision, database_exists, head_revision, make_engine


def settings() -> Settings:
    """The settings of this command; the business clock takes their time zone (and CREDO_CLOCK)."""
    config = Settings()
    config.apply_clock()
    return config


def actor(config: Settings) -> str:
    """The name the audit log gives the command's user (`user:li`, as on the pages and the API); the
    machine's operator while a database without users is set up."""
    return identity.actor()


def scope() -> Scope:
    """The customers the command's user sees: a collector's or a salesperson's portfolio, else all."""
    return identity.scope()


def person():
    """The command's user as a person of the maker-checker: the one identity and the role."""
    from credo.services.approvals import Person

    who = identity.current()
    return Person(identity.actor(), who.role.value if who else "admin")


@contextmanager
def transaction(config: Settings, *, need_schema: bool = True) -> Iterator[Connection]:
    """One transaction per command: everything it wrote stands, or nothing does."""
    with connection(config, need_schema=need_schema) as conn, conn.begin():
        yield conn


@contextmanager
def connection(config: Settings, *, need_schema: bool = True) -> Iterator[Connection]:
    """A connection that commits as it goes, for the one command whose work reaches the outside
    world step by step (sending a dunning run: each customer's sends are committed when done).
    A database that is not there is refused, never created empty: only `credo init` makes one."""
    if not database_exists(config.database_url):
        raise InvalidInput(f"no database at {config.database_url}: run `credo init` to create it, or correct "
                           "CREDO_DATABASE_URL")
    engine = make_engine(config.database_url)
    try:
        if need_schema:
            found, wanted = current_revision(engine), head_revision()
            if found is None:
                raise InvalidInput(f"the database {engine.url.render_as_string()} has no credo schema: run `credo init`")
            if found != wanted:
                raise InvalidInput(f"the database schema is at revision {found} and this credo needs {wanted}: "
                                   "run `credo init` to upgrade it")
        with engine.connect() as conn:
            with conn.begin():  # who runs the command, and may they: before anything is done
                identity.establish(conn, config.actor)
            yield conn
    finally:
        engine.dispose()


def company(conn: Connection, config: Settings, code: str | None) -> Company:
    return get_company(conn, code or config.company or None)


def parse_day(text: str | None, option: str) -> date:
    """An ISO date from an option; the business day today when omitted (credo.clock)."""
    if text is None:
        return clock.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option} {text!r} is not a date: use YYYY-MM-DD") from None
