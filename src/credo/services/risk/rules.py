"""The company's early-warning rules: seeded with the defaults (domain/risk/warnings.DEFAULT_RULES)
the first time they are read, then edited one by one, each change audit-logged."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.domain.risk.warnings import DEFAULT_RULES, Rule
from credo.errors import InvalidInput
from credo.services import audit
from credo.services.companies import Company
from credo.store.risk_alert_tables import risk_rules


def _rule(row) -> Rule:
    return Rule(row.code, row.indicator, Decimal(row.threshold), row.severity, row.owner, row.window_days,
                bool(row.active))


def rule_json(rule: Rule, rule_id: int | None = None) -> dict:
    return {"id": rule_id, "code": rule.code, "indicator": rule.indicator, "threshold": str(rule.threshold),
            "unit": rule.unit, "severity": rule.severity, "owner": rule.owner, "window_days": rule.window_days,
            "active": rule.active}


def _values(rule: Rule) -> dict:
    return dict(code=rule.code, indicator=rule.indicator, threshold=str(rule.threshold), severity=rule.severity,
                owner=rule.owner, window_days=rule.window_days, active=rule.active)


def seed_rules(conn: Connection, company: Company, actor: str) -> int:
    """Write the default rules for a company that has none (idempotent): how many were written."""
    r = risk_rules.c
    if conn.execute(select(r.id).where(r.company_id == company.id).limit(1)).first() is not None:
        return 0
    now = clock.now()
    conn.execute(insert(risk_rules), [dict(company_id=company.id, changed_at=now, actor=actor, **_values(rule))
                                      for rule in DEFAULT_RULES])
    audit.record(conn, actor=actor, action="seed", entity="risk_rules", key=company.code, company_id=company.id,
                 after={"rules": len(DEFAULT_RULES)})
    return len(DEFAULT_RULES)


def rule_from_json(values: dict) -> Rule:
    """The rule `rule_json` wrote (a period's close keeps its rules so)."""
    return Rule(values["code"], values["indicator"], Decimal(values["threshold"]), values["severity"], values["owner"],
                values["window_days"], values["active"])


def stored_rules(conn: Connection, company: Company) -> list[Rule]:
    """The company's rules as stored, in the order written (none seeded: a read writes nothing)."""
    r = risk_rules.c
    return [_rule(row) for row in conn.execute(select(risk_rules).where(r.company_id == company.id).order_by(r.id))]


def rules_with_ids(conn: Connection, company: Company, actor: str = "system") -> list[tuple[int, Rule]]:
    """(id, rule) of the company's rules, in the order written; the defaults on first use."""
    seed_rules(conn, company, actor)
    r = risk_rules.c
    return [(row.id, _rule(row)) for row in conn.execute(select(risk_rules).where(r.company_id == company.id)
                                                         .order_by(r.id))]


def list_rules(conn: Connection, company: Company, actor: str = "system") -> list[dict]:
    return [rule_json(rule, rule_id) for rule_id, rule in rules_with_ids(conn, company, actor)]


def set_rule(conn: Connection, company: Company, code: str, actor: str, *, indicator: str | None = None,
             threshold: str | None = None, severity: str | None = None, owner: str | None = None,
             window_days: int | None = None, active: bool | None = None) -> dict:
    """Change a rule (the fields given), or add one: a new code needs its indicator and threshold."""
    found = {rule.code: (rule_id, rule) for rule_id, rule in rules_with_ids(conn, company, actor)}
    try:
        limit = None if threshold is None else Decimal(threshold.strip())
    except InvalidOperation:
        raise InvalidInput(f"threshold {threshold!r} is not a number") from None
    changes = {k: v for k, v in dict(indicator=indicator, threshold=limit, severity=severity, owner=owner,
                                     window_days=window_days, active=active).items() if v is not None}
    try:
        if code in found:
            rule_id, before = found[code]
            rule = replace(before, **changes)
        else:
            if indicator is None or limit is None:
                raise InvalidInput(f"no rule {code!r}: a new rule needs --indicator and --threshold")
            rule_id, before = None, None
            rule = Rule(code, indicator, limit, severity or "medium", owner or "credit_manager", window_days,
                        True if active is None else active)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if rule == before:
        return rule_json(rule, rule_id)
    values = dict(changed_at=clock.now(), actor=actor, **_values(rule))
    if rule_id is None:
        rule_id = conn.execute(insert(risk_rules).values(company_id=company.id, **values)).inserted_primary_key[0]
    else:
        conn.execute(update(risk_rules).where(risk_rules.c.id == rule_id).values(**values))
    audit.record(conn, actor=actor, action="update" if before else "create", entity="risk_rule", key=code,
                 company_id=company.id, before=before and _values(before), after=_values(rule))
    return rule_json(rule, rule_id)
