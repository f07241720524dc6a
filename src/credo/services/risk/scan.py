"""The daily early-warning scan: read the indicators as of a date, compare them with the company's
rules, raise an alert for each breach that has no unresolved alert yet (rule and subject), and
leave the unresolved ones alone: a second scan raises nothing.

An unresolved alert whose breach the scan no longer finds is not resolved by the scan (a person
decides that the risk has gone): its `breach_gone_on` is set to the date of the first scan that
found it clear, shown beside it, and cleared again should the breach come back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import Connection, insert, select, update

from credo.domain.risk.warnings import Breach, breaches
from credo.services import audit
from credo.services.companies import Company
from credo.services.risk.indicators import read_indicators
from credo.services.risk.rules import rules_with_ids
from credo.services.reports.common import Tabular
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
    for breach in found:
        subject = _subject(breach, customer_ids, group_ids)
        key = (rule_ids[breach.rule.code], *subject)
        seen.add(key)
        there = unresolved.get(key)
        if there is not None:
            result.still_open += 1
            if there.breach_gone_on is not None:  # back again: the alert speaks of it once more
                conn.execute(update(risk_alerts).where(a.id == there.id).values(breach_gone_on=None))
            continue
        result.raised.append(_raise(conn, company, key, breach, company.base_currency, as_of, actor))
    for key, row in unresolved.items():
        if key not in seen and row.breach_gone_on is None:
            conn.execute(update(risk_alerts).where(a.id == row.id).values(breach_gone_on=as_of))
            audit.record(conn, actor=actor, action="breach_gone", entity="risk_alert", key=str(row.id),
                         company_id=company.id, before={"breach_gone_on": None}, after={"breach_gone_on": as_of})
            result.breach_gone.append(row.id)
    return result


def _subject(breach: Breach, customer_ids: dict, group_ids: dict) -> tuple[int | None, int | None]:
    if breach.subject.startswith("group:"):
        return None, group_ids[breach.subject.removeprefix("group:")]
    return customer_ids[breach.subject], None


def _raise(conn, company, key, breach: Breach, base_currency: str, as_of: date, actor: str) -> dict:
    rule_id, customer_id, group_id = key
    rule = breach.rule
    values = dict(company_id=company.id, rule_id=rule_id, customer_id=customer_id, group_id=group_id,
                  indicator=rule.indicator, value=str(breach.value), threshold=str(breach.threshold),
                  unit=base_currency if rule.unit == "money" else rule.unit, detail=breach.detail[:500] or None,
                  severity=rule.severity, owner=rule.owner, status="open", raised_on=as_of,
                  created_at=datetime.now(timezone.utc), actor=actor)
    alert_id = conn.execute(insert(risk_alerts).values(**values)).inserted_primary_key[0]
    shown = {"id": alert_id, "rule": rule.code, "subject": breach.subject, "indicator": rule.indicator,
             "value": values["value"], "threshold": values["threshold"], "unit": values["unit"],
             "severity": rule.severity, "owner": rule.owner, "detail": values["detail"]}
    audit.record(conn, actor=actor, action="raise", entity="risk_alert", key=str(alert_id), company_id=company.id,
                 after={k: v for k, v in shown.items() if k != "id"} | {"status": "open", "raised_on": as_of})
    return shown
