"""`credo worklist`, `credo activity ...`, `credo contact ...`, `credo task ...`, `credo case ...` and
`credo care schedule`: the collectors' day (催收工作台). The command line acts as its operator
(CREDO_ACTOR) and sees every customer."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Optional

import typer

from credo.cli import context
from credo.cli.app import app, new_app
from credo.cli.dates import OnAlias, as_of_day, as_of_option
from credo.cli.limits import Listing, amount_option, day_option, in_company
from credo.cli.output import Format, FormatOption, OutOption, emit
from credo.cli.reports import CompanyOption
from credo.domain.worklist import DEFAULT_CARE

activity_app = new_app("The activity log (联系记录): log a call, email, visit... with a customer; list them.")
contact_app = new_app("Contact persons (联系人): add, list, deactivate; who receives dunning.")
task_app = new_app("Tasks: calls, visits, follow-ups; add, complete, cancel, list.")
case_app = new_app("Escalation cases (委外/诉讼): open for an agency or legal, record recoveries, close, list.")
care_app = new_app("Relationship care (回访): courtesy visits and calls by customer tier.")
for sub, name in ((activity_app, "activity"), (contact_app, "contact"), (task_app, "task"), (case_app, "case"),
                  (care_app, "care")):
    app.add_typer(sub, name=name)

Customer = typer.Argument(..., help="The customer code.")
Day = as_of_option()
AsOfOption = typer.Option(None, "--as-of", help="As of this date, YYYY-MM-DD (default: today).")
TASK_COLUMNS = ["id", "customer", "kind", "due_on", "assignee", "title", "status", "source"]
CASE_COLUMNS = ["id", "customer", "kind", "handler", "opened_on", "amount", "expected_recovery", "expected_cost",
                "net_expected", "recovered", "status", "closed_on"]


@app.command("worklist")
def worklist_command(
    collector: Optional[str] = typer.Option(None, "--collector", help="One collector's portfolio code."),
    as_of: Optional[str] = AsOfOption,
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """The worklist for the day: customers that need attention, highest priority first, with the next action."""
    from credo.services.collections.worklist import worklist

    day = context.parse_day(as_of, "--as-of")
    emit(in_company(company, lambda conn, chosen, _: worklist(conn, chosen, context.scope(), day, collector)), fmt, out)


@activity_app.command("log")
def activity_log(
    customer: str = Customer,
    kind: str = typer.Option(..., "--kind", help="call, email, sms, letter, visit, meeting or note."),
    as_of: Optional[str] = Day,
    on: Optional[str] = OnAlias,
    contact: Optional[str] = typer.Option(None, "--contact", help="The customer's person spoken to."),
    invoice: Optional[str] = typer.Option(None, "--invoice", help="The invoice it was about."),
    outcome: Optional[str] = typer.Option(None, "--outcome", help="What came of it."),
    notes: Optional[str] = typer.Option(None, "--notes", help="Anything else."),
    follow_up: Optional[str] = typer.Option(None, "--next", help="Next follow-up date: raises a task for it."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Log a contact with a customer; --next raises a follow-up task for the customer's collector."""
    from credo.services.collections.activities import Activity, log_activity

    activity = Activity(kind, as_of_day(as_of, on), contact, invoice, outcome, notes,
                        day_option(follow_up, "--next"))
    done = in_company(company, lambda conn, chosen, actor: log_activity(conn, chosen, context.scope(), customer, activity,
                                                                       actor))
    task = done["task"]
    typer.echo(f"logged {done['kind']} with {customer} on {done['occurred_on']} (activity {done['id']})"
               + (f"; follow-up task {task['id']} due {task['due_on']}" if task else ""))


