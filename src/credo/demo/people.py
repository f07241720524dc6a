"""The demo's users: one per role, working the demo's own collector and sales portfolios, all with
one published password (it is a demo: `credo user password` changes them)."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from credo.demo.customers import CHINESE_COLLECTORS, DOMESTIC_SALES
from credo.services.users import add_user
from credo.store.tables import users

DEMO_PASSWORD = "credo-demo-2026"
# (user name, display name, role, portfolio, language)
PEOPLE = (
    ("admin", "系统管理员 Admin", "admin", None, "zh"),
    ("li.na", "李娜 (信用经理)", "credit_manager", None, "zh"),
    (CHINESE_COLLECTORS[0], "王丽 (催收)", "collector", CHINESE_COLLECTORS[0], "zh"),
    (DOMESTIC_SALES[0], "赵敏 (销售)", "sales", DOMESTIC_SALES[0], "zh"),
    ("zhou.cfo", "周强 (财务总监)", "controller", None, "zh"),
    ("audit", "Auditor", "auditor", None, "en"),
)


def add_demo_users(conn: Connection, actor: str) -> list[str]:
    """The demo users, when the database has no user yet; their names (empty when it had some)."""
    if conn.execute(select(func.count()).select_from(users)).scalar():
        return []
    for username, name, role, portfolio, language in PEOPLE:
        add_user(conn, username=username, display_name=name, role=role, password=DEMO_PASSWORD, actor=actor,
                 portfolio=portfolio, language=language)
    return [p[0] for p in PEOPLE]
