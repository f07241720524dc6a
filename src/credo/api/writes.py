"""How a POST that books something answers: through the Idempotency-Key, committed before the
answer leaves, 201 for a new record and 200 for one that was there already."""

from __future__ import annotations

from typing import Callable

from fastapi import Request
from fastapi.responses import JSONResponse
from sqlalchemy import Connection

from credo.services import idempotency
from credo.services.users import Principal


async def body_bytes(request: Request) -> bytes:
    return await request.body()


def answer_once(request: Request, conn: Connection, who: Principal, key: str | None, body: bytes,
                produce: Callable[[], idempotency.Answer]) -> JSONResponse:
    """Run `produce` once per (user, key); a repeat gets the stored answer. Commits."""
    if key is None:
        answer = produce()
    else:
        key = idempotency.check_key(key)
        digest = idempotency.fingerprint(request.method, request.url.path + "?" + request.url.query, body)
        stored = idempotency.replay(conn, who.user_id, key, digest)
        if stored is not None:
            conn.rollback()
            return JSONResponse(stored.body, status_code=stored.status, headers={"Idempotent-Replayed": "true"})
        answer = produce()
        idempotency.remember(conn, who.user_id, key, request.method, request.url.path, digest, answer)
    conn.commit()
    return JSONResponse(answer.body, status_code=answer.status)


def committed(conn: Connection, answer):
    """A write's answer, after its transaction has committed (no answer claims what did not stand)."""
    conn.commit()
    return answer


def actor_of(who: Principal) -> str:
    """The name the audit log gives a user of the API."""
    return f"user:{who.username}"


def person_of(who: Principal):
    """The user as a person of the maker-checker (its name and role)."""
    from credo.services.approvals import Person

    return Person(actor_of(who), who.role.value)


def recorded_answer(recorded) -> idempotency.Answer:
    body = {"kind": recorded.kind, "key": recorded.key, "outcome": recorded.outcome}
    return idempotency.Answer(201 if recorded.outcome == "created" else 200, body)
