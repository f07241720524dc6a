"""python -m bench [--sizes 1000000,10000000] [--engines sqlite,postgresql] [--repeat 3] [--keep]

Environment: BENCH_SIZES, BENCH_ENGINES, BENCH_REPEAT, BENCH_POSTGRES_URL, BENCH_KEEP=1.
Figures go to the terminal (a Rich table) and to bench/data/latest.json; plans to bench/data/plans-*.txt.
"""

from __future__ import annotations

import argparse
import os
import sys

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/credo_bench"


def _ints(text: str) -> list[int]:
    return [int(part.replace("_", "")) for part in text.split(",") if part.strip()]


def _words(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def parse(argv: list[str]) -> argparse.Namespace:
    from bench.suite import PHASES

    p = argparse.ArgumentParser(prog="python -m bench", description="credo's benchmarks (docs/performance.md)")
    p.add_argument("--sizes", type=_ints, default=_ints(os.environ.get("BENCH_SIZES", "1000000")),
                   help="invoice counts, comma separated (env BENCH_SIZES; default 1000000)")
    p.add_argument("--engines", type=_words, default=_words(os.environ.get("BENCH_ENGINES", "sqlite,postgresql")),
                   help="sqlite, postgresql or both (env BENCH_ENGINES)")
    p.add_argument("--repeat", type=int, default=int(os.environ.get("BENCH_REPEAT", "3")),
                   help="warm runs per figure after one warm-up; the median is reported (default 3)")
    p.add_argument("--keep", action="store_true", default=os.environ.get("BENCH_KEEP") == "1",
                   help="reuse a generated database of the same size and seed instead of regenerating")
    p.add_argument("--seed", type=int, default=20240601, help="seed of the synthetic ledger")
    p.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
                   help="PostgreSQL database the benchmark may use (a schema bench_<N> per size)")
    p.add_argument("--phases", type=_words, default=list(PHASES),
                   help=f"what to measure after generation (default all: {','.join(PHASES)})")
    p.add_argument("--profile-import", action="store_true",
                   help="also run the import under cProfile (done anyway when it takes over 30 s)")
    p.add_argument("--orm-runs", type=int, default=1,
                   help="runs of the ORM and Core baselines above 2M invoices (default 1: they are slow)")
    args = p.parse_args(argv)
    unknown = set(args.engines) - {"sqlite", "postgresql"}
    if unknown:
        p.error(f"unknown engine(s): {', '.join(sorted(unknown))}")
    unknown = set(args.phases) - set(PHASES)
    if unknown:
        p.error(f"unknown phase(s): {', '.join(sorted(unknown))}")
    if args.repeat < 1:
        p.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    from rich.console import Console

    from bench.suite import RESULTS, Suite, table

    suite = Suite(args.sizes, args.engines, args.repeat, args.keep, args.seed, args.postgres_url, args.phases,
                  args.profile_import, args.orm_runs)
    results = suite.run()
    suite.save()
    console = Console(width=max(Console().width, 120))
    console.print(table(results))
    console.print(f"figures: {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
