"""Users, API tokens and the web server: `credo user ...`, `credo token ...`, `credo serve`."""

from __future__ import annotations

import getpass
import os
from typing import Optional

import typer
from rich.console import Console

from credo.cli import context
from credo.cli.app import app, new_app
from credo.domain.access import Role
from credo.errors import InvalidInput
from credo.services import users

out = Console(highlight=False, soft_wrap=True)
user_app = new_app("Users who sign in to the web pages and the API, with their roles.")
app.add_typer(user_app, name="user")
token_app = new_app("API tokens for systems (ERP, CRM) that call the REST API.")
app.add_typer(token_app, name="token")
ROLES = ", ".join(r.value for r in Role)


def _password(given: Optional[str]) -> str:
    """The password from --password, CREDO_PASSWORD, or asked twice at the terminal."""
    if given:
        return given
    if os.environ.get("CREDO_PASSWORD"):
        return os.environ["CREDO_PASSWORD"]
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise InvalidInput("the two passwords differ")
    return first


@user_app.command("add")
def user_add(
    username: str = typer.Argument(..., help="Sign-in name, e.g. wang.li"),
    role: str = typer.Option(..., help=f"One of: {ROLES}."),
    name: str = typer.Option("", "--name", help="Display name (default: the user name)."),
    portfolio: Optional[str] = typer.Option(None, help="Collectors and sales: the collector or salesperson code "
                                                       "of their customers (default: the user name)."),
    language: str = typer.Option("zh", help="Language of the pages: zh or en."),
    password: Optional[str] = typer.Option(None, help="Password (else CREDO_PASSWORD, else asked)."),
) -> None:
    """Add a user (the first one: an admin)."""
    config = context.settings()
    with context.transaction(config) as conn:
        made = users.add_user(conn, username=username, display_name=name, role=role, password=_password(password),
                              portfolio=portfolio, language=language, actor=context.actor(config))
    out.print(f"user {made.username} ({made.role.value}) added")


@user_app.command("list")
def user_list() -> None:
    """List the users, their roles and portfolios."""
    with context.transaction(context.settings()) as conn:
        for u in users.list_users(conn):
            state = "active" if u["active"] else "inactive"
            if u["locked_until"]:
                state += f", locked until {u['locked_until']:%Y-%m-%d %H:%M}"
            out.print(f"{u['username']}\t{u['role']}\t{u['portfolio'] or '-'}\t{u['display_name']}\t{state}",
                      markup=False)


@user_app.command("password")
def user_password(
    username: str = typer.Argument(..., help="The user."),
    password: Optional[str] = typer.Option(None, help="New password (else CREDO_PASSWORD, else asked)."),
) -> None:
    """Set a user's password; unlocks the account and ends its sessions."""
    config = context.settings()
    with context.transaction(config) as conn:
        users.set_password(conn, username, _password(password), context.actor(config))
    out.print(f"password of {username} set")


@token_app.command("create")
def token_create(
    username: str = typer.Argument(..., help="The user the token acts as (its role applies)."),
    name: str = typer.Option(..., help="What uses it, e.g. erp-sync."),
) -> None:
    """Create an API token; it is printed once, keep it safe."""
    config = context.settings()
    with context.transaction(config) as conn:
        token = users.create_token(conn, username, name, context.actor(config))
    out.print(token, markup=False)


@token_app.command("revoke")
def token_revoke(
    username: str = typer.Argument(..., help="The token's user."),
    name: str = typer.Option(..., help="The token's name."),
) -> None:
    """Revoke an API token."""
    config = context.settings()
    with context.transaction(config) as conn:
        users.revoke_token(conn, username, name, context.actor(config))
    out.print(f"token {name} of {username} revoked")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port."),
    workers: int = typer.Option(1, min=1, max=64, help="Worker processes."),
) -> None:
    """Serve the REST API under /api/v1 (and the pages under /)."""
    import uvicorn

    config = context.settings()
    with context.transaction(config):
        pass  # fails early, with the usual message, when the schema is missing
    out.print(f"credo serving http://{host}:{port}/ (API: /api/v1, OpenAPI: /api/v1/openapi.json)")
    if workers > 1:
        uvicorn.run("credo.api.app:create_app", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
    else:
        from credo.api import create_app

        uvicorn.run(create_app(config), host=host, port=port, log_level="warning")
