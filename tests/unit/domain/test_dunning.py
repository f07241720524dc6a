"""The dunning run's decisions, walked across dates: one proposal per customer at its highest step,
one step per run with a wait between steps, never the same step twice, a person after the longest
stay, and disputes, promises, plans and credits changing the path."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings, strategies as st

from credo.domain.dunning import (
    Action,
    DunningCustomer,
    Retry,
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


def walk(start: date, end: date, items, policy=LADDER, handovers=None, **kw):
    """Run every day from start to end, recording what each proposal sends as the sender would (and
    the handovers in `handovers`, a list, when given)."""
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
                    before = sent.get(line.invoice)
                    since = before.since if before and before.level == line.level else day
                    sent[line.invoice] = SentBefore(line.level, line.times, day, since)
        if handovers is not None:
            handovers.extend((day, h.step.level, h.since, h.invoices) for h in run.handovers)
        day += timedelta(days=1)
    return log


def test_an_invoice_walks_the_whole_ladder_once_and_then_repeats_the_last_step_at_its_interval():
    log = walk(date(2024, 3, 1), date(2024, 5, 5), [item()])
    assert log == [
        (date(2024, 3, 12), 1, ("I1:1:1",)),   # three days before the due date
        (date(2024, 3, 19), 2, ("I1:2:1",)),   # three days after (03-18), but the policy waits 7 days after 03-12
        (date(2024, 4, 14), 3, ("I1:3:1",)),   # thirty days after
        (date(2024, 4, 24), 3, ("I1:3:2",)),   # the last step again after ten days
        (date(2024, 5, 4), 3, ("I1:3:3",)),    # 20 days on the step: under the maximum stay of 30
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


def test_one_message_per_customer_at_the_highest_step_due_lists_every_item_in_dunning():
    old = item("OLD", DUE - timedelta(days=40), D("300.00"), sent=SentBefore(2, 1, date(2024, 3, 10)))
    new = item("NEW", DUE - timedelta(days=3), D("700.00"))
    # 03-17: OLD (due 02-04, 42 days late, first notice on 03-10) is due its final demand (+30, and
    # 7 days since); NEW (due 03-12, 5 days late, never dunned) its first notice. One message at the
    # final demand with its fee, listing both; NEW's first notice rides along in it.
    [proposal] = propose([customer(old, new)], [LADDER], date(2024, 3, 17), every_day).proposals
    assert proposal.step.level == 3 and proposal.step.fee == D("40")
    assert [(i.invoice, i.level, i.days_past_due, i.times) for i in proposal.items] == [
        ("OLD", 3, 42, 1), ("NEW", 2, 5, 1)]
    assert proposal.new == ("OLD:3:1", "NEW:2:1") and proposal.open_amount == D("1000.00")


def test_an_invoice_behind_the_customer_waits_in_the_list_rather_than_step_the_customer_back():
    old = item("OLD", DUE - timedelta(days=40), D("300.00"), sent=SentBefore(3, 1, date(2024, 3, 10)))
    new = item("NEW", DUE, D("700.00"))
    # 03-18: OLD stands at the final demand (sent 03-10); NEW reached its first notice, a step the
    # customer had already: no first notice after a final demand, nothing to send today.
    run = propose([customer(old, new)], [LADDER], date(2024, 3, 18), every_day)
    assert run.proposals == () and run.skipped[0].reason == "nothing_due"
    # 03-20: OLD's final demand again (every 10 days) lists NEW, whose first notice rides along.
    [proposal] = propose([customer(old, new)], [LADDER], date(2024, 3, 20), every_day).proposals
    assert proposal.step.level == 3 and proposal.new == ("OLD:3:2", "NEW:2:1") and proposal.reminded_before
    assert [(i.invoice, i.level, i.days_past_due, i.times) for i in proposal.items] == [
        ("OLD", 3, 45, 2), ("NEW", 2, 5, 1)]
    # Beside a retry of OLD's call task (its letter went), NEW does not ride along: the retry carries
    # the failed channel only.
    retrying = replace(old, retry=Retry(3, 1, frozenset({"letter"})))
    [retry] = propose([customer(retrying, new)], [LADDER], date(2024, 3, 18), every_day).proposals
    assert retry.new == ("OLD:3:1",) and retry.to_do == (Action.CALL,)


def test_a_disputed_invoice_is_out_of_dunning_while_the_dispute_is_open():
    assert walk(date(2024, 3, 1), date(2024, 4, 30), [item(disputed=True)]) == []


def test_a_promise_pauses_dunning_until_its_date_plus_grace_then_it_resumes():
    log = walk(date(2024, 3, 1), date(2024, 4, 20), [item(paused_until=date(2024, 4, 5))])
    assert log[0] == (date(2024, 4, 6), 2, ("I1:2:1",))  # the pre-due step had passed unsent: only the reached one


def test_a_broken_promise_brings_the_next_step_forward_but_only_one_step():
    # First notice sent 03-18; on 03-26 (11 days late) the final demand (+30) is far off: nothing by
    # date alone, but a broken promise makes the next step due now (the 7 days' wait has passed).
    sent = SentBefore(2, 1, date(2024, 3, 18))
    assert propose([customer(item(sent=sent))], [LADDER], date(2024, 3, 26), every_day).proposals == ()
    run = propose([customer(item(broken_promise=True, sent=sent))], [LADDER], date(2024, 3, 26), every_day)
    assert run.proposals[0].step.level == 3
    # Nothing sent yet: the broken promise brings the first step due, not the last one.
    early = propose([customer(item(broken_promise=True))], [LADDER], date(2024, 3, 26), every_day)
    assert early.proposals[0].step.level == 2


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
    # The firm ladder's own spacing (0, +1, +7) is kept by its steps' waits (1 and 6 days).
    firm = walk(DUE - timedelta(days=2), DUE + timedelta(days=8), [item()], replace(FIRM, ratings=None))
    assert [(day - DUE).days for day, _level, _new in firm] == [0, 1, 7]
    assert Action.ORDER_BLOCK in FIRM.step(firm[-1][1]).actions


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


# The first message, one step per run, the wait between steps -------------------------------------

def test_an_invoice_found_long_overdue_starts_at_the_first_overdue_step_and_climbs_one_step_a_week():
    # Due 03-15; nobody ran dunning until 05-15 (61 days late, the final demand's +30 long reached).
    # The pre-due reminder's time is over, so the first message is the first notice, which claims no
    # earlier reminder; then one step per run, 7 days apart (the policy's wait): final on 05-22.
    log = walk(date(2024, 5, 15), date(2024, 5, 23), [item()])
    assert log == [(date(2024, 5, 15), 2, ("I1:2:1",)), (date(2024, 5, 22), 3, ("I1:3:1",))]
    first = propose([customer(item())], [LADDER], date(2024, 5, 15), every_day).proposals[0]
    assert not first.reminded_before and first.step.template == "first_notice"


def test_the_shipped_ladders_never_open_with_an_agency_or_a_final_demand():
    # 100 days late, never dunned: each ladder's first message is its first step after the due date.
    late = DUE - timedelta(days=100)
    first = {p.code: propose([customer(item(due=late))], [replace(p, ratings=None, segments=None)], DUE,
                             every_day).proposals[0].step.name for p in DEFAULT_POLICIES}
    assert first == {"firm": "first notice", "key_accounts": "friendly reminder", "gentle": "friendly reminder",
                     "standard": "first notice"}


def test_a_step_may_wait_less_or_more_than_the_policy_says():
    quick = replace(LADDER, steps=(LADDER.steps[0], replace(LADDER.steps[1], wait_days=2), LADDER.steps[2]))
    assert walk(date(2024, 3, 1), date(2024, 3, 20), [item()], quick)[1][0] == date(2024, 3, 18)  # on its offset
    slow = replace(LADDER, min_days_between_steps=10)
    assert walk(date(2024, 3, 1), date(2024, 3, 25), [item()], slow)[1][0] == date(2024, 3, 22)  # 03-12 + 10


def test_the_due_date_step_goes_on_the_due_date_only():
    # The firm ladder's "due today" (offset 0) on 03-15; found a day late, the first notice instead.
    firm = replace(FIRM, ratings=None)
    assert propose([customer(item())], [firm], DUE, every_day).proposals[0].step.template == "due"
    assert propose([customer(item())], [firm], DUE + timedelta(days=1), every_day).proposals[0].step.name == \
        "first notice"


# Retries: only the channels that failed ------------------------------------------------------------

def test_a_send_whose_sms_failed_is_tried_again_with_the_sms_only():
    # 03-18: first notice (email, SMS); the email went, the SMS did not. The row counts as sent
    # (the customer was reached on 03-18) and the retry carries the SMS alone, under the same key.
    two = replace(LADDER, steps=(LADDER.steps[0], replace(LADDER.steps[1], actions=(Action.EMAIL, Action.SMS)),
                                 LADDER.steps[2]))
    partly = item(sent=SentBefore(2, 1, date(2024, 3, 18)), retry=Retry(2, 1, frozenset({"email"})))
    [retry] = propose([customer(partly)], [two], date(2024, 3, 19), every_day).proposals
    assert retry.new == ("I1:2:1",) and retry.to_do == (Action.SMS,)
    # Nothing delivered at all (no SentBefore): the whole step again, same key.
    failed = item(retry=Retry(2, 1, frozenset()))
    [again] = propose([customer(failed)], [two], date(2024, 3, 19), every_day).proposals
    assert again.new == ("I1:2:1",) and again.to_do == (Action.EMAIL, Action.SMS)
    # Once the next step is due (04-14, 30 days late), it takes over from the retry.
    [later] = propose([customer(partly)], [two], date(2024, 4, 14), every_day).proposals
    assert later.new == ("I1:3:1",) and later.to_do == (Action.LETTER, Action.CALL)


# The ladder ends: a person after the longest stay on a step --------------------------------------

def test_after_the_longest_stay_on_the_last_step_a_person_takes_over_and_the_repeats_stop():
    # Final demand on 04-14 (+30), again every 10 days (04-24, 05-04); on 05-14 it has been 30 days on
    # the step (max_days_on_step): no third repeat, a handover instead, reported on every later run
    # (the sender raises its task once).
    handovers = []
    log = walk(date(2024, 3, 1), date(2024, 5, 20), [item()], handovers=handovers)
    assert [day for day, _level, _new in log][2:] == [date(2024, 4, 14), date(2024, 4, 24), date(2024, 5, 4)]
    assert handovers[0] == (date(2024, 5, 14), 3, date(2024, 4, 14), ("I1",))
    assert [day for day, *_ in handovers] == [date(2024, 5, d) for d in range(14, 21)]


def test_a_customer_handed_to_a_person_gets_no_more_messages_for_any_invoice():
    # OLD on the final demand since 04-14 (+30); LATER joined the step on 05-04. On 05-14 OLD has
    # stayed 30 days: the customer goes to a person, and LATER's repeat (due 05-14) is not sent.
    old = item("OLD", sent=SentBefore(3, 3, date(2024, 5, 4), date(2024, 4, 14)))
    later = item("LATER", DUE + timedelta(days=10), sent=SentBefore(3, 1, date(2024, 5, 4)))
    run = propose([customer(old, later)], [LADDER], date(2024, 5, 14), every_day)
    assert run.proposals == () and (run.skipped[0].reason, run.skipped[0].detail) == (
        "handed_over", "final since 2024-04-14")
    assert [(h.invoices, h.since) for h in run.handovers] == [(("OLD",), date(2024, 4, 14))]


def test_a_ladder_without_a_maximum_stay_repeats_for_ever():
    endless = replace(LADDER, max_days_on_step=None)
    handovers = []
    log = walk(date(2024, 3, 1), date(2024, 5, 20), [item()], endless, handovers)
    assert [day for day, *_ in log][-1] == date(2024, 5, 14) and handovers == []


@settings(max_examples=40, deadline=None)
@given(dues=st.lists(st.integers(-60, 60), min_size=1, max_size=4), start=st.integers(-20, 120),
       policy=st.sampled_from(DEFAULT_POLICIES))
def test_an_invoice_moves_one_step_at_a_time_and_waits_between_steps(dues, start, policy):
    policy = replace(policy, ratings=None, segments=None)
    items = [item(f"I{k}", DUE + timedelta(days=d), D("500.00")) for k, d in enumerate(dues)]
    log = walk(DUE + timedelta(days=start), DUE + timedelta(days=start + 120), items, policy=policy)
    last: dict[str, tuple[int, date]] = {}
    for day, _level, new in log:
        for key in new:
            invoice, level, _times = key.split(":")
            level = int(level)
            if invoice in last:
                before, on = last[invoice]
                assert level in (before, before + 1)  # a repeat of the last step, or the next one
                if level == before + 1:
                    assert (day - on).days >= policy.wait(policy.step(level))
            else:  # the first message about an invoice is never a final demand or a hand-off
                assert policy.step(level).template not in ("final_demand", "escalation")
            last[invoice] = (level, day)
