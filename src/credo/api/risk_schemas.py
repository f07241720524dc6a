"""Request bodies of the early-warning routes: an alert's status and comments, rules, flags, scans."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from credo.api.schemas import Body


class AlertStatusIn(Body):
    status: Literal["acknowledged", "resolved"]
    note: str | None = Field(None, max_length=2000, description="Kept as a comment on the alert")
    on: date | None = Field(None, description="The day (default: today)")


class AlertCommentIn(Body):
    body: str = Field(min_length=1, max_length=2000)


class RuleIn(Body):
    indicator: str | None = Field(None, description="What it reads (needed for a new rule), e.g. days_past_due")
    threshold: str | None = Field(None, description="A decimal string: breached when the value is over it",
                                  examples=["90"])
    severity: Literal["low", "medium", "high"] | None = None
    owner: str | None = Field(None, max_length=64, description="A username or a role")
    window_days: int | None = Field(None, ge=1, le=3660, description="The window of a windowed indicator")
    active: bool | None = None


class FlagIn(Body):
    customer_code: str
    kind: Literal["lawsuit", "news", "management_change", "other"]
    note: str = Field(min_length=1, max_length=1000)
    flagged_on: date | None = Field(None, description="From this day (default: today)")


class FlagClearIn(Body):
    cleared_on: date | None = Field(None, description="From this day (default: today)")


class ScanIn(Body):
    as_of: date | None = Field(None, description="Scan as of this day (default: today)")
