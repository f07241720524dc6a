"""The statistical scorecard (统计评分卡): weight-of-evidence binning and logistic regression
(optbinning), points scaled by PDO and base odds, trained on any CSV of labelled records.

`train` holds part of the rows out (stratified, seeded) and reports AUC, KS and Gini on it with
the binning table; `save`/`load` keep a versioned model file; `score` gives each row its score and
the reason codes that cost it most: the factors whose bin earned the fewest points against that
factor's best bin. Scores on new data come with the PSI against the held-out scores.

A model file is a Python pickle: load only the files you trained (pickle runs code when read).
"""

from __future__ import annotations

import pickle
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from credo import clock
from credo import __version__
from credo.domain.credit.stability import psi, stability
from credo.errors import InvalidInput
from credo.services.reports.common import Tabular

FORMAT = "credo-scorecard"
FORMAT_VERSION = 1
BAD = {"1", "true", "yes", "bad", "default", "y"}
GOOD = {"0", "false", "no", "good", "n"}
SCALING = {"pdo": 20, "odds": 50, "scorecard_points": 600}  # 600 points at odds 50:1, 20 points double them


@dataclass
class Trained:
    """A fitted scorecard, its validation and what scoring needs to explain and compare."""

    scorecard: Any  # optbinning.Scorecard
    features: list[str]
    target: str
    metrics: dict[str, float]
    holdout_scores: list[float]
    best_points: dict[str, float]
    trained_at: str
    rows: int
    source: str
    table_rows: list[dict] = field(default_factory=list)
    id_column: str | None = None  # kept out of the features, carried into the scores

    def to_json(self) -> dict:
        return {"model": FORMAT, "version": FORMAT_VERSION, "trained_at": self.trained_at, "source": self.source,
                "target": self.target, "rows": self.rows, "features": self.features,
                "metrics": {k: round(v, 4) for k, v in self.metrics.items()}, "scaling": SCALING,
                "binning_table": self.table_rows}

    def table(self) -> Tabular:
        m = self.metrics
        title = (f"Scorecard trained on {self.source} ({self.rows} rows): on {int(m['holdout_rows'])} held-out rows "
                 f"AUC {m['auc']:.3f}, KS {m['ks']:.3f}, Gini {m['gini']:.3f}")
        columns = ["variable", "bin", "count", "event rate", "WoE", "IV", "points"]
        return Tabular(title, columns, [[r["variable"], r["bin"], r["count"], r["event_rate"], r["woe"], r["iv"],
                                         r["points"]] for r in self.table_rows])


@contextmanager
def _quiet():
    """optbinning's own use of pandas APIs that pandas deprecates: noise to a credit manager."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", module="optbinning")
        yield


def _read_csv(path: Path):
    """Every cell as text ('' where empty), UTF-8 with or without BOM; a clear error otherwise."""
    import pandas as pd

    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidInput(f"{path.name}: not a CSV file credo can read ({error})") from None


def read_labelled(path: Path, target: str, id_column: str | None = None):
    """Features and the 0/1 target (1: the bad event) of a CSV; errors name file, row and column.
    id_column (a customer code): not a feature."""
    path = Path(path)
    frame = _read_csv(path)
    for column in (target, id_column):
        if column is not None and column not in frame.columns:
            raise InvalidInput(f"{path.name}: no column {column!r} (columns: {', '.join(frame.columns)})")
    if id_column is not None:
        frame = frame.drop(columns=[id_column])
    labels = []
    for row, value in enumerate(frame.pop(target), start=2):  # row 1 is the header
        text = value.strip().lower()
        if text in BAD:
            labels.append(1)
        elif text in GOOD:
            labels.append(0)
        else:
            raise InvalidInput(f"{path.name}, row {row}, column {target}: {value!r} is not a label "
                               f"(bad: {', '.join(sorted(BAD))}; good: {', '.join(sorted(GOOD))})")
    if len(set(labels)) < 2:
        raise InvalidInput(f"{path.name}, column {target}: needs both good and bad records to learn from")
    if frame.shape[1] == 0:
        raise InvalidInput(f"{path.name}: no feature columns beside {target!r}")
    return _typed(frame), labels


def _typed(frame):
    """Columns that read as numbers become numbers; the rest stay categories ('' is missing)."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        numbers = pd.to_numeric(out[column].replace("", None), errors="coerce")
        filled = out[column] != ""
        if filled.any() and numbers[filled].notna().all():
            out[column] = numbers
        else:
            out[column] = out[column].replace("", None)
    return out


