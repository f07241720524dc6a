"""`credo close period|reopen|list|show|verify`: period close (结账) and its lock date.

Closing a month-end makes it the lock date: nothing dated on or before it can be booked any more
(or only on the first open day, where a command offers --to-open-period), and the month-end's
aging, provision, DSO and early-warning state are stored with the settings and a digest of the
inputs they read. `credo close verify` computes them again and names every difference."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from credo import clock
from credo.cli import context
from credo.cli.app import app, new_app
from credo.cli.limits import Listing, in_company
from credo.cli.output import Format, FormatOption, OutOption, emit
from credo.cli.reports import CompanyOption
from credo.store.period_tables import SNAPSHOT_KINDS

close_app = new_app("Period close (结账): close a month, reopen it, list the closes, show and verify what they stored.")
app.add_typer(close_app, name="close")

COLUMNS = ["id", "period_end", "closed_at", "closed_by", "month_ends", "reopened_at", "reopened_by", "reopen_reason"]


def _listing(closes) -> Listing:
    return Listing("Closed periods", COLUMNS, [c.to_json() for c in closes])


@close_app.command("period")
def close(
    as_of: str = typer.Option(..., "--as-of", help="The month-end to close up to, YYYY-MM-DD (a day before today)."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """Close every day up to a month-end: it becomes the lock date, its month-end figures are stored."""
    from credo.services.closing import close_period

    day = context.parse_day(as_of, "--as-of")
    closed = in_company(company, lambda conn, chosen, actor: close_period(conn, chosen, day, actor, clock.today()))
    emit(_listing([closed]), fmt, out)


@close_app.command("reopen")
def reopen(
    reason: str = typer.Option(..., "--reason", help="Why the last closed period is reopened (kept in the log)."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """Reopen the last closed period: the lock date goes back to the close before it."""
    from credo.services.closing import reopen_period

    reopened = in_company(company, lambda conn, chosen, actor: reopen_period(conn, chosen, actor, reason))
    emit(_listing([reopened]), fmt, out)


@close_app.command("list")
def listing(fmt: Format = FormatOption, out: Optional[Path] = OutOption,
            company: Optional[str] = CompanyOption) -> None:
    """Every close, the latest first (reopened ones too, marked)."""
    from credo.services.closing import list_closes

    emit(_listing(in_company(company, lambda conn, chosen, _: list_closes(conn, chosen))), fmt, out)


@close_app.command("show")
def show(
    as_of: str = typer.Option(..., "--as-of", help="A closed month-end, YYYY-MM-DD."),
    kind: str = typer.Option("aging", "--kind", help=f"The figure: {', '.join(SNAPSHOT_KINDS)}."),
    out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """The figure a close stored for a month-end, as JSON: settings, input digests and the figures."""
    from credo.services.closing import stored_figures
    from credo.errors import InvalidInput

    if kind not in SNAPSHOT_KINDS:
        raise InvalidInput(f"--kind {kind!r}: use one of {', '.join(SNAPSHOT_KINDS)}")
    day = context.parse_day(as_of, "--as-of")
    [figure] = in_company(company, lambda conn, chosen, _: stored_figures(conn, chosen, day, (kind,)))
    emit(figure, Format.json, out)


@close_app.command("verify")
def verify(
    as_of: Optional[str] = typer.Option(None, "--as-of", help="One closed month-end (default: every one in force)."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption,
) -> None:
    """Compute every stored month-end figure again; name each difference (exit 1 when there is one)."""
    from credo.services.closing import verify_closes

    day = None if as_of is None else context.parse_day(as_of, "--as-of")
    result = in_company(company, lambda conn, chosen, _: verify_closes(conn, chosen, day))
    emit(result, fmt, out)
    if not result.agrees:
        raise typer.Exit(1)
