"""A real HTTP server (uvicorn on a free loopback port) over a test database, and test users."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import httpx
import uvicorn

from channel_servers import free_port
from credo import clock
from credo.api import create_app
from credo.config import Settings
from credo.services import users
from credo.store.tables import users as users_table

PASSWORD = "correct horse battery"
_HASH = users._hasher.hash(PASSWORD)  # hashing costs ~50 ms: once per run, not per user
ROLES = ("admin", "credit_manager", "collector", "sales", "controller", "auditor")


@dataclass
class Server:
    url: str
    app: object

    def client(self, token: str | None = None, **kwargs) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, **kwargs)


def start_server(database_url: str, **settings) -> tuple[Server, callable]:
    app = create_app(Settings(database_url=database_url, **settings))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    return Server(f"http://127.0.0.1:{port}", app), stop


def add_user(conn, username: str, role: str, portfolio: str | None = None) -> None:
    """A user with the test password (hash made once), as `users.add_user` would write it."""

    conn.execute(users_table.insert().values(
        username=username, display_name=username.title(), role=role, portfolio=portfolio, password_hash=_HASH,
        language="zh", active=True, failed_sign_ins=0, created_at=clock.now()))


def signed_in(server: Server, username: str, language: str | None = None) -> httpx.Client:
    """An httpx client signed in through the sign-in form (holding the session cookie)."""
    import re

    client = server.client(cookies={"credo_lang": language} if language else None)
    form = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    answer = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 303, answer.text
    return client
