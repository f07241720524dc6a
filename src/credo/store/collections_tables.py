"""Collections' tables (催收): disputes, promises to pay, payment plans, the dunning sends, the
collectors' tasks, the activity log, contact persons, escalation cases, and the interest terms
with their reference rates.

Money is BIGINT minor units beside a currency code. Nothing that matters is deleted: a dispute is
resolved, a promise is judged, a plan is cancelled, each with who and when in the audit log.
`dunning_sends` is the run's memory: one row per (invoice, step, repeat), unique by its key, so a
step is never sent twice; a failed send keeps its row with the error and the channels that did
deliver (`delivered`), and the next run tries the others only.

Part of `store.tables.metadata` (imported at the end of `store/tables.py`).
"""

from __future__ import annotations

from sqlalchemy import (Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer,
                        String, Table, Text, UniqueConstraint)

from credo.store.tables import company_column, metadata, money_column

DISPUTE_REASONS = ("price", "quantity", "quality", "missing_po", "duplicate", "delivery", "other")
DISPUTE_STATUSES = ("open", "investigating", "resolved")
DISPUTE_RESOLUTIONS = ("credit_note", "valid", "partial")
CHANNELS = ("phone", "email", "visit", "sms", "letter", "portal", "other")
ACTIVITY_KINDS = ("call", "email", "sms", "letter", "visit", "meeting", "note")
TASK_KINDS = ("call", "visit", "account_manager", "follow_up", "review")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _customer() -> Column:
    return Column("customer_id", Integer, ForeignKey("customers.id"), nullable=False)


def _stamp() -> list[Column]:
    """Who recorded the row, and when (UTC)."""
    return [Column("created_at", DateTime(timezone=True), nullable=False),
            Column("actor", String(128), nullable=False)]


disputes = Table(
    "disputes",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False),
    money_column("amount"),  # the disputed part of the invoice, in its currency
    Column("currency", String(3), nullable=False),
    Column("reason", String(16), nullable=False),
    Column("owner", String(64), nullable=False),  # who investigates (a username)
    Column("status", String(16), nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("due_on", Date),  # the day the investigation should end
    Column("resolved_on", Date),
    Column("resolution", String(16)),
    Column("credit_note_id", Integer, ForeignKey("credit_notes.id")),  # written when resolved by a credit note
    Column("notes", Text),
    *_stamp(),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint(_in("reason", DISPUTE_REASONS), name="reason"),
    CheckConstraint(_in("status", DISPUTE_STATUSES), name="status"),
    CheckConstraint(f"resolution IS NULL OR {_in('resolution', DISPUTE_RESOLUTIONS)}", name="resolution"),
    CheckConstraint("(status = 'resolved') = (resolved_on IS NOT NULL)", name="resolved_on"),
)
Index("ix_disputes_invoice", disputes.c.invoice_id, disputes.c.opened_on)
Index("ix_disputes_customer", disputes.c.company_id, disputes.c.customer_id)

promises = Table(
    "promises",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("made_on", Date, nullable=False),
    Column("promised_on", Date, nullable=False),  # the day the customer will have paid by
    money_column("amount"),
    Column("currency", String(3), nullable=False),
    Column("promised_by", String(200)),  # the customer's person who promised
    Column("channel", String(16), nullable=False),
    Column("grace_days", Integer, nullable=False, server_default="0"),
    Column("cancelled_on", Date),
    Column("notes", Text),
    *_stamp(),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("promised_on >= made_on", name="after_made"),
    CheckConstraint("grace_days >= 0", name="grace"),
    CheckConstraint(_in("channel", CHANNELS), name="channel"),
)
Index("ix_promises_customer", promises.c.company_id, promises.c.customer_id, promises.c.promised_on)

# The invoices a promise (or a plan) covers; none listed: all the customer's open invoices then.
promise_invoices = Table(
    "promise_invoices",
    metadata,
    Column("promise_id", Integer, ForeignKey("promises.id"), primary_key=True),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), primary_key=True),
)

payment_plans = Table(
    "payment_plans",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("agreed_on", Date, nullable=False),
    money_column("amount"),
    Column("currency", String(3), nullable=False),
    Column("frequency", String(16), nullable=False),  # domain.arrangements.Interval
    Column("annual_rate", String(16), nullable=False, server_default="0"),  # percent, exact decimal text
    Column("grace_days", Integer, nullable=False, server_default="0"),
    Column("cancelled_on", Date),
    Column("notes", Text),
    *_stamp(),
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint("frequency IN ('weekly', 'fortnightly', 'monthly')", name="frequency"),
)
Index("ix_payment_plans_customer", payment_plans.c.company_id, payment_plans.c.customer_id)

