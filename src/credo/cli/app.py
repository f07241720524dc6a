"""The command tree. Each command: parse options, open one transaction, call one service, print."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from sqlalchemy.exc import OperationalError
from typer.core import TyperGroup

from credo.errors import CredoError

ERROR_EXIT = 2  # bad input, unknown record, conflict
DATABASE_EXIT = 3
err = Console(stderr=True, highlight=False, soft_wrap=True)  # messages are not cut into lines


class CredoGroup(TyperGroup):
    """Turns every error a person can act on into a message and exit status 2: the one place; and
    tells credo.cli.identity which command runs (its permission is checked when it opens the database)."""

    def resolve_command(self, ctx, args):
        from credo.cli import identity

        name, command, rest = super().resolve_command(ctx, args)
        if ctx.parent is None:
            identity.starting()
        if command is not None and not hasattr(command, "commands"):  # a command, not a group of them
            identity.running(" ".join([*ctx.command_path.split()[1:], name]))
        return name, command, rest

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except CredoError as error:
            err.print(f"[bold red]error:[/] {escape(str(error))}", markup=True, soft_wrap=True)
            raise typer.Exit(ERROR_EXIT) from None
        except OperationalError as error:  # the database is unreachable, locked or read-only
            err.print(f"[bold red]database error:[/] {escape(str(error.orig))}", markup=True, soft_wrap=True)
            raise typer.Exit(DATABASE_EXIT) from None


def new_app(help_text: str) -> typer.Typer:
    return typer.Typer(cls=CredoGroup, help=help_text, no_args_is_help=True, pretty_exceptions_enable=False,
                       rich_markup_mode=None, add_completion=False)


app = new_app("credo: credit and collections (账期客户管理). Receivables ledger, imports and reports.")



@app.callback()
def _acting_user(ctx: typer.Context, as_user: str = typer.Option(
        None, "--as", envvar="CREDO_ACTOR", metavar="USER", show_envvar=True,
        help="The user of credo you act as (credo user list): every command checks that user's role and "
             "portfolio as the pages and the API do, and the audit log names the user.")) -> None:
    from credo.cli import identity

    identity.acting_as(as_user)
