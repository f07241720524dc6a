"""The warning report (风险预警报告) as of a date: the alerts raised on or before it and not resolved
by then, each with its status on that day, the most severe first; counts by severity. What the
managers read as PDF or XLSX (channels/warning_report.py) and what the digest lists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, case, or_

from credo.services.companies import Company
from credo.services.reports.common import Tabular
from credo.services.risk.alerts import SEVERITY_ORDER, alert_json, alert_query
from credo.store.risk_alert_tables import risk_alerts

COLUMNS = ("severity", "rule", "subject", "name", "indicator", "value", "threshold", "unit", "raised_on", "status",
           "owner")


@dataclass(frozen=True)
class WarningReport:
    company: str
    as_of: date
    alerts: tuple[dict, ...]

    @property
    def counts(self) -> dict[str, int]:
        return {severity: sum(a["severity"] == severity for a in self.alerts) for severity in SEVERITY_ORDER}

    def raised_on_the_day(self) -> list[dict]:
        return [a for a in self.alerts if a["raised_on"] == self.as_of.isoformat()]

    def to_json(self) -> dict:
        return {"company": self.company, "as_of": self.as_of.isoformat(), "counts": self.counts,
                "alerts": list(self.alerts)}

    def table(self) -> Tabular:
        counts = ", ".join(f"{n} {severity}" for severity, n in self.counts.items())
        return Tabular(f"Early warnings of {self.company} unresolved as of {self.as_of}: {counts}", list(COLUMNS),
                       [[a[c] if a[c] is not None else "" for c in COLUMNS] for a in self.alerts])


def warning_report(conn: Connection, company: Company, as_of: date) -> WarningReport:
    a = risk_alerts.c
    query = (alert_query(company).where(a.raised_on <= as_of, or_(a.resolved_on.is_(None), a.resolved_on > as_of))
             .order_by(case(*[(a.severity == s, n) for s, n in SEVERITY_ORDER.items()]), a.raised_on.desc(), a.id))
    alerts = []
    for row in conn.execute(query):
        shown = alert_json(row)
        acknowledged = row.acknowledged_on is not None and row.acknowledged_on <= as_of
        shown["status"] = "acknowledged" if acknowledged else "open"
        gone = row.breach_gone_on is not None and row.breach_gone_on <= as_of
        shown["breach_gone_on"] = shown["breach_gone_on"] if gone else None
        alerts.append(shown)
    return WarningReport(company.name, as_of, tuple(alerts))
