"""Users, sign-in, web sessions and API tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's second recommended set).
Sign-in is rate-limited per user: after MAX_FAILED wrong passwords in a row the account is locked
for LOCK_MINUTES, and every refusal costs one argon2 verification, whether the user exists or not.
Session and API tokens are random; only their SHA-256 digests are stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, delete, insert, select, update

from credo import clock
from credo.domain.access import Role, parse_role
from credo.errors import Conflict, InvalidInput, NotFound
from credo.services import audit
from credo.store.tables import api_tokens, users, web_sessions

MAX_FAILED = 5
LOCK_MINUTES = 15
SESSION_HOURS = 12
MIN_PASSWORD = 10
TOKEN_PREFIX = "credo_"
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password of anyone's")


@dataclass(frozen=True)
class Principal:
    """Who is asking: a signed-in person or a system with an API token."""

    user_id: int
    username: str
    display_name: str
    role: Role
    portfolio: str | None
    language: str

    def to_json(self) -> dict:
        return {"username": self.username, "display_name": self.display_name, "role": self.role.value,
                "portfolio": self.portfolio, "language": self.language}


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    session_token: str
    csrf_token: str
    expires_at: datetime


class SignInRefused(InvalidInput):
    """Wrong user name or password, or a locked or inactive account (the message does not say which)."""


def _now() -> datetime:
    return clock.now()


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone-aware columns; they were written in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _principal(row) -> Principal:
    portfolio = row.portfolio
    if portfolio is None and row.role in ("collector", "sales"):
        portfolio = row.username
    return Principal(row.id, row.username, row.display_name, Role(row.role), portfolio, row.language)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"a password needs at least {MIN_PASSWORD} characters")


def add_user(conn: Connection, *, username: str, display_name: str, role: str, password: str, actor: str,
             portfolio: str | None = None, language: str = "zh") -> Principal:
    """Create a user; collectors and sales work the portfolio named (default: their user name)."""
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise InvalidInput(f"user name {username!r}: 1 to 64 characters, no spaces")
    try:
        parsed = parse_role(role)
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if language not in ("zh", "en"):
        raise InvalidInput(f"language {language!r}: use zh or en")
    _check_password(password)
    if conn.execute(select(users.c.id).where(users.c.username == username)).first():
        raise Conflict(f"user {username!r} exists already")
    values = dict(username=username, display_name=display_name.strip() or username, role=parsed.value,
                  portfolio=portfolio or None, language=language)
    new_id = conn.execute(insert(users).values(**values, password_hash=_hasher.hash(password), created_at=_now(),
                                               active=True, failed_sign_ins=0)).inserted_primary_key[0]
    audit.record(conn, actor=actor, action="create", entity="user", key=username, after=values)
    return _principal(conn.execute(select(users).where(users.c.id == new_id)).one())


def list_users(conn: Connection) -> list[dict]:
    query = select(users.c.username, users.c.display_name, users.c.role, users.c.portfolio, users.c.language,
                   users.c.active, users.c.locked_until).order_by(users.c.username)
    return [dict(row._mapping) for row in conn.execute(query)]


def set_password(conn: Connection, username: str, password: str, actor: str) -> None:
    _check_password(password)
    done = conn.execute(update(users).where(users.c.username == username).values(
        password_hash=_hasher.hash(password), failed_sign_ins=0, locked_until=None))
    if not done.rowcount:
        raise NotFound(f"no user {username!r}")
    conn.execute(delete(web_sessions).where(web_sessions.c.user_id == select(users.c.id).where(
        users.c.username == username).scalar_subquery()))
    audit.record(conn, actor=actor, action="set_password", entity="user", key=username)


def authenticate(conn: Connection, username: str, password: str) -> Principal:
    """The user if the password is right and the account open; SignInRefused otherwise.

    The caller commits even when this raises, so the failure count stands."""
    row = conn.execute(select(users).where(users.c.username == username.strip())).first()
    now = _now()
    if row is None:
        _verify(_DUMMY_HASH, password)  # the same cost as for a real user: no user-name probing by timing
        raise SignInRefused("wrong user name or password")
    locked_until = _aware(row.locked_until)
    if not row.active or (locked_until is not None and locked_until > now):
        # the answer (and its cost) of a wrong password: a locked or inactive name is not told from an unknown one
        _verify(row.password_hash, password)
        raise SignInRefused("wrong user name or password")
    if not _verify(row.password_hash, password):
        failed = row.failed_sign_ins + 1
        lock = now + timedelta(minutes=LOCK_MINUTES) if failed >= MAX_FAILED else None
        conn.execute(update(users).where(users.c.id == row.id).values(
            failed_sign_ins=0 if lock else failed, locked_until=lock))
        if lock:
            audit.record(conn, actor=f"user:{row.username}", action="lock", entity="user", key=row.username,
                         after={"locked_until": lock.isoformat(), "failed_sign_ins": failed})
        raise SignInRefused("wrong user name or password")
    needs_rehash = _hasher.check_needs_rehash(row.password_hash)  # argon2's parameters moved on
    if row.failed_sign_ins or row.locked_until is not None or needs_rehash:
        conn.execute(update(users).where(users.c.id == row.id).values(
            failed_sign_ins=0, locked_until=None,
            password_hash=_hasher.hash(password) if needs_rehash else row.password_hash))
    return _principal(row)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def sign_in(conn: Connection, username: str, password: str) -> SignedIn:
    """A new web session for the user (SignInRefused on a wrong password or a locked account)."""
    principal = authenticate(conn, username, password)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    expires = now + timedelta(hours=SESSION_HOURS)
    conn.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))
    conn.execute(insert(web_sessions).values(user_id=principal.user_id, token_hash=digest(token), csrf_token=csrf,
                                             created_at=now, expires_at=expires))
    return SignedIn(principal, token, csrf, expires)


def session_principal(conn: Connection, token: str) -> tuple[Principal, str] | None:
    """(principal, CSRF token) of a live session, or None."""
    s, u = web_sessions.c, users.c
    row = conn.execute(select(users, s.csrf_token, s.expires_at).join(web_sessions, s.user_id == u.id).where(
        s.token_hash == digest(token), u.active.is_(True))).first()
    if row is None or _aware(row.expires_at) <= _now():
        return None
    return _principal(row), row.csrf_token


def sign_out(conn: Connection, token: str) -> None:
    conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == digest(token)))


def create_token(conn: Connection, username: str, name: str, actor: str) -> str:
    """A new API token for a user; the token is shown once, only its digest is kept."""
    user_id = conn.execute(select(users.c.id).where(users.c.username == username)).scalar()
    if user_id is None:
        raise NotFound(f"no user {username!r}")
    if not name.strip():
        raise InvalidInput("a token needs a name that says what uses it, e.g. erp-sync")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(insert(api_tokens).values(user_id=user_id, name=name.strip(), token_hash=digest(token),
                                           created_at=_now()))
    audit.record(conn, actor=actor, action="create", entity="api_token", key=f"{username}/{name.strip()}")
    return token


def revoke_token(conn: Connection, username: str, name: str, actor: str) -> int:
    t = api_tokens.c
    user_id = select(users.c.id).where(users.c.username == username).scalar_subquery()
    done = conn.execute(update(api_tokens).where(t.user_id == user_id, t.name == name, t.revoked_at.is_(None))
                        .values(revoked_at=_now()))
    if not done.rowcount:
        raise NotFound(f"no live token {name!r} for user {username!r}")
    audit.record(conn, actor=actor, action="revoke", entity="api_token", key=f"{username}/{name}")
    return done.rowcount


def principal_named(conn: Connection, username: str) -> Principal | None:
    """The active user of this name (who a command of the CLI runs as), or None."""
    row = conn.execute(select(users).where(users.c.username == username, users.c.active.is_(True))).first()
    return None if row is None else _principal(row)


TOKEN_USE_STEP = timedelta(minutes=1)  # a token's last use is written at most this often


def token_principal(conn: Connection, token: str) -> Principal | None:
    """The user behind a live API token, or None. Its last use is written when a minute has passed
    since the one recorded, not on every request: a write per read made 30 clients of the default
    SQLite database wait on its one writer ("database is locked") and serialised every request
    sharing a token on PostgreSQL's row lock."""
    t, u = api_tokens.c, users.c
    row = conn.execute(select(users, t.id.label("token_id"), t.last_used_at).join(api_tokens, t.user_id == u.id)
                       .where(t.token_hash == digest(token), t.revoked_at.is_(None), u.active.is_(True))).first()
    if row is None:
        return None
    now = _now()
    if row.last_used_at is None or _aware(row.last_used_at) <= now - TOKEN_USE_STEP:
        conn.execute(update(api_tokens).where(t.id == row.token_id).values(last_used_at=now))
    return _principal(row)
