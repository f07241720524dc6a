"""The date of a dated command: always --as-of (default today). Some commands called it --on (or
`payments reverse` --date); that name is still read, hidden from the help, so scripts keep working."""

from __future__ import annotations

from datetime import date

import typer

from credo.cli import context
from credo.errors import InvalidInput

OnAlias = typer.Option(None, "--on", hidden=True, help="The former name of --as-of (still read, for scripts).")
# A dated write into a closed period (on or before the company's lock date) is refused; this books it
# on the first open day instead (services/periods.py).
ToOpenPeriod = typer.Option(False, "--to-open-period", help="Dated in a closed period (on or before the lock "
                            "date): book it on the first open day instead of refusing it.")


def as_of_option(help_text: str = "The day, YYYY-MM-DD (default: today).") -> typer.Option:
    return typer.Option(None, "--as-of", help=help_text)


def as_of_day(as_of: str | None, former: str | None = None, former_name: str = "--on") -> date:
    """The day of --as-of, or of its former name; today when neither is given."""
    if as_of is not None and former is not None:
        raise InvalidInput(f"--as-of and {former_name} (its former name) both given: give --as-of alone")
    if former is not None:
        return context.parse_day(former, former_name)
    return context.parse_day(as_of, "--as-of")
