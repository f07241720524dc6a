"""The `credo` command (Typer): parse, call one service in one transaction, print.

Errors a person can act on (bad input, not found, conflict) print a clear message and exit 2
(see CredoGroup in app.py, the one place that decides it).
"""

from credo.cli import access, collections, commands, credit, limit_requests, limits, reports  # noqa: F401  (each registers its commands)
from credo.cli import arrangements, interest, worklist  # noqa: F401
from credo.cli import risk  # noqa: F401
from credo.cli import discounts  # noqa: F401
from credo.cli import risk_provision  # noqa: F401
from credo.cli import risk_write_offs  # noqa: F401
from credo.cli import risk_insurance  # noqa: F401
from credo.cli import risk_warnings  # noqa: F401
from credo.cli import close  # noqa: F401
from credo.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
