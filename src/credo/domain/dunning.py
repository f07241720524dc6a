"""Dunning (催收) as data and one pure function: which customers get which step today.

A policy is a ladder of steps, each triggered a number of days from an invoice's due date
(negative: a reminder before it; 0: on the day), with the actions it takes and the template it
uses. Policies are chosen per customer by segment and rating, so that a key account rated A gets
a courteous note before the due date and a call from its account manager, and a customer rated D
firm notices and an order block.

`propose` is the run's decision, from facts the caller gathers as of the run's date:
- an invoice under an open dispute is out of dunning; one with a promise to pay is paused until
  the promised date plus grace; a broken promise makes the next step due whatever its offset; a
  payment plan's instalment date replaces the due date (the caller passes it as `due_date`);
- an invoice climbs the ladder one step per run: its next step is the one after the last sent for
  it (none sent: the first), and it goes when its offset is reached and at least the step's wait
  (`DunningStep.wait_days`, else the policy's `min_days_between_steps`) has passed since the last
  send. A step before or on the due date goes only in its time: an invoice found overdue skips a
  pre-due reminder, one found a day late the due-date notice. So the first message about an
  invoice is never a step that speaks of earlier reminders;
- a send whose channels partly failed is tried again with the failed channels only (`Retry`);
- an invoice that has stayed on its step `max_days_on_step` with nothing further due hands its
  customer to a person (`Handover`): no more automatic messages to that customer, repeats included,
  while it stays so;
- unapplied credits count first: a customer whose open items, net of them, are under the step's
  minimum gets nothing;
- one proposal per customer, at the highest step due for any of its items, listing every item in
  dunning: the same step is never proposed twice for one invoice, and an invoice whose next step is
  one the customer already had for another invoice waits (listed) rather than step the customer
  back down (`_behind_the_customer`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from functools import cached_property
from typing import Callable, Sequence

from credo.domain.money import ZERO


class Action(Enum):
    EMAIL = "email"
    SMS = "sms"
    LETTER = "letter"  # a PDF letter, printed or attached
    CALL = "call"  # a phone-call task in the collector's worklist
    VISIT = "visit"  # a visit task
    ACCOUNT_MANAGER = "account_manager"  # a task for the customer's sales person
    ORDER_BLOCK = "order_block"  # the customer goes on credit hold
    AGENCY = "agency"  # hand-off to a collection agency
    LEGAL = "legal"  # hand-off to legal action


@dataclass(frozen=True)
class DunningStep:
    level: int  # 1, 2, ... in the order of the ladder
    name: str  # e.g. "pre-due reminder", "first notice", "final demand"
    offset_days: int  # from the due date: negative before it, 0 on it
    actions: tuple[Action, ...]
    template: str
    min_open: Decimal = ZERO  # the customer's net open amount must exceed it
    fee: Decimal = ZERO  # a dunning fee the step charges
    attach_statement: bool = False
    name_zh: str = ""  # its name in Chinese (e.g. 首次催收通知); none: the pages show `name`
    wait_days: int | None = None  # days after the previous step's send before this one (None: the policy's)

    def name_in(self, language: str) -> str:
        """The step's name in a language ("zh", "zh-CN" or "en"): Chinese when it has one, else `name`."""
        return self.name_zh if language.lower().startswith("zh") and self.name_zh else self.name


@dataclass(frozen=True)
class DunningPolicy:
    code: str
    name: str
    steps: tuple[DunningStep, ...]
    segments: frozenset[str] | None = None  # customers it is for (None: any segment)
    ratings: frozenset[str] | None = None  # ratings it is for (None: any rating)
    repeat_every_days: int | None = None  # the last step is sent again after this many days
    min_days_between_steps: int = 7  # the wait between two steps for an invoice, unless a step says otherwise
    max_days_on_step: int | None = 30  # then a task for a person and no more repeats (None: no limit)

    def __post_init__(self):
        levels = [step.level for step in self.steps]
        offsets = [step.offset_days for step in self.steps]
        if not self.steps:
            raise ValueError(f"policy {self.code}: no steps")
        if levels != list(range(1, len(levels) + 1)):
            raise ValueError(f"policy {self.code}: steps must be numbered 1, 2, ... in order")
        if offsets != sorted(set(offsets)):
            raise ValueError(f"policy {self.code}: each step must trigger later than the one before")
        if self.repeat_every_days is not None and self.repeat_every_days < 1:
            raise ValueError(f"policy {self.code}: repeat interval must be at least one day")
        if self.min_days_between_steps < 0 or any(s.wait_days is not None and s.wait_days < 0 for s in self.steps):
            raise ValueError(f"policy {self.code}: the wait between steps must be zero days or more")
        if self.max_days_on_step is not None and self.max_days_on_step < 1:
            raise ValueError(f"policy {self.code}: the maximum stay on a step must be at least one day")

    def matches(self, segment: str | None, rating: str | None) -> bool:
        return ((self.segments is None or segment in self.segments)
                and (self.ratings is None or rating in self.ratings))

    @cached_property
    def _offsets(self) -> tuple[int, ...]:
        return tuple(step.offset_days for step in self.steps)

    def reached(self, due_date: date, as_of: date) -> int:
        """The highest step level an item due on due_date has reached by as_of (0: none yet): the
        number of steps whose offset the item's days past due have reached (offsets ascend)."""
        return bisect_right(self._offsets, (as_of - due_date).days)

    def step(self, level: int) -> DunningStep:
        return self.steps[level - 1]

    def wait(self, step: DunningStep) -> int:
        """Days after the previous send before `step` may go."""
        return self.min_days_between_steps if step.wait_days is None else step.wait_days

    def next_step(self, after: int, days_past_due: int) -> DunningStep | None:
        """The step an invoice takes after level `after` (0: none sent): the next one, skipping those
        whose time is over: a step before the due date goes only before it, one on the due date
        only on that day (an invoice first found overdue starts at the first step after it)."""
        for step in self.steps[after:]:
            if step.offset_days > 0 or days_past_due < 0 or days_past_due == step.offset_days == 0:
                return step
        return None


