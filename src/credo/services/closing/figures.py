"""The four figures a close stores for each month-end, computed with given settings.

aging: the aging by customer on the company's ladder; provision: the company's provision with its
roll-rate matrix; dso: the standard (90 days) and countback DSO; warnings: the early-warning rules'
breaches as of the day and the alerts then open. Each is the JSON the report prints, without the
customers' names (a renamed customer changes no figure). The settings are the ones in force when
the period closes; verifying a close computes again with the stored ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from sqlalchemy import Connection, func, or_, select

from credo.domain.risk.warnings import breaches
from credo.services.closing.inputs import combined, input_digests
from credo.services.companies import Company
from credo.services.reports.aging import aging_report
from credo.services.reports.dso import dso_report
from credo.services.risk.indicators import read_indicators
from credo.services.risk.provision import company_provision
from credo.services.risk.provision_settings import ProvisionSettings, provision_settings_of
from credo.services.risk.rules import rule_from_json, rule_json, stored_rules
from credo.services.settings import aging_limits
from credo.store.period_tables import SNAPSHOT_KINDS
from credo.store.risk_alert_tables import risk_alerts

DSO_DAYS = 90


@dataclass(frozen=True)
class Figure:
    kind: str
    as_of: date
    settings: dict[str, Any]
    inputs: dict[str, str]  # source -> digest
    body: dict[str, Any]

    @property
    def digest(self) -> str:
        return combined(self.inputs)

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "kind": self.kind, "digest": self.digest, "inputs": self.inputs,
                "settings": self.settings, "figures": self.body}


def current_settings(conn: Connection, company: Company, kind: str) -> dict[str, Any]:
    """The settings `kind` is computed with today (what a close stores beside the figure)."""
    if kind == "aging":
        return {"buckets": aging_limits(conn, company), "basis": "due", "by": "customer"}
    if kind == "provision":
        return provision_settings_of(conn, company).to_json()
    if kind == "dso":
        return {"days": DSO_DAYS, "methods": ["standard", "countback"]}
    return {"rules": [rule_json(rule) for rule in stored_rules(conn, company)]}


def compute(conn: Connection, company: Company, kind: str, as_of: date, settings: dict[str, Any],
            known: dict[str, str] | None = None) -> Figure:
    """`kind` as of the day with these settings, beside the digests of what it read."""
    if kind not in SNAPSHOT_KINDS:
        raise ValueError(f"no figure {kind!r}")
    body = _BODIES[kind](conn, company, as_of, settings)
    return Figure(kind, as_of, settings, input_digests(conn, company.id, kind, as_of, known), body)


def nameless(value: Any) -> Any:
    """The JSON without the customers' names."""
    if isinstance(value, dict):
        return {k: nameless(v) for k, v in value.items() if k != "name"}
    if isinstance(value, list):
        return [nameless(v) for v in value]
    return value


def _aging(conn, company, as_of, settings) -> dict:
    report = aging_report(conn, company, as_of, settings["buckets"], by=settings["by"], basis=settings["basis"])
    return nameless(report.to_json())


def _provision(conn, company, as_of, settings) -> dict:
    chosen = ProvisionSettings.from_json(settings)
    report = company_provision(conn, company, as_of, settings=chosen)
    return nameless(report.to_json())


def _dso(conn, company, as_of, settings) -> dict:
    return {method: dso_report(conn, company, as_of, days=settings["days"], method=method).to_json()
            for method in settings["methods"]}


def _warnings(conn, company, as_of, settings) -> dict:
    rules = [rule_from_json(values) for values in settings["rules"]]
    found = breaches(read_indicators(conn, company, as_of, rules), rules) if rules else []
    a = risk_alerts.c
    open_then = conn.execute(
        select(a.severity, func.count()).where(a.company_id == company.id, a.raised_on <= as_of,
                                               or_(a.resolved_on.is_(None), a.resolved_on > as_of))
        .group_by(a.severity).order_by(a.severity)).all()
    return {"breaches": [{"rule": b.rule.code, "subject": b.subject, "value": str(b.value),
                          "threshold": str(b.threshold), "severity": b.rule.severity} for b in found],
            "alerts_open": {severity: count for severity, count in open_then}}


_BODIES: dict[str, Callable[[Connection, Company, date, dict], dict]] = {
    "aging": _aging, "provision": _provision, "dso": _dso, "warnings": _warnings}
