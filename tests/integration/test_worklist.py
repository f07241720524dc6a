"""The collector's worklist, tasks and activities on the acme ledger (tests/integration/test_dunning.py),
with scores worked out by hand from domain.worklist's default weights.

As of 2024-04-15 (a Monday), sales are the 12 months to the date, in CNY:
  C1 (wang, key_account, unrated = C): I2 due 03-31, 1,500.00 overdue, 15 days; sales 3,000.00
      1.5 + 7.5 + 10 + 0.3 = 19.30; dunning proposes level 2 "friendly reminder" (email)
  C2 (lee, standard, unrated): I3 300.00 USD x 7 = 2,100.00 overdue since 03-30, 16 days; sales 3,500.00
      2.1 + 8 + 10 + 0.35 = 20.45; level 2 "first notice" (email): never dunned, its first step after the due date
  C3: nothing invoiced yet (I4 is dated 05-20): not on the worklist
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, insert, select

from credo.domain.worklist import DEFAULT_CARE
from credo.errors import Conflict, NotFound
from credo.services.access import EVERYONE, Scope
from credo.services.collections.activities import Activity, list_activities, log_activity
from credo.services.collections.care import schedule_follow_ups
from credo.services.collections.tasks import add_task, cancel_task, complete_task, create_task, open_tasks
from credo.services.collections.worklist import worklist
from credo.store.tables import audit_log
from credo.store.collections_tables import promises, tasks
from credo.store.tables import customers

pytestmark = pytest.mark.db
D = Decimal
AS_OF = date(2024, 4, 15)
WANG = Scope("collector", "wang")
NOW = datetime(2024, 4, 1, tzinfo=timezone.utc)


def customer_id(conn, code):
    return conn.execute(select(customers.c.id).where(customers.c.code == code)).scalar_one()


def lines(db, company, scope=EVERYONE, as_of=AS_OF, **kwargs):
    with db.connect() as conn:
        return [line.to_json() for line in worklist(conn, company, scope, as_of, **kwargs).lines]


def test_the_worklist_orders_the_customers_by_the_hand_computed_score_with_the_dunning_step_as_next_action(db, acme):
    got = [(x["customer"], x["score"], x["overdue"], x["days_past_due"], x["rating"], x["sales_12m"], x["next_action"])
           for x in lines(db, acme)]
    assert got == [("C2", "20.45", "2100.00", 16, "C", "3500.00", "first notice (email)"),
                   ("C1", "19.30", "1500.00", 15, "C", "3000.00", "friendly reminder (email)")]


def test_a_collector_sees_the_worklist_of_the_portfolio_only(db, acme):
    assert [x["customer"] for x in lines(db, acme, WANG)] == ["C1"]
    assert [x["customer"] for x in lines(db, acme, collector="lee")] == ["C2"]


def test_a_promise_due_today_and_a_task_due_raise_a_customer_above_the_others(db, acme):
    with db.begin() as conn:
        c1 = customer_id(conn, "C1")
        conn.execute(insert(promises).values(company_id=acme.id, customer_id=c1, made_on=date(2024, 4, 10),
                                             promised_on=AS_OF, amount=150000, currency="CNY", channel="phone",
                                             created_at=NOW, actor="test"))
        create_task(conn, acme, c1, "call", date(2024, 4, 12), "wang", "ask for the remittance", None, "test")
    [c1] = [x for x in lines(db, acme) if x["customer"] == "C1"]
    # 19.30 + 15 (promise due today) + 10 (a task due): 44.30; the promise pauses dunning: the task is next
    assert (c1["score"], c1["promises_due"], c1["tasks_due"]) == ("44.30", 1, 1)
    assert c1["next_action"] == "call: ask for the remittance"
    assert lines(db, acme)[0]["customer"] == "C1"


def test_a_promise_broken_in_the_last_30_days_adds_its_weight(db, acme):
    with db.begin() as conn:  # 300.00 USD promised by 04-05; P2 paid only 200.00, and on 04-10
        conn.execute(insert(promises).values(company_id=acme.id, customer_id=customer_id(conn, "C2"),
                                             made_on=date(2024, 4, 1), promised_on=date(2024, 4, 5), amount=30000,
                                             currency="USD", channel="phone", created_at=NOW, actor="test"))
    [c2] = [x for x in lines(db, acme) if x["customer"] == "C2"]
    assert (c2["broken_promises"], c2["score"]) == (1, "45.45")  # 20.45 + 25
    [later] = [x for x in lines(db, acme, as_of=date(2024, 5, 10)) if x["customer"] == "C2"]
    assert later["broken_promises"] == 0  # broken 35 days before: no longer weighed


def test_creating_a_task_with_a_source_already_raised_returns_it_and_writes_nothing(db, acme):
    with db.begin() as conn:
        c1 = customer_id(conn, "C1")
        first = create_task(conn, acme, c1, "call", AS_OF, "wang", "final demand call", "I2:4:1", "dunning")
        before = conn.execute(select(func.count()).select_from(audit_log)).scalar()
        again = create_task(conn, acme, c1, "visit", date(2024, 5, 1), "lee", "other", "I2:4:1", "dunning")
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar() == before
        assert conn.execute(select(func.count()).select_from(tasks)).scalar() == 1
    assert first["created"] and not again["created"]
    assert {k: again[k] for k in ("id", "kind", "due_on", "assignee")} == {
        "id": first["id"], "kind": "call", "due_on": "2024-04-15", "assignee": "wang"}


def test_logging_a_call_with_a_follow_up_date_raises_a_task_for_the_collector(db, acme):
    with db.begin() as conn:
        done = log_activity(conn, acme, WANG, "C1", Activity("call", AS_OF, "李会计", "I2", "will pay on Friday",
                                                             next_follow_up=date(2024, 4, 19)), "user:collector")
        log_activity(conn, acme, WANG, "C1", Activity("note", date(2024, 4, 16), outcome="remittance seen"),
                     "user:collector")
    assert done["task"]["kind"] == "follow_up" and done["task"]["assignee"] == "wang"
    assert done["task"]["due_on"] == "2024-04-19" and done["task"]["title"] == "will pay on Friday"
    with db.connect() as conn:
        listed = list_activities(conn, acme, WANG, "C1")
        tasks_open = open_tasks(conn, acme, WANG, AS_OF)
        actions = conn.execute(select(audit_log.c.action, audit_log.c.entity).order_by(audit_log.c.id)).all()[-3:]
    assert [(a["kind"], a["invoice"], a["contact"]) for a in listed] == [("note", None, None), ("call", "I2", "李会计")]
    assert [(t["customer"], t["due_on"], t["due"]) for t in tasks_open] == [("C1", "2024-04-19", False)]
    assert actions == [("log", "activity"), ("create", "task"), ("log", "activity")]


def test_another_portfolio_is_not_found(db, acme):
    with db.begin() as conn:
        with pytest.raises(NotFound):
            log_activity(conn, acme, WANG, "C2", Activity("call", AS_OF), "user:collector")
        task = add_task(conn, acme, EVERYONE, "C2", "visit", AS_OF, "visit the plant", "admin")
        with pytest.raises(NotFound):
            complete_task(conn, acme, WANG, task["id"], "done", AS_OF, "user:collector")
    assert task["assignee"] == "lee"


def test_completing_a_task_can_log_the_call_and_a_closed_task_cannot_close_again(db, acme):
    with db.begin() as conn:
        task = add_task(conn, acme, WANG, "C1", "call", AS_OF, "call about I2", "user:collector")
        done = complete_task(conn, acme, WANG, task["id"], "promised 04-30", AS_OF, "user:collector", log_as="call")
        with pytest.raises(Conflict):
            cancel_task(conn, acme, WANG, task["id"], "duplicate", AS_OF, "user:collector")
        assert open_tasks(conn, acme, WANG, AS_OF) == []
    assert (done["status"], done["outcome"], done["activity"]["kind"]) == ("done", "promised 04-30", "call")


def test_care_raises_a_courtesy_task_once_for_each_customer_due_one(db, acme):
    with db.begin() as conn:  # C1 (key account) visited 90 days before: due 04-15; C2 never contacted: due today
        log_activity(conn, acme, EVERYONE, "C1", Activity("visit", date(2024, 1, 16)), "admin")
        raised = schedule_follow_ups(conn, acme, AS_OF)
        again = schedule_follow_ups(conn, acme, date(2024, 4, 16))
    assert [(t["customer"], t["kind"], t["due_on"], t["assignee"], t["source"]) for t in raised] == [
        ("C1", "visit", "2024-04-15", "wang", "care:C1:2024-04-15"),
        ("C2", "call", "2024-04-15", "lee", "care:C2:2024-04-15")]
    assert again == []  # their care tasks are still open
    with db.begin() as conn:
        nothing = schedule_follow_ups(conn, acme, date(2024, 1, 20))
    assert nothing == []  # C1 seen on 01-16; C2 not yet invoiced on 01-20


def test_a_care_run_raises_at_most_its_tasks_per_run_the_best_customers_first(db, acme):
    """As of 06-01 C1 (key account), C2 and C3 (invoiced 05-20) were never contacted: all three are due
    that day. Two a run: C1 (a key account comes first) and C2 (by code); the next day C3 alone (the
    others' tasks are still open)."""
    two = replace(DEFAULT_CARE, tasks_per_run=2)
    with db.begin() as conn:
        first = schedule_follow_ups(conn, acme, date(2024, 6, 1), policy=two)
        second = schedule_follow_ups(conn, acme, date(2024, 6, 2), policy=two)
    assert [(t["customer"], t["kind"], t["due_on"]) for t in first] == [
        ("C1", "visit", "2024-06-01"), ("C2", "call", "2024-06-01")]
    assert [(t["customer"], t["due_on"]) for t in second] == [("C3", "2024-06-02")]


def test_no_care_task_is_raised_for_a_customer_handed_to_an_agency_or_legal(db, acme):
    """C2 was handed to an agency on 05-15 (2,100.00 overdue): as of 06-01 only C1 and C3 get a
    courtesy task; once the case is closed (06-10), C2 gets its call on the next run."""
    from credo.services.collections.cases import close_case, open_case

    with db.begin() as conn:
        case = open_case(conn, acme, EVERYONE, "C2", "agency", "华信催收", date(2024, 5, 15), "admin", D("60"))
        raised = schedule_follow_ups(conn, acme, date(2024, 6, 1))
        close_case(conn, acme, EVERYONE, case["id"], date(2024, 6, 10), "admin")
        after = schedule_follow_ups(conn, acme, date(2024, 6, 10))
    assert [t["customer"] for t in raised] == ["C1", "C3"]
    assert [(t["customer"], t["due_on"]) for t in after] == [("C2", "2024-06-10")]