def choose_policy(policies: Sequence[DunningPolicy], segment: str | None, rating: str | None) -> DunningPolicy:
    """The first policy that matches the customer (list the specific ones before a catch-all)."""
    for policy in policies:
        if policy.matches(segment, rating):
            return policy
    raise ValueError(f"no dunning policy for segment {segment!r} and rating {rating!r}: add a catch-all policy")


@dataclass(frozen=True)
class SentBefore:
    """What was already sent for one invoice: the highest level, how often at it, and when last."""

    level: int
    times: int
    on: date  # the last send of that level
    since: date | None = None  # the first send of that level (None: `on`)


@dataclass(frozen=True)
class Retry:
    """A send of a step for one invoice whose channels did not all deliver: which ones did."""

    level: int
    times: int
    done: frozenset[str]  # the actions (Action.value) carried out already


@dataclass(frozen=True)
class DunningItem:
    invoice: str
    due_date: date  # the invoice's, or its payment plan's instalment date
    open_amount: Decimal
    disputed: bool = False
    paused_until: date | None = None  # a promise to pay: its date plus grace
    broken_promise: bool = False
    sent: SentBefore | None = None  # what reached the customer (some channel delivered)
    retry: Retry | None = None  # the latest send with channels still to deliver


@dataclass(frozen=True)
class DunningCustomer:
    code: str
    segment: str | None
    rating: str | None
    items: tuple[DunningItem, ...]
    unapplied: Decimal = ZERO  # unapplied cash and credit notes, netted first


@dataclass(frozen=True)
class ProposedItem:
    invoice: str
    due_date: date
    days_past_due: int
    open_amount: Decimal
    level: int  # the step this invoice has reached
    times: int  # this proposal is the n-th send of that step for it (1: first); 0: nothing new for it
    previous_level: int = 0  # the step last sent for it before this run (0: none)
    done: frozenset[str] = frozenset()  # a retry: the actions already carried out for this send

    @property
    def key(self) -> str | None:
        """What makes a send unique: recorded once sent, never proposed again (None: nothing new)."""
        return f"{self.invoice}:{self.level}:{self.times}" if self.times else None


@dataclass(frozen=True)
class Proposal:
    customer: str
    policy: str
    step: DunningStep
    items: tuple[ProposedItem, ...]  # every item in dunning, the ones with new work and the rest
    open_amount: Decimal
    net_amount: Decimal

    @property
    def new(self) -> tuple[str, ...]:
        """The keys of the items whose step (or its repeat) is due now: what the sender records."""
        return tuple(item.key for item in self.items if item.times)

    @property
    def reminded_before(self) -> bool:
        """Whether some item it lists had a step sent before: only then may a message speak of earlier reminders."""
        return any(item.previous_level for item in self.items)

    @property
    def to_do(self) -> tuple[Action, ...]:
        """The step's actions still to carry out: all, less those every new item's earlier attempt delivered."""
        done = frozenset.intersection(*(item.done for item in self.items if item.times))
        return tuple(action for action in self.step.actions if action.value not in done)


@dataclass(frozen=True)
class Handover:
    """A customer whose items stayed on their step past the policy's maximum: a task for a person."""

    customer: str
    policy: str
    step: DunningStep
    since: date  # the earliest first send of the step among the items handed over
    invoices: tuple[str, ...]


@dataclass(frozen=True)
class Skipped:
    customer: str
    reason: str  # a code: not_a_working_day, below_minimum, nothing_due, handed_over
    detail: str = ""


@dataclass(frozen=True)
class DunningRun:
    as_of: date
    proposals: tuple[Proposal, ...] = ()
    skipped: tuple[Skipped, ...] = field(default=())
    handovers: tuple[Handover, ...] = ()


