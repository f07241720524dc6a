"""Request bodies of the credit-limit routes: orders, credit checks, holds, limit requests."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from credo.api.schemas import Amount, Body, Dated


class OrderIn(Dated):
    order_number: str = Field(max_length=64)
    customer_code: str
    order_date: date
    amount: str = Amount
    currency: str | None = None
    status: str | None = Field(None, description="open (default), cancelled or invoiced")
    invoice_number: str | None = Field(None, description="The invoice that billed it (then it is invoiced)")
    status_date: date | None = Field(None, description=(
        "The day the status took effect (default: the order date for a new order, today for a change)"))


class DeliveryIn(Body):
    date: date


class CreditCheckIn(Body):
    customer_code: str
    amount: str = Amount
    currency: str | None = Field(None, description="The amount's currency (default: the base currency)")
    as_of: date | None = Field(None, description="Default: today")


class HoldIn(Body):
    on_hold: bool = Field(description="true: put on credit hold; false: lift the hold")
    reason: str = Field(min_length=1, max_length=500)
    held_from: date | None = Field(None, alias="from", description="Default: today")


class LimitRequestIn(Dated):
    customer_code: str | None = Field(None, description="The customer (or group_code)")
    group_code: str | None = Field(None, description="The customer group (or customer_code)")
    amount: str = Field(description="The proposed limit, a decimal string", examples=["100000.00"])
    currency: str | None = Field(None, description="Default: the base currency")
    term_days: int = Field(ge=0, le=3660, description="The approved payment term in days")
    rating: str = Field(description="A to E")
    reason: str = Field(min_length=1, max_length=500)
    valid_from: date | None = Field(None, description="Default: today")
    valid_to: date | None = Field(None, description="A temporary limit ends on this day")
    review_due: date | None = Field(None, description="Default: valid_from + the rating's review interval")
    policy_exception: str | None = Field(None, max_length=500, description=(
        "Why: required for a limit above 0 when the policy gives the rating no credit (D, E by default); "
        "a second person approves it"))


class DecisionIn(Body):
    note: str = Field("", max_length=500)


class ApprovalIn(DecisionIn, Dated):
    """An approval's note; `to_open_period` when the line's valid-from day closed since the request."""


class ReleaseIn(Body):
    reason: str = Field(min_length=1, max_length=500)


class CreditSettingsIn(Body):
    check_points: list[str] | None = Field(None, description="order, delivery, invoice: where the check runs")
    tolerance_share: str | None = Field(None, description="Share over the limit that only warns, e.g. \"0.05\"")
    overdue_days: int | None = Field(None, ge=0, le=3660, description="Past due beyond this blocks")
    approval_levels: str | None = Field(None, description="Who approves what amount, e.g. 100000:credit_manager,"
                                        "1000000:controller,admin, or 100000:credit_manager,controller (the "
                                        "controller without bound); the requester never approves")
