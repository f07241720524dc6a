"""Cached figures are served only for the state of the ledger they were computed from."""

from __future__ import annotations

import pytest

from credo.services import audit
from credo.services.snapshots import Snapshots, ledger_version

pytestmark = pytest.mark.db


def test_a_snapshot_is_recomputed_after_any_audited_change_and_not_before(db, company):
    snapshots, computed = Snapshots(), []

    def compute():
        computed.append(1)
        return len(computed)

    with db.connect() as conn:
        assert snapshots.get(conn, "k", compute) == 1
        assert snapshots.get(conn, "k", compute) == 1
        before = ledger_version(conn)
    with db.begin() as conn:
        audit.record(conn, actor="test", action="update", entity="invoice", key="I1", company_id=company.id)
    with db.connect() as conn:
        assert ledger_version(conn)[0] > before[0]
        assert snapshots.get(conn, "k", compute) == 2
        assert snapshots.get(conn, "other", compute) == 3
    assert (snapshots.hits, snapshots.misses) == (1, 3)


def test_the_least_recently_used_snapshot_goes_first(db, company):
    snapshots = Snapshots(size=2)
    with db.connect() as conn:
        for key in ("a", "b", "a", "c"):
            snapshots.get(conn, key, lambda key=key: key)
        snapshots.get(conn, "b", lambda: "b again")
    assert snapshots.misses == 4  # a, b, c, then b again (evicted by c)


def test_requests_arriving_together_wait_for_one_computation(engine, db, company):
    import threading
    import time

    snapshots, computed, answers = Snapshots(), [], []

    def compute():
        computed.append(1)
        time.sleep(0.2)
        return "figures"

    def ask():
        with engine.connect() as conn:
            answers.append(snapshots.get(conn, "dashboard", compute))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(computed), answers) == (1, ["figures"] * 8)
    assert (snapshots.misses, snapshots.hits) == (1, 7)
