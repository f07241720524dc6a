"""Who runs a command: a named user of credo (`credo --as USER`, or CREDO_ACTOR), with that user's
role and portfolio, checked as the API and the pages check them.

Every command that opens the database names the permission it needs here (a test walks the command
tree against this table), and the user's name is the one identity the audit log and the
maker-checker know everywhere (`user:li`, as on the pages and over the API): a request made on the
CLI as li cannot be approved by li on a page. Only a database that has no user yet can be set up
without one (`init`, `demo`, the first `user add`); those entries name the operator of the machine.
"""

from __future__ import annotations

import getpass
import os

from sqlalchemy import Connection, exists, select

from credo.domain.access import Permission
from credo.errors import Forbidden, InvalidInput
from credo.services import access, users
from credo.services.access import Scope
from credo.services.users import Principal
from credo.store.tables import users as users_table

P = Permission
# The command running in this process: its path, the name given by --as / CREDO_ACTOR, and the user
# established when it opened the database (None: a set-up command on a database with no user).
_running: dict[str, object] = {}

# Set-up commands that may run while the database has no user yet (as the machine's operator).
SET_UP = frozenset({"init", "demo", "user add", "company add"})
# Commands that read no ledger data as a user (the server checks each request itself).
NO_USER = frozenset({"serve"})

_READ, _WORK, _CREDIT = P.ledger_read, P.collections_work, P.credit_read
COMMAND_PERMISSIONS: dict[str, Permission] = {
    "init": P.users_manage, "demo": P.users_manage, "company add": P.users_manage, "company list": _READ,
    "user add": P.users_manage, "user list": P.users_manage, "user password": P.users_manage,
    "token create": P.users_manage, "token revoke": P.users_manage, "audit": P.audit_read,
    "summary": _READ, "import": P.ledger_write, "payments apply": P.ledger_write, "payments reverse": P.ledger_write,
    "report aging": P.reports_read, "report dso": P.reports_read, "report metrics": P.reports_read,
    "report trends": P.reports_read, "report behaviour": P.reports_read,
    "run-daily": P.dunning_run, "dunning run": P.dunning_run, "dunning window": P.settings_manage,
    "dunning policies show": _READ, "dunning policies set": P.dunning_run, "worklist": _WORK,
    "credit train": P.credit_manage, "credit score": _CREDIT, "credit history": _CREDIT,
    "credit assess": P.credit_manage, "credit file": _CREDIT, "credit check": _CREDIT,
    "credit queue": P.limits_approve, "credit release": P.limits_approve, "credit reviews": _CREDIT,
    "credit review": P.credit_manage, "credit hold": P.limits_approve, "credit settings": P.credit_manage,
    "credit scorecard show": _CREDIT, "credit scorecard set": P.credit_manage,
    "credit policy show": _CREDIT, "credit policy set": P.credit_manage,
    "credit limit request": P.limits_request, "credit limit approve": P.limits_approve,
    "credit limit reject": P.limits_approve, "credit limit withdraw": P.limits_request,
    "credit limit list": _CREDIT, "credit limit show": _CREDIT,
    "dispute open": _WORK, "dispute investigate": _WORK, "dispute resolve": _WORK, "dispute list": _READ,
    "dispute report": _READ, "promise add": _WORK, "promise cancel": _WORK, "promise list": _READ,
    "plan add": _WORK, "plan cancel": _WORK, "plan show": _READ, "plan list": _READ,
    "interest settings": P.dunning_run, "interest report": P.reports_read, "interest charge": P.dunning_run,
    "interest waive": _WORK, "interest approve": P.interest_waive, "interest reject": P.interest_waive,
    "interest waivers": _READ, "interest terms set": P.dunning_run, "interest terms show": _READ,
    "activity log": _WORK, "activity list": _READ, "contact add": _WORK, "contact list": _READ,
    "contact deactivate": _WORK, "task add": _WORK, "task done": _WORK, "task cancel": _WORK, "task list": _WORK,
    "case open": P.dunning_run, "case recover": P.dunning_run, "case close": P.dunning_run, "case list": _READ,
    "care schedule": P.dunning_run, "discount offer": _WORK, "discount withdraw": _WORK, "discount list": _READ,
    "risk provision": P.reports_read, "risk provision-settings": P.provisions_manage,
    "risk recover": P.ledger_write, "risk movement": P.reports_read, "risk journal": P.reports_read,
    "risk journal-accounts": P.provisions_manage, "risk specific set": P.provisions_manage,
    "risk specific list": P.reports_read, "risk specific end": P.provisions_manage,
    "risk write-off request": P.ledger_write, "risk write-off approve": P.write_offs_approve,
    "risk write-off reject": P.write_offs_approve, "risk write-off list": P.reports_read,
    "risk insured": _CREDIT, "risk beyond-limit": _CREDIT, "risk deadlines": _CREDIT,
    "risk report-overdue": P.risk_manage, "risk policy add": P.risk_manage, "risk policy list": _CREDIT,
    "risk insured-limit request": P.risk_manage, "risk insured-limit grant": P.risk_manage,
    "risk insured-limit list": _CREDIT, "risk claim file": P.risk_manage, "risk claim update": P.risk_manage,
    "risk claim list": _CREDIT, "risk scan": P.risk_manage, "risk alerts": _CREDIT, "risk flag": P.risk_manage,
    "risk unflag": P.risk_manage, "risk flags": _CREDIT, "risk report": _CREDIT, "risk digest": P.risk_manage,
    "risk recipient": P.risk_manage, "risk alert show": _CREDIT, "risk alert ack": P.risk_manage,
    "risk alert resolve": P.risk_manage, "risk alert comment": P.risk_manage, "risk rules list": _CREDIT,
    "risk rules set": P.risk_manage,
    "close period": P.periods_close, "close reopen": P.periods_close, "close list": P.reports_read,
    "close show": P.reports_read, "close verify": P.reports_read,
}


