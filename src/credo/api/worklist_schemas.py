"""Request bodies of the collectors' routes: activities, contacts, tasks and escalation cases."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from credo.api.schemas import Body


class ActivityIn(Body):
    kind: str = Field(description="call, email, sms, letter, visit, meeting or note")
    occurred_on: date | None = Field(None, description="Default: today")
    contact: str | None = Field(None, max_length=200, description="The customer's person spoken to")
    invoice_number: str | None = Field(None, description="The invoice it was about")
    outcome: str | None = Field(None, max_length=200)
    notes: str | None = Field(None, max_length=4000)
    next_follow_up: date | None = Field(None, description="Raises a follow-up task for that day")


class ContactIn(Body):
    name: str = Field(min_length=1, max_length=200)
    role: str | None = Field(None, max_length=64, description="finance, purchasing, owner, ...")
    email: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=64, description="E.164, e.g. +8613800138000")
    language: str | None = Field(None, description="zh or en (default: the customer's)")
    receives_dunning: bool = False


class TaskIn(Body):
    customer_code: str
    kind: str = Field(description="call, visit, account_manager, follow_up or review")
    due_on: date
    title: str = Field(min_length=1, max_length=300)
    assignee: str | None = Field(None, max_length=64, description="A portfolio code (default: the collector)")
    source: str | None = Field(None, max_length=200, description="What raised it: the same source is raised once")


class CompletionIn(Body):
    outcome: str = Field(min_length=1, max_length=4000)
    done_on: date | None = Field(None, description="Default: today")
    log_as: str | None = Field(None, description="Also log the contact as this activity kind (call, visit, ...)")


class CancellationIn(Body):
    reason: str = Field(min_length=1, max_length=4000)


class CaseIn(Body):
    customer_code: str
    kind: str = Field(description="agency or legal")
    handler: str = Field(min_length=1, max_length=200, description="The agency or the law firm")
    recovery_rate: str = Field(description="Expected recovery, percent of the amount", examples=["60"])
    amount: str | None = Field(None, description="Handed over, base currency (default: the overdue open amount)")
    fixed_cost: str = Field("0", description="Fixed cost expected (fees, court costs)")
    commission_rate: str = Field("0", description="Commission, percent of what is recovered")
    opened_on: date | None = Field(None, description="Default: today")
    notes: str | None = Field(None, max_length=4000)
    accept_loss: bool = Field(False, description="Open it even though the expected recovery is below the expected "
                                                 "cost (refused otherwise, naming both)")


class RecoveryIn(Body):
    amount: str = Field(description="The amount recovered, base currency", examples=["1000.00"])


class ClosureIn(Body):
    closed_on: date | None = Field(None, description="Default: today")
    notes: str | None = Field(None, max_length=4000)
