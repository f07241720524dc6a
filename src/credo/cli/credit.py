"""`credo credit ...`: the statistical scorecard (train on labelled records, score new ones)."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

import typer

from credo.cli import context
from credo.cli.app import app, err, new_app
from credo.cli.reports import CompanyOption
from credo.cli.output import Format, FormatOption, OutOption, ScreenFormat, emit
from credo.domain.credit.stability import stability
from credo.errors import InvalidInput

credit_app = new_app("Credit (信用): the credit file, assess a customer, the expert scorecard and policy, "
                     "the statistical scorecard; limits, the credit check, holds, the queue and reviews.")
app.add_typer(credit_app, name="credit")


@credit_app.command("train")
def train(
    data: Path = typer.Option(..., "--data", help="CSV of labelled records, one per row, a header row first."),
    target: str = typer.Option(..., "--target", help="The label column: bad = 1/true/yes/bad/default, "
                                                       "good = 0/false/no/good."),
    out: Path = typer.Option(..., "--out", help="Where to save the model (a pickle: load only your own)."),
    folds: int = typer.Option(10, "--folds", min=2, max=20, help="Cross-validation folds (cut to the number of bad "
                                                                  "or good records when fewer)."),
    repeats: int = typer.Option(3, "--repeats", min=1, max=10, help="Cross-validation repeats, each with its own "
                                                                    "shuffle of the rows (10 x 3 on 1,000 rows: "
                                                                    "a minute or two)."),
    seed: int = typer.Option(42, "--seed", help="Seed of the folds' shuffles (same seed, same model)."),
    id_column: str | None = typer.Option(None, "--id", help="A column that names the record (e.g. customer_code): "
                                                             "not a feature, carried into the scores."),
    fmt: ScreenFormat = typer.Option(ScreenFormat.table, "--format", help="table or json (the validation report; "
                                     "--out is the model)."),
) -> None:
    """Fit a scorecard (WoE binning + logistic regression, 600 points at odds 50:1, PDO 20): the
    binning and regression setting with the best cross-validated AUC, fitted on every row. Prints
    its AUC (mean ± spread over the held-out folds), KS and Gini beside a plain one-hot logistic
    regression's on the same folds, and the binning table."""
    from credo.services.credit import statistical

    if fmt not in (Format.table, Format.json):
        raise InvalidInput("--format: table or json")
    model = statistical.train(data, target, folds=folds, repeats=repeats, seed=seed, id_column=id_column)
    statistical.save(model, out)
    emit(model, fmt, None)
    err.print(f"saved {out}: {model.summary()}")


@credit_app.command("score")
def score(
    model: Path = typer.Option(..., "--model", help="A model file from `credo credit train`."),
    data: Path = typer.Option(..., "--data", help="CSV with the columns the model was trained on."),
    fmt: Format = typer.Option(Format.csv, "--format", help="csv, json, table or xlsx (xlsx: with --out)."),
    out: Path | None = typer.Option(None, "--out", help="Write here instead of standard output."),
    reasons: int = typer.Option(3, "--reasons", min=0, max=10, help="Reason codes per row."),
) -> None:
    """One score per row with its top reason codes, and the population stability (PSI) of the
    scores against the scores of the rows the model was trained on."""
    from credo.services.credit import statistical

    scored = statistical.score(statistical.load(model), data, top=reasons)
    emit(scored, fmt, out)
    err.print(f"PSI {scored.psi:.3f} against the training scores: {stability(scored.psi)}")


@credit_app.command("history")
def history(
    as_of: str = typer.Option(..., "--as-of", help="The date the features are taken at (YYYY-MM-DD)."),
    months: int = typer.Option(12, "--months", help="The label looks this many months ahead: bad when a customer "
                                                    "went 90+ days past due within them."),
    out: Path | None = typer.Option(None, "--out", help="Write here (CSV) instead of standard output."),
    fmt: Format = typer.Option(Format.csv, "--format", help="csv, json, table or xlsx (xlsx: with --out)."),
    company: str | None = CompanyOption,
) -> None:
    """The ledger's own history as labelled records, one per customer known by --as-of, for
    `credo credit train --data FILE --target label --id customer_code`."""
    from credo.services.credit.history import labelled_history

    config = context.settings()
    with context.transaction(config) as conn:
        found = labelled_history(conn, context.company(conn, config, company), context.parse_day(as_of, "--as-of"),
                                 months)
    emit(found, fmt, out)
    err.print(f"{len(found.rows)} customers as of {found.as_of}, {found.bad} labelled bad "
              f"(90+ days past due within {months} months)")


