"""Errors as problem details (RFC 9457, application/problem+json): the one place where named
errors become HTTP status codes."""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from credo.errors import Conflict, CredoError, Forbidden, InvalidInput, NotFound, NotSignedIn
from credo.services.imports import ImportFailed
from credo.services.users import SignInRefused

MEDIA_TYPE = "application/problem+json"

# Most specific first: the first class an error is an instance of decides.
STATUS: tuple[tuple[type[CredoError], int], ...] = (
    (SignInRefused, 401),
    (NotSignedIn, 401),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (ImportFailed, 422),
    (InvalidInput, 422),
    (CredoError, 400),
)


class TooManyRequests(CredoError):
    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


def problem(status: int, detail: str, *, slug: str | None = None, headers: dict | None = None, **extra) -> JSONResponse:
    phrase = HTTPStatus(status).phrase
    body = {"type": f"urn:credo:problem:{slug or phrase.lower().replace(' ', '-')}", "title": phrase,
            "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def status_of(error: CredoError) -> int:
    return next(code for kind, code in STATUS if isinstance(error, kind))


def credo_error(request: Request, error: CredoError) -> JSONResponse:
    if isinstance(error, TooManyRequests):
        return problem(429, str(error), headers={"Retry-After": str(error.retry_after)})
    status = status_of(error)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(error, ImportFailed):
        errors = [{"file": e.file, "row": e.row, "column": e.column, "reason": e.reason} for e in error.errors]
        return problem(status, f"{len(errors)} error(s); nothing was written", slug="invalid-rows", errors=errors)
    return problem(status, str(error), headers=headers)


def validation_errors(error: RequestValidationError) -> tuple[list[dict[str, str]], str]:
    """Each invalid field as {location, reason}, and all of them in one sentence (API and pages)."""
    errors = [{"location": ".".join(str(p) for p in e.get("loc", ())), "reason": e.get("msg", "")}
              for e in error.errors()]
    return errors, "; ".join(f"{e['location']}: {e['reason']}" for e in errors)


def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    errors, detail = validation_errors(error)
    return problem(422, detail or "the request is not valid", slug="invalid-request", errors=errors)


def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
    return problem(error.status_code, str(error.detail), headers=getattr(error, "headers", None))


class RefuseNul:
    """Paths and query strings with a NUL character are refused before any route sees them. A plain
    ASGI middleware: Starlette's `BaseHTTPMiddleware` (`app.middleware("http")`) passes every answer
    through a memory stream and a task group of its own, a tenth of a busy worker's time."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and ("\x00" in scope["path"]
                                        or "\x00" in unquote(scope.get("query_string", b"").decode("latin-1"))):
            answer = problem(400, "the request's path or query contains a NUL character", slug="invalid-request")
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    app.add_middleware(RefuseNul)
    app.add_exception_handler(CredoError, credo_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)


# For the OpenAPI document: what an error answer looks like.
PROBLEM_SCHEMA = {
    "content": {MEDIA_TYPE: {"schema": {"type": "object", "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}}, "required": ["type", "title", "status", "detail"]}}},
}
ERRORS = {code: {"description": HTTPStatus(code).phrase, **PROBLEM_SCHEMA} for code in (401, 403, 404, 409, 422)}
