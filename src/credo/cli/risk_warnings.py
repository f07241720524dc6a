"""`credo risk scan|alerts|alert|flag|unflag|flags|rules|report|digest|recipient`: early warnings
(风险预警). The command line acts as its operator (CREDO_ACTOR)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from credo.cli import context
from credo.cli.app import err, new_app
from credo.cli.dates import OnAlias, as_of_day, as_of_option
from credo.cli.limits import Listing, in_company
from credo.cli.output import Format, FormatOption, OutOption, emit
from credo.cli.reports import AsOf, CompanyOption
from credo.cli.risk import risk_app
from credo.errors import InvalidInput

ALERTS = ["id", "severity", "rule", "subject", "name", "indicator", "value", "threshold", "unit", "status", "owner",
          "raised_on", "breach_gone_on"]
RULES = ["id", "code", "indicator", "threshold", "unit", "severity", "owner", "window_days", "active"]
FLAGS = ["id", "customer", "name", "kind", "note", "flagged_on", "flagged_by", "cleared_on", "cleared_by"]

alert_app = new_app("Act on one alert: acknowledge, resolve or comment.")
risk_app.add_typer(alert_app, name="alert")
rules_app = new_app("The company's early-warning rules: list them, or change or add one.")
risk_app.add_typer(rules_app, name="rules")


def _day(text: Optional[str], option: str = "--as-of"):
    return context.parse_day(text, option)


@risk_app.command("scan")
def scan(as_of: Optional[str] = AsOf, fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Scan every customer against the rules and raise the new alerts (an open one is never raised twice)."""
    from credo.services.risk.scan import scan as run_scan

    found = in_company(company, lambda conn, chosen, actor: run_scan(conn, chosen, _day(as_of), actor))
    emit(found, fmt, out)


