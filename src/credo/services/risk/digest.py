"""The managers' daily digest of early warnings: the alerts unresolved as of the day (those raised
on it first), by email through the mail channel, with the warning report as XLSX attached.

It goes to the managers: the active users whose role holds risk.manage, or who own a rule (by
name or by role), and whose address is on file (`set_recipient`; users carry no address of their
own). Once a day: the day's digest is recorded when sent, and sending it again finds the record
and sends nothing. Should the mail server fail, nothing is recorded and the next run sends again,
with the same Message-ID (the idempotency key is company, day and user).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, insert, select, update

from credo import clock
from credo.channels.mail import Attachment, Message, check_address, send
from credo.channels.warning_report import WORDS, render_xlsx, summary_line, value_text
from credo.config import Settings
from credo.domain.access import Permission, allows, parse_role
from credo.errors import InvalidInput, NotFound
from credo.services import audit
from credo.services.companies import Company
from credo.services.risk.rules import rules_with_ids
from credo.services.risk.warning_report import WarningReport, warning_report
from credo.store.risk_alert_tables import risk_digest_recipients, risk_digests
from credo.store.tables import users

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUBJECT = {"zh": "风险预警日报 {company} {date}：未解决 {total} 条，新增 {new} 条",
           "en": "Early warnings {company} {date}: {total} unresolved, {new} new"}


@dataclass(frozen=True)
class Recipient:
    username: str
    display_name: str
    email: str
    language: str

    @property
    def address(self) -> str:
        return f"{self.display_name} <{self.email}>"


def set_recipient(conn: Connection, company: Company, username: str, email: str, actor: str,
                  language: str = "zh") -> dict:
    """Keep (or change) the address a manager's digest goes to."""
    if language not in ("zh", "en"):
        raise InvalidInput(f"language {language!r}: zh or en")
    check_address(email.strip())
    if conn.execute(select(users.c.id).where(users.c.username == username)).first() is None:
        raise NotFound(f"no user {username!r}")
    r = risk_digest_recipients.c
    before = conn.execute(select(r.email, r.language).where(r.company_id == company.id, r.username == username)).first()
    values = dict(email=email.strip(), language=language, changed_at=clock.now(), actor=actor)
    if before is None:
        conn.execute(insert(risk_digest_recipients).values(company_id=company.id, username=username, **values))
    else:
        conn.execute(update(risk_digest_recipients).where(r.company_id == company.id, r.username == username)
                     .values(**values))
    audit.record(conn, actor=actor, action="set_recipient", entity="risk_digest", key=username, company_id=company.id,
                 before=before and dict(before._mapping), after={"email": values["email"], "language": language})
    return {"username": username, "email": values["email"], "language": language}


def recipients(conn: Connection, company: Company) -> list[Recipient]:
    owners = {rule.owner for _, rule in rules_with_ids(conn, company) if rule.active}
    r, u = risk_digest_recipients.c, users.c
    rows = conn.execute(select(u.username, u.display_name, u.role, r.email, r.language)
                        .select_from(risk_digest_recipients.join(users, u.username == r.username))
                        .where(r.company_id == company.id, u.active.is_(True)).order_by(u.username)).all()
    return [Recipient(row.username, row.display_name, row.email, row.language) for row in rows
            if allows(parse_role(row.role), Permission.risk_manage) or row.username in owners or row.role in owners]


def digest_text(report: WarningReport, language: str) -> str:
    words = WORDS[language]
    new = report.raised_on_the_day()
    lines = [summary_line(report, language), words["new"].format(n=len(new)), ""]
    for alert in [*new, *[a for a in report.alerts if a not in new]]:
        lines.append(f"[{words[alert['severity']]}] #{alert['id']} {alert['subject']} {alert['name'] or ''}: "
                     f"{words[alert['indicator']]} {value_text(alert, 'value', language)} > "
                     f"{value_text(alert, 'threshold', language)} ({words[alert['status']]}, {alert['owner']}, "
                     f"{alert['raised_on']})")
    if not report.alerts:
        lines.append(words["none"])
    return "\n".join(lines) + "\n"


def preview_digest(conn: Connection, company: Company, as_of: date) -> dict:
    report = warning_report(conn, company, as_of)
    sent = _sent(conn, company, as_of)
    return {"as_of": as_of.isoformat(), "recipients": [r.address for r in recipients(conn, company)],
            "alerts": len(report.alerts), "new": len(report.raised_on_the_day()),
            "sent_at": sent and sent.sent_at.isoformat(), "text": digest_text(report, "zh")}


def _sent(conn: Connection, company: Company, as_of: date):
    d = risk_digests.c
    return conn.execute(select(risk_digests).where(d.company_id == company.id, d.digest_on == as_of)).first()


def send_digest(conn: Connection, company: Company, as_of: date, settings: Settings, actor: str) -> dict:
    """Send the day's digest to every manager once: {"status": "sent" | "sent already" | "no recipients", ...}."""
    if _sent(conn, company, as_of) is not None:
        return {"status": "sent already", "as_of": as_of.isoformat(), "recipients": []}
    found = recipients(conn, company)
    if not found:
        return {"status": "no recipients", "as_of": as_of.isoformat(), "recipients": []}
    report = warning_report(conn, company, as_of)
    for recipient in found:
        language = recipient.language
        subject = SUBJECT[language].format(company=company.code, date=as_of.isoformat(), total=len(report.alerts),
                                           new=len(report.raised_on_the_day()))
        send(Message((recipient.address,), subject, digest_text(report, language),
                     f"risk-digest:{company.code}:{as_of.isoformat()}:{recipient.username}", language,
                     attachments=(Attachment(f"warnings-{company.code}-{as_of.isoformat()}.xlsx",
                                             render_xlsx(report, language), XLSX),)), settings)
    addresses = [r.email for r in found]
    conn.execute(insert(risk_digests).values(company_id=company.id, digest_on=as_of, recipients=json.dumps(addresses),
                                             alerts=len(report.alerts), sent_at=clock.now(),
                                             actor=actor))
    audit.record(conn, actor=actor, action="send", entity="risk_digest", key=as_of.isoformat(), company_id=company.id,
                 after={"recipients": addresses, "alerts": len(report.alerts)})
    return {"status": "sent", "as_of": as_of.isoformat(), "recipients": addresses}
