"""Idempotency keys: a request that creates money records, sent again with the same key, gets the
first answer back and books nothing twice (the answer is stored in the same transaction as the
records it describes, so both stand or neither does)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from credo import clock
from credo.errors import Conflict, InvalidInput
from credo.store.tables import idempotency_keys

MAX_KEY = 200


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict


def fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(method.encode() + b" " + path.encode() + b"\n" + body).hexdigest()


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY:
        raise InvalidInput(f"Idempotency-Key: 1 to {MAX_KEY} characters")
    return key


def replay(conn: Connection, user_id: int, key: str, request_hash: str) -> Answer | None:
    """The stored answer for this user's key, None if the key is new; Conflict if the key was used
    for a different request."""
    k = idempotency_keys.c
    row = conn.execute(select(k.request_hash, k.status_code, k.response).where(
        k.user_id == user_id, k.key == key)).first()
    if row is None:
        return None
    if row.request_hash != request_hash:
        raise Conflict("this Idempotency-Key was used for a different request: use a new key for a new request")
    return Answer(row.status_code, json.loads(row.response))


def remember(conn: Connection, user_id: int, key: str, method: str, path: str, request_hash: str,
             answer: Answer) -> None:
    conn.execute(insert(idempotency_keys).values(
        user_id=user_id, key=key, method=method, path=path[:300], request_hash=request_hash,
        status_code=answer.status, response=json.dumps(answer.body, ensure_ascii=False),
        created_at=clock.now()))