def propose(customers: Sequence[DunningCustomer], policies: Sequence[DunningPolicy], as_of: date,
            working_day: Callable[[date], bool] = lambda day: day.weekday() < 5) -> DunningRun:
    """What to send as of a date (see the module's notes). On a day that is not a working day
    nothing is proposed: the next working day's run finds every step that came due meanwhile."""
    if not working_day(as_of):
        return DunningRun(as_of, (), tuple(Skipped(c.code, "not_a_working_day") for c in customers))
    proposals, skipped, handovers = [], [], []
    for customer in customers:
        outcome, handover = _propose_one(customer, choose_policy(policies, customer.segment, customer.rating), as_of)
        (proposals if isinstance(outcome, Proposal) else skipped).append(outcome)
        if handover is not None:
            handovers.append(handover)
    return DunningRun(as_of, tuple(proposals), tuple(skipped), tuple(handovers))


def _propose_one(customer: DunningCustomer, policy: DunningPolicy,
                 as_of: date) -> tuple[Proposal | Skipped, Handover | None]:
    items, stayed = [], []
    for item in customer.items:
        if item.disputed or item.open_amount <= 0 or (item.paused_until is not None and as_of <= item.paused_until):
            continue
        days = (as_of - item.due_date).days
        previous = item.sent.level if item.sent else 0
        if max(previous, policy.reached(item.due_date, as_of)) == 0 and not item.broken_promise:
            continue
        level, times = _due(item, policy, as_of, days)
        if not times and _overstayed(item.sent, policy, as_of):
            stayed.append(item)
        done = item.retry.done if times and item.retry and (item.retry.level, item.retry.times) == (level, times) \
            else frozenset()
        items.append(ProposedItem(item.invoice, item.due_date, days, item.open_amount, level, times, previous, done))
    items = _behind_the_customer(items)
    handover = None
    if stayed:
        handover = Handover(customer.code, policy.code, policy.step(max(i.sent.level for i in stayed)),
                            min(i.sent.since or i.sent.on for i in stayed), tuple(i.invoice for i in stayed))
    if handover is not None:  # a person has the customer now: no more automatic messages to it
        return Skipped(customer.code, "handed_over", f"{handover.step.name} since {handover.since}"), handover
    if not any(item.times for item in items):
        return Skipped(customer.code, "nothing_due"), handover
    step = policy.step(max(i.level for i in items if i.times))
    open_amount = sum((i.open_amount for i in items), ZERO)
    net = open_amount - customer.unapplied
    if net <= step.min_open:
        return Skipped(customer.code, "below_minimum", f"net {net} <= minimum {step.min_open}"), handover
    return Proposal(customer.code, policy.code, step, tuple(items), open_amount, net), handover


def _behind_the_customer(items: list[ProposedItem]) -> list[ProposedItem]:
    """The customer hears one voice. Its position is the highest step sent for any of its invoices.
    A message goes when some invoice leads: a step above the position, or the repeat or retry of
    the position's own step; invoices due a lower step ride along in it (recorded at their own step),
    except beside a retry, which carries only its failed channels. With no invoice leading, an invoice
    whose next step the customer already had for another sends nothing: it is listed in the
    customer's next message, and climbs its own ladder once the invoices ahead of it are settled."""
    position = max((item.previous_level for item in items), default=0)
    leaders = [i for i in items if i.times and (i.level > position or i.previous_level == i.level == position)]
    if leaders and not any(i.done for i in leaders):
        return items
    keep = {id(i) for i in leaders}
    return [item if not item.times or id(item) in keep
            else replace(item, level=item.previous_level, times=0, done=frozenset()) for item in items]


def _due(item: DunningItem, policy: DunningPolicy, as_of: date, days: int) -> tuple[int, int]:
    """(level, times) of the send due now for an item; times 0 when nothing is (level: where it stands).
    One step at a time; a failed send (nothing delivered) comes again as the same step."""
    sent = item.sent
    previous = sent.level if sent else 0
    step = policy.next_step(previous, days)
    if step is not None and (policy.reached(item.due_date, as_of) >= step.level or item.broken_promise) \
            and (sent is None or as_of >= sent.on + timedelta(days=policy.wait(step))):
        return step.level, 1
    if sent is None:
        return previous, 0
    if item.retry is not None and item.retry.level == sent.level and item.retry.times >= sent.times:
        return item.retry.level, item.retry.times  # the channels that failed, once more
    last = len(policy.steps)
    if sent.level == last and policy.repeat_every_days is not None and not _overstayed(sent, policy, as_of) \
            and as_of >= sent.on + timedelta(days=policy.repeat_every_days):
        return last, sent.times + 1
    return previous, 0


def _overstayed(sent: SentBefore | None, policy: DunningPolicy, as_of: date) -> bool:
    """Whether an item has been on its step for the policy's maximum stay or longer."""
    return sent is not None and policy.max_days_on_step is not None \
        and (as_of - (sent.since or sent.on)).days >= policy.max_days_on_step
