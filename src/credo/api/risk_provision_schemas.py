"""Request bodies of the provision routes: specific provisions, their end, and the settings."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from credo.api.schemas import Body, Dated


class SpecificIn(Dated):
    customer_code: str = Field(min_length=1, max_length=64)
    rate: str | None = Field(None, max_length=16, description="A share of the balance: 50% or 0.5", examples=["50%"])
    amount: str | None = Field(None, max_length=24,
                               description="The allowance as assessed, in the base currency (a decimal string)")
    reason: str = Field(min_length=1, max_length=500)
    valid_from: date | None = Field(None, description="In force from (default: today)")
    valid_until: date | None = Field(None, description="Last day in force (default: until ended)")


class SpecificEndIn(Body):
    until: date | None = Field(None, description="Its last day in force (default: today)")


class BandIn(Body):
    bucket: str = Field(min_length=1, max_length=40)
    low: int | None = Field(None, ge=0, le=36_500, description="First day of the band (none: open below)")
    high: int | None = Field(None, ge=0, le=36_500, description="Last day of the band (none: open above)")
    rate: str = Field(max_length=16, description="5% or 0.05", examples=["5%"])


class ProvisionSettingsIn(Body):
    method: str | None = Field(None, description="matrix or aging-table")
    lookback_months: int | None = Field(None, ge=1, le=120)
    forward_factor: str | None = Field(None, max_length=16, description="Multiplies every rate, capped at 100 %",
                                       examples=["1.05"])
    limits: str | None = Field(None, max_length=200, description="The derived matrix's days-past-due ladder: "
                               "buckets of one width, the roll rates' observation step",
                               examples=["30,60,90"])
    loss_rate: str | None = Field(None, max_length=16, description="The last bucket's rate in a derived matrix")
    matrix_rates: list[BandIn] | None = Field(None, max_length=50, description="A given matrix (stops deriving one)")
    derive: bool = Field(False, description="Derive the matrix from the ledger again")
    aging_rates: list[BandIn] | None = Field(None, max_length=50, description="The 账龄分析法 table")
    specific_rule: str | None = Field(None, max_length=16, examples=["higher"],
                                      description="replace: a specific provision's figure counts (the default); "
                                      "higher: the higher of it and the customer's collective figure")
