"""Credit lines (信用额度) and the four-eyes rule (四眼原则) over changing them, as data.

A line is approved, never edited: a new approval adds a line, and the line in force as of a
date is the latest approved one effective on it. A temporary line (with `valid_to`) replaces the
permanent one from its `valid_from` to its `valid_to` (inclusive); after it the permanent line
applies again.

A limit or term change is a request. Who may approve it depends on its amount in the base
currency (`ApprovalLevel`s, smallest first: up to 100,000 a credit manager, up to 1,000,000 a
controller, above that an administrator). An approver other than the requester is needed above
the self-approval limit; at or below it, a request by someone who may approve it takes effect at
once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Sequence

CHECK_POINTS = ("order", "delivery", "invoice")
RATINGS = ("A", "B", "C", "D", "E")
# Who outranks whom when approving: an approver of a higher level may approve a lower one.
APPROVER_RANK = {"credit_manager": 1, "controller": 2, "admin": 3}


@dataclass(frozen=True)
class ApprovalLevel:
    up_to: Decimal | None  # in the base currency; None: without an upper bound
    role: str


DEFAULT_LEVELS = (ApprovalLevel(Decimal(100_000), "credit_manager"), ApprovalLevel(Decimal(1_000_000), "controller"),
                  ApprovalLevel(None, "admin"))


@dataclass(frozen=True)
class CreditSettings:
    """A company's credit-check settings (company settings, editable)."""

    check_points: tuple[str, ...] = ("order",)
    tolerance_share: Decimal = Decimal("0.05")
    overdue_days: int = 30
    levels: tuple[ApprovalLevel, ...] = DEFAULT_LEVELS
    self_approval_limit: Decimal = Decimal(100_000)

    def __post_init__(self) -> None:
        unknown = set(self.check_points) - set(CHECK_POINTS)
        if unknown:
            raise ValueError(f"check points: {', '.join(sorted(unknown))} unknown; use {', '.join(CHECK_POINTS)}")
        if not Decimal(0) <= self.tolerance_share < 1:
            raise ValueError("tolerance share: from 0 up to (not including) 1, e.g. 0.05 for 5 %")
        if self.overdue_days < 0:
            raise ValueError("overdue days cannot be negative")
        if self.self_approval_limit < 0:
            raise ValueError("the self-approval limit cannot be negative")
        check_levels(self.levels)

    def checks_at(self, point: str) -> bool:
        return point in self.check_points


def check_levels(levels: Sequence[ApprovalLevel]) -> None:
    bounds = [level.up_to for level in levels]
    if not levels or bounds[-1] is not None or None in bounds[:-1]:
        raise ValueError("approval levels: smallest first, the last without an upper bound")
    if bounds[:-1] != sorted(bounds[:-1]) or len(set(bounds)) != len(bounds):
        raise ValueError("approval levels: each upper bound above the one before")
    for level in levels:
        if level.role not in APPROVER_RANK:
            raise ValueError(f"approval level role {level.role!r}: use one of {', '.join(APPROVER_RANK)}")


def parse_levels(text: str) -> tuple[ApprovalLevel, ...]:
    """ "100000:credit_manager,1000000:controller,admin" -> levels (the last without a bound)."""
    levels = []
    for part in (p.strip() for p in text.split(",") if p.strip()):
        bound, sep, role = part.rpartition(":")
        try:
            up_to = Decimal(bound.replace("_", "")) if sep else None
        except ArithmeticError:
            raise ValueError(f"approval level {part!r}: write it as AMOUNT:ROLE, e.g. 100000:credit_manager") from None
        levels.append(ApprovalLevel(up_to, role.strip()))
    check_levels(levels)
    return tuple(levels)


def levels_text(levels: Sequence[ApprovalLevel]) -> str:
    return ",".join(level.role if level.up_to is None else f"{level.up_to}:{level.role}" for level in levels)


def approver_role(levels: Sequence[ApprovalLevel], amount: Decimal) -> str:
    """The least role that may approve a limit of this amount (in the base currency)."""
    for level in levels:
        if level.up_to is None or amount <= level.up_to:
            return level.role
    return levels[-1].role


@dataclass(frozen=True)
class Approval:
    """Whether someone may approve a request, and why not."""

    allowed: bool
    needed_role: str
    reason: str = ""


def may_approve(settings: CreditSettings, amount: Decimal, requested_by: str, approver: str,
                approver_role_name: str, *, exception: bool = False) -> Approval:
    """The four-eyes rule and the approval levels for one decision. A policy exception (a limit the
    credit policy does not give the rating) needs a second person whatever the amount."""
    needed = approver_role(settings.levels, amount)
    if exception and approver == requested_by:
        return Approval(False, needed, f"four eyes: a policy exception needs an approver other than the "
                                       f"requester ({requested_by})")
    if approver == requested_by and amount > settings.self_approval_limit:
        return Approval(False, needed, f"four eyes: a limit above {settings.self_approval_limit} needs an approver "
                                       f"other than the requester ({requested_by})")
    if APPROVER_RANK.get(approver_role_name, 0) < APPROVER_RANK[needed]:
        return Approval(False, needed, f"a limit of {amount} needs approval by the role {needed} or "
                                       f"above, not {approver_role_name}")
    return Approval(True, needed)


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