def train(path: Path, target: str, *, test_share: float = 0.3, seed: int = 42,
          id_column: str | None = None) -> Trained:
    from optbinning import BinningProcess, Scorecard
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score, roc_curve
    from sklearn.model_selection import train_test_split

    if not 0.1 <= test_share <= 0.5:
        raise InvalidInput(f"--test-share {test_share}: use 0.1 to 0.5")
    features, labels = read_labelled(path, target, id_column)
    x_fit, x_held, y_fit, y_held = train_test_split(features, labels, test_size=test_share, random_state=seed,
                                                    stratify=labels)
    categorical = [c for c in features.columns if features[c].dtype == object]
    binning = BinningProcess(variable_names=list(features.columns), categorical_variables=categorical)
    card = Scorecard(binning_process=binning, estimator=LogisticRegression(max_iter=1000),
                     scaling_method="pdo_odds", scaling_method_params=SCALING)
    with _quiet():
        card.fit(x_fit, y_fit)
        probability = card.predict_proba(x_held)[:, 1]
        table = card.table(style="detailed")
        held_scores = [float(s) for s in card.score(x_held)]
    auc = float(roc_auc_score(y_held, probability))
    false_positive, true_positive, _ = roc_curve(y_held, probability)
    ks = float(max(true_positive - false_positive))
    best = {str(k): float(v) for k, v in table.groupby("Variable")["Points"].max().items()}
    rows = [{"variable": r["Variable"], "bin": _bin_text(r["Bin"]), "count": int(r["Count"]),
             "event_rate": round(float(r["Event rate"]), 4), "woe": round(float(r["WoE"]), 4),
             "iv": round(float(r["IV"]), 4), "points": round(float(r["Points"]), 2)}
            for r in table.to_dict("records")]
    return Trained(card, list(features.columns), target, {"auc": auc, "gini": 2 * auc - 1, "ks": ks,
                   "holdout_rows": float(len(y_held)), "bad_rate": sum(labels) / len(labels)},
                   held_scores, best, clock.now().isoformat(timespec="seconds"),
                   len(labels), Path(path).name, rows, id_column)


def _bin_text(value) -> str:
    """A numeric bin is its interval ("[5.50, 11.50)"); a category bin lists its categories."""
    if isinstance(value, str):
        return value
    try:
        return " | ".join(str(item) for item in value)
    except TypeError:
        return str(value)


def save(model: Trained, out: Path) -> None:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    envelope = {"format": FORMAT, "format_version": FORMAT_VERSION, "credo": __version__, "model": model}
    with out.open("wb") as handle:
        pickle.dump(envelope, handle, protocol=pickle.HIGHEST_PROTOCOL)


def load(path: Path) -> Trained:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such model file")
    try:
        with path.open("rb") as handle:
            envelope = pickle.load(handle)  # noqa: S301  (a file the user trained: see the module's note)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as error:
        raise InvalidInput(f"{path.name}: not a credo model file ({error})") from None
    if not isinstance(envelope, dict) or envelope.get("format") != FORMAT:
        raise InvalidInput(f"{path.name}: not a credo model file")
    if envelope.get("format_version") != FORMAT_VERSION:
        raise InvalidInput(f"{path.name}: model format {envelope.get('format_version')}, this credo reads "
                           f"{FORMAT_VERSION}: train it again")
    return envelope["model"]


@dataclass(frozen=True)
class Scored:
    rows: list[dict]
    psi: float

    def to_json(self) -> dict:
        return {"psi": round(self.psi, 4), "stability": stability(self.psi), "rows": self.rows}

    def table(self) -> Tabular:
        title = (f"{len(self.rows)} scores; PSI {self.psi:.3f} against the validation scores "
                 f"({stability(self.psi)})")
        width = max((len(r["reasons"]) for r in self.rows), default=0)
        ids = [k for k in (self.rows[0] if self.rows else {}) if k not in ("row", "score", "reasons")]
        columns = [*ids, "row", "score", *[f"reason {k + 1}" for k in range(width)]]
        return Tabular(title, columns, [[*(r[k] for k in ids), r["row"], r["score"],
                                         *[f"{x['factor']} (-{x['points_lost']})" for x in r["reasons"]]]
                                        for r in self.rows])


def score(model: Trained, path: Path, *, top: int = 3) -> Scored:
    """Each row's score and its `top` reason codes; a column the model needs must be there (the
    target may be, and is ignored)."""
    path = Path(path)
    frame = _read_csv(path)
    missing = [f for f in model.features if f not in frame.columns]
    if missing:
        raise InvalidInput(f"{path.name}: the model needs column(s) {', '.join(missing)}")
    features = _typed(frame[model.features])
    with _quiet():
        scores = model.scorecard.score(features)
        points = _points_by_feature(model, features)
    rows = []
    for k, total in enumerate(scores):
        lost = sorted(((model.best_points[f] - points[f][k], f) for f in model.features), reverse=True)
        reasons = [_reason(f, frame[f].iloc[k], round(v, 1)) for v, f in lost[:top] if v > 0.05]
        row = {"row": k + 2, "score": round(float(total), 1), "reasons": reasons}
        if model.id_column and model.id_column in frame.columns:
            row = {model.id_column: frame[model.id_column].iloc[k], **row}
        rows.append(row)
    return Scored(rows, psi(model.holdout_scores, [float(s) for s in scores]))


def _reason(factor: str, value, points_lost: float) -> dict:
    """A reason code in words a sales person reads, in English and Chinese: the factor, the row's
    value of it, and the points it cost against the factor's best bin."""
    name = factor.replace("_", " ")
    shown = "(empty)" if value is None or str(value).strip() == "" else str(value)
    return {"factor": factor, "points_lost": points_lost,
            "en": f"{name} is {shown}: {points_lost:g} points below its best",
            "zh": f"{name}为{'（空）' if shown == '(empty)' else shown}：比最优区间少{points_lost:g}分"}


def _points_by_feature(model: Trained, features) -> dict[str, list[float]]:
    """The points each row earns on each factor: its bin's points from the scorecard's table."""
    binning = model.scorecard.binning_process_
    table = model.scorecard.table(style="detailed")
    indices = binning.transform(features, metric="indices")
    out = {}
    for feature in model.features:
        rows = table[table["Variable"] == feature]
        by_bin = dict(zip(rows["Bin id"].astype(int), rows["Points"].astype(float)))
        out[feature] = [by_bin.get(int(i), 0.0) for i in indices[feature]]
    return out
