"""Signing in and out, and the language switch.

The sign-in form has no session yet, so it carries a token that must match a cookie set with the
form (double submit): another site cannot sign a browser in to an account of its choosing."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse

from credo.api.deps import SESSION_COOKIE, Db, secure_cookies
from credo.api.routes.session import set_session_cookie, sign_in_committed
from credo.errors import Forbidden, NotFound
from credo.services import users
from credo.services.companies import list_companies
from credo.web.i18n import LANG_COOKIE, LANGUAGES
from credo.web.view import COMPANY_COOKIE, CSRF_FIELD, PageRoute, View, page_language, render, signed_in

router = APIRouter(route_class=PageRoute, include_in_schema=False)
SIGN_IN_COOKIE = "credo_sign_in"


def safe_next(target: str | None) -> str:
    """Only a path of this site: never another host (//evil.example, /\\evil.example)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _sign_in_form(request: Request, status: int = 200, error: str | None = None, username: str = "",
                  next_path: str = "/"):
    token = request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)
    view = View(request, None, token, page_language(request))
    response = render(view, "sign_in.html", status, error=error, username=username, next_path=safe_next(next_path))
    response.set_cookie(SIGN_IN_COOKIE, token, httponly=True, samesite="strict", path="/sign-in",
                        secure=secure_cookies(request))
    return response


@router.get("/sign-in")
def sign_in_page(request: Request, next: str = "/"):
    return _sign_in_form(request, next_path=next)


@router.post("/sign-in")
def sign_in(request: Request, conn: Db, username: Annotated[str, Form()] = "",
            password: Annotated[str, Form()] = "", csrf_token: Annotated[str, Form()] = "",
            next: Annotated[str, Form()] = "/"):
    expected = request.cookies.get(SIGN_IN_COOKIE)
    if not (expected and csrf_token and secrets.compare_digest(expected, csrf_token)):
        raise Forbidden(f"the sign-in form came without its security token ({CSRF_FIELD}): reload the page")
    try:
        signed = sign_in_committed(request, conn, username, password)
    except users.SignInRefused as refused:
        return _sign_in_form(request, 401, str(refused), username, next)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, signed)
    response.delete_cookie(SIGN_IN_COOKIE, path="/sign-in")
    return response


@router.post("/sign-out")
def sign_out(request: Request, conn: Db, view: Annotated[View, Depends(signed_in)]):
    users.sign_out(conn, request.cookies[SESSION_COOKIE])
    conn.commit()
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/company")
def pick_company(conn: Db, request: Request, view: Annotated[View, Depends(signed_in)], code: str = "",
                 next: str = "/"):
    """Remember the company picked in the header (a cookie, a year) and go back to the page."""
    if code not in {c.code for c in list_companies(conn)}:
        raise NotFound(f"no company {code!r}")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(COMPANY_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", path="/",
                        secure=secure_cookies(request))
    return response


@router.get("/language/{code}")
def language(code: str, request: Request, next: str = "/"):
    """Remember the language chosen (a cookie, a year) and go back to the page."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, max_age=365 * 24 * 3600, samesite="lax", path="/",
                            secure=secure_cookies(request))
    return response
