"""`credo risk policy|insured-limit|insured|beyond-limit|deadlines|report-overdue|claim`: credit
insurance (信用保险). The command line acts as its operator (CREDO_ACTOR), seeing every customer."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from credo.cli import context
from credo.cli.app import new_app
from credo.cli.dates import OnAlias, ToOpenPeriod, as_of_day, as_of_option
from credo.cli.limits import Listing, amount_option, day_option, in_company
from credo.cli.output import Format, FormatOption, OutOption, emit
from credo.cli.reports import AsOf, CompanyOption
from credo.cli.risk import risk_app
from credo.errors import InvalidInput

policy_app = new_app("Credit insurance policies (保单): insurer, period, cover, deductible, deadlines.")
risk_app.add_typer(policy_app, name="policy")
limit_app = new_app("Insured limits per buyer: requested from the insurer and granted (or refused), with dates.")
risk_app.add_typer(limit_app, name="insured-limit")
claim_app = new_app("Insurance claims (索赔): filed, accepted or rejected, paid.")
risk_app.add_typer(claim_app, name="claim")

POLICIES = ["number", "insurer", "period_from", "period_to", "currency", "coverage_share", "deductible",
            "max_credit_days", "report_overdue_days", "claim_days", "claim_from", "alert_days"]
LIMITS = ["id", "policy", "customer", "kind", "request_id", "dated_on", "amount", "currency", "refused", "valid_from",
          "valid_until", "reference", "note"]
SPLIT = ["customer", "name", "policy", "currency", "exposure", "limit", "insured", "uninsured", "fraction", "excess"]
DEADLINES = ["deadline", "kind", "policy", "customer", "name", "invoice", "due_date", "reported_on", "open_amount",
             "currency", "passed"]
CLAIMS = ["id", "policy", "customer", "amount", "currency", "invoices", "status", "filed_on", "decided_on",
          "paid_amount", "paid_on", "reference"]
PolicyOption = typer.Option(..., "--policy", help="The policy's number.")
CustomerArgument = typer.Argument(..., help="The customer (buyer) code.")
ReferenceOption = typer.Option(None, "--reference", help="The insurer's reference.")
NoteOption = typer.Option(None, "--note", help="A note.")
POLICY_KEYS = ("insurer", "number", "period_from", "period_to", "currency", "coverage_share", "deductible",
               "max_credit_days", "report_overdue_days", "claim_days", "claim_from", "alert_days")
REQUIRED_KEYS = ("insurer", "number", "period_from", "period_to", "max_credit_days", "report_overdue_days",
                 "claim_days")
DAY_KEYS = {"max_credit_days", "report_overdue_days", "claim_days", "alert_days"}


def _as_of(text: Optional[str]):
    return context.parse_day(text, "--as-of")


def policy_from_file(path: Path) -> dict:
    """The add_policy arguments of a JSON file (examples/insurance-policy.json)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise InvalidInput(f"{path}: not a readable JSON file ({error})") from None
    if not isinstance(body, dict) or set(body) - set(POLICY_KEYS):
        raise InvalidInput(f"{path}: a JSON object with keys among {', '.join(POLICY_KEYS)}")
    missing = [key for key in REQUIRED_KEYS if key not in body]
    if missing:
        raise InvalidInput(f"{path}: {', '.join(missing)} missing")
    found = dict(body)
    for key in ("period_from", "period_to"):
        found[key] = context.parse_day(str(found[key]), key)
    for key in DAY_KEYS & set(found):
        if isinstance(found[key], bool) or not isinstance(found[key], int):
            raise InvalidInput(f"{path}: {key} must be a whole number of days")
    for key in ("insurer", "number", "currency", "coverage_share", "claim_from"):
        if key in found and not isinstance(found[key], str):
            raise InvalidInput(f"{path}: {key} must be text")
    if "deductible" in found:
        found["deductible"] = amount_option(str(found["deductible"]), "deductible")
    return found


