"""Who may do what: roles, permissions and portfolios, as data (the adapters ask, never decide).

A role holds a fixed set of permissions. Collectors and sales staff also work a portfolio: the
customers whose `collector` (collectors) or `salesperson` (sales) is the user's portfolio code.
Everyone else sees every customer of the company.
"""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    admin = "admin"
    credit_manager = "credit_manager"
    collector = "collector"
    sales = "sales"
    controller = "controller"
    auditor = "auditor"


class Permission(str, Enum):
    ledger_read = "ledger.read"  # customers, invoices, payments, credit notes (within the portfolio)
    ledger_write = "ledger.write"  # create or import money records, reverse payments
    customers_write = "customers.write"  # master data
    reports_read = "reports.read"  # company-wide reports (aging, DSO, measures)
    audit_read = "audit.read"
    users_manage = "users.manage"
    settings_manage = "settings.manage"
    limits_request = "limits.request"
    limits_approve = "limits.approve"  # decide limit requests, release the credit queue, set credit holds
    orders_write = "orders.write"  # enter orders and deliveries (each passes the credit check)
    provisions_manage = "provisions.manage"
    write_offs_approve = "write_offs.approve"
    credit_read = "credit.read"  # the credit file and assessments (within the portfolio)
    credit_manage = "credit.manage"  # import the credit file, record assessments, set scorecard and policy
    collections_work = "collections.work"  # log contacts, promises, disputes, plans; work tasks (within the portfolio)
    dunning_run = "dunning.run"  # carry out a dunning run (send), set dunning policies and interest terms
    interest_waive = "interest.waive"  # waive late interest and fees (above a threshold: a second person)
    periods_close = "periods.close"  # close a period (lock date), reopen it, verify what it stored
    risk_manage = "risk.manage"  # early-warning rules and alerts, manual flags, credit insurance policies and claims


P = Permission
_READ = {P.ledger_read}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.admin: frozenset(Permission),
    Role.credit_manager: frozenset(_READ | {P.ledger_write, P.customers_write, P.reports_read, P.audit_read,
                                            P.settings_manage, P.limits_request, P.limits_approve, P.orders_write,
                                            P.credit_read, P.credit_manage, P.collections_work, P.dunning_run,
                                            P.interest_waive, P.risk_manage}),
    Role.collector: frozenset(_READ | {P.collections_work}),
    Role.sales: frozenset(_READ | {P.limits_request, P.orders_write, P.credit_read, P.collections_work}),
    Role.controller: frozenset(_READ | {P.ledger_write, P.reports_read, P.audit_read, P.provisions_manage,
                                        P.periods_close,
                                        P.write_offs_approve, P.limits_approve, P.orders_write, P.credit_read,
                                        P.interest_waive, P.risk_manage}),
    Role.auditor: frozenset(_READ | {P.reports_read, P.audit_read, P.credit_read}),
}

# The customers column a portfolio role is limited by.
PORTFOLIO_COLUMN: dict[Role, str] = {Role.collector: "collector", Role.sales: "salesperson"}

ROLE_LABELS: dict[Role, tuple[str, str]] = {  # (English, 中文)
    Role.admin: ("Administrator", "系统管理员"),
    Role.credit_manager: ("Credit manager", "信用经理"),
    Role.collector: ("Collector", "催收专员"),
    Role.sales: ("Sales", "销售"),
    Role.controller: ("Controller", "财务总监"),
    Role.auditor: ("Auditor", "审计"),
}


def parse_role(text: str) -> Role:
    """A role from its name (case and dashes forgiven); ValueError names the choices."""
    name = text.strip().lower().replace("-", "_").replace(" ", "_")
    try:
        return Role(name)
    except ValueError:
        raise ValueError(f"unknown role {text!r}: use one of {', '.join(r.value for r in Role)}") from None


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def portfolio_column(role: Role) -> str | None:
    """The customers column that limits what this role sees, or None when it sees every customer."""
    return PORTFOLIO_COLUMN.get(role)
