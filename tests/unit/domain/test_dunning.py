"""The dunning run's decisions, walked across dates: one proposal per customer at its highest step,
never the same step twice, and disputes, promises, plans and credits changing the path."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings, strategies as st

from credo.domain.dunning import (
    Action,
    DunningCustomer,
    DunningItem,
    DunningPolicy,
    DunningStep,
    SentBefore,
    choose_policy,
    propose,
)
from credo.domain.dunning_defaults import DEFAULT_POLICIES, FIRM, GENTLE, KEY_ACCOUNTS, STANDARD

LADDER = DunningPolicy("test", "test", (
    DunningStep(1, "pre-due", -3, (Action.EMAIL,), "pre_due"),
    DunningStep(2, "first", 3, (Action.EMAIL,), "first_notice", D("50")),
    DunningStep(3, "final", 30, (Action.LETTER, Action.CALL), "final_demand", D("50"), fee=D("40")),
), repeat_every_days=10)
DUE = date(2024, 3, 15)  # a Friday


def customer(*items, unapplied=D(0), rating=None, segment=None):
    return DunningCustomer("C1", segment, rating, tuple(items), unapplied)


def item(invoice="I1", due=DUE, amount=D("1000.00"), **kw):
    return DunningItem(invoice, due, amount, **kw)


def every_day(_day):
    return True


def walk(start: date, end: date, items, policy=LADDER, **kw):
    """Run every day from start to end, recording what each proposal sends as the sender would."""
    sent: dict[str, SentBefore] = {}
    log = []
    day = start
    while day <= end:
        current = [replace(i, sent=sent.get(i.invoice)) for i in items]
        run = propose([customer(*current, **kw)], [policy], day, every_day)
        for proposal in run.proposals:
            log.append((day, proposal.step.level, proposal.new))
            for line in proposal.items:
                if line.times:
                    sent[line.invoice] = SentBefore(line.level, line.times, day)
        day += timedelta(days=1)
    return log


def test_an_invoice_walks_the_whole_ladder_once_and_then_repeats_the_last_step_at_its_interval():
    log = walk(date(2024, 3, 1), date(2024, 5, 5), [item()])
    assert log == [
        (date(2024, 3, 12), 1, ("I1:1:1",)),   # three days before the due date
        (date(2024, 3, 18), 2, ("I1:2:1",)),   # three days after
        (date(2024, 4, 14), 3, ("I1:3:1",)),   # thirty days after
        (date(2024, 4, 24), 3, ("I1:3:2",)),   # the last step again after ten days
        (date(2024, 5, 4), 3, ("I1:3:3",)),
    ]


def test_a_second_run_on_the_same_day_proposes_nothing():
    first = propose([customer(item())], [LADDER], date(2024, 3, 18), every_day)
    assert [p.new for p in first.proposals] == [("I1:2:1",)]
    sent = SentBefore(2, 1, date(2024, 3, 18))
    again = propose([customer(item(sent=sent))], [LADDER], date(2024, 3, 18), every_day)
    assert again.proposals == () and [s.reason for s in again.skipped] == ["nothing_due"]


def test_a_failed_send_is_proposed_again_on_the_next_run():
    # Nothing recorded on the 18th (the send failed): the 19th proposes the same step.
    run = propose([customer(item())], [LADDER], date(2024, 3, 19), every_day)
    assert run.proposals[0].new == ("I1:2:1",)


def test_one_message_per_customer_at_the_highest_step_lists_every_item_in_dunning():
    old = item("OLD", DUE - timedelta(days=40), D("300.00"), sent=SentBefore(3, 1, date(2024, 4, 10)))
    new = item("NEW", DUE, D("700.00"))
    run = propose([customer(old, new)], [LADDER], date(2024, 3, 18), every_day)
    [proposal] = run.proposals
    assert proposal.step.level == 3 and proposal.step.fee == D("40")
    assert [(i.invoice, i.level, i.days_past_due, i.times) for i in proposal.items] == [
        ("OLD", 3, 43, 0), ("NEW", 2, 3, 1)]
    assert proposal.new == ("NEW:2:1",)
    assert proposal.open_amount == D("1000.00")


def test_a_disputed_invoice_is_out_of_dunning_while_the_dispute_is_open():
    assert walk(date(2024, 3, 1), date(2024, 4, 30), [item(disputed=True)]) == []


def test_a_promise_pauses_dunning_until_its_date_plus_grace_then_it_resumes():
    log = walk(date(2024, 3, 1), date(2024, 4, 20), [item(paused_until=date(2024, 4, 5))])
    assert log[0] == (date(2024, 4, 6), 2, ("I1:2:1",))  # the pre-due step had passed unsent: only the reached one


def test_a_broken_promise_resumes_dunning_one_step_higher():
    run = propose([customer(item(broken_promise=True, sent=SentBefore(1, 1, date(2024, 3, 12))))], [LADDER],
                  date(2024, 3, 20), every_day)
    assert run.proposals[0].step.level == 3


def test_a_payment_plan_instalment_date_replaces_the_due_date():
    instalment = item(due=date(2024, 6, 30))  # the plan's next instalment, as the caller passes it
    assert walk(date(2024, 3, 1), date(2024, 6, 27), [instalment]) == [(date(2024, 6, 27), 1, ("I1:1:1",))]


def test_unapplied_credit_is_netted_first_and_a_small_net_balance_waits():
    run = propose([customer(item(amount=D("100.00")), unapplied=D("60.00"))], [LADDER], date(2024, 3, 18), every_day)
    assert run.proposals == ()
    assert (run.skipped[0].reason, run.skipped[0].detail) == ("below_minimum", "net 40.00 <= minimum 50")


def test_nothing_goes_out_on_a_day_that_is_not_a_working_day_and_the_next_working_day_catches_up():
    saturday = date(2024, 3, 16)
    assert propose([customer(item())], [LADDER], saturday).skipped[0].reason == "not_a_working_day"
    monday = propose([customer(item())], [LADDER], date(2024, 3, 18))
    assert monday.proposals[0].step.level == 2


@pytest.mark.parametrize("segment, rating, policy", [
    ("key_account", "C", KEY_ACCOUNTS), (None, "A", GENTLE), ("retail", "B", GENTLE), (None, "C", STANDARD),
    (None, None, STANDARD), ("key_account", "D", FIRM), (None, "E", FIRM)])
def test_the_policy_follows_the_rating_and_segment(segment, rating, policy):
    assert choose_policy(DEFAULT_POLICIES, segment, rating) is policy


def test_a_gentle_customer_hears_before_the_due_date_and_a_firm_one_is_blocked_after_a_week():
    gentle = [p.step for p in propose([customer(item(), rating="A")], DEFAULT_POLICIES, DUE - timedelta(days=5),
                                     every_day).proposals]
    assert [(s.name, s.actions) for s in gentle] == [("courtesy reminder", (Action.EMAIL,))]
    firm = propose([customer(item(), rating="D")], DEFAULT_POLICIES, DUE + timedelta(days=7), every_day).proposals
    assert Action.ORDER_BLOCK in firm[0].step.actions


@pytest.mark.parametrize("steps, message", [
    ((), "no steps"),
    ((DunningStep(2, "x", 1, (), "t"),), "numbered 1, 2"),
    ((DunningStep(1, "x", 5, (), "t"), DunningStep(2, "y", 5, (), "t")), "later than the one before"),
])
def test_a_malformed_policy_is_refused_with_its_reason(steps, message):
    with pytest.raises(ValueError, match=message):
        DunningPolicy("bad", "bad", steps)


def test_without_a_matching_policy_the_run_says_to_add_a_catch_all():
    with pytest.raises(ValueError, match="catch-all"):
        choose_policy([GENTLE], None, "C")


@settings(max_examples=40, deadline=None)
@given(dues=st.lists(st.integers(-60, 60), min_size=1, max_size=4), disputed=st.lists(st.booleans(), min_size=4,
       max_size=4), policy=st.sampled_from(DEFAULT_POLICIES))
def test_no_step_is_ever_proposed_twice_for_one_invoice_whatever_the_runs(dues, disputed, policy):
    items = [item(f"I{k}", DUE + timedelta(days=d), D("500.00"), disputed=disputed[k]) for k, d in enumerate(dues)]
    log = walk(DUE - timedelta(days=10), DUE + timedelta(days=150), items, policy=replace(policy, ratings=None, segments=None))
    keys = [key for _day, _level, new in log for key in new]
    assert len(keys) == len(set(keys))
    assert all(not disputed[int(key.split(":")[0][1:])] for key in keys)
