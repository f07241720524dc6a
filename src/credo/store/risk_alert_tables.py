"""Early warnings' tables (风险预警): the company's rules, the alerts a scan raised, their comments,
the manual flags on customers, and the digests sent to the managers.

An indicator value or threshold is kept as exact decimal text beside its unit (days, share, count,
points, steps, flag, or the base currency's code for an amount), never a float: it is a reading
shown to people, never added up. At most one unresolved alert per rule and subject: a partial
unique index per kind of subject (a customer, or a group for the group concentration).

Part of `store.tables.metadata` (imported at the end of `store/tables.py`).
"""

from __future__ import annotations

from sqlalchemy import (Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table,
                        Text, UniqueConstraint, text)

from credo.store.tables import company_column, metadata

ALERT_STATUSES = ("open", "acknowledged", "resolved")
UNRESOLVED = "status <> 'resolved'"


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


risk_rules = Table(
    "risk_rules",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("code", String(64), nullable=False),
    Column("indicator", String(32), nullable=False),
    Column("threshold", String(40), nullable=False),  # exact decimal text
    Column("severity", String(8), nullable=False),
    Column("owner", String(64), nullable=False),  # a username or a role
    Column("window_days", Integer),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    UniqueConstraint("company_id", "code"),
    CheckConstraint(_in("severity", ("low", "medium", "high")), name="severity"),
)

risk_alerts = Table(
    "risk_alerts",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("rule_id", Integer, ForeignKey("risk_rules.id"), nullable=False),
    Column("customer_id", Integer, ForeignKey("customers.id")),
    Column("group_id", Integer, ForeignKey("customer_groups.id")),
    Column("indicator", String(32), nullable=False),
    Column("value", String(40), nullable=False),  # exact decimal text, as the scan read it
    Column("threshold", String(40), nullable=False),
    Column("unit", String(8), nullable=False),
    Column("detail", String(500)),
    Column("severity", String(8), nullable=False),
    Column("owner", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("raised_on", Date, nullable=False),
    # The first scan that no longer found the breach (the alert stays until a person resolves it).
    Column("breach_gone_on", Date),
    Column("acknowledged_on", Date),
    Column("acknowledged_by", String(128)),
    Column("resolved_on", Date),
    Column("resolved_by", String(128)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    CheckConstraint("(customer_id IS NULL) <> (group_id IS NULL)", name="customer_or_group"),
    CheckConstraint(_in("status", ALERT_STATUSES), name="status"),
    CheckConstraint("(status = 'resolved') = (resolved_on IS NOT NULL)", name="resolved_on"),
)
Index("uq_risk_alerts_unresolved_customer", risk_alerts.c.company_id, risk_alerts.c.rule_id,
      risk_alerts.c.customer_id, unique=True, sqlite_where=text(UNRESOLVED), postgresql_where=text(UNRESOLVED))
Index("uq_risk_alerts_unresolved_group", risk_alerts.c.company_id, risk_alerts.c.rule_id,
      risk_alerts.c.group_id, unique=True, sqlite_where=text(UNRESOLVED), postgresql_where=text(UNRESOLVED))
Index("ix_risk_alerts_company_status", risk_alerts.c.company_id, risk_alerts.c.status, risk_alerts.c.raised_on)

risk_alert_comments = Table(
    "risk_alert_comments",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("alert_id", Integer, ForeignKey("risk_alerts.id"), nullable=False),
    Column("author", String(128), nullable=False),
    Column("body", Text, nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
Index("ix_risk_alert_comments_alert", risk_alert_comments.c.alert_id)

risk_flags = Table(
    "risk_flags",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("note", String(1000), nullable=False),
    Column("flagged_on", Date, nullable=False),
    Column("flagged_by", String(128), nullable=False),
    Column("cleared_on", Date),
    Column("cleared_by", String(128)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(_in("kind", ("lawsuit", "news", "management_change", "other")), name="kind"),
)
Index("ix_risk_flags_customer", risk_flags.c.company_id, risk_flags.c.customer_id)

# One digest per company and day: sending again the same day finds it and sends nothing.
risk_digests = Table(
    "risk_digests",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("digest_on", Date, nullable=False),
    Column("recipients", Text, nullable=False),
    Column("alerts", Integer, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    UniqueConstraint("company_id", "digest_on"),
)

# Where a manager's digest goes: users carry no address, so each manager's is kept here, per company.
risk_digest_recipients = Table(
    "risk_digest_recipients",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("username", String(64), nullable=False),
    Column("email", String(200), nullable=False),
    Column("language", String(2), nullable=False, server_default="zh"),
    Column("changed_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    UniqueConstraint("company_id", "username"),
    CheckConstraint("language IN ('zh', 'en')", name="language"),
)
