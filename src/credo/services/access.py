"""Asking the domain's role rules on behalf of a principal: refusals as named errors, and the
portfolio a query is limited to."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, true

from credo.domain.access import Permission, allows, portfolio_column
from credo.errors import Forbidden
from credo.services.users import Principal
from credo.store.tables import customers


def require(principal: Principal, permission: Permission) -> None:
    if not allows(principal.role, permission):
        raise Forbidden(f"the role {principal.role.value} may not do this ({permission.value})")


@dataclass(frozen=True)
class Scope:
    """Which customers a principal sees: every one, or those whose column holds the portfolio."""

    column: str | None = None
    value: str | None = None

    @classmethod
    def of(cls, principal: Principal) -> "Scope":
        column = portfolio_column(principal.role)
        return cls(column, principal.portfolio) if column else cls()

    def customers(self) -> ColumnElement[bool]:
        """A condition on the customers table."""
        if self.column is None:
            return true()
        return customers.c[self.column] == self.value

    @property
    def limited(self) -> bool:
        return self.column is not None


EVERYONE = Scope()
