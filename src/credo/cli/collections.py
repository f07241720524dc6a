"""`credo dunning ...`: the dunning run (催收)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Optional

import typer

from credo import clock
from credo.cli import context
from credo.cli.app import app, err, new_app
from credo.cli.output import Format, FormatOption, OutOption, emit
from credo.cli.reports import AsOf, CompanyOption
from credo.errors import InvalidInput
from credo.services.reports.common import Tabular

dunning_app = new_app("Dunning (催收): the actions due on open invoices, by each customer's policy.")
app.add_typer(dunning_app, name="dunning")


@dunning_app.command("run")
def run(
    as_of: Optional[str] = AsOf,
    send: bool = typer.Option(False, "--send", help="Carry the actions out: mail, SMS, letters, tasks, holds."),
    ignore_window: bool = typer.Option(False, "--ignore-window", help="Send even outside CREDO_SEND_WINDOW."),
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Propose every dunning action due as of the date: one line per customer at the highest step
    any of its invoices reached (disputed invoices out, promises and payment plans respected,
    unapplied credit netted first), each invoice one step per run with the policy's wait between
    steps. With --send, carry them out and record each channel, so that no step is ever sent twice
    and a failed channel (only it) is tried again by the next run; a customer past a step's longest
    stay gets one review task for a person."""
    from credo.services.collections.dunning import dunning_proposals
    from credo.services.collections.sending import carry_out, tally, window_open
    from credo.services.settings import company_window

    config = context.settings()
    now = clock.now()
    with context.connection(config) as conn:
        chosen = context.company(conn, config, company)
        if send and not ignore_window and not window_open(conn, chosen, config, now):
            raise InvalidInput(f"outside the sending window {company_window(conn, chosen, config)} ({config.time_zone}, and every "
                               "customer's own time zone): run again within it, or pass --ignore-window")
        report = dunning_proposals(conn, chosen, context.parse_day(as_of, "--as-of"))
        conn.commit()
        if not send:
            emit(report, fmt, out)
            err.print(f"{len(report.proposals)} customers to contact as of {report.as_of}"
                      + (f"; {len(report.handovers)} past a step's longest stay, for a person (one review task "
                         "each with --send)" if report.handovers else ""))
            return
        done = carry_out(conn, chosen, report, config, context.actor(config), None if ignore_window else now)
    emit(Deliveries(report.as_of, done), fmt, out)
    counts = tally(done)
    err.print(f"{counts['sent']} customers contacted, {counts['failed']} failed (their failed channels alone tried "
              "again by the next run)"
              + (f", {counts['waiting']} outside their own sending window (left for a later run)"
                 if counts["waiting"] else "")
              + (f", {counts['handed_over']} handed to a person (a review task)" if counts["handed_over"] else ""))


@dataclass(frozen=True)
class Deliveries:
    as_of: date
    done: list

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "deliveries": [d.to_json() for d in self.done]}

    def table(self) -> Tabular:
        rows = [[d.customer, d.level, d.step, d.status, "; ".join(d.done), d.error or ""] for d in self.done]
        return Tabular(f"Dunning sent as of {self.as_of}", ["customer", "level", "step", "status", "done", "error"],
                       rows)


@app.command("run-daily")
def run_daily(
    as_of: Optional[str] = AsOf,
    send: bool = typer.Option(False, "--send", help="Carry the dunning actions out (else only propose them)."),
    ignore_window: bool = typer.Option(False, "--ignore-window", help="Send even outside CREDO_SEND_WINDOW."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Every daily job, for cron: the dunning run; a call task for each promise broken and instalment
    missed; a review task for each credit line whose review date has come; the courtesy visits and
    calls due (回访). Each job is committed when done; run twice, the second finds nothing new."""
    import json

    from credo.services.collections.sending import window_open
    from credo.services.settings import company_window
    from credo.services.daily import run_daily as daily

    config = context.settings()
    now = clock.now()
    with context.connection(config) as conn:
        chosen = context.company(conn, config, company)
        if send and not ignore_window and not window_open(conn, chosen, config, now):
            raise InvalidInput(f"outside the sending window {company_window(conn, chosen, config)} ({config.time_zone}, and every "
                               "customer's own time zone): run again within it, or pass --ignore-window")
        run = daily(conn, chosen, context.parse_day(as_of, "--as-of"), config, context.actor(config), send=send,
                    moment=None if ignore_window else now)
    print(json.dumps(run.to_json(), ensure_ascii=False, indent=2))
    if any(job["status"] == "failed" for job in run.jobs):
        raise typer.Exit(1)


policies_app = new_app("The company's dunning policies (催收策略): show the ones in force, or set a new version "
                       "from a JSON file.")
dunning_app.add_typer(policies_app, name="policies")


@policies_app.command("show")
def policies_show(company: Optional[str] = CompanyOption) -> None:
    """Print the dunning policies in force as JSON, most specific first (version 0: those that ship)."""
    import json

    from credo.services.collections.policies import policies_setting

    config = context.settings()
    with context.transaction(config) as conn:
        found = policies_setting(conn, context.company(conn, config, company))
    print(json.dumps(found, ensure_ascii=False, indent=2))


@policies_app.command("set")
def policies_set(file: Path = typer.Argument(..., help="A JSON file: a list of policies (start from `show`)."),
                 company: Optional[str] = CompanyOption) -> None:
    """Check the policies (every fault named by policy, step and field) and store them as the next
    version (audited); the next run uses them."""
    import json

    from credo.services.collections.policies import set_policies

    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput(f"{file}: not a readable JSON file ({error})") from None
    data = data.get("policies", data) if isinstance(data, dict) else data
    config = context.settings()
    with context.transaction(config) as conn:
        stored = set_policies(conn, context.company(conn, config, company), data, context.actor(config))
    err.print(f"dunning policies version {stored['version']} in force")


@dunning_app.command("window")
def window(
    hours: Optional[str] = typer.Argument(None, help="HH:MM-HH:MM, e.g. 09:00-17:30; omit to show the window."),
    clear: bool = typer.Option(False, "--clear", help="Use the installation's CREDO_SEND_WINDOW again."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Show or set the hours within which the company's dunning messages go out (on working days of
    its calendar, in each customer's own time zone when it has one); audited."""
    from credo.services.settings import company_window, set_send_window

    config = context.settings()
    with context.transaction(config) as conn:
        chosen = context.company(conn, config, company)
        if hours is not None or clear:
            set_send_window(conn, chosen, None if clear else hours, context.actor(config))
        print(company_window(conn, chosen, config))
