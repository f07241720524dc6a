"""The maker-checker as the services ask it: the approver holds the permission, is not the requester,
and has the role the amount calls for (`credo.domain.approval`); else Forbidden, naming the role
needed and the role that tried. Limit requests, interest waivers, write-offs and insurance claims
all decide through `require_approver`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from credo.domain.access import Permission, Role, allows
from credo.domain.approval import ApprovalLevel, may_approve
from credo.errors import Forbidden


@dataclass(frozen=True)
class Person:
    """Who asks or decides: the one identity the audit log knows everywhere (user:li) and the role."""

    name: str
    role: str


def holds(person: Person, permission: Permission) -> bool:
    try:
        return allows(Role(person.role), permission)
    except ValueError:
        return False


def require_approver(what: str, permission: Permission, levels: Sequence[ApprovalLevel], amount: Decimal,
                     requested_by: str, approver: Person) -> None:
    """Refuse unless `approver` may approve `what` (an amount in the base currency) asked by `requested_by`."""
    if not holds(approver, permission):
        raise Forbidden(f"{approver.name}: the role {approver.role} may not approve {what} ({permission.value})")
    verdict = may_approve(what, levels, amount, requested_by, approver.name, approver.role)
    if not verdict.allowed:
        raise Forbidden(verdict.reason)
