"""Credit lines (信用额度) and the four-eyes rule (四眼原则) over changing them, as data.

A line is approved, never edited: a new approval adds a line, and the line in force as of a
date is the latest approved one effective on it. A temporary line (with `valid_to`) replaces the
permanent one from its `valid_from` to its `valid_to` (inclusive); after it the permanent line
applies again.

A limit or term change is a request, decided by a second person (`credo.domain.approval`): who
may approve it depends on its amount in the base currency (levels, smallest first: by default up to
100,000 a credit manager, up to 1,000,000 a controller, above that an administrator; a company may
let its controller approve without bound). The requester never approves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Sequence

from credo.domain.approval import ApprovalLevel, check_levels

CHECK_POINTS = ("order", "delivery", "invoice")
RATINGS = ("A", "B", "C", "D", "E")
DEFAULT_LEVELS = (ApprovalLevel(Decimal(100_000), "credit_manager"), ApprovalLevel(Decimal(1_000_000), "controller"),
                  ApprovalLevel(None, "admin"))


@dataclass(frozen=True)
class CreditSettings:
    """A company's credit-check settings (company settings, editable)."""

    check_points: tuple[str, ...] = ("order",)
    tolerance_share: Decimal = Decimal("0.05")
    overdue_days: int = 30
    levels: tuple[ApprovalLevel, ...] = DEFAULT_LEVELS

    def __post_init__(self) -> None:
        unknown = set(self.check_points) - set(CHECK_POINTS)
        if unknown:
            raise ValueError(f"check points: {', '.join(sorted(unknown))} unknown; use {', '.join(CHECK_POINTS)}")
        if not Decimal(0) <= self.tolerance_share < 1:
            raise ValueError("tolerance share: from 0 up to (not including) 1, e.g. 0.05 for 5 %")
        if self.overdue_days < 0:
            raise ValueError("overdue days cannot be negative")
        check_levels(self.levels)

    def checks_at(self, point: str) -> bool:
        return point in self.check_points


@dataclass(frozen=True)
class Line:
    """One approved credit line (of a customer or a group), amounts in its own currency."""

    id: int
    amount: Decimal
    currency: str
    term_days: int
    rating: str
    valid_from: date
    valid_to: date | None  # a temporary line ends on this day
    review_due: date | None
    policy_exception: str | None = None  # why a limit stands that the policy does not give the rating

    @property
    def temporary(self) -> bool:
        return self.valid_to is not None

    def effective_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class LinesInForce:
    permanent: Line | None = None
    temporary: Line | None = None
    lines: tuple[Line, ...] = field(default=(), repr=False)

    @property
    def governing(self) -> Line | None:
        """The line whose limit, term, rating and review date count: the temporary one while it lasts."""
        return self.temporary or self.permanent


def lines_in_force(lines: Sequence[Line], as_of: date) -> LinesInForce:
    """Of lines in the order they were approved, the latest permanent and temporary ones effective
    as of the date."""
    permanent = temporary = None
    for line in lines:
        if line.effective_on(as_of):
            if line.temporary:
                temporary = line
            else:
                permanent = line
    return LinesInForce(permanent, temporary, tuple(lines))
