"""Signing in and out, and who am I."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from credo.api.deps import SESSION_COOKIE, Db, Me, secure_cookies
from credo.api.ratelimit import limit_sign_in
from credo.api.schemas import SignInIn
from credo.services import users

router = APIRouter(tags=["session"])


@router.post("/session", summary="Sign in: sets the session cookie and returns the CSRF token")
def sign_in(body: SignInIn, request: Request, response: Response, conn: Db) -> dict:
    signed = sign_in_committed(request, conn, body.username, body.password)
    set_session_cookie(request, response, signed)
    return {"user": signed.principal.to_json(), "csrf_token": signed.csrf_token,
            "expires_at": signed.expires_at.isoformat()}


def sign_in_committed(request: Request, conn, username: str, password: str) -> users.SignedIn:
    """The per-address throttle, then the sign-in, committed whatever its outcome: a refusal's
    failure count (and lock) must stand, and the refusal still reaches the caller. The API and the
    sign-in page both sign in through here."""
    limit_sign_in(request, username)
    try:
        signed = users.sign_in(conn, username, password)
    except users.SignInRefused:
        conn.commit()
        raise
    conn.commit()
    return signed


def set_session_cookie(request: Request, response: Response, signed: users.SignedIn) -> None:
    response.set_cookie(SESSION_COOKIE, signed.session_token, httponly=True, samesite="lax",
                        secure=secure_cookies(request), max_age=users.SESSION_HOURS * 3600, path="/")


@router.delete("/session", status_code=204, summary="Sign out: ends the session of the cookie sent")
def sign_out(request: Request, response: Response, conn: Db, who: Me) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        users.sign_out(conn, token)
    conn.commit()
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/me", summary="Who is signed in, with role and portfolio")
def me(who: Me) -> dict:
    return who.to_json()
