"""`credo credit ...`: the statistical scorecard (train on labelled records, score new ones)."""

from __future__ import annotations

from pathlib import Path

import typer

from credo.cli import context
from credo.cli.app import app, err, new_app
from credo.cli.reports import CompanyOption
from credo.cli.output import Format, emit
from credo.domain.credit.stability import stability
from credo.errors import InvalidInput

credit_app = new_app("Credit assessment: the statistical scorecard (more to come: assess, check, limits).")
app.add_typer(credit_app, name="credit")


@credit_app.command("train")
def train(
    data: Path = typer.Option(..., "--data", help="CSV of labelled records, one per row, a header row first."),
    target: str = typer.Option(..., "--target", help="The label column: bad = 1/true/yes/bad/default, "
                                                       "good = 0/false/no/good."),
    out: Path = typer.Option(..., "--out", help="Where to save the model (a pickle: load only your own)."),
    test_share: float = typer.Option(0.3, "--test-share", help="Share of rows held out for validation (0.1-0.5)."),
    seed: int = typer.Option(42, "--seed", help="Seed of the held-out split (same seed, same model)."),
    id_column: str | None = typer.Option(None, "--id", help="A column that names the record (e.g. customer_code): "
                                                             "not a feature, carried into the scores."),
    fmt: Format = typer.Option(Format.table, "--format", help="table or json (the validation report)."),
) -> None:
    """Fit a scorecard (WoE binning + logistic regression, 600 points at odds 50:1, PDO 20) and
    print its validation: AUC, KS and Gini on the held-out rows, and the binning table."""
    from credo.services.credit import statistical

    if fmt not in (Format.table, Format.json):
        raise InvalidInput("--format: table or json")
    model = statistical.train(data, target, test_share=test_share, seed=seed, id_column=id_column)
    statistical.save(model, out)
    emit(model, fmt, None)
    err.print(f"saved {out} (AUC {model.metrics['auc']:.3f} on {int(model.metrics['holdout_rows'])} held-out rows)")


@credit_app.command("score")
def score(
    model: Path = typer.Option(..., "--model", help="A model file from `credo credit train`."),
    data: Path = typer.Option(..., "--data", help="CSV with the columns the model was trained on."),
    fmt: Format = typer.Option(Format.csv, "--format", help="csv or json (table: on screen)."),
    out: Path | None = typer.Option(None, "--out", help="Write here instead of standard output."),
    reasons: int = typer.Option(3, "--reasons", min=0, max=10, help="Reason codes per row."),
) -> None:
    """One score per row with its top reason codes, and the population stability (PSI) of the
    scores against the model's validation scores."""
    from credo.services.credit import statistical

    if fmt is Format.xlsx:
        raise InvalidInput("--format: csv, json or table")
    scored = statistical.score(statistical.load(model), data, top=reasons)
    emit(scored, fmt, out)
    err.print(f"PSI {scored.psi:.3f} against the validation scores: {stability(scored.psi)}")


@credit_app.command("history")
def history(
    as_of: str = typer.Option(..., "--as-of", help="The date the features are taken at (YYYY-MM-DD)."),
    months: int = typer.Option(12, "--months", help="The label looks this many months ahead: bad when a customer "
                                                    "went 90+ days past due within them."),
    out: Path | None = typer.Option(None, "--out", help="Write here (CSV) instead of standard output."),
    fmt: Format = typer.Option(Format.csv, "--format", help="csv or json."),
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
