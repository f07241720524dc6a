"""The collector's worklist (催收工作清单): which customers need attention today, in what order,
and which customers are due a courtesy visit or call (回访). Pure functions over frozen records;
the weights and the care intervals are data passed in.

A customer's priority score adds up, with the weights of `Weights`:
- its overdue amount in the base currency, per thousand (capped, so one huge debtor does not bury
  every other line);
- the days past due of its oldest overdue item (capped);
- its risk: the rating's points (an unrated customer counts as C);
- each promise to pay due today and each broken promise;
- each open task due by today;
- its value: last 12 months' net sales, per thousand (capped): a good customer is called first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Mapping, Sequence

from credo.domain.money import ZERO, quantize

UNRATED = "C"
THOUSAND = Decimal(1000)


def _points(**points: str) -> Mapping[str, Decimal]:
    return MappingProxyType({key: Decimal(value) for key, value in points.items()})


@dataclass(frozen=True)
class Weights:
    """Points per unit of each fact; the caps bound what a single fact can add."""

    per_thousand_overdue: Decimal = Decimal("1")
    overdue_cap: Decimal = Decimal("50")
    per_day_past_due: Decimal = Decimal("0.5")
    days_cap: int = 120
    rating: Mapping[str, Decimal] = field(default_factory=lambda: _points(A="0", B="5", C="10", D="20", E="30"))
    promise_due_today: Decimal = Decimal("15")
    broken_promise: Decimal = Decimal("25")
    task_due: Decimal = Decimal("10")
    per_thousand_sales: Decimal = Decimal("0.1")
    sales_cap: Decimal = Decimal("10")


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Attention:
    """What the worklist knows of one customer as of a date (amounts in the base currency)."""

    customer: str
    overdue: Decimal = ZERO
    days_past_due: int = 0  # of the oldest overdue item; 0 when nothing is overdue
    rating: str | None = None
    promises_due: int = 0  # promises to pay whose date is today
    broken_promises: int = 0
    tasks_due: int = 0  # open tasks due on or before today
    sales: Decimal = ZERO  # net sales of the last 12 months

    @property
    def needs_attention(self) -> bool:
        return self.overdue > 0 or bool(self.promises_due or self.broken_promises or self.tasks_due)


def score(facts: Attention, weights: Weights = DEFAULT_WEIGHTS) -> Decimal:
    """The customer's priority: the higher, the sooner it is worked."""
    w = weights
    overdue = min(facts.overdue / THOUSAND * w.per_thousand_overdue, w.overdue_cap)
    days = min(facts.days_past_due, w.days_cap) * w.per_day_past_due
    risk = w.rating.get(facts.rating or UNRATED, w.rating[UNRATED])
    promises = facts.promises_due * w.promise_due_today + facts.broken_promises * w.broken_promise
    value = min(max(facts.sales, ZERO) / THOUSAND * w.per_thousand_sales, w.sales_cap)
    return (overdue + days + risk + promises + facts.tasks_due * w.task_due + value).quantize(Decimal("0.01"))


def rank(customers: Sequence[Attention], weights: Weights = DEFAULT_WEIGHTS) -> list[tuple[Attention, Decimal]]:
    """The customers that need attention, highest score first (ties by customer code)."""
    scored = [(facts, score(facts, weights)) for facts in customers if facts.needs_attention]
    return sorted(scored, key=lambda pair: (-pair[1], pair[0].customer))


@dataclass(frozen=True)
class CarePolicy:
    """Courtesy visits and calls (回访): the best customers more often than the rest."""

    key_ratings: frozenset[str] = frozenset({"A", "B"})
    key_segments: frozenset[str] = frozenset({"key_account"})
    key_every_days: int = 90
    other_every_days: int = 180
    # At most this many tasks raised by one run: the first run finds every customer never contacted
    # due at once (200 on the demo); the rest wait for the next runs, longest waiting first.
    tasks_per_run: int = 20

    def __post_init__(self) -> None:
        if self.tasks_per_run < 1:
            raise ValueError(f"tasks per run: at least 1, not {self.tasks_per_run}")


DEFAULT_CARE = CarePolicy()


@dataclass(frozen=True)
class CareCustomer:
    customer: str
    segment: str | None
    rating: str | None
    last_contact: date | None  # the last visit, call or meeting logged


def is_key(customer: CareCustomer, policy: CarePolicy = DEFAULT_CARE) -> bool:
    """One of the best customers: a key rating or a key segment."""
    return customer.rating in policy.key_ratings or customer.segment in policy.key_segments


def care_interval(customer: CareCustomer, policy: CarePolicy = DEFAULT_CARE) -> int:
    return policy.key_every_days if is_key(customer, policy) else policy.other_every_days


def care_due(customers: Sequence[CareCustomer], as_of: date,
             policy: CarePolicy = DEFAULT_CARE) -> list[tuple[str, date]]:
    """(customer, due date) of each customer due a courtesy contact by the date: its last contact
    plus its tier's interval; one never contacted is due on the date itself."""
    due = []
    for customer in customers:
        on = (as_of if customer.last_contact is None
              else customer.last_contact + timedelta(days=care_interval(customer, policy)))
        if on <= as_of:
            due.append((customer.customer, on))
    return sorted(due)


def care_order(due: Sequence[tuple[str, date]], customers: Sequence[CareCustomer],
               policy: CarePolicy = DEFAULT_CARE) -> list[tuple[str, date]]:
    """The customers due a courtesy contact in the order a run raises their tasks (up to
    `policy.tasks_per_run`): the longest waiting first (earliest due date), the best customers
    before the others on the same day, then by code."""
    key = {c.customer for c in customers if is_key(c, policy)}
    return sorted(due, key=lambda pair: (pair[1], pair[0] not in key, pair[0]))


@dataclass(frozen=True)
class CaseOutlook:
    """What handing a debt to an agency or to legal is expected to bring, for the manager to weigh."""

    amount: Decimal  # handed over
    expected_recovery: Decimal
    expected_cost: Decimal

    @property
    def net(self) -> Decimal:
        return self.expected_recovery - self.expected_cost


def case_outlook(amount: Decimal, currency: str, recovery_rate: Decimal, fixed_cost: Decimal = ZERO,
                 commission_rate: Decimal = ZERO) -> CaseOutlook:
    """Rates in percent: recovery = amount x rate; cost = the fixed cost plus the commission on the
    recovery; each rounded HALF_UP to the currency's minor unit."""
    if amount <= 0:
        raise ValueError("the amount handed over must be positive")
    if not (ZERO <= recovery_rate <= 100) or not (ZERO <= commission_rate <= 100) or fixed_cost < 0:
        raise ValueError("rates are percentages from 0 to 100 and the cost is not negative")
    recovery = quantize(amount * recovery_rate / 100, currency)
    cost = quantize(fixed_cost + recovery * commission_rate / 100, currency)
    return CaseOutlook(amount, recovery, cost)
