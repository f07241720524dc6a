"""Request bodies of the credit insurance routes: policies, insured limits, overdue reports, claims."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from credo.api.schemas import Body, Dated


class PolicyIn(Body):
    insurer: str = Field(min_length=1, max_length=200, examples=["中国信保"])
    number: str = Field(min_length=1, max_length=64, description="The policy's number, unique in the company")
    period_from: date
    period_to: date
    currency: str | None = Field(None, description="The policy's currency (default: the base currency)")
    coverage_share: str = Field("0.90", description="The insured share of a loss: 0.90 or 90%", examples=["0.90"])
    deductible: str = Field("0", description="Per claim, a decimal string in the policy's currency")
    max_credit_days: int = Field(ge=0, le=3660, description="The longest credit period the policy covers")
    report_overdue_days: int = Field(ge=0, le=3660, description="Days after a due date to report an overdue buyer")
    claim_days: int = Field(ge=0, le=3660, description="Days to file a claim, counted from claim_from")
    claim_from: str = Field("report", description="report (the report's day) or due_date")
    alert_days: int = Field(7, ge=0, le=366, description="Reminders this many days before a deadline")


class LimitRequestIn(Dated):
    policy: str = Field(description="The policy's number")
    customer_code: str
    amount: str = Field(description="The limit asked for, in the policy's currency", examples=["100000.00"])
    requested_on: date | None = Field(None, description="Default: today")
    note: str | None = Field(None, max_length=500)


class LimitDecisionIn(Dated):
    policy: str = Field(description="The policy's number")
    customer_code: str
    amount: str = Field(description="The limit granted (0: refused), in the policy's currency", examples=["80000.00"])
    decided_on: date | None = Field(None, description="Default: today")
    valid_from: date | None = Field(None, description="Default: the decision's day")
    valid_until: date | None = Field(None, description="Default: open-ended")
    request_id: int | None = Field(None, ge=1, le=2**31 - 1, description="The request it answers")
    reference: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=500)


class OverdueReportIn(Body):
    policy: str = Field(description="The policy's number")
    customer_code: str
    reported_on: date | None = Field(None, description="Default: today")
    reference: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=500)


class ClaimIn(Body):
    policy: str = Field(description="The policy's number")
    customer_code: str
    amount: str = Field(description="The loss claimed, in the policy's currency: at most what is open and insured "
                                    "on its invoices on the claim's day (422 otherwise, naming both)",
                        examples=["50000.00"])
    invoice_numbers: list[str] = Field(default_factory=list, max_length=1000,
                                       description="None: all the buyer's open insured invoices")
    as_of: date | None = Field(None, description="The day the draft is made (default: today)")
    filed_on: date | None = Field(None, description="Refused: a second person files the claim (four eyes); "
                                  "leave it out to draft it")
    draft: bool = Field(True, description="A claim is always drafted first; a second person files it")
    reference: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=2000)


class ClaimStatusIn(Body):
    status: str = Field(description="filed, accepted, rejected or paid")
    on: date | None = Field(None, description="The day of the change (default: today)")
    paid_amount: str | None = Field(None, description="With status paid: what the insurer paid")
    reference: str | None = Field(None, max_length=100)
    note: str | None = Field(None, max_length=2000)