# The schedule as agreed (kept, not recomputed: a later change of rounding cannot rewrite it).
plan_instalments = Table(
    "plan_instalments",
    metadata,
    Column("plan_id", Integer, ForeignKey("payment_plans.id"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("due_date", Date, nullable=False),
    money_column("principal"),
    money_column("interest"),
)

plan_invoices = Table(
    "plan_invoices",
    metadata,
    Column("plan_id", Integer, ForeignKey("payment_plans.id"), primary_key=True),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), primary_key=True),
)

dunning_sends = Table(
    "dunning_sends",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False),
    Column("send_key", String(160), nullable=False),  # invoice:level:times (domain.dunning.ProposedItem.key)
    Column("level", Integer, nullable=False),
    Column("times", Integer, nullable=False),
    Column("policy", String(32), nullable=False),
    Column("step", String(64), nullable=False),
    Column("run_on", Date, nullable=False),  # the run's as-of date
    Column("status", String(8), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="1"),
    Column("channels", String(120), nullable=False),  # the step's actions, comma separated
    Column("delivered", String(120)),  # those of them carried out so far (a retry tries only the others)
    Column("message_id", String(200)),
    Column("error", Text),
    Column("sent_at", DateTime(timezone=True)),
    *_stamp(),
    UniqueConstraint("company_id", "send_key"),
    CheckConstraint("status IN ('sent', 'failed')", name="status"),
)
Index("ix_dunning_sends_invoice", dunning_sends.c.invoice_id, dunning_sends.c.level)

tasks = Table(
    "tasks",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("kind", String(16), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("assignee", String(64)),  # a portfolio code (collector or sales person)
    Column("status", String(12), nullable=False),
    Column("source", String(200)),  # what raised it, e.g. a dunning send key: raised once
    Column("title", String(300), nullable=False),
    Column("done_on", Date),
    Column("outcome", Text),
    *_stamp(),
    UniqueConstraint("company_id", "source"),
    CheckConstraint(_in("kind", TASK_KINDS), name="kind"),
    CheckConstraint("status IN ('open', 'done', 'cancelled')", name="status"),
)
Index("ix_tasks_assignee", tasks.c.company_id, tasks.c.status, tasks.c.assignee, tasks.c.due_on)
Index("ix_tasks_customer", tasks.c.company_id, tasks.c.customer_id)

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("kind", String(16), nullable=False),
    Column("occurred_on", Date, nullable=False),
    Column("contact", String(200)),
    Column("invoice_id", Integer, ForeignKey("invoices.id")),
    Column("outcome", String(200)),
    Column("notes", Text),
    Column("next_follow_up", Date),
    *_stamp(),
    CheckConstraint(_in("kind", ACTIVITY_KINDS), name="kind"),
)
Index("ix_activities_customer", activities.c.company_id, activities.c.customer_id, activities.c.occurred_on)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("name", String(200), nullable=False),
    Column("role", String(64)),  # e.g. finance, purchasing, owner
    Column("email", String(200)),
    Column("phone", String(64)),
    Column("language", String(2)),
    Column("receives_dunning", Boolean, nullable=False, server_default="0"),
    Column("active", Boolean, nullable=False, server_default="1"),
    *_stamp(),
    CheckConstraint("language IS NULL OR language IN ('zh', 'en')", name="language"),
)
Index("ix_contacts_customer", contacts.c.company_id, contacts.c.customer_id)

collection_cases = Table(
    "collection_cases",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("kind", String(8), nullable=False),  # agency or legal
    Column("opened_on", Date, nullable=False),
    Column("handler", String(200), nullable=False),  # the agency or the law firm
    money_column("amount"),  # handed over, base currency
    money_column("expected_recovery"),
    money_column("expected_cost"),
    Column("status", String(12), nullable=False),
    Column("closed_on", Date),
    money_column("recovered", server_default="0"),
    Column("notes", Text),
    *_stamp(),
    CheckConstraint("kind IN ('agency', 'legal')", name="kind"),
    CheckConstraint("status IN ('open', 'closed')", name="status"),
)
Index("ix_collection_cases_customer", collection_cases.c.company_id, collection_cases.c.customer_id)

