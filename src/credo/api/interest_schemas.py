"""Request bodies of the late-interest routes: terms, settings, debit notes, waivers."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from credo.api.schemas import Body, Dated


class InterestTermsIn(Body):
    customer_code: str | None = Field(None, description="The customer (default: the company's default terms)")
    valid_from: date | None = Field(None, description="In force from (default: today)")
    statute: str = Field("contract", description="contract, eu_2011_7 or uk_1998")
    rate: str = Field("0", description="Percent a year or a day; statutes: the margin over the reference",
                      examples=["0.05"])
    basis: str = Field("annual", description="annual or daily")
    day_basis: int = Field(365, description="365 or 360")
    grace_days: int = Field(0, ge=0, le=3660)
    fixed_fee: str = Field("0", description="A contract's fee per late invoice, a decimal string")
    raise_debit_note: bool = False


class InterestSettingsIn(Body):
    waiver_threshold: str | None = Field(None, description="Base currency: a credit manager approves a waiver up to it, a controller above (never the requester)")
    settle_order: str | None = Field(None, description="e.g. costs,interest,principal")
    debit_note_days: int | None = Field(None, ge=0, le=3660, description="Debit notes are due after (0: at once)")


class InterestChargeIn(Dated):
    as_of: date | None = Field(None, description="Charge what accrued up to this day (default: today)")
    customer_code: str | None = Field(None, description="One customer (default: every customer)")


class WaiverIn(Body):
    invoice_number: str = Field(description="The invoice (uncharged interest) or the debit note")
    amount: str = Field(description="A decimal string in the invoice's currency", examples=["50.00"])
    reason: str = Field(min_length=1, max_length=500)
    as_of: date | None = Field(None, description="The day it counts from (default: today)")


class WaiverDecisionIn(Body):
    note: str = Field("", max_length=500)
    as_of: date | None = Field(None, description="The day an approval counts from (default: today)")
