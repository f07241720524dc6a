"""What every route asks for, as dependencies: a connection (one transaction per request), who
is asking (API token or session cookie, with CSRF for cookie-signed writes), the company, and the
portfolio scope. Routes declare the permission they need with `allowed(Permission.x)`."""

from __future__ import annotations

import secrets
from typing import Annotated, Iterator

from fastapi import Depends, Query, Request
from sqlalchemy import Connection

from credo.domain.access import Permission
from credo.errors import Forbidden, NotSignedIn
from credo.services import access, users
from credo.services.access import Scope
from credo.services.companies import Company, get_company
from credo.services.users import Principal

SESSION_COOKIE = "credo_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def connection(request: Request) -> Iterator[Connection]:
    """One transaction per request: committed when the route returns, rolled back when it raises.
    Routes that write commit themselves before answering, so no answer claims what did not stand."""
    with request.app.state.engine.connect() as conn:
        try:
            yield conn
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()


Db = Annotated[Connection, Depends(connection)]


def principal(request: Request, conn: Db) -> Principal:
    """The user behind the bearer token or the session cookie; 401 without either."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        found = users.token_principal(conn, header[7:].strip())
        conn.commit()  # the token's use (once a minute) stands alone: no write held through the request
        if found is None:
            raise NotSignedIn("the API token is unknown or revoked")
        return found
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        session = users.session_principal(conn, cookie)
        if session is not None:
            found, csrf = session
            if request.method not in SAFE_METHODS and not _csrf_ok(request, csrf):
                raise Forbidden(f"a request signed by the session cookie needs the {CSRF_HEADER} header")
            request.state.csrf_token = csrf
            return found
    raise NotSignedIn("sign in first: send an API token (Authorization: Bearer ...) or a session cookie")


def secure_cookies(request: Request) -> bool:
    """Whether a cookie set in answer to the request is Secure: always with CREDO_COOKIE_SECURE (HTTPS
    ended at a proxy), else when the request came over HTTPS."""
    return request.app.state.settings.cookie_secure or request.url.scheme == "https"


def _csrf_ok(request: Request, expected: str) -> bool:
    sent = request.headers.get(CSRF_HEADER, "")
    return bool(sent) and secrets.compare_digest(sent, expected)


Me = Annotated[Principal, Depends(principal)]


def allowed(permission: Permission):
    """A dependency: the principal, if the role holds the permission; 403 otherwise (async: it reads
    nothing, and FastAPI runs a plain function in a worker thread, a hop per request)."""
    async def check(who: Me) -> Principal:
        access.require(who, permission)
        return who
    check.__name__ = f"allowed_{permission.name}"
    return Depends(check)


def company(conn: Db, company_code: Annotated[str | None, Query(alias="company", description=
            "Company code; may be left out when the database holds one company.")] = None) -> Company:
    return get_company(conn, company_code)


CompanyDep = Annotated[Company, Depends(company)]


async def scope(who: Me) -> Scope:  # async: nothing to read, no thread hop
    return Scope.of(who)


ScopeDep = Annotated[Scope, Depends(scope)]