# Late interest per customer (customer_id NULL: the company's default), as of valid_from.
interest_terms = Table(
    "interest_terms",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("customer_id", Integer, ForeignKey("customers.id")),
    Column("valid_from", Date, nullable=False),
    Column("statute", String(16), nullable=False),  # contract, eu_2011_7, uk_1998 (domain.interest.Statute)
    Column("rate", String(16), nullable=False),  # percent, exact decimal text
    Column("basis", String(8), nullable=False),  # annual or daily
    Column("day_basis", Integer, nullable=False, server_default="365"),
    Column("grace_days", Integer, nullable=False, server_default="0"),
    money_column("fixed_fee", server_default="0"),  # minor units of the invoice's currency
    Column("raise_debit_note", Boolean, nullable=False, server_default="0"),
    *_stamp(),
    CheckConstraint("statute IN ('contract', 'eu_2011_7', 'uk_1998')", name="statute"),
    CheckConstraint("basis IN ('annual', 'daily')", name="basis"),
)
Index("ix_interest_terms_customer", interest_terms.c.company_id, interest_terms.c.customer_id,
      interest_terms.c.valid_from)

# The statutes' reference rates per half-year (ECB main refinancing rate, Bank of England base rate).
reference_rates = Table(
    "reference_rates",
    metadata,
    Column("statute", String(16), primary_key=True),
    Column("half_year", Date, primary_key=True),  # 1 January or 1 July
    Column("rate", String(16), nullable=False),  # percent, exact decimal text
    CheckConstraint("statute IN ('eu_2011_7', 'uk_1998')", name="statute"),
)

# Interest charged by debit notes (逾期罚息): one row per (debit note, invoice it charges), with the
# period it covers, so a later run charges only what accrued since (services/collections/charges.py).
interest_charges = Table(
    "interest_charges",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("debit_note_id", Integer, ForeignKey("invoices.id"), nullable=False),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False),  # the late invoice charged
    Column("period_from", Date),  # first day of interest charged (NULL: a fee alone)
    Column("period_to", Date, nullable=False),  # the as-of date of the charge
    Column("currency", String(3), nullable=False),  # the debit note's (the invoice's) currency
    money_column("interest"),
    money_column("fee", server_default="0"),
    *_stamp(),
    UniqueConstraint("debit_note_id", "invoice_id"),
)
Index("ix_interest_charges_invoice", interest_charges.c.invoice_id, interest_charges.c.period_to)

WAIVER_STATUSES = ("pending", "approved", "rejected")

# Waived interest (减免罚息): on an invoice's uncharged interest, or on a debit note (booked as a credit
# note on it); above the company's threshold a second person with interest_waive approves (四眼原则).
interest_waivers = Table(
    "interest_waivers",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    _customer(),
    Column("invoice_id", Integer, ForeignKey("invoices.id"), nullable=False),  # an invoice or a debit note
    Column("waived_on", Date, nullable=False),  # the as-of date from which it counts
    Column("currency", String(3), nullable=False),
    money_column("amount"),
    Column("reason", String(500), nullable=False),
    Column("status", String(16), nullable=False),
    Column("requested_by", String(128), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", String(128)),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision_note", String(500)),
    Column("credit_note_id", Integer, ForeignKey("credit_notes.id")),  # a waived debit note's credit
    CheckConstraint("amount > 0", name="amount_positive"),
    CheckConstraint(_in("status", WAIVER_STATUSES), name="status"),
)
Index("ix_interest_waivers_invoice", interest_waivers.c.company_id, interest_waivers.c.invoice_id)

# A company's interest settings; no row: the defaults (services/collections/interest_settings.py).
interest_settings = Table(
    "interest_settings",
    metadata,
    Column("company_id", Integer, ForeignKey("companies.id"), primary_key=True),
    money_column("waiver_threshold"),  # minor units of the base currency; above it, four eyes
    Column("settle_order", String(40), nullable=False),  # e.g. "costs,interest,principal" (BGB s.367)
    Column("debit_note_days", Integer, nullable=False, server_default="0"),  # 0: cash on delivery (due at once)
)

# A company's own dunning policies (JSON, services/collections/policies.py), each change a new
# version; none: the policies credo ships (domain/dunning_defaults.py).
dunning_policy_versions = Table(
    "dunning_policy_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    company_column(),
    Column("version", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("set_at", DateTime(timezone=True), nullable=False),
    Column("actor", String(128), nullable=False),
    UniqueConstraint("company_id", "version"),
)
