"""Scoring benchmark: how well the statistical scorecard ranks applicants it never saw, against a
plain one-hot logistic regression on the same folds; then its speed over 100,000 customers in one
batch, against a baseline that scores them one by one (a 1-row call per customer, as an
integration that scores each record when it changes would).

    python -m bench.scoring [--folds 10] [--repeats 5] [--seed 42] [--rows 100000] [--single 1000]

The model is trained on examples/credit/german-credit.csv: every candidate setting and the
baseline cross-validated on the same folds (10 x 5 by default, seed 42), the best setting then
fitted on every row. The rows scored are drawn from the file with replacement (seeded). The one-by-one baseline runs on the first --single rows and its rate
is carried to --rows (running it whole would take minutes). Figures are printed and written to
bench/data/scoring.json for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.database import DATA
from credo.services.credit.cross_validation import Setting

GERMAN = Path(__file__).resolve().parents[1] / "examples" / "credit" / "german-credit.csv"


def _best_of(fn, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    import pandas as pd

    from credo.services.credit import statistical

    p = argparse.ArgumentParser(prog="python -m bench.scoring", description=__doc__.splitlines()[0])
    p.add_argument("--folds", type=int, default=10, help="cross-validation folds (default 10)")
    p.add_argument("--repeats", type=int, default=5, help="cross-validation repeats (default 5)")
    p.add_argument("--seed", type=int, default=42, help="seed of the folds' shuffles (default 42)")
    p.add_argument("--rows", type=int, default=100_000, help="customers to score (default 100,000)")
    p.add_argument("--single", type=int, default=1_000, help="rows the one-by-one baseline really scores")
    args = p.parse_args(argv)

    started = time.perf_counter()
    model = statistical.train(GERMAN, "creditability", folds=args.folds, repeats=args.repeats, seed=args.seed)
    train_s = time.perf_counter() - started
    _print_validation(model.validation)
    rows = pd.read_csv(GERMAN, dtype=str, keep_default_na=False).sample(n=args.rows, replace=True, random_state=7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "customers.csv"
        rows.to_csv(path, index=False)
        batch_s = _best_of(lambda: statistical.score(model, path))  # reading, scores, reasons, PSI
        features = statistical._typed(rows[model.features])
        with statistical._quiet():
            scores_only_s = _best_of(lambda: model.scorecard.score(features))
            sample = features.iloc[: args.single]
            start = time.perf_counter()
            for k in range(len(sample)):
                model.scorecard.score(sample.iloc[[k]])
            single_s = (time.perf_counter() - start) / len(sample)
    one_by_one_s = single_s * args.rows
    figures = {"validation": model.validation, "rows": args.rows, "train_s": train_s, "batch_s": batch_s, "batch_scores_only_s": scores_only_s,
               "one_by_one_per_row_ms": single_s * 1000, "one_by_one_s": one_by_one_s,
               "speedup": one_by_one_s / batch_s, "measured": time.strftime("%Y-%m-%dT%H:%M:%S")}
    print(f"train on {GERMAN.name} (cross-validation and the final fit): {train_s:.1f} s")
    print(f"{args.rows:,} customers in one batch (read, score, reasons, PSI): {batch_s:.2f} s "
          f"({args.rows / batch_s:,.0f} a second); scores alone {scores_only_s:.2f} s")
    print(f"one by one: {single_s * 1000:.2f} ms a customer (measured on {args.single:,}), "
          f"{one_by_one_s:.0f} s for {args.rows:,}: the batch is {one_by_one_s / batch_s:.0f}x faster")
    DATA.mkdir(parents=True, exist_ok=True)
    (DATA / "scoring.json").write_text(json.dumps(figures, indent=2))
    return 0


def _print_validation(validation: dict) -> None:
    """The chosen scorecard and the baseline side by side, then every candidate."""
    card, plain = validation["scorecard"], validation["baseline"]
    print(f"{validation['folds']}-fold cross-validation x {validation['repeats']} repeats, seed {validation['seed']}, "
          f"on {GERMAN.name} (AUC mean ± std over the held-out folds; KS mean):")
    print(f"  {'model':<44} {'AUC':>15} {'KS':>6}")
    chosen = Setting(**validation["chosen"])
    print(f"  {'scorecard (' + str(chosen) + ')':<44} {card['auc']:.3f} ± {card['auc_std']:.3f} {card['ks']:>9.3f}")
    print(f"  {'one-hot logistic regression (C 1)':<44} {plain['auc']:.3f} ± {plain['auc_std']:.3f} {plain['ks']:>9.3f}")
    print("  candidates: " + "; ".join(f"{Setting(c['max_bins'], c['c'])} {c['auc']:.4f}"
                                        for c in validation["candidates"]))


if __name__ == "__main__":
    raise SystemExit(main())
