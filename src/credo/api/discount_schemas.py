"""Request bodies of the early-payment discount offers."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from credo.api.schemas import Body


class DiscountOfferIn(Body):
    customer_code: str
    invoice_numbers: list[str] = Field(min_length=1, max_length=200, description="Open invoices of the customer")
    percent: str = Field(description="The discount share in percent, decimal string", examples=["2"])
    pay_by: date = Field(description="The last day a payment takes the discount")
    offered_by: str | None = Field(None, max_length=128, description="Who made the offer (default: the caller)")
    notes: str | None = Field(None, max_length=500)
    offered_on: date | None = Field(None, description="Default: today")


class WithdrawalIn(Body):
    reason: str | None = Field(None, max_length=400)
    withdrawn_on: date | None = Field(None, description="Default: today")
