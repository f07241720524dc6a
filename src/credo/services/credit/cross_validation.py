"""Repeated stratified cross-validation (重复分层交叉验证) of the statistical scorecard, against a
plain logistic regression on the same folds.

The rows are cut into `folds` stratified folds (each with the data's share of bad records), `repeats`
times with different shuffles, all drawn from one seed. For each fold, every candidate setting is
fitted on the other folds only (the weight-of-evidence binning too: it learns from the labels, so
binning all rows first would let each test fold's labels into its own bins) and judged by its AUC
on the fold it never saw. The baseline, one-hot categories and standardised numbers into a
logistic regression, is fitted and judged on the very same folds.

The setting with the best mean AUC is chosen (the first listed of equals: the simpler card); the
figures are the mean and standard deviation over every fold of every repeat. Choosing among a few
settings on the same folds that report them flatters the chosen one a little: the candidates are
few and close (docs/credit-assessment.md gives the spread between them).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any, Sequence

from credo.errors import InvalidInput

MAX_ITER = 1000


@dataclass(frozen=True)
class Setting:
    """A candidate: the most bins a factor may have (None: as many as the binning finds
    significant) and the logistic regression's inverse regularisation strength C."""

    max_bins: int | None
    c: float

    def __str__(self) -> str:
        bins = "bins as found" if self.max_bins is None else f"at most {self.max_bins} bins"
        return f"{bins}, C {self.c:g}"

    def to_json(self) -> dict[str, Any]:
        return {"max_bins": self.max_bins, "c": self.c}


BINS = (None, 5)
STRENGTHS = (0.1, 0.3, 1.0)
SETTINGS = tuple(Setting(b, c) for b in BINS for c in STRENGTHS)


@dataclass(frozen=True)
class Figure:
    """One model's AUC (and KS) on each held-out fold, in fold order."""

    aucs: tuple[float, ...]
    kss: tuple[float, ...]

    @property
    def auc(self) -> float:
        return statistics.fmean(self.aucs)

    @property
    def auc_std(self) -> float:
        return statistics.pstdev(self.aucs)

    @property
    def ks(self) -> float:
        return statistics.fmean(self.kss)

    def __str__(self) -> str:
        return f"{self.auc:.3f} ± {self.auc_std:.3f}"


@dataclass(frozen=True)
class CrossValidation:
    folds: int
    repeats: int
    seed: int
    candidates: dict[Setting, Figure]
    baseline: Figure

    @property
    def chosen(self) -> Setting:
        return max(self.candidates, key=lambda s: (self.candidates[s].auc, -SETTINGS.index(s)))

    @property
    def scorecard(self) -> Figure:
        return self.candidates[self.chosen]

    def to_json(self) -> dict[str, Any]:
        return {"folds": self.folds, "repeats": self.repeats, "seed": self.seed, "chosen": self.chosen.to_json(),
                "scorecard": _figure_json(self.scorecard), "baseline": _figure_json(self.baseline),
                "candidates": [{**s.to_json(), **_figure_json(f)} for s, f in self.candidates.items()]}


def _figure_json(figure: Figure) -> dict[str, float]:
    return {"auc": round(figure.auc, 4), "auc_std": round(figure.auc_std, 4), "ks": round(figure.ks, 4)}


def splits(labels: Sequence[int], folds: int, repeats: int, seed: int) -> list[tuple[Any, Any]]:
    """(training rows, held-out rows) of every fold of every repeat. Folds beyond the number of bad
    (or good) records would leave a fold without one: they are cut to it, never below 2."""
    from sklearn.model_selection import RepeatedStratifiedKFold

    if folds < 2 or repeats < 1:
        raise InvalidInput("cross-validation needs at least 2 folds and 1 repeat")
    fewest = min(sum(labels), len(labels) - sum(labels))
    if fewest < 2:
        raise InvalidInput("cross-validation needs at least 2 good and 2 bad records")
    cv = RepeatedStratifiedKFold(n_splits=min(folds, fewest), n_repeats=repeats, random_state=seed)
    return list(cv.split([[0]] * len(labels), labels))


def binning(features, max_bins: int | None):
    """The weight-of-evidence binning of every column, unfitted: numbers or categories as read."""
    from optbinning import BinningProcess
    from pandas.api.types import is_numeric_dtype

    categorical = [c for c in features.columns if not is_numeric_dtype(features[c])]
    return BinningProcess(variable_names=list(features.columns), categorical_variables=categorical,
                          max_n_bins=max_bins)


def regression(c: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=c, max_iter=MAX_ITER)


def baseline(features):
    """The plain model to beat: each category one-hot, each number standardised, a logistic
    regression at the default C = 1."""
    from pandas.api.types import is_numeric_dtype
    from sklearn.compose import make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    numeric = [c for c in features.columns if is_numeric_dtype(features[c])]
    categorical = [c for c in features.columns if c not in numeric]
    columns = make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="constant", fill_value="(missing)"),
                       OneHotEncoder(handle_unknown="ignore")), categorical),
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric))
    return make_pipeline(columns, regression(1.0))


def cross_validate(features, labels: Sequence[int], *, folds: int = 10, repeats: int = 3, seed: int = 42,
                   settings: Sequence[Setting] = SETTINGS) -> CrossValidation:
    """Every setting and the baseline, fitted on each fold's training rows, judged on its held-out rows."""
    import numpy as np

    y = np.asarray(labels)
    cuts = splits(labels, folds, repeats, seed)
    aucs: dict[Setting, list[tuple[float, float]]] = {s: [] for s in settings}
    plain: list[tuple[float, float]] = []
    for train_rows, held_rows in cuts:
        x_fit, x_held = features.iloc[train_rows], features.iloc[held_rows]
        for max_bins in dict.fromkeys(s.max_bins for s in settings):
            woe = binning(features, max_bins).fit(x_fit, y[train_rows])
            woe_fit, woe_held = woe.transform(x_fit), woe.transform(x_held)
            for setting in (s for s in settings if s.max_bins == max_bins):
                model = regression(setting.c).fit(woe_fit, y[train_rows])
                aucs[setting].append(_judge(y[held_rows], model.predict_proba(woe_held)[:, 1]))
        model = baseline(features).fit(x_fit, y[train_rows])
        plain.append(_judge(y[held_rows], model.predict_proba(x_held)[:, 1]))
    return CrossValidation(len(cuts) // repeats, repeats, seed, {s: _figure(v) for s, v in aucs.items()},
                           _figure(plain))


def _judge(truth, probability) -> tuple[float, float]:
    """AUC and KS (the largest gap between the bad and good records' score distributions)."""
    from sklearn.metrics import roc_auc_score, roc_curve

    false_positive, true_positive, _ = roc_curve(truth, probability)
    return float(roc_auc_score(truth, probability)), float(max(true_positive - false_positive))


def _figure(pairs: list[tuple[float, float]]) -> Figure:
    return Figure(tuple(a for a, _ in pairs), tuple(k for _, k in pairs))
