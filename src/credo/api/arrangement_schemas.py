"""Request bodies of the collections arrangements: disputes, promises to pay, payment plans."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from credo.api.schemas import Body


class DisputeIn(Body):
    invoice_number: str = Field(max_length=64)
    amount: str | None = Field(None, description="The disputed part (default: all that is open on the invoice)")
    reason: str = Field(description="price, quantity, quality, missing_po, duplicate, delivery or other")
    owner: str = Field(min_length=1, max_length=64, description="Who investigates (a username)")
    due_on: date | None = Field(None, description="The day the investigation should end")
    notes: str | None = Field(None, max_length=2000)
    opened_on: date | None = Field(None, description="Default: today")


class InvestigationIn(Body):
    notes: str | None = Field(None, max_length=2000)


class ResolutionIn(Body):
    resolution: str | None = Field(None, description="credit_note, valid or partial")
    amount: str | None = Field(None, description="The credit note's amount (default: the disputed amount)")
    credit_note_number: str | None = Field(None, max_length=64, description="Default: CN-D<dispute id>")
    notes: str | None = Field(None, max_length=2000)
    resolved_on: date | None = Field(None, description="Default: today")


class PromiseIn(Body):
    customer_code: str
    promised_on: date = Field(description="The day the customer will have paid by")
    amount: str = Field(description="Decimal string, e.g. \"300.00\"", examples=["300.00"])
    currency: str | None = Field(None, description="Default: the customer's currency")
    promised_by: str | None = Field(None, max_length=200, description="The customer's person who promised")
    channel: str = Field("phone", description="phone, email, visit, sms, letter, portal or other")
    grace_days: int = Field(0, ge=0, le=365)
    invoice_numbers: list[str] = Field(default_factory=list, description="The invoices it covers (default: all)")
    made_on: date | None = Field(None, description="Default: today")
    notes: str | None = Field(None, max_length=2000)


class CancellationIn(Body):
    reason: str | None = Field(None, max_length=500)
    cancelled_on: date | None = Field(None, description="Default: today")


class PlanIn(Body):
    customer_code: str
    invoice_numbers: list[str] = Field(min_length=1, description="The open invoices the plan covers")
    count: int = Field(ge=1, le=120, description="How many instalments")
    frequency: str = Field("monthly", description="weekly, fortnightly or monthly")
    first_due: date
    annual_rate: str = Field("0", description="Simple interest, percent a year, e.g. \"6.5\"")
    grace_days: int = Field(0, ge=0, le=365)
    amount: str | None = Field(None, description="Default: what is open on the invoices")
    agreed_on: date | None = Field(None, description="Default: today")
    notes: str | None = Field(None, max_length=2000)