def _amount(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise InvalidInput(f"{option} {text!r} is not an amount: write it like 125000.00") from None
    if not value.is_finite() or value < 0:
        raise InvalidInput(f"{option} {text!r}: an amount of 0 or more")
    return value


@credit_app.command("assess")
def assess(
    customer: str = typer.Argument(..., help="The customer code."),
    as_of: str | None = typer.Option(None, "--as-of", help="Assess as of this date (YYYY-MM-DD; default today): "
                                                         "only what was recorded and dated by then is read."),
    fmt: Format = FormatOption,
    out: Path | None = OutOption,
    monthly_purchases: str | None = typer.Option(None, "--monthly-purchases", help="Expected monthly purchases in "
                                                 "the base currency (default: the last 12 months' sales / 12)."),
    insured_limit: str | None = typer.Option(None, "--insured-limit", help="The credit insurer's limit: a cap."),
    record: bool = typer.Option(False, "--record", help="Store the assessment with its inputs (audited)."),
    company: str | None = CompanyOption,
) -> None:
    """Assess a customer: ratios, Altman Z, the expert scorecard with reasons, and the rating,
    term and recommended limit of the credit policy."""
    from credo.services.browse.customers import customer_row
    from credo.services.credit.assessment import assess as assess_customer
    from credo.services.credit.recorded import record_assessment

    config = context.settings()
    with context.transaction(config) as conn:
        found = context.company(conn, config, company)
        result = assess_customer(conn, found, context.scope(), customer, context.parse_day(as_of, "--as-of"),
                                 monthly_purchases=_amount(monthly_purchases, "--monthly-purchases"),
                                 insured_limit=_amount(insured_limit, "--insured-limit"))
        if record:
            row = customer_row(conn, found, context.scope(), customer)
            record_assessment(conn, found, row.id, result, context.actor(config))
    emit(result, fmt, out)
    if record:
        err.print(f"recorded the assessment of {customer} as of {result.as_of}")


@credit_app.command("file")
def credit_file(
    customer: str = typer.Argument(..., help="The customer code."),
    as_of: str | None = typer.Option(None, "--as-of", help="The file as it stood on this date (default today)."),
    fmt: Format = FormatOption,
    out: Path | None = OutOption,
    company: str | None = CompanyOption,
) -> None:
    """Show a customer's credit file as of a date: statements, facts, references and reviews in force."""
    from credo.services.browse.customers import customer_row
    from credo.services.credit.credit_file import read_credit_file

    config = context.settings()
    with context.transaction(config) as conn:
        found = context.company(conn, config, company)
        row = customer_row(conn, found, context.scope(), customer)
        result = read_credit_file(conn, found, row, context.parse_day(as_of, "--as-of"))
    emit(result, fmt, out)


def _setting_commands(kind: str, what: str) -> None:
    sub = new_app(f"The company's {what}: show the one in force, or set a new version from a JSON file.")
    credit_app.add_typer(sub, name=kind)

    @sub.command("show")
    def show(company: str | None = CompanyOption) -> None:
        from credo.services.credit.setup import setting

        config = context.settings()
        with context.transaction(config) as conn:
            found = setting(conn, context.company(conn, config, company), kind)
        print(json.dumps(found, ensure_ascii=False, indent=2))

    show.__doc__ = f"Print the {what} in force as JSON (version 0: the default that ships)."

    @sub.command("set")
    def set_(file: Path = typer.Argument(..., help="A JSON file (start from `show`'s body)."),
             company: str | None = CompanyOption) -> None:
        from credo.services.credit.setup import set_setting

        try:
            body = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InvalidInput(f"{file}: not a readable JSON file ({error})") from None
        body = body.get("body", body) if isinstance(body, dict) and "kind" in body else body
        config = context.settings()
        with context.transaction(config) as conn:
            stored = set_setting(conn, context.company(conn, config, company), kind, body, context.actor(config))
        err.print(f"{kind} version {stored['version']} in force")

    set_.__doc__ = f"Check a new {what} and store it as the next version (audited)."


_setting_commands("scorecard", "expert scorecard (factors, bins, points)")
_setting_commands("policy", "credit policy (ratings, terms, limit caps)")