@risk_app.command("alerts")
def alerts(status: str = typer.Option("unresolved", "--status", help="unresolved, open, acknowledged, resolved or all."),
           severity: Optional[str] = typer.Option(None, "--severity", help="high, medium or low."),
           customer: Optional[str] = typer.Option(None, "--customer", help="One customer's code."),
           fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Alerts, the most severe and newest first."""
    from credo.services.risk.alerts import list_alerts

    items = in_company(company, lambda conn, chosen, _: list_alerts(conn, chosen, status=status, severity=severity,
                                                                    customer=customer))
    emit(Listing(f"Early warnings ({status})", ALERTS, items), fmt, out)


def _alert_listing(found: dict) -> Listing:
    return Listing(f"Alert {found['id']}", ALERTS + ["detail", "comments"],
                   [{**found, "comments": " | ".join(f"{c['author']}: {c['body']}" for c in found["comments"])}])


@alert_app.command("show")
def alert_show(alert_id: int = typer.Argument(..., help="The alert's id."), fmt: Format = FormatOption, out: Optional[Path] = OutOption,
               company: Optional[str] = CompanyOption) -> None:
    """One alert with its comments."""
    from credo.services.risk.alerts import get_alert

    found = in_company(company, lambda conn, chosen, _: get_alert(conn, chosen, alert_id))
    _show_alert(found, fmt, out)


def _status(alert_id: int, status: str, note: str, day, fmt: Format, out: Optional[Path],
            company: Optional[str]) -> None:
    from credo.services.risk.alerts import change_status

    found = in_company(company, lambda conn, chosen, actor: change_status(
        conn, chosen, alert_id, status, actor, day, note or None))
    _show_alert(found, fmt, out)


def _show_alert(found: dict, fmt: Format, out: Optional[Path]) -> None:
    emit(_Json(found) if fmt is Format.json else _alert_listing(found), fmt, out)


OnOption = as_of_option("The day (default: today).")


@alert_app.command("ack")
def alert_ack(alert_id: int = typer.Argument(..., help="The alert's id."),
              note: str = typer.Option("", "--note", help="A comment to keep with it."),
              as_of: Optional[str] = OnOption, on: Optional[str] = OnAlias, fmt: Format = FormatOption,
              out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Acknowledge an open alert (someone is on it)."""
    _status(alert_id, "acknowledged", note, as_of_day(as_of, on), fmt, out, company)


@alert_app.command("resolve")
def alert_resolve(alert_id: int = typer.Argument(..., help="The alert's id."),
                  note: str = typer.Option("", "--note", help="What was done (kept as a comment)."),
                  as_of: Optional[str] = OnOption, on: Optional[str] = OnAlias, fmt: Format = FormatOption,
                  out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Resolve an alert; a later breach of the same rule raises a new one."""
    _status(alert_id, "resolved", note, as_of_day(as_of, on), fmt, out, company)


@alert_app.command("comment")
def alert_comment(alert_id: int = typer.Argument(..., help="The alert's id."),
                  text: str = typer.Argument(..., help="The comment."), fmt: Format = FormatOption, out: Optional[Path] = OutOption,
                  company: Optional[str] = CompanyOption) -> None:
    """Add a comment to an alert."""
    from credo.services.risk.alerts import add_comment

    found = in_company(company, lambda conn, chosen, actor: add_comment(conn, chosen, alert_id, actor, text))
    _show_alert(found, fmt, out)


@risk_app.command("flag")
def flag(customer: str = typer.Argument(..., help="The customer's code."),
         kind: str = typer.Option(..., "--kind", help="lawsuit, news, management_change or other."),
         note: str = typer.Option(..., "--note", help="What happened."),
         as_of: Optional[str] = OnOption, on: Optional[str] = OnAlias, fmt: Format = FormatOption,
         out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Flag a customer by hand (lawsuit, news, management change): the next scan raises an alert."""
    from credo.services.risk.alerts import add_flag

    found = in_company(company, lambda conn, chosen, actor: add_flag(
        conn, chosen, context.scope(), customer, kind, note, as_of_day(as_of, on), actor))
    emit(Listing("Flag", FLAGS, [found]), fmt, out)


@risk_app.command("unflag")
def unflag(flag_id: int = typer.Argument(..., help="The flag's id (see `credo risk flags`)."),
           as_of: Optional[str] = OnOption, on: Optional[str] = OnAlias, fmt: Format = FormatOption,
           out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Clear a manual flag from a day on."""
    from credo.services.risk.alerts import clear_flag

    found = in_company(company, lambda conn, chosen, actor: clear_flag(conn, chosen, flag_id, as_of_day(as_of, on), actor))
    emit(Listing("Flag", FLAGS, [found]), fmt, out)


@risk_app.command("flags")
def flags(customer: Optional[str] = typer.Option(None, "--customer", help="One customer's code."),
          cleared: bool = typer.Option(False, "--cleared", help="Cleared flags too."),
          fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Manual flags, newest first."""
    from credo.services.risk.alerts import list_flags

    items = in_company(company, lambda conn, chosen, _: list_flags(conn, chosen, customer=customer, cleared=cleared))
    emit(Listing("Manual flags", FLAGS, items), fmt, out)


@rules_app.command("list")
def rules_list(fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """The rules (the defaults, the first time)."""
    from credo.services.risk.rules import list_rules

    emit(Listing("Early-warning rules", RULES, in_company(company, lambda conn, chosen, actor: list_rules(
        conn, chosen, actor))), fmt, out)


@rules_app.command("set")
def rules_set(code: str = typer.Argument(..., help="The rule's code (a new code adds a rule)."),
              indicator: Optional[str] = typer.Option(None, "--indicator", help="What it reads, e.g. days_past_due."),
              threshold: Optional[str] = typer.Option(None, "--threshold", help="Breached when the value is over it."),
              severity: Optional[str] = typer.Option(None, "--severity", help="low, medium or high."),
              owner: Optional[str] = typer.Option(None, "--owner", help="A username or a role."),
              window_days: Optional[int] = typer.Option(None, "--window-days", help="The window of a windowed indicator."),
              active: Optional[bool] = typer.Option(None, "--active/--inactive", help="Switch the rule on or off."),
              fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Change a rule's threshold, severity, owner, window or switch it; or add a rule."""
    from credo.services.risk.rules import set_rule

    found = in_company(company, lambda conn, chosen, actor: set_rule(
        conn, chosen, code, actor, indicator=indicator, threshold=threshold, severity=severity, owner=owner,
        window_days=window_days, active=active))
    emit(Listing("Early-warning rule", RULES, [found]), fmt, out)


@risk_app.command("report")
def report(as_of: Optional[str] = AsOf,
           fmt: str = typer.Option("pdf", "--format", help="pdf or xlsx."),
           language: str = typer.Option("zh", "--language", help="zh or en."),
           out: Path = typer.Option(..., "-o", "--out", help="The file to write."),
           company: Optional[str] = CompanyOption) -> None:
    """The warning report for managers: the alerts unresolved as of the date, as PDF or XLSX."""
    from credo.channels.warning_report import render_pdf, render_xlsx
    from credo.services.risk.warning_report import warning_report

    if fmt not in ("pdf", "xlsx"):
        raise InvalidInput("--format: pdf or xlsx")
    found = in_company(company, lambda conn, chosen, _: warning_report(conn, chosen, _day(as_of)))
    out.write_bytes(render_pdf(found, language, context.settings()) if fmt == "pdf" else render_xlsx(found, language))
    err.print(f"wrote {out}: {len(found.alerts)} alerts")


@risk_app.command("digest")
def digest(as_of: Optional[str] = AsOf,
           send: bool = typer.Option(False, "--send", help="Send it (once a day); else show it."),
           company: Optional[str] = CompanyOption) -> None:
    """The managers' email digest of the day: shown, or sent with --send (never twice a day)."""
    import json

    from credo.services.risk.digest import preview_digest, send_digest

    config = context.settings()
    found = in_company(company, lambda conn, chosen, actor: send_digest(conn, chosen, _day(as_of), config, actor)
                       if send else preview_digest(conn, chosen, _day(as_of)))
    print(json.dumps(found, ensure_ascii=False, indent=2))


@risk_app.command("recipient")
def recipient(username: str = typer.Argument(..., help="The manager's username."),
              email: str = typer.Argument(..., help="The address the digest goes to."),
              language: str = typer.Option("zh", "--language", help="zh or en."),
              company: Optional[str] = CompanyOption) -> None:
    """Keep the address a manager's digest goes to (users carry no address of their own)."""
    import json

    from credo.services.risk.digest import set_recipient

    found = in_company(company, lambda conn, chosen, actor: set_recipient(conn, chosen, username, email, actor,
                                                                          language))
    print(json.dumps(found, ensure_ascii=False))


class _Json:
    def __init__(self, value):
        self.value = value

    def to_json(self):
        return self.value