def starting() -> None:
    """A new command line: forget the last one's command and user (tests run many in one process)."""
    _running.clear()


def running(command: str) -> None:
    """The command about to run, by its path below `credo`: "credit limit approve"."""
    _running["command"] = command


def acting_as(name: str | None) -> None:
    _running["as"] = name


def operator_name() -> str:
    """The machine's operator, named while a database has no user yet."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in some containers
        return f"cli:{os.getuid()}"


def establish(conn: Connection, named: str) -> None:
    """Check who runs the current command (if it runs under the `credo` command): the named user must
    exist, be active and hold the command's permission; a set-up command on a database without
    users runs as the operator. Refusals name the user, the role and the permission."""
    command = _running.get("command")
    if command is None or command in NO_USER:  # a library call, not a command; or the server
        return
    _running["who"] = None
    if not conn.execute(select(exists().select_from(users_table))).scalar():
        if command in SET_UP:
            return
        raise Forbidden(f"`credo {command}` acts as a user of credo and there is none yet: add the first "
                        "administrator: `credo user add NAME --role admin`, then `credo --as NAME ...`")
    name = str(_running.get("as") or named or "").strip().removeprefix("user:")
    if not name:
        raise Forbidden(f"`credo {command}` acts as a user of credo: name yours with `credo --as USER {command} ...` "
                        "or CREDO_ACTOR=USER (`credo --as ADMIN user list` lists them)")
    found = users.principal_named(conn, name)
    if found is None:
        raise InvalidInput(f"--as {name}: no active user of that name (an administrator lists them with "
                           "`credo --as ADMIN user list` and adds one with `credo user add`)")
    access.require(found, COMMAND_PERMISSIONS[command])
    _running["who"] = found


def current() -> Principal | None:
    """The user the current command runs as (None: a set-up command on a database with no user).
    Asked before the command opened the database (where `establish` checks who it is), it would
    answer the machine's operator for a named user: a programming error, raised as one."""
    command = _running.get("command")
    if command is not None and command not in NO_USER and "who" not in _running:
        raise RuntimeError(f"`credo {command}` read its user before opening the database: read it inside the "
                           "transaction (cli.limits.in_company, context.transaction)")
    who = _running.get("who")
    return who if isinstance(who, Principal) else None


def actor() -> str:
    """The name the audit log and the maker-checker give the current command's user (`user:li`);
    the machine's operator while a database without users is set up."""
    who = current()
    return operator_name() if who is None else f"user:{who.username}"


def scope() -> Scope:
    """The customers the current command's user sees (a collector: their portfolio)."""
    who = current()
    return Scope() if who is None else Scope.of(who)
