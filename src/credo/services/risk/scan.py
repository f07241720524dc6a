"""The daily early-warning scan: read the indicators as of a date, compare them with the company's
rules, raise an alert for each breach that has no unresolved alert yet (rule and subject), and
leave the unresolved ones alone: a second scan raises nothing.

An unresolved alert whose breach the scan no longer finds is not resolved by the scan (a person
decides that the risk has gone): its `breach_gone_on` is set to the date of the first scan that
found it clear, shown beside it, and cleared again should the breach come back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import Connection, bindparam, insert, select, update

from credo.domain.risk.warnings import Breach, breaches
from credo.services.companies import Company
from credo.services.risk.indicators import read_indicators
from credo.services.risk.rules import rules_with_ids
from credo.services.reports.common import Tabular
from credo.store.risk_alert_tables import risk_alerts
from credo.store.tables import audit_log, customer_groups, customers

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
    now = datetime.now(timezone.utc)
    conn.execute(insert(audit_log), [dict(
        company_id=company.id, at=now, actor=actor, action="breach_gone", entity="risk_alert",
        entity_key=str(alert_id), before=json.dumps({"breach_gone_on": None}),
        after=json.dumps({"breach_gone_on": as_of.isoformat()})) for alert_id in alert_ids])


def _raise(conn, company, new: list[tuple[tuple, Breach]], as_of: date, actor: str) -> list[dict]:
    """Write the new alerts and their audit entries, each set in one statement (executemany): a
    first scan raises thousands, and a statement built per row cost 7 ms each (docs/performance.md)."""
    if not new:
        return []
    now = datetime.now(timezone.utc)
    rows = []
    for (rule_id, customer_id, group_id), breach in new:
        rule = breach.rule
        rows.append(dict(company_id=company.id, rule_id=rule_id, customer_id=customer_id, group_id=group_id,
                         indicator=rule.indicator, value=str(breach.value), threshold=str(breach.threshold),
                         unit=company.base_currency if rule.unit == "money" else rule.unit,
                         detail=breach.detail[:500] or None, severity=rule.severity, owner=rule.owner, status="open",
                         raised_on=as_of, created_at=now, actor=actor))
    ids = conn.execute(insert(risk_alerts).returning(risk_alerts.c.id, sort_by_parameter_order=True), rows).scalars().all()
    shown = [{"id": alert_id, "rule": breach.rule.code, "subject": breach.subject, "indicator": row["indicator"],
              "value": row["value"], "threshold": row["threshold"], "unit": row["unit"], "severity": row["severity"],
              "owner": row["owner"], "detail": row["detail"]}
             for alert_id, row, (_, breach) in zip(ids, rows, new)]
    conn.execute(insert(audit_log), [dict(
        company_id=company.id, at=now, actor=actor, action="raise", entity="risk_alert", entity_key=str(alert["id"]),
        before=None, after=json.dumps({**{k: v for k, v in alert.items() if k != "id"}, "status": "open",
                                       "raised_on": as_of.isoformat()}, ensure_ascii=False, sort_keys=True))
        for alert in shown])
    return shown
