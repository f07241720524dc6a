"""The daily early-warning scan: read the indicators as of a date, compare them with the company's
rules, raise an alert for each breach that has no unresolved alert yet (rule and subject), and
leave the unresolved ones alone: a second scan raises nothing.

An unresolved alert whose breach the scan no longer finds is not resolved by the scan (a person
decides that the risk has gone): its `breach_gone_on` is set to the date of the first scan that
found it clear, shown beside it, and cleared again should the breach come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, bindparam, select, update

from credo import clock
from credo.domain.risk.warnings import Breach, breaches
from credo.services import audit
from credo.services.companies import Company
from credo.services.periods import booking_day
from credo.services.risk.indicators import read_indicators
from credo.services.risk.rules import rules_with_ids
from credo.services.reports.common import Tabular
from credo.store.bulk import copy_rows, reserve_ids
from credo.store.risk_alert_tables import risk_alerts
from credo.store.tables import customer_groups, customers

RAISED = ["id", "rule", "subject", "indicator", "value", "threshold", "unit", "severity", "owner", "detail"]


@dataclass
class ScanResult:
    as_of: date
    raised: list[dict] = field(default_factory=list)
    still_open: int = 0
    breach_gone: list[int] = field(default_factory=list)  # alerts whose breach this scan no longer found

    def to_json(self) -> list[dict]:
        return self.raised

    def summary(self) -> dict:
        return {"alerts_raised": len(self.raised), "still_open": self.still_open,
                "breach_gone": len(self.breach_gone)}

    def table(self) -> Tabular:
        return Tabular(f"Early warnings raised as of {self.as_of}: {len(self.raised)} new, {self.still_open} "
                       f"still open, {len(self.breach_gone)} no longer breached",
                       RAISED, [[row[c] if row[c] is not None else "" for c in RAISED] for row in self.raised])


def scan(conn: Connection, company: Company, as_of: date, actor: str) -> ScanResult:
    # Alerts raised (or marked gone) on a closed day would change the early-warning state its close stored.
    booking_day(conn, company.id, as_of, "an early-warning scan")
    rules = rules_with_ids(conn, company, actor)
    rule_ids = {rule.code: rule_id for rule_id, rule in rules}
    found = breaches(read_indicators(conn, company, as_of, [rule for _, rule in rules]), [rule for _, rule in rules])
    c, g = customers.c, customer_groups.c
    customer_ids = dict(conn.execute(select(c.code, c.id).where(c.company_id == company.id)).all())
    group_ids = dict(conn.execute(select(g.code, g.id).where(g.company_id == company.id)).all())
    a = risk_alerts.c
    unresolved = {(row.rule_id, row.customer_id, row.group_id): row for row in conn.execute(
        select(a.id, a.rule_id, a.customer_id, a.group_id, a.breach_gone_on)
        .where(a.company_id == company.id, a.status != "resolved"))}
    result = ScanResult(as_of)
    seen = set()
    new: list[tuple[tuple, Breach]] = []
    back: list[int] = []
    for breach in found:
        subject = _subject(breach, customer_ids, group_ids)
        key = (rule_ids[breach.rule.code], *subject)
        seen.add(key)
        there = unresolved.get(key)
        if there is not None:
            result.still_open += 1
            if there.breach_gone_on is not None:  # back again: the alert speaks of it once more
                back.append(there.id)
            continue
        new.append((key, breach))
    if back:
        conn.execute(update(risk_alerts).where(a.id == bindparam("alert_id")).values(breach_gone_on=None),
                     [{"alert_id": alert_id} for alert_id in back])
    result.raised = _raise(conn, company, new, as_of, actor)
    result.breach_gone = [row.id for key, row in unresolved.items() if key not in seen and row.breach_gone_on is None]
    _mark_gone(conn, company, result.breach_gone, as_of, actor)
    return result


def _subject(breach: Breach, customer_ids: dict, group_ids: dict) -> tuple[int | None, int | None]:
    if breach.subject.startswith("group:"):
        return None, group_ids[breach.subject.removeprefix("group:")]
    return customer_ids[breach.subject], None


def _mark_gone(conn, company, alert_ids: list[int], as_of: date, actor: str) -> None:
    if not alert_ids:
        return
    a = risk_alerts.c
    conn.execute(update(risk_alerts).where(a.id == bindparam("alert_id")).values(breach_gone_on=as_of),
                 [{"alert_id": alert_id} for alert_id in alert_ids])
    audit.record_many(conn, actor=actor, action="breach_gone", entity="risk_alert", company_id=company.id,
                      changes=((str(alert_id), {"breach_gone_on": None}, {"breach_gone_on": as_of})
                               for alert_id in alert_ids))


ALERT_COLUMNS = ("id", "company_id", "rule_id", "customer_id", "group_id", "indicator", "value", "threshold", "unit",
                 "detail", "severity", "owner", "status", "raised_on", "created_at", "actor")


def _raise(conn, company, new: list[tuple[tuple, Breach]], as_of: date, actor: str) -> list[dict]:
    """Write the new alerts and their audit entries through the bulk path (COPY on PostgreSQL, ids
    taken from the sequence first): a first scan raises thousands, and one INSERT ... RETURNING
    for them all still cost 0.5 ms an alert at 170,000 (docs/performance.md)."""
    if not new:
        return []
    now = clock.now()
    ids = reserve_ids(conn, risk_alerts, len(new))
    rows, shown = [], []
    for alert_id, ((rule_id, customer_id, group_id), breach) in zip(ids, new):
        rule = breach.rule
        unit = company.base_currency if rule.unit == "money" else rule.unit
        value, threshold, detail = str(breach.value), str(breach.threshold), breach.detail[:500] or None
        rows.append((alert_id, company.id, rule_id, customer_id, group_id, rule.indicator, value, threshold, unit,
                     detail, rule.severity, rule.owner, "open", as_of, now, actor))
        shown.append({"id": alert_id, "rule": rule.code, "subject": breach.subject, "indicator": rule.indicator,
                      "value": value, "threshold": threshold, "unit": unit, "severity": rule.severity,
                      "owner": rule.owner, "detail": detail})
    copy_rows(conn, risk_alerts, ALERT_COLUMNS, rows)
    audit.record_many(conn, actor=actor, action="raise", entity="risk_alert", company_id=company.id, changes=(
        (str(alert["id"]), None, {**{k: v for k, v in alert.items() if k != "id"}, "status": "open", "raised_on": as_of})
        for alert in shown))
    return shown
