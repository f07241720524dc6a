"""Load test: `credo serve` over a benchmark ledger in one process, clients in this one, on loopback.

    python -m bench.load [--invoices 1000000] [--engine postgresql] [--clients 50] [--seconds 20]
                         [--think 1,0]

The ledger is the one `python -m bench` generated (bench/data/sqlite-N.db, or schema bench_N in
BENCH_POSTGRES_URL); a user `loadtest` (admin) is added to it once. For each target the clients
loop for the given time after a warm-up; the figures are requests per second and p50/p95/p99
latency, printed and written to bench/data/load-<engine>-<N>.json for docs/performance.md.

Each run is made once per think time: a client waits a random 0.5x to 1.5x of it after each
answer, as people reading a page do (50 clients thinking 1 s: 50 people working without pause);
think time 0 is the closed loop that finds the server's saturation throughput (there, by Little's
law, latency is clients / throughput whatever the code does).

A path may hold {customer}: each request then takes the next customer of the ledger in a seeded
random order, each run from its own starting point; with 20,000 customers at 1M invoices hardly
one is asked for twice, so these figures are of pages computed afresh, not served from the cache
that keeps a customer 360 per ledger version (the page and the API share it).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

import httpx

from bench import database
from bench.database import DATA

PASSWORD = "load-test-password"
TARGET_P95_MS = 100.0


def prepare_user(t: database.Target) -> None:
    from sqlalchemy import select

    from credo.services.users import add_user
    from credo.store.db import upgrade
    from credo.store.tables import users

    engine = t.make()
    upgrade(engine)
    with engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == "loadtest")).first() is None:
            add_user(conn, username="loadtest", display_name="Load test", role="admin", password=PASSWORD,
                     actor="bench")
    engine.dispose()


def database_url(t: database.Target) -> str:
    if t.schema:
        separator = "&" if "?" in t.url else "?"
        return f"{t.url}{separator}options=-csearch_path%3D{t.schema}"
    return t.url


def start_server(t: database.Target, port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ, CREDO_DATABASE_URL=database_url(t), CREDO_COMPANY="BENCH", CREDO_SIGN_IN_ATTEMPTS="1000")
    server = subprocess.Popen([sys.executable, "-m", "credo", "serve", "--port", str(port), "--workers", str(workers)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.3)
    server.kill()
    raise RuntimeError(f"credo serve did not start: {server.stderr.read().decode()[-2000:]}")


async def hammer(base: str, cookies: dict, path: str, clients: int, seconds: float, warmup: float,
                 think: float = 0.0, customers: list[str] | None = None) -> dict:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    latencies: list[float] = []
    errors = 0
    pause = random.Random(7)
    customers = customers or ["-"]
    start = zlib.crc32(f"{path} {think}".encode()) % len(customers)  # each run its own customers
    rotation = itertools.cycle(customers[start:] + customers[:start])
    # A long timeout: the first requests of a cold server compute the dashboard (seconds at 1M).
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=300) as client:
        async def one_client(until: float, record: bool) -> None:
            nonlocal errors
            if think:  # clients start spread over one think time, as people do
                await asyncio.sleep(pause.uniform(0, think))
            while time.monotonic() < until:
                start = time.perf_counter()
                try:
                    response = await client.get(path.format(customer=next(rotation)))
                except httpx.TransportError:  # a connection reset is an error of the run, not its end
                    errors += 1
                    continue
                elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    errors += 1
                elif record:
                    latencies.append(elapsed)
                if think:
                    await asyncio.sleep(pause.uniform(0.5 * think, 1.5 * think))

        await asyncio.gather(*(one_client(time.monotonic() + warmup, False) for _ in range(clients)))
        started = time.monotonic()
        await asyncio.gather(*(one_client(started + seconds, True) for _ in range(clients)))
        wall = time.monotonic() - started
    if not latencies:
        return {"path": path, "think_s": think, "errors": errors, "requests": 0}
    cuts = statistics.quantiles(latencies, n=100)
    return {"path": path, "think_s": think, "requests": len(latencies), "errors": errors, "rps": len(latencies) / wall,
            "p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000, "p99_ms": cuts[98] * 1000}


def sign_in(base: str) -> dict:
    answer = httpx.post(f"{base}/api/v1/session", json={"username": "loadtest", "password": PASSWORD}, timeout=30)
    answer.raise_for_status()
    return dict(answer.cookies)


def busiest_customer(base: str, cookies: dict) -> str:
    page = httpx.get(f"{base}/api/v1/customers", params={"sort": "-open", "limit": 1}, cookies=cookies, timeout=120)
    page.raise_for_status()
    return page.json()["items"][0]["code"]


def shuffled_customers(t: database.Target, seed: int = 20240601) -> list[str]:
    from sqlalchemy import select

    from credo.store.tables import customers

    engine = t.make()
    with engine.connect() as conn:
        codes = sorted(conn.execute(select(customers.c.code)).scalars())
    engine.dispose()
    random.Random(seed).shuffle(codes)
    return codes


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    p.add_argument("--invoices", type=int, default=1_000_000, help="size of the generated ledger to serve")
    p.add_argument("--engine", default="postgresql", choices=("postgresql", "sqlite"))
    p.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    p.add_argument("--seconds", type=float, default=20, help="measured seconds per target")
    p.add_argument("--warmup", type=float, default=3, help="unmeasured seconds first")
    p.add_argument("--workers", type=int, default=2, help="server worker processes (default 2: one per core)")
    p.add_argument("--port", type=int, default=8799)
    p.add_argument("--postgres-url", default=os.environ.get("BENCH_POSTGRES_URL",
                                                            "postgresql+psycopg://postgres@127.0.0.1:5432/credo_bench"))
    p.add_argument("--paths", default="", help="comma-separated paths instead of the default targets "
                                               "({customer}: a different customer each request)")
    p.add_argument("--think", default="1,0", help="think times in seconds, comma separated: one run of every "
                                                  "path per think time (default 1,0; 0 is the closed loop)")
    args = p.parse_args(argv)
    t = database.target(args.engine, args.invoices, args.postgres_url)
    if database.marker(t, 20240601) is None:
        p.error(f"no generated {args.engine} ledger of {args.invoices:,} invoices: run python -m bench "
                f"--sizes {args.invoices} --engines {args.engine} first")
    prepare_user(t)
    thinks = [float(x) for x in args.think.split(",") if x.strip()]
    customers = shuffled_customers(t)
    server = start_server(t, args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        cookies = sign_in(base)
        code = busiest_customer(base, cookies)
        paths = [x for x in args.paths.split(",") if x] or [
            "/", f"/customers/{code}", "/customers/{customer}", "/invoices", f"/api/v1/customers/{code}",
            "/api/v1/customers/{customer}", "/api/v1/invoices?limit=50"]
        results = []
        for think in thinks:
            print(f"-- {args.clients} clients, think time {think:g} s{' (closed loop)' if not think else ''}")
            for path in paths:
                result = asyncio.run(hammer(base, cookies, path, args.clients, args.seconds, args.warmup, think,
                                            customers))
                results.append(result)
                if result["requests"]:
                    # Closed loop: latency is clients / throughput (Little's law), the throughput is the figure.
                    verdict = f"(p95 <= {TARGET_P95_MS:g} ms: {'PASS' if result['p95_ms'] <= TARGET_P95_MS else 'MISS'})" \
                        if think else "(closed loop: saturation throughput)"
                    print(f"{path:42} {result['rps']:7.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
                          f"p95 {result['p95_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms  errors {result['errors']}  "
                          f"{verdict}", flush=True)
                else:
                    print(f"{path:42} no successful answer ({result['errors']} errors)", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    DATA.mkdir(parents=True, exist_ok=True)
    out = DATA / f"load-{args.engine}-{args.invoices}.json"
    out.write_text(json.dumps({"clients": args.clients, "seconds": args.seconds, "workers": args.workers,
                               "think_s": thinks,
                               "measured": time.strftime("%Y-%m-%dT%H:%M:%S"), "results": results}, indent=2))
    print(f"figures: {Path(out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
