"""`credo risk`: the group the risk-control commands (warnings, provisions, insurance,
write-offs) register on, each from a module of its own."""

from __future__ import annotations

from credo.cli.app import app, new_app

risk_app = new_app("Risk control (风险控制): early warnings, bad-debt provisions, credit insurance, write-offs.")
app.add_typer(risk_app, name="risk")
