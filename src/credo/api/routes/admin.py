"""The audit log, users and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from credo.api.deps import Db, allowed
from credo.api.params import PageDep
from credo.api.problems import ERRORS
from credo.api.writes import actor_of
from credo.api.schemas import AuditOut, PageOut, TokenIn, UserIn
from credo.domain.access import Permission
from credo.services import audit, users
from credo.services.users import Principal

router = APIRouter(tags=["administration"], responses=ERRORS)


@router.get("/audit", summary="The audit log: who changed what and when, before and after",
            response_model=PageOut[AuditOut], dependencies=[allowed(Permission.audit_read)])
def audit_list(conn: Db, page: PageDep,
               actor: Annotated[str | None, Query(description="Who, e.g. user:admin or cli:root")] = None,
               action: Annotated[str | None, Query(description="create, update, import, reverse, apply ...")] = None,
               entity: Annotated[str | None, Query(description="invoice, payment, customer, user ...")] = None,
               key: Annotated[str | None, Query(description="e.g. an invoice number")] = None,
               since: Annotated[datetime | None, Query(description="At or after (ISO 8601)")] = None,
               until: Annotated[datetime | None, Query(description="Before (ISO 8601)")] = None) -> dict:
    where = audit.AuditFilter(actor, action, entity, key, None, since, until)
    return audit.search(conn, where, page).to_json()


@router.get("/users", summary="Users with their roles and portfolios", dependencies=[allowed(Permission.users_manage)])
def users_list(conn: Db) -> list[dict]:
    return [{**u, "locked_until": u["locked_until"].isoformat() if u["locked_until"] else None}
            for u in users.list_users(conn)]


@router.post("/users", summary="Create a user", status_code=201)
def user_create(body: UserIn, conn: Db, who: Principal = allowed(Permission.users_manage)) -> dict:
    made = users.add_user(conn, username=body.username, display_name=body.display_name, role=body.role,
                          password=body.password, portfolio=body.portfolio, language=body.language,
                          actor=actor_of(who))
    conn.commit()
    return made.to_json()


@router.post("/users/{username}/tokens", summary="Create an API token for a user (shown once)", status_code=201)
def token_create(username: str, body: TokenIn, conn: Db, who: Principal = allowed(Permission.users_manage)) -> dict:
    token = users.create_token(conn, username, body.name, actor_of(who))
    conn.commit()
    return {"username": username, "name": body.name, "token": token}
