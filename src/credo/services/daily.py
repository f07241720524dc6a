"""The daily jobs (`credo run-daily`, for cron): each a use case of its own, committed when done, so a
job that fails leaves the ones before it done and the next day's run picks up what it missed.
Every job is idempotent: run twice on one day, the second run finds nothing new to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from sqlalchemy import Connection, select

from credo.config import Settings
from credo.services.access import EVERYONE
from credo.services.collections.care import schedule_follow_ups
from credo.services.collections.discounts import expire_offers
from credo.services.collections.dunning import dunning_proposals
from credo.services.collections.plans import breached_plans
from credo.services.collections.promises import broken_promises
from credo.services.collections.sending import carry_out, tally
from credo.services.collections.tasks import create_task
from credo.services.companies import Company
from credo.services.credit.lines import reviews_due
from credo.services.risk.insurance import raise_deadline_tasks
from credo.store.tables import customers


@dataclass
class DailyRun:
    as_of: date
    jobs: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "jobs": self.jobs}


def run_daily(conn: Connection, company: Company, as_of: date, settings: Settings, actor: str, *,
              send: bool, moment: datetime | None = None) -> DailyRun:
    """Dunning (proposed, and carried out with `send`); a task for each promise broken and each
    instalment missed (the collector calls); the credit reviews that came due (a review task for
    the credit manager); the courtesy visits and calls that came due (回访). `conn` commits as it goes."""
    run = DailyRun(as_of)
    jobs: list[tuple[str, Callable[[], dict]]] = [
        ("dunning", lambda: _dunning(conn, company, as_of, settings, actor, send, moment)),
        ("promises and plans", lambda: _follow_up_tasks(conn, company, as_of, actor)),
        ("credit reviews", lambda: _review_tasks(conn, company, as_of, actor)),
        ("relationship care", lambda: {"care_tasks": len(schedule_follow_ups(conn, company, as_of, actor))}),
        ("discount offers", lambda: expire_offers(conn, company, as_of, actor)),
        ("insurance deadlines", lambda: raise_deadline_tasks(conn, company, as_of, actor)),
        ("risk scan", lambda: _risk_scan(conn, company, as_of, settings, actor, send)),
    ]
    for name, job in jobs:
        try:
            run.jobs.append({"job": name, "status": "done", **job()})
            conn.commit()
        except Exception as error:  # one job's failure must not stop the others; it is reported
            conn.rollback()
            run.jobs.append({"job": name, "status": "failed", "error": f"{type(error).__name__}: {error}"})
    return run


def _dunning(conn, company, as_of, settings, actor, send: bool, moment: datetime | None = None) -> dict:
    report = dunning_proposals(conn, company, as_of)
    if not send:
        return {"proposals": len(report.proposals), "sent": 0, "failed": 0}
    done = carry_out(conn, company, report, settings, actor, moment)  # moment: each customer's own window
    return {"proposals": len(report.proposals), **tally(done)}


def _review_tasks(conn, company, as_of, actor) -> dict:
    """A review task for each customer line whose review date has come, once per review date."""
    ids = _customer_ids(conn, company)
    made = 0
    for due in reviews_due(conn, company, EVERYONE, as_of):
        if due["customer"]:
            made += create_task(conn, company, ids[due["customer"]][0], "review", as_of, None,
                                f"credit review due {due['review_due']}: {due['name']} (rating {due['rating']}, "
                                f"limit {due['amount']} {due['currency']})"[:300],
                                f"review:{due['customer']}:{due['review_due']}", actor)["created"]
    return {"review_tasks": made}


def _follow_up_tasks(conn, company, as_of, actor) -> dict:
    """A call for the collector for each promise broken and each first missed instalment, once each."""
    ids = _customer_ids(conn, company)
    made = 0
    for promise in broken_promises(conn, company, as_of):
        customer_id, collector = ids[promise["customer"]]
        made += create_task(conn, company, customer_id, "call", as_of, collector,
                            f"promise broken: {promise['amount']} {promise['currency']} by {promise['promised_on']}",
                            f"promise:{promise['promise_id']}:broken", actor)["created"]
    for plan in breached_plans(conn, company, as_of):
        customer_id, collector = ids[plan["customer"]]
        made += create_task(conn, company, customer_id, "call", as_of, collector,
                            f"instalment {plan['instalment']} of plan {plan['plan_id']} missed: {plan['unpaid']} "
                            f"{plan['currency']} due {plan['due_date']}",
                            f"plan:{plan['plan_id']}:{plan['instalment']}:missed", actor)["created"]
    return {"follow_up_tasks": made}


def _customer_ids(conn, company) -> dict[str, tuple[int, str | None]]:
    c = customers.c
    return {code: (customer_id, collector) for code, customer_id, collector in conn.execute(
        select(c.code, c.id, c.collector).where(c.company_id == company.id))}


def _risk_scan(conn, company, as_of, settings, actor, send: bool) -> dict:
    """The early-warning scan (alerts raised once per rule and subject); with `send`, the day's
    digest to the managers (once a day)."""
    from credo.services.risk.digest import send_digest
    from credo.services.risk.scan import scan

    done = scan(conn, company, as_of, actor).summary()
    if send:
        done["digest"] = send_digest(conn, company, as_of, settings, actor)["status"]
    return done
