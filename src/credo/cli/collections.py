"""`credo dunning ...`: the dunning run (催收)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from credo.cli import context
from credo.cli.app import app, err, new_app
from credo.cli.output import Format, emit
from credo.cli.reports import AsOf, CompanyOption, FormatOption, OutOption

dunning_app = new_app("Dunning (催收): the actions due on open invoices, by each customer's policy.")
app.add_typer(dunning_app, name="dunning")


@dunning_app.command("run")
def run(
    as_of: Optional[str] = AsOf,
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Propose every dunning action due as of the date: one line per customer at the highest step
    any of its invoices reached (disputed invoices out, promises and payment plans respected,
    unapplied credit netted first). Nothing is sent."""
    from credo.services.collections.dunning import dunning_proposals

    config = context.settings()
    with context.transaction(config) as conn:
        report = dunning_proposals(conn, context.company(conn, config, company), context.parse_day(as_of, "--as-of"))
    emit(report, fmt, out)
    err.print(f"{len(report.proposals)} customers to contact as of {report.as_of}")