@activity_app.command("list")
def activity_list(customer: str = Customer, fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """A customer's activities, newest first."""
    from credo.services.collections.activities import list_activities

    items = in_company(company, lambda conn, chosen, _: list_activities(conn, chosen, context.scope(), customer))
    emit(Listing(f"Activities of {customer}", ["id", "occurred_on", "kind", "contact", "invoice", "outcome",
                                               "next_follow_up", "actor"], items), fmt, out)


@contact_app.command("add")
def contact_add(
    customer: str = Customer,
    name: str = typer.Option(..., "--name", help="The person's name."),
    role: Optional[str] = typer.Option(None, "--role", help="finance, purchasing, owner, ..."),
    email: Optional[str] = typer.Option(None, "--email", help="Email address."),
    phone: Optional[str] = typer.Option(None, "--phone", help="Phone, E.164 (+8613800138000) or a Chinese mobile."),
    language: Optional[str] = typer.Option(None, "--language", help="zh or en (default: the customer's)."),
    dunning: bool = typer.Option(False, "--dunning", help="Dunning goes to this person."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Add a contact person to a customer."""
    from credo.services.collections.contacts import ContactPerson, add_contact

    person = ContactPerson(name, role, email, phone, language, dunning)
    done = in_company(company, lambda conn, chosen, actor: add_contact(conn, chosen, context.scope(), customer, person, actor))
    typer.echo(f"contact {done['id']} {done['name']} added to {customer}")


@contact_app.command("list")
def contact_list(
    customer: str = Customer,
    inactive: bool = typer.Option(False, "--all", help="Deactivated contacts too."),
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """A customer's contact persons."""
    from credo.services.collections.contacts import list_contacts

    items = in_company(company, lambda conn, chosen, _: list_contacts(conn, chosen, context.scope(), customer, inactive))
    emit(Listing(f"Contacts of {customer}", ["id", "name", "role", "email", "phone", "language", "receives_dunning",
                                             "active"], items), fmt, out)


@contact_app.command("deactivate")
def contact_deactivate(contact: int = typer.Argument(..., help="The contact's id."),
                       company: Optional[str] = CompanyOption) -> None:
    """Deactivate a contact person (kept, no longer written to)."""
    from credo.services.collections.contacts import deactivate_contact

    done = in_company(company, lambda conn, chosen, actor: deactivate_contact(conn, chosen, context.scope(), contact, actor))
    typer.echo(f"contact {done['id']} {done['name']} deactivated")


@task_app.command("add")
def task_add(
    customer: str = Customer,
    kind: str = typer.Option(..., "--kind", help="call, visit, account_manager, follow_up or review."),
    due: str = typer.Option(..., "--due", help="Due date, YYYY-MM-DD."),
    title: str = typer.Option(..., "--title", help="What to do."),
    assignee: Optional[str] = typer.Option(None, "--assignee", help="A portfolio code (default: the collector)."),
    company: Optional[str] = CompanyOption,
) -> None:
    """Add a task for a customer."""
    from credo.services.collections.tasks import add_task

    day = context.parse_day(due, "--due")
    done = in_company(company, lambda conn, chosen, actor: add_task(conn, chosen, context.scope(), customer, kind, day,
                                                                   title, actor, assignee))
    typer.echo(f"task {done['id']} ({done['kind']}) for {customer} due {done['due_on']}, assigned to "
               f"{done['assignee'] or 'nobody'}")


@task_app.command("done")
def task_done(
    task: int = typer.Argument(..., help="The task's id."),
    outcome: str = typer.Option(..., "--outcome", help="What came of it."),
    log_as: Optional[str] = typer.Option(None, "--log", help="Also log the contact as this activity kind (call...)."),
    as_of: Optional[str] = Day,
    on: Optional[str] = OnAlias,
    company: Optional[str] = CompanyOption,
) -> None:
    """Complete a task with its outcome (and log the activity with --log)."""
    from credo.services.collections.tasks import complete_task

    day = as_of_day(as_of, on)
    done = in_company(company, lambda conn, chosen, actor: complete_task(conn, chosen, context.scope(), task, outcome, day,
                                                                        actor, log_as))
    typer.echo(f"task {done['id']} done: {done['outcome']}")


@task_app.command("cancel")
def task_cancel(
    task: int = typer.Argument(..., help="The task's id."),
    reason: str = typer.Option(..., "--reason", help="Why it is no longer needed."),
    as_of: Optional[str] = Day,
    company: Optional[str] = CompanyOption,
) -> None:
    """Cancel a task, saying why."""
    from credo.services.collections.tasks import cancel_task

    day = as_of_day(as_of)
    done = in_company(company, lambda conn, chosen, actor: cancel_task(conn, chosen, context.scope(), task, reason, day,
                                                                      actor))
    typer.echo(f"task {done['id']} cancelled")


@task_app.command("list")
def task_list(
    assignee: Optional[str] = typer.Option(None, "--assignee", help="One portfolio code's tasks."),
    as_of: Optional[str] = AsOfOption,
    fmt: Format = FormatOption,
    out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """The open tasks, earliest due first (due: on or before the date)."""
    from credo.services.collections.tasks import open_tasks

    day = context.parse_day(as_of, "--as-of")
    items = in_company(company, lambda conn, chosen, _: open_tasks(conn, chosen, context.scope(), day, assignee))
    emit(Listing(f"Open tasks as of {day}", [*TASK_COLUMNS, "due"], items), fmt, out)


@case_app.command("open")
def case_open(
    customer: str = Customer,
    kind: str = typer.Option(..., "--kind", help="agency or legal."),
    handler: str = typer.Option(..., "--handler", help="The agency or the law firm."),
    recovery_rate: str = typer.Option(..., "--recovery-rate", help="Expected recovery, percent of the amount."),
    amount: Optional[str] = typer.Option(None, "--amount", help="Handed over (default: the overdue open amount)."),
    cost: str = typer.Option("0", "--cost", help="Fixed cost expected (fees, court costs)."),
    commission: str = typer.Option("0", "--commission", help="Commission, percent of what is recovered."),
    accept_loss: bool = typer.Option(False, "--accept-loss",
                                     help="Open it even though the expected recovery is below the expected cost."),
    as_of: Optional[str] = Day,
    on: Optional[str] = OnAlias,
    company: Optional[str] = CompanyOption,
) -> None:
    """Open an escalation case (credit manager): shows the expected recovery, cost and net; one expected
    to cost more than it recovers is refused without --accept-loss."""
    from credo.services.collections.cases import open_case

    day, rate = as_of_day(as_of, on), amount_option(recovery_rate, "--recovery-rate")
    handed = None if amount is None else amount_option(amount)
    fee, share = amount_option(cost, "--cost"), amount_option(commission, "--commission")
    done = in_company(company, lambda conn, chosen, actor: open_case(conn, chosen, context.scope(), customer, kind,
                                                                    handler, day, actor, rate, handed, fee, share,
                                                                    accept_loss=accept_loss))
    typer.echo(f"case {done['id']} ({done['kind']}, {done['handler']}): {done['amount']} {done['currency']} handed "
               f"over; expected recovery {done['expected_recovery']}, cost {done['expected_cost']}, "
               f"net {done['net_expected']}")


@case_app.command("recover")
def case_recover(case: int = typer.Argument(..., help="The case's id."),
                 amount: str = typer.Option(..., "--amount", help="The amount recovered."),
                 as_of: Optional[str] = as_of_option("The day it was recovered, YYYY-MM-DD (default: today)."),
                 company: Optional[str] = CompanyOption) -> None:
    """Record an amount the agency or the lawyers recovered."""
    from credo.services.collections.cases import record_recovery

    money, day = amount_option(amount), as_of_day(as_of)
    done = in_company(company, lambda conn, chosen, actor: record_recovery(conn, chosen, context.scope(), case, money, actor,
                                                                          on=day))
    typer.echo(f"case {done['id']}: {done['recovered']} {done['currency']} recovered so far")


@case_app.command("close")
def case_close(case: int = typer.Argument(..., help="The case's id."), as_of: Optional[str] = Day,
               on: Optional[str] = OnAlias,
               notes: Optional[str] = typer.Option(None, "--notes", help="How it ended."),
               company: Optional[str] = CompanyOption) -> None:
    """Close an escalation case."""
    from credo.services.collections.cases import close_case

    day = as_of_day(as_of, on)
    done = in_company(company, lambda conn, chosen, actor: close_case(conn, chosen, context.scope(), case, day, actor, notes))
    typer.echo(f"case {done['id']} closed on {done['closed_on']} ({done['recovered']} recovered)")


@case_app.command("list")
def case_list(status: Optional[str] = typer.Option(None, "--status", help="open or closed (default: both)."),
              fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Escalation cases, newest first."""
    from credo.services.collections.cases import list_cases

    items = in_company(company, lambda conn, chosen, _: list_cases(conn, chosen, context.scope(), status))
    emit(Listing("Collection cases", CASE_COLUMNS, items), fmt, out)


@care_app.command("schedule")
def care_schedule(as_of: Optional[str] = AsOfOption,
                  tasks_per_run: int = typer.Option(
                      DEFAULT_CARE.tasks_per_run, "--tasks-per-run", min=1,
                      help="At most this many tasks raised now; the rest wait for the next runs, longest waiting first."),
                  fmt: Format = FormatOption, out: Optional[Path] = OutOption,
                  company: Optional[str] = CompanyOption) -> None:
    """Raise the courtesy visits and calls due by the date (every 90 days for A/B or key accounts, else 180),
    none for a customer with an open agency or legal case."""
    from credo.services.collections.care import schedule_follow_ups

    day = context.parse_day(as_of, "--as-of")
    policy = replace(DEFAULT_CARE, tasks_per_run=tasks_per_run)
    items = in_company(company, lambda conn, chosen, actor: schedule_follow_ups(conn, chosen, day, actor, policy))
    emit(Listing(f"Care tasks raised as of {day}", TASK_COLUMNS, items), fmt, out)
