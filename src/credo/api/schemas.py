"""Request and response bodies of the API (apart from tables and domain records). Amounts are
decimal strings, never JSON numbers: "1234.50" in, "1234.50" out."""

from __future__ import annotations

from datetime import date
from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

Amount = Field(description="Decimal string in the document's currency, e.g. \"1234.50\"", examples=["1234.50"])
T = TypeVar("T")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def no_nul(cls, value):
        """A NUL character is never text a person meant (and PostgreSQL refuses it), in a list neither."""
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("contains a NUL character")
        return value

    def values(self) -> dict[str, object]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in self.model_dump().items() if v is not None}


class Dated(Body):
    """A write the person dates: dated in a closed period it is refused (409, naming the lock date)
    unless `to_open_period` books it on the first open day (services/periods.py)."""

    to_open_period: bool = Field(False, description="Dated in a closed period (on or before the lock date): book "
                                 "it on the first open day instead of refusing it (409)")

    def values(self) -> dict[str, object]:
        """A record's columns: the option is not one of them."""
        return {k: v for k, v in super().values().items() if k != "to_open_period"}


class CustomerIn(Body):
    customer_code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    group_code: str | None = None
    group_name: str | None = None
    country: str | None = Field(None, description="ISO 3166 two-letter code")
    currency: str | None = Field(None, description="ISO 4217 code (default: the company's)")
    language: str | None = Field(None, description="zh or en (default: guessed from the name)")
    segment: str | None = None
    collector: str | None = None
    salesperson: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    terms: str | None = Field(None, description="NET30, EOM30 (月结30), 2/10 NET30, COD ...")
    time_zone: str | None = Field(None, description="IANA name (America/New_York): the dunning sending window's "
                                                    "(default: the company's, CREDO_TIME_ZONE)")


class InvoiceIn(Dated):
    invoice_number: str = Field(max_length=64)
    customer_code: str
    invoice_date: date
    amount: str = Amount
    due_date: date | None = Field(None, description="Given, or derived from terms (the invoice's or the customer's)")
    terms: str | None = None
    currency: str | None = None


class PaymentIn(Dated):
    payment_ref: str = Field(max_length=64)
    customer_code: str
    payment_date: date
    amount: str = Amount
    invoice_number: str | None = Field(None, description="Invoices to settle, separated by ';' (default: oldest first)")
    currency: str | None = None


class CreditNoteIn(Dated):
    credit_note_number: str = Field(max_length=64)
    customer_code: str
    issue_date: date
    amount: str = Amount
    invoice_number: str | None = None
    reason: str | None = None
    currency: str | None = None


class ReversalIn(Dated):
    date: date
    reason: str = Field(min_length=1, max_length=500)


class Recorded(BaseModel):
    kind: str
    key: str
    outcome: str = Field(description="created, updated or unchanged")


class SignInIn(Body):
    username: str
    password: str


class UserIn(Body):
    username: str
    display_name: str = ""
    role: str = Field(description="admin, credit_manager, collector, sales, controller or auditor")
    password: str = Field(min_length=10)
    portfolio: str | None = Field(None, description="Collector or sales code whose customers the user works")
    language: str = "zh"


class TokenIn(Body):
    name: str = Field(min_length=1, max_length=100)


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int = Field(description="How many match (at most 10,000: see total_capped)")
    total_capped: bool = Field(description="True when more than 10,000 match")
    limit: int
    offset: int


class CustomerOut(BaseModel):
    code: str
    name: str
    group_code: str | None
    country: str | None
    currency: str
    language: str
    segment: str | None
    collector: str | None
    salesperson: str | None
    terms: str | None
    open_amount: str
    overdue_amount: str
    amount_currency: str


class InvoiceOut(BaseModel):
    number: str
    customer_code: str
    customer_name: str
    issue_date: date
    due_date: date
    terms: str | None
    currency: str
    amount: str
    paid: str
    open: str
    days_past_due: int | None
    status: str = Field(description="open, part_paid, overdue or paid (today)")


class PaymentOut(BaseModel):
    ref: str
    customer_code: str
    customer_name: str
    payment_date: date
    currency: str
    amount: str
    applied: str
    unapplied: str
    reversed_on: date | None
    reversal_reason: str | None


class CreditNoteOut(BaseModel):
    number: str
    customer_code: str
    customer_name: str
    issue_date: date
    currency: str
    reason: str | None
    amount: str
    applied: str
    unapplied: str


class AuditOut(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    entity: str
    entity_key: str | None
    company: str | None
    before: dict | None
    after: dict | None
