"""The daily jobs (`credo run-daily`, for cron): each a use case of its own, committed when done, so a
job that fails leaves the ones before it done and the next day's run picks up what it missed.
Every job is idempotent: run twice on one day, the second run finds nothing new to do."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, Callable

from sqlalchemy import Connection, insert, select

from credo.config import Settings
from credo.services.access import EVERYONE
from credo.services.collections.dunning import dunning_proposals
from credo.services.collections.sending import carry_out
from credo.services.companies import Company
from credo.services.credit.lines import reviews_due
from credo.store.collections_tables import tasks
from credo.store.tables import customers


@dataclass
class DailyRun:
    as_of: date
    jobs: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "jobs": self.jobs}


def run_daily(conn: Connection, company: Company, as_of: date, settings: Settings, actor: str, *,
              send: bool) -> DailyRun:
    """Dunning (proposed, and carried out with `send`), then the credit reviews that came due
    (a review task for the credit manager each). `conn` commits as it goes."""
    run = DailyRun(as_of)
    jobs: list[tuple[str, Callable[[], dict]]] = [
        ("dunning", lambda: _dunning(conn, company, as_of, settings, actor, send)),
        ("credit reviews", lambda: _review_tasks(conn, company, as_of, actor)),
    ]
    for name, job in jobs:
        try:
            run.jobs.append({"job": name, "status": "done", **job()})
            conn.commit()
        except Exception as error:  # one job's failure must not stop the others; it is reported
            conn.rollback()
            run.jobs.append({"job": name, "status": "failed", "error": f"{type(error).__name__}: {error}"})
    return run


def _dunning(conn, company, as_of, settings, actor, send: bool) -> dict:
    report = dunning_proposals(conn, company, as_of)
    if not send:
        return {"proposals": len(report.proposals), "sent": 0, "failed": 0}
    done = carry_out(conn, company, report, settings, actor)
    failed = sum(d.status == "failed" for d in done)
    return {"proposals": len(report.proposals), "sent": len(done) - failed, "failed": failed}


def _review_tasks(conn, company, as_of, actor) -> dict:
    """A review task for each customer line whose review date has come, once per review date."""
    made = 0
    ids = dict(conn.execute(select(customers.c.code, customers.c.id).where(customers.c.company_id == company.id)).all())
    for due in reviews_due(conn, company, EVERYONE, as_of):
        if not due["customer"]:
            continue
        source = f"review:{due['customer']}:{due['review_due']}"
        if conn.execute(select(tasks.c.id).where(tasks.c.company_id == company.id, tasks.c.source == source)).first():
            continue
        conn.execute(insert(tasks).values(
            company_id=company.id, customer_id=ids[due["customer"]], kind="review", due_on=as_of, assignee=None,
            status="open", source=source, title=f"credit review due {due['review_due']}: {due['name']} "
            f"(rating {due['rating']}, limit {due['amount']} {due['currency']})"[:300],
            created_at=datetime.now(timezone.utc), actor=actor))
        made += 1
    return {"review_tasks": made}
