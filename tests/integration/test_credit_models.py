"""The statistical scorecard through the CLI, trained on the public German credit data (1,000
applicants, 30 % bad: examples/credit/README.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from credo.cli import app
from credo.services.credit import statistical

GERMAN = Path(__file__).resolve().parents[2] / "examples" / "credit" / "german-credit.csv"
runner = CliRunner()


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("models") / "german.model"
    answer = runner.invoke(app, ["credit", "train", "--data", str(GERMAN), "--target", "creditability",
                                 "--out", str(out), "--format", "json"])
    assert answer.exit_code == 0, answer.output
    return out


def test_training_on_the_german_data_reaches_the_published_band(model):
    trained = statistical.load(model)
    report = trained.to_json()
    assert report["rows"] == 1000 and report["metrics"]["holdout_rows"] == 300
    assert report["metrics"]["auc"] >= 0.75  # logistic scorecards publish 0.75-0.80 on this data
    assert report["metrics"]["gini"] == pytest.approx(2 * report["metrics"]["auc"] - 1, abs=1e-3)
    assert 0.3 <= report["metrics"]["ks"] <= 0.7 and report["metrics"]["bad_rate"] == 0.3
    assert {row["variable"] for row in report["binning_table"]} == set(trained.features) and len(trained.features) == 20


def test_the_same_seed_gives_the_same_model(model, tmp_path):
    again = tmp_path / "again.model"
    assert runner.invoke(app, ["credit", "train", "--data", str(GERMAN), "--target", "creditability",
                               "--out", str(again)]).exit_code == 0
    assert statistical.load(again).metrics == statistical.load(model).metrics


def test_scores_come_with_reasons_whose_points_add_up(model, tmp_path):
    out = tmp_path / "scores.json"
    answer = runner.invoke(app, ["credit", "score", "--model", str(model), "--data", str(GERMAN), "--format", "json",
                                 "--out", str(out)])
    assert answer.exit_code == 0, answer.output
    scored = json.loads(out.read_text())
    assert len(scored["rows"]) == 1000 and scored["rows"][0]["row"] == 2
    assert scored["stability"] == "stable" and scored["psi"] < 0.1  # the validation's own population
    assert all(len(r["reasons"]) <= 3 for r in scored["rows"])
    trained = statistical.load(model)
    features = statistical._typed(pd.read_csv(GERMAN, dtype=str, keep_default_na=False)[trained.features])
    points = statistical._points_by_feature(trained, features)
    for k in (0, 1, 500):
        assert sum(points[f][k] for f in trained.features) == pytest.approx(scored["rows"][k]["score"], abs=0.06)
        lost = {f: trained.best_points[f] - points[f][k] for f in trained.features}
        assert scored["rows"][k]["reasons"][0]["factor"] == max(lost, key=lost.get)
    # The first applicant's account status (A11, read as "... < 0 DM") is said in words in both languages.
    words = {r["factor"]: r for r in scored["rows"][0]["reasons"]}["status_of_existing_checking_account"]
    assert words["en"] == f"status of existing checking account is ... < 0 DM: {words['points_lost']:g} points below its best"
    assert words["zh"].startswith("status of existing checking account为... < 0 DM：比最优区间少")


def test_a_different_population_shows_in_the_psi(model, tmp_path):
    frame = pd.read_csv(GERMAN, dtype=str, keep_default_na=False)
    bad_only = tmp_path / "bad.csv"
    frame[frame["creditability"] == "bad"].to_csv(bad_only, index=False)
    answer = runner.invoke(app, ["credit", "score", "--model", str(model), "--data", str(bad_only), "--format", "csv"])
    assert answer.exit_code == 0
    assert answer.stdout.splitlines()[0] == "row,score,reason 1,reason 2,reason 3"
    assert statistical.score(statistical.load(model), bad_only).psi > 0.1


def test_bad_input_is_named_and_nothing_is_saved(tmp_path):
    labelled = tmp_path / "labelled.csv"
    labelled.write_text("income,label\n10,good\n20,maybe\n", encoding="utf-8")
    out = tmp_path / "m.model"
    answer = runner.invoke(app, ["credit", "train", "--data", str(labelled), "--target", "label", "--out", str(out)])
    assert answer.exit_code == 2 and "labelled.csv, row 3, column label: 'maybe' is not a label" in answer.output
    answer = runner.invoke(app, ["credit", "train", "--data", str(labelled), "--target", "bad", "--out", str(out)])
    assert answer.exit_code == 2 and "labelled.csv: no column 'bad' (columns: income, label)" in answer.output
    assert not out.exists()
    junk = tmp_path / "junk.model"
    junk.write_bytes(b"not a model")
    answer = runner.invoke(app, ["credit", "score", "--model", str(junk), "--data", str(labelled)])
    assert answer.exit_code == 2 and "junk.model: not a credo model file" in answer.output
