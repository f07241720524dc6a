"""Early-warning alerts and the manual flags they read: list, show, acknowledge, resolve,
comment; flag and unflag a customer. Every status change and flag is audit-logged."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Connection, Select, case, func, insert, select, update

from credo import clock
from credo.domain.risk.warnings import FLAG_KINDS
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.services.access import EVERYONE, Scope
from credo.services.audit import as_utc
from credo.services.browse.customers import customer_row
from credo.services.companies import Company
from credo.services.periods import booking_day
from credo.store.risk_alert_tables import ALERT_STATUSES, risk_alert_comments, risk_alerts, risk_flags, risk_rules
from credo.store.tables import customer_groups, customers

SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}


def alert_query(company: Company):
    a, r, c, g = risk_alerts.c, risk_rules.c, customers.c, customer_groups.c
    return (select(risk_alerts, r.code.label("rule"), c.code.label("customer"), c.name.label("customer_name"),
                   g.code.label("group_code"), g.name.label("group_name"))
            .select_from(risk_alerts.join(risk_rules, r.id == a.rule_id).outerjoin(customers, c.id == a.customer_id)
                         .outerjoin(customer_groups, g.id == a.group_id))
            .where(a.company_id == company.id))


def alert_json(row) -> dict:
    day = lambda d: d and d.isoformat()  # noqa: E731
    subject = row.customer if row.customer_id else f"group:{row.group_code}"
    return {"id": row.id, "rule": row.rule, "indicator": row.indicator, "subject": subject,
            "customer": row.customer, "group": row.group_code, "name": row.customer_name or row.group_name,
            "value": row.value, "threshold": row.threshold, "unit": row.unit, "detail": row.detail,
            "severity": row.severity, "owner": row.owner, "status": row.status, "raised_on": day(row.raised_on),
            "breach_gone_on": day(row.breach_gone_on), "acknowledged_on": day(row.acknowledged_on),
            "acknowledged_by": row.acknowledged_by, "resolved_on": day(row.resolved_on),
            "resolved_by": row.resolved_by}


def list_alerts(conn: Connection, company: Company, scope: Scope = EVERYONE, *, status: str | None = "unresolved",
                severity: str | None = None, customer: str | None = None, rule: str | None = None,
                limit: int | None = None, offset: int = 0) -> list[dict]:
    """Alerts, the most severe first, then the newest (in the order raised on a day); status "unresolved" (the default): open and
    acknowledged; None or "all": every one. limit, offset: a page of them (the alerts page shows 100 at a time)."""
    a = risk_alerts.c
    severity_first = case(SEVERITY_ORDER, value=a.severity, else_=len(SEVERITY_ORDER))
    query = _chosen(alert_query(company), scope, status, severity, customer, rule).order_by(
        severity_first, a.raised_on.desc(), a.id)
    if limit is not None:
        query = query.limit(limit)
    return [alert_json(row) for row in conn.execute(query.offset(offset) if offset else query)]


def count_alerts(conn: Connection, company: Company, scope: Scope = EVERYONE, *, status: str | None = "unresolved",
                 severity: str | None = None, customer: str | None = None, rule: str | None = None) -> int:
    """How many alerts `list_alerts` would list with the same choices."""
    chosen = _chosen(alert_query(company), scope, status, severity, customer, rule)
    return conn.execute(select(func.count()).select_from(chosen.subquery())).scalar_one()


def _chosen(query: Select, scope: Scope, status: str | None, severity: str | None, customer: str | None,
            rule: str | None) -> Select:
    a = risk_alerts.c
    if status == "unresolved":
        query = query.where(a.status != "resolved")
    elif status not in (None, "all"):
        if status not in ALERT_STATUSES:
            raise InvalidInput(f"status {status!r}: use unresolved, all or one of {', '.join(ALERT_STATUSES)}")
        query = query.where(a.status == status)
    if severity:
        query = query.where(a.severity == severity)
    if customer:
        query = query.where(customers.c.code == customer)
    if rule:
        query = query.where(risk_rules.c.code == rule)
    if scope.limited:
        query = query.where(a.customer_id.is_not(None), scope.customers())
    return query


def get_alert(conn: Connection, company: Company, alert_id: int, scope: Scope = EVERYONE) -> dict:
    query = alert_query(company).where(risk_alerts.c.id == alert_id)
    if scope.limited:
        query = query.where(risk_alerts.c.customer_id.is_not(None), scope.customers())
    row = conn.execute(query).first()
    if row is None:
        raise NotFound(f"no alert {alert_id}")
    k = risk_alert_comments.c
    comments = [{"id": c.id, "author": c.author, "body": c.body, "at": as_utc(c.at).isoformat()}
                for c in conn.execute(select(risk_alert_comments).where(k.alert_id == alert_id).order_by(k.id))]
    return {**alert_json(row), "comments": comments}


def change_status(conn: Connection, company: Company, alert_id: int, status: str, actor: str, on: date,
                  note: str | None = None) -> dict:
    """Acknowledge an open alert, or resolve an unresolved one (with an optional note, kept as a comment)."""
    before = get_alert(conn, company, alert_id)
    if status not in ("acknowledged", "resolved"):
        raise InvalidInput(f"status {status!r}: acknowledged or resolved")
    if before["status"] == "resolved":
        raise Conflict(f"alert {alert_id} was resolved already, on {before['resolved_on']}")
    if status == "acknowledged" and before["status"] == "acknowledged":
        raise Conflict(f"alert {alert_id} is acknowledged already")
    if on < date.fromisoformat(before["raised_on"]):
        raise InvalidInput(f"{on} is before the alert was raised ({before['raised_on']})")
    booking_day(conn, company.id, on, f"the {'acknowledgement' if status == 'acknowledged' else 'resolution'} "
                                      f"of alert {alert_id}")
    values = ({"status": status, "acknowledged_on": on, "acknowledged_by": actor} if status == "acknowledged"
              else {"status": status, "resolved_on": on, "resolved_by": actor})
    conn.execute(update(risk_alerts).where(risk_alerts.c.id == alert_id).values(**values))
    if note and note.strip():
        _comment(conn, company, alert_id, actor, note)
    audit.record(conn, actor=actor, action="acknowledge" if status == "acknowledged" else "resolve",
                 entity="risk_alert", key=str(alert_id), company_id=company.id,
                 before={"status": before["status"]}, after={**values, "note": note or None})
    return get_alert(conn, company, alert_id)


def add_comment(conn: Connection, company: Company, alert_id: int, actor: str, body: str) -> dict:
    get_alert(conn, company, alert_id)
    if not body.strip():
        raise InvalidInput("a comment needs some text")
    _comment(conn, company, alert_id, actor, body)
    audit.record(conn, actor=actor, action="comment", entity="risk_alert", key=str(alert_id), company_id=company.id,
                 after={"comment": body.strip()[:200]})
    return get_alert(conn, company, alert_id)


def _comment(conn, company, alert_id, actor, body) -> None:
    conn.execute(insert(risk_alert_comments).values(company_id=company.id, alert_id=alert_id, author=actor,
                                                    body=body.strip(), at=clock.now()))


def flag_json(row) -> dict:
    day = lambda d: d and d.isoformat()  # noqa: E731
    return {"id": row.id, "customer": row.customer, "name": row.name, "kind": row.kind, "note": row.note,
            "flagged_on": day(row.flagged_on), "flagged_by": row.flagged_by, "cleared_on": day(row.cleared_on),
            "cleared_by": row.cleared_by}


def _flags(company: Company):
    f, c = risk_flags.c, customers.c
    return (select(risk_flags, c.code.label("customer"), c.name).select_from(risk_flags.join(customers, c.id == f.customer_id))
            .where(f.company_id == company.id))


def add_flag(conn: Connection, company: Company, scope: Scope, code: str, kind: str, note: str, on: date,
             actor: str) -> dict:
    """Flag a customer (lawsuit, news, management change, other) from a date: the manual-flag
    rules raise an alert on the next scan."""
    if kind not in FLAG_KINDS:
        raise InvalidInput(f"kind {kind!r}: use one of {', '.join(FLAG_KINDS)}")
    if not note.strip():
        raise InvalidInput("a flag needs a note (what happened)")
    row = customer_row(conn, company, scope, code)
    booking_day(conn, company.id, on, f"the {kind} flag of {code}")
    flag_id = conn.execute(insert(risk_flags).values(
        company_id=company.id, customer_id=row.id, kind=kind, note=note.strip()[:1000], flagged_on=on,
        flagged_by=actor, created_at=clock.now())).inserted_primary_key[0]
    audit.record(conn, actor=actor, action="flag", entity="customer", key=code, company_id=company.id,
                 after={"flag": flag_id, "kind": kind, "note": note.strip()[:200], "flagged_on": on})
    return flag_json(conn.execute(_flags(company).where(risk_flags.c.id == flag_id)).one())


def clear_flag(conn: Connection, company: Company, flag_id: int, on: date, actor: str) -> dict:
    row = conn.execute(_flags(company).where(risk_flags.c.id == flag_id)).first()
    if row is None:
        raise NotFound(f"no flag {flag_id}")
    if row.cleared_on is not None:
        raise Conflict(f"flag {flag_id} was cleared already, on {row.cleared_on}")
    if on < row.flagged_on:
        raise InvalidInput(f"{on} is before the flag was set ({row.flagged_on})")
    booking_day(conn, company.id, on, f"clearing flag {flag_id}")
    conn.execute(update(risk_flags).where(risk_flags.c.id == flag_id).values(cleared_on=on, cleared_by=actor))
    audit.record(conn, actor=actor, action="unflag", entity="customer", key=row.customer, company_id=company.id,
                 before={"flag": flag_id, "cleared_on": None}, after={"flag": flag_id, "cleared_on": on})
    return flag_json(conn.execute(_flags(company).where(risk_flags.c.id == flag_id)).one())


def list_flags(conn: Connection, company: Company, scope: Scope = EVERYONE, *, customer: str | None = None,
               cleared: bool = False) -> list[dict]:
    f = risk_flags.c
    query = _flags(company).where(scope.customers())
    if customer:
        query = query.where(customers.c.code == customer)
    if not cleared:
        query = query.where(f.cleared_on.is_(None))
    return [flag_json(row) for row in conn.execute(query.order_by(f.flagged_on.desc(), f.id.desc()))]
