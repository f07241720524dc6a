"""Credit lines for the demo company, derived from its own ledger and credit file (deterministic:
the same demo gives the same lines), each approved through a limit request like any other.

Lines start 200 days before the demo's last day, or on the history's first day when the history is
shorter (the ledger, and its exchange rates, begin there: `credo demo --months 3`). Each customer's
rating and term are those of its assessment as of that day (`services.credit.assessment`: the
credit file and the ledger then), so the lines rated C or worse (reviewed every six or three
months) are due for review. Its limit is its net receivables at the last day plus half again,
rounded up to 10,000 (at least 20,000), so a small order passes, one near the headroom warns and a large one blocks (a customer rated D or E
blocks whatever the amount). A group's line is the sum of its members'."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from sqlalchemy import Connection, select

from credo.domain.credit.policy import Rating
from credo.services.access import EVERYONE
from credo.services.companies import Company
from credo.services.credit.assessment import assess
from credo.services.credit.requests import Person, Proposal, approve, request_limit
from credo.services.reports.aging import aging_report
from credo.store.tables import customer_groups, customers

KEY_ACCOUNT = "key_account"  # demo.customers.KEY

STEP = Decimal(10_000)
LEAST = Decimal(20_000)
MAKER, CHECKER = Person("demo", "admin"), Person("demo.controller", "admin")


def limit_of(net: Decimal) -> Decimal:
    return max(LEAST, _rounded_up(net * Decimal("1.5")))


def _rounded_up(amount: Decimal) -> Decimal:
    return (max(amount, Decimal(0)) / STEP).to_integral_value(ROUND_CEILING) * STEP


LEAD_DAYS = 200  # lines start this many days before the last day, when the history reaches back so far


def lines_start(history_start: date, until: date) -> date:
    """The day the demo's lines start: LEAD_DAYS before `until`, never before the history's first day."""
    return max(until - timedelta(days=LEAD_DAYS), history_start)


def grant_demo_lines(conn: Connection, company: Company, until: date, history_start: date) -> int:
    """One line per customer and per group; how many."""
    start = lines_start(history_start, until)
    lines = aging_report(conn, company, until, "30,60,90").rows
    segments = _segments(conn, company)
    member_limits: dict[str, Decimal] = {}
    for line in lines:
        rating = assess(conn, company, EVERYONE, line.key, start).rating
        amount, exception = demo_limit(line.net, rating, segments.get(line.key))
        member_limits[line.key] = amount
        _grant(conn, company, Proposal(amount, rating.term_days, rating.letter, "demo: assessed as of the start",
                                       valid_from=start, policy_exception=exception), until, customer=line.key)
    count = len(lines)
    for code, members in _groups(conn, company).items():
        total = sum((member_limits.get(m, LEAST) for m in members), Decimal(0))
        _grant(conn, company, Proposal(total, 60, "B", "demo: the members' lines", valid_from=start), until,
               group=code)
        count += 1
    return count


def demo_limit(net: Decimal, rating: Rating, segment: str | None) -> tuple[Decimal, str | None]:
    """The line's limit and, where the policy gives the rating no credit and a limit stands all the
    same, the policy exception that says why."""
    if rating.credit:
        return limit_of(net), None
    if segment == KEY_ACCOUNT and net > 0:
        return _rounded_up(net), (f"key account rated {rating.letter}: the line covers what it owes us while that is "
                               f"collected; no new credit, each order waits in the credit queue for a release")
    return Decimal(0), None


def _segments(conn: Connection, company: Company) -> dict[str, str | None]:
    return dict(conn.execute(select(customers.c.code, customers.c.segment).where(customers.c.company_id == company.id)).all())


def _grant(conn: Connection, company: Company, proposal: Proposal, today: date, **holder: str) -> None:
    made = request_limit(conn, company, EVERYONE, MAKER, proposal, today=today, **holder)
    if made["status"] == "pending":
        approve(conn, company, made["id"], CHECKER, "demo", today)


def _groups(conn: Connection, company: Company) -> dict[str, list[str]]:
    """Each group's code with its members' codes, in code order."""
    query = (select(customer_groups.c.code, customers.c.code)
             .join(customer_groups, customer_groups.c.id == customers.c.group_id)
             .where(customers.c.company_id == company.id).order_by(customer_groups.c.code, customers.c.code))
    found: dict[str, list[str]] = {}
    for group, customer in conn.execute(query):
        found.setdefault(group, []).append(customer)
    return found
