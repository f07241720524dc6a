"""Maker-checker (四眼原则): the one rule for every decision a second person takes (a credit limit,
an interest waiver, a write-off, an insurance claim).

The person who asks never decides, whatever their role and whatever the amount, and the decider's
role must reach the level the amount calls for: levels are data (`ApprovalLevel`s, smallest first,
each naming the least role that may approve up to its bound in the base currency), set per company
where a setting exists. A refusal names the role needed and the role that tried.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

# Who outranks whom when approving: an approver of a higher level may approve a lower one.
APPROVER_RANK = {"credit_manager": 1, "controller": 2, "admin": 3}


@dataclass(frozen=True)
class ApprovalLevel:
    up_to: Decimal | None  # in the base currency; None: without an upper bound
    role: str


@dataclass(frozen=True)
class Approval:
    """Whether someone may approve a request, and why not."""

    allowed: bool
    needed_role: str
    reason: str = ""


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
    """The least role that may approve this amount (in the base currency)."""
    for level in levels:
        if level.up_to is None or amount <= level.up_to:
            return level.role
    return levels[-1].role


def may_approve(what: str, levels: Sequence[ApprovalLevel], amount: Decimal, requested_by: str, approver: str,
                approver_role_name: str) -> Approval:
    """May `approver` (of role `approver_role_name`) approve `what` (an amount in the base currency)
    that `requested_by` asked for? Names are the one identity of a person (`user:li`)."""
    needed = approver_role(levels, amount)
    if approver == requested_by:
        return Approval(False, needed, f"four eyes: {what} needs an approver other than its requester "
                                       f"({requested_by}), of the role {needed} or above")
    if APPROVER_RANK.get(approver_role_name, 0) < APPROVER_RANK[needed]:
        return Approval(False, needed, f"{what} of {amount} needs approval by the role {needed} or above, "
                                       f"not {approver_role_name}")
    return Approval(True, needed)