@policy_app.command("add")
def policy_add(
    number: Optional[str] = typer.Option(None, "--number", help="The policy's number."),
    insurer: Optional[str] = typer.Option(None, "--insurer", help="The insurer, e.g. 中国信保 or Euler Hermes."),
    period_from: Optional[str] = typer.Option(None, "--from", help="The policy period's first day."),
    period_to: Optional[str] = typer.Option(None, "--to", help="The policy period's last day."),
    coverage_share: str = typer.Option("0.90", "--coverage", help="The insured share of a loss: 0.90 or 90%."),
    deductible: str = typer.Option("0", "--deductible", help="The deductible per claim, in the policy currency."),
    currency: Optional[str] = typer.Option(None, "--currency", help="The policy's currency (default: the base)."),
    max_credit_days: int = typer.Option(90, "--max-credit-days", min=0, help="The longest credit period covered."),
    report_days: int = typer.Option(30, "--report-days", min=0, help="Days after a due date to report an overdue buyer."),
    claim_days: int = typer.Option(60, "--claim-days", min=0, help="Days to file a claim, counted per --claim-from."),
    claim_from: str = typer.Option("report", "--claim-from", help="report (the report's day) or due_date."),
    alert_days: int = typer.Option(7, "--alert-days", min=0, help="Reminders this many days before a deadline."),
    from_file: Optional[Path] = typer.Option(None, "--file", help="Read the policy from a JSON file instead."),
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Record a credit insurance policy (audited)."""
    from credo.services.risk.insurance import add_policy

    if from_file is not None:
        values = policy_from_file(from_file)
    else:
        if not (number and insurer and period_from and period_to):
            raise InvalidInput("a policy needs --number, --insurer, --from and --to (or --file)")
        values = dict(number=number, insurer=insurer, period_from=context.parse_day(period_from, "--from"),
                      period_to=context.parse_day(period_to, "--to"), coverage_share=coverage_share,
                      deductible=amount_option(deductible, "--deductible"), currency=currency,
                      max_credit_days=max_credit_days, report_overdue_days=report_days, claim_days=claim_days,
                      claim_from=claim_from, alert_days=alert_days)
    found = in_company(company, lambda conn, chosen, actor: add_policy(conn, chosen, actor, **values))
    emit(Listing("Insurance policy", POLICIES, [found]), fmt, out)


@policy_app.command("list")
def policy_list(fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Every policy, by period."""
    from credo.services.risk.insurance import list_policies

    emit(Listing("Insurance policies", POLICIES, in_company(company, lambda conn, chosen, _: list_policies(conn, chosen))),
         fmt, out)


@limit_app.command("request")
def limit_request(
    customer: str = CustomerArgument,
    policy: str = PolicyOption,
    amount: str = typer.Option(..., "--amount", help="The limit asked for, in the policy's currency."),
    as_of: Optional[str] = as_of_option("The day it was asked for (default: today)."),
    on: Optional[str] = OnAlias,
    note: Optional[str] = NoteOption,
    to_open_period: bool = ToOpenPeriod,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Record a request to the insurer for a buyer's limit (audited)."""
    from credo.services.risk.insurance import request_limit

    found = in_company(company, lambda conn, chosen, actor: request_limit(
        conn, chosen, context.scope(), actor, policy=policy, customer=customer, amount=amount_option(amount),
        requested_on=as_of_day(as_of, on), note=note, to_open_period=to_open_period))
    emit(Listing("Insured limit", LIMITS, [found]), fmt, out)


@limit_app.command("grant")
def limit_grant(
    customer: str = CustomerArgument,
    policy: str = PolicyOption,
    amount: str = typer.Option(..., "--amount", help="The limit granted (0: refused), in the policy's currency."),
    as_of: Optional[str] = as_of_option("The day the insurer decided (default: today)."),
    on: Optional[str] = OnAlias,
    valid_from: Optional[str] = typer.Option(None, "--valid-from", help="Valid from (default: the decision's day)."),
    valid_until: Optional[str] = typer.Option(None, "--valid-until", help="Valid until this day (default: open)."),
    request: Optional[int] = typer.Option(None, "--request", help="The id of the request it answers."),
    reference: Optional[str] = ReferenceOption,
    note: Optional[str] = NoteOption,
    to_open_period: bool = ToOpenPeriod,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Record the insurer's decision on a buyer's limit: granted, possibly lower, or refused (0). Audited."""
    from credo.services.risk.insurance import grant_limit

    found = in_company(company, lambda conn, chosen, actor: grant_limit(
        conn, chosen, context.scope(), actor, policy=policy, customer=customer, amount=amount_option(amount),
        decided_on=as_of_day(as_of, on), valid_from=day_option(valid_from, "--valid-from"),
        valid_until=day_option(valid_until, "--valid-until"), request_id=request, reference=reference, note=note,
        to_open_period=to_open_period))
    emit(Listing("Insured limit", LIMITS, [found]), fmt, out)


@limit_app.command("list")
def limit_list(customer: Optional[str] = typer.Option(None, "--customer", help="One buyer's code."),
               policy: Optional[str] = typer.Option(None, "--policy", help="One policy's number."),
               fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Every limit request and decision, oldest first (the history)."""
    from credo.services.risk.insurance import list_limits

    items = in_company(company, lambda conn, chosen, _: list_limits(conn, chosen, context.scope(), customer, policy))
    emit(Listing("Insured limits", LIMITS, items), fmt, out)


@risk_app.command("insured")
def insured(as_of: Optional[str] = AsOf, fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Each insured buyer's exposure as of the date split into insured and uninsured (base currency)."""
    from credo.services.risk.insurance import insured_split

    day = _as_of(as_of)
    items = in_company(company, lambda conn, chosen, _: insured_split(conn, chosen, day))
    emit(Listing(f"Insured and uninsured exposure as of {day}", SPLIT, items), fmt, out)


@risk_app.command("beyond-limit")
def beyond_limit(as_of: Optional[str] = AsOf, fmt: Format = FormatOption, out: Optional[Path] = OutOption,
                 company: Optional[str] = CompanyOption) -> None:
    """The buyers sold to beyond their insured limit as of the date, with the excess."""
    from credo.services.risk.insurance import beyond_insured_limit

    day = _as_of(as_of)
    items = in_company(company, lambda conn, chosen, _: beyond_insured_limit(conn, chosen, day))
    emit(Listing(f"Beyond the insured limit as of {day}", SPLIT, items), fmt, out)


@risk_app.command("deadlines")
def deadlines(as_of: Optional[str] = AsOf,
              ahead: Optional[int] = typer.Option(None, "--ahead", min=0, help="Days ahead (default: each policy's)."),
              fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """The reporting and claim deadlines coming within the days ahead, or passed and not done."""
    from credo.services.risk.insurance import deadlines as due

    day = _as_of(as_of)
    items = in_company(company, lambda conn, chosen, _: due(conn, chosen, day, ahead))
    emit(Listing(f"Insurance deadlines as of {day}", DEADLINES, items), fmt, out)


@risk_app.command("report-overdue")
def report_overdue(
    customer: str = CustomerArgument,
    policy: str = PolicyOption,
    as_of: Optional[str] = as_of_option("The day it was reported (default: today)."),
    on: Optional[str] = OnAlias,
    reference: Optional[str] = typer.Option(None, "--reference", help="The insurer's reference of the report."),
    note: Optional[str] = NoteOption,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Record that the overdue buyer was reported to the insurer (the same report again writes nothing)."""
    from credo.services.risk.insurance import report_overdue as record

    found = in_company(company, lambda conn, chosen, actor: record(
        conn, chosen, context.scope(), actor, policy=policy, customer=customer, reported_on=as_of_day(as_of, on),
        reference=reference, note=note))
    emit(Listing("Overdue buyer reported", ["id", "policy", "customer", "reported_on", "reference", "created"],
                 [found]), fmt, out)


@claim_app.command("file")
def claim_file(
    customer: str = CustomerArgument,
    policy: str = PolicyOption,
    amount: str = typer.Option(..., "--amount", help="The loss claimed, in the policy's currency."),
    invoice: list[str] = typer.Option([], "--invoice", help="An invoice the claim covers (repeat for more; none: "
                                                            "all the buyer's open insured invoices)."),
    as_of: Optional[str] = as_of_option("The day the draft is made; what is open and insured on its invoices "
                                        "that day caps it (default: today)."),
    on: Optional[str] = OnAlias,
    filed_on: Optional[str] = typer.Option(None, "--filed-on", hidden=True,
                                           help="Refused: a second person files the claim."),
    draft: bool = typer.Option(True, "--draft", hidden=True, help="A claim is always drafted first."),
    reference: Optional[str] = typer.Option(None, "--reference", help="The insurer's claim reference."),
    note: Optional[str] = NoteOption,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Draft a claim on a buyer; a second person files it (`credo --as OTHER risk claim update ID filed`); audited."""
    from credo.services.risk.insurance_claims import file_claim

    day = as_of_day(as_of, on)
    filed = None if filed_on is None else context.parse_day(filed_on, "--filed-on")
    found = in_company(company, lambda conn, chosen, actor: file_claim(
        conn, chosen, context.scope(), actor, policy=policy, customer=customer, amount=amount_option(amount),
        filed_on=filed, invoice_numbers=invoice, reference=reference, note=note, on=day))
    emit(Listing("Insurance claim", CLAIMS, [found]), fmt, out)


@claim_app.command("update")
def claim_update(
    claim_id: int = typer.Argument(..., help="The claim's id."),
    status: str = typer.Option(..., "--status", help="filed, accepted, rejected or paid."),
    as_of: Optional[str] = as_of_option("The day of the change (default: today)."),
    on: Optional[str] = OnAlias,
    paid: Optional[str] = typer.Option(None, "--paid", help="The amount the insurer paid (with --status paid)."),
    reference: Optional[str] = ReferenceOption,
    note: Optional[str] = NoteOption,
    fmt: Format = FormatOption, out: Optional[Path] = OutOption,
    company: Optional[str] = CompanyOption,
) -> None:
    """Move a claim to its next status (draft -> filed -> accepted or rejected; accepted -> paid); audited."""
    from credo.services.risk.insurance_claims import update_claim

    found = in_company(company, lambda conn, chosen, actor: update_claim(
        conn, chosen, context.scope(), context.person(), claim_id, status, on=as_of_day(as_of, on),
        paid_amount=None if paid is None else amount_option(paid, "--paid"), reference=reference, note=note))
    emit(Listing("Insurance claim", CLAIMS, [found]), fmt, out)


@claim_app.command("list")
def claim_list(status: Optional[str] = typer.Option(None, "--status", help="draft, filed, accepted, rejected or paid."),
               fmt: Format = FormatOption, out: Optional[Path] = OutOption, company: Optional[str] = CompanyOption) -> None:
    """Every claim, newest first."""
    from credo.services.risk.insurance_claims import list_claims

    emit(Listing("Insurance claims", CLAIMS, in_company(company, lambda conn, chosen, _: list_claims(
        conn, chosen, context.scope(), status))), fmt, out)
