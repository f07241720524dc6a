"""Dunning (催收) as data and one pure function: which customers get which step today.

A policy is a ladder of steps, each triggered a number of days from an invoice's due date
(negative: a reminder before it; 0: on the day), with the actions it takes and the template it
uses. Policies are chosen per customer by segment and rating, so that a key account rated A gets
a courteous note before the due date and a call from its account manager, and a customer rated D
firm notices and an order block.

`propose` is the run's decision, from facts the caller gathers as of the run's date:
- an invoice under an open dispute is out of dunning; one with a promise to pay is paused until
  the promised date plus grace; a broken promise brings the next step forward; a payment plan's
  instalment date replaces the due date (the caller passes it as `due_date`);
- unapplied credits count first: a customer whose open items, net of them, are under the step's
  minimum gets nothing;
- one proposal per customer, at the highest step any of its items has reached, listing every
  item in dunning; only when one of them has reached a step not yet sent for it (or the last
  step's repeat interval has passed): the same step is never proposed twice for one invoice.
The caller records what it sent; a send that failed is not recorded, and so comes again.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
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
    on: date


@dataclass(frozen=True)
class DunningItem:
    invoice: str
    due_date: date  # the invoice's, or its payment plan's instalment date
    open_amount: Decimal
    disputed: bool = False
    paused_until: date | None = None  # a promise to pay: its date plus grace
    broken_promise: bool = False
    sent: SentBefore | None = None


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


@dataclass(frozen=True)
class Skipped:
    customer: str
    reason: str  # a code: not_a_working_day, below_minimum, nothing_due
    detail: str = ""


@dataclass(frozen=True)
class DunningRun:
    as_of: date
    proposals: tuple[Proposal, ...] = ()
    skipped: tuple[Skipped, ...] = field(default=())


def propose(customers: Sequence[DunningCustomer], policies: Sequence[DunningPolicy], as_of: date,
            working_day: Callable[[date], bool] = lambda day: day.weekday() < 5) -> DunningRun:
    """What to send as of a date (see the module's notes). On a day that is not a working day
    nothing is proposed: the next working day's run finds every step that came due meanwhile."""
    if not working_day(as_of):
        return DunningRun(as_of, (), tuple(Skipped(c.code, "not_a_working_day") for c in customers))
    proposals, skipped = [], []
    for customer in customers:
        outcome = _propose_one(customer, choose_policy(policies, customer.segment, customer.rating), as_of)
        (proposals if isinstance(outcome, Proposal) else skipped).append(outcome)
    return DunningRun(as_of, tuple(proposals), tuple(skipped))


def _propose_one(customer: DunningCustomer, policy: DunningPolicy, as_of: date) -> Proposal | Skipped:
    items = []
    for item in customer.items:
        if item.disputed or item.open_amount <= 0 or (item.paused_until is not None and as_of <= item.paused_until):
            continue
        level = policy.reached(item.due_date, as_of)
        if item.broken_promise and level:
            level = min(level + 1, len(policy.steps))
        if level == 0:
            continue
        items.append(ProposedItem(item.invoice, item.due_date, (as_of - item.due_date).days, item.open_amount, level,
                                  _times(item.sent, level, policy, as_of)))
    if not any(item.times for item in items):
        return Skipped(customer.code, "nothing_due")
    step = policy.step(max(i.level for i in items))
    open_amount = sum((i.open_amount for i in items), ZERO)
    net = open_amount - customer.unapplied
    if net <= step.min_open:
        return Skipped(customer.code, "below_minimum", f"net {net} <= minimum {step.min_open}")
    return Proposal(customer.code, policy.code, step, tuple(items), open_amount, net)


def _times(sent: SentBefore | None, level: int, policy: DunningPolicy, as_of: date) -> int:
    """The number of this send of `level` for an item if one is due now, else 0."""
    if sent is None or level > sent.level:
        return 1
    last = len(policy.steps)
    if level == sent.level == last and policy.repeat_every_days is not None \
            and as_of >= sent.on + timedelta(days=policy.repeat_every_days):
        return sent.times + 1
    return 0
