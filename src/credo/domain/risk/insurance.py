"""Credit insurance (信用保险), as data: a policy's terms, the insured limits the insurer grants per
buyer, the insured and uninsured part of a buyer's exposure, which invoices the policy covers, and
the deadlines an overdue buyer sets running.

Choices (docs/risk.md, "Credit insurance"):
- The deductible (免赔额) is an amount per claim, in the policy's currency: the insurer pays the
  coverage share of the insured loss (the loss up to the limit in force), less the deductible.
- An overdue buyer must be reported (逾期报告 / non-payment notification) within
  `report_overdue_days` days after an invoice's due date. The claim (索赔) must be filed within
  `claim_days` counted from the report (`claim_from="report"`, the Sinosure way: a claim within a
  set time of the notification) or from the due date of the earliest reported invoice
  (`claim_from="due_date"`, the Euler Hermes way: the claim at the end of a waiting period after
  due date). Each policy says which.
- A limit decision is never edited: each request and each decision is a record. The limit in force
  on a day is the latest decision made on or before it that is valid on it (`valid_from` to
  `valid_until`, inclusive); a refusal is a decision granting 0.
- Reminders come `alert_days` before a deadline; a reporting reminder never before the invoice is
  overdue (the day after its due date).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping, Sequence

from credo.domain.money import ZERO, quantize

CLAIM_FROM = ("report", "due_date")
CLAIM_STATUSES = ("draft", "filed", "accepted", "rejected", "paid")
# Where a claim may go from each status; rejected and paid are final.
CLAIM_FLOW: Mapping[str, tuple[str, ...]] = {"draft": ("filed",), "filed": ("accepted", "rejected"),
                                             "accepted": ("paid",), "rejected": (), "paid": ()}
FRACTION_PLACES = Decimal("0.000001")  # the insured fraction handed to provisioning: 6 decimals
DEFAULT_ALERT_DAYS = 7
MAX_DAYS = 3660  # ten years: longer than any policy's terms
SHARE_PLACES = 4  # a coverage share of 0.9 or 0.925 or 0.8750


@dataclass(frozen=True)
class PolicyTerms:
    """One credit insurance policy (保单) of one insurer."""

    insurer: str
    number: str
    period_from: date
    period_to: date
    currency: str
    coverage_share: Decimal  # e.g. 0.90: the insurer bears 90 % of an insured loss
    deductible: Decimal  # per claim, in the policy's currency
    max_credit_days: int  # the longest credit period (due date - invoice date) the policy covers
    report_overdue_days: int  # an overdue buyer reported within this many days after the due date
    claim_days: int  # the claim filed within this many days of the report (or the due date)
    claim_from: str = "report"
    alert_days: int = DEFAULT_ALERT_DAYS

    def __post_init__(self) -> None:
        if not self.insurer.strip() or not self.number.strip():
            raise ValueError("a policy needs its insurer and its number")
        if self.period_to < self.period_from:
            raise ValueError(f"the policy period ends ({self.period_to}) before it starts ({self.period_from})")
        if not ZERO < self.coverage_share <= 1 or self.coverage_share.as_tuple().exponent < -SHARE_PLACES:
            raise ValueError(f"coverage share {self.coverage_share}: above 0 and at most 1, at most "
                             f"{SHARE_PLACES} decimals, e.g. 0.90")
        if self.deductible < 0:
            raise ValueError("the deductible cannot be negative")
        for name in ("max_credit_days", "report_overdue_days", "claim_days", "alert_days"):
            if not 0 <= getattr(self, name) <= MAX_DAYS:
                raise ValueError(f"{name.replace('_', ' ')}: from 0 to {MAX_DAYS} days")
        if self.claim_from not in CLAIM_FROM:
            raise ValueError(f"claim days counted from {self.claim_from!r}: use one of {', '.join(CLAIM_FROM)}")

    def in_period(self, day: date) -> bool:
        return self.period_from <= day <= self.period_to

    def covers(self, issue_date: date, due_date: date) -> bool:
        """An invoice is covered when issued within the policy period on a credit period within the maximum."""
        return self.in_period(issue_date) and (due_date - issue_date).days <= self.max_credit_days

    def report_deadline(self, due_date: date) -> date:
        """The last day to report the buyer of an invoice unpaid after its due date."""
        return _plus(due_date, self.report_overdue_days)

    def claim_deadline(self, reported_on: date, earliest_due: date) -> date:
        """The last day to file the claim on a reported buyer."""
        start = reported_on if self.claim_from == "report" else earliest_due
        return _plus(start, self.claim_days)

    def indemnity(self, loss: Decimal, limit: Decimal) -> Decimal:
        """What the insurer pays on a claim: the share of the loss up to the limit, less the deductible."""
        insured = min(max(loss, ZERO), max(limit, ZERO)) * self.coverage_share
        return quantize(max(insured - self.deductible, ZERO), self.currency)


@dataclass(frozen=True)
class LimitDecision:
    """The insurer's decision on a buyer's limit: `amount` granted (0: refused), valid from a day,
    until a day (inclusive) or open-ended; `decided_on` the day it was made."""

    amount: Decimal
    decided_on: date
    valid_from: date
    valid_until: date | None = None

    @property
    def refused(self) -> bool:
        return self.amount == 0

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


def limit_in_force(decisions: Sequence[LimitDecision], as_of: date) -> Decimal | None:
    """Of decisions in the order they were made, the amount of the latest one made on or before
    the date and valid on it; None when none is (the buyer is not insured that day)."""
    found = None
    for decision in decisions:
        if decision.decided_on <= as_of and decision.valid_on(as_of):
            found = decision.amount
    return found


def uninsured_reason(terms: PolicyTerms, decisions: Sequence[LimitDecision], issue_date: date,
                     due_date: date) -> str | None:
    """Why an invoice of the buyer is not insured under the policy, or None when it is: the policy
    covers it (issued within its period, on a credit period within its maximum) and the buyer held
    a granted limit above 0 under it on the invoice date."""
    if not terms.in_period(issue_date):
        return f"issued on {issue_date}, outside the policy period {terms.period_from} to {terms.period_to}"
    if (due_date - issue_date).days > terms.max_credit_days:
        return (f"a credit period of {(due_date - issue_date).days} days, beyond the policy's "
                f"{terms.max_credit_days}")
    if (limit_in_force(decisions, issue_date) or ZERO) <= 0:
        return f"no limit granted to the buyer on its invoice date, {issue_date}"
    return None


@dataclass(frozen=True)
class Split:
    """A buyer's exposure split into its insured and uninsured parts (same currency)."""

    exposure: Decimal
    limit: Decimal | None  # the granted limit in force (None: none)
    insured: Decimal
    uninsured: Decimal
    fraction: Decimal  # insured / exposure (0 when nothing is exposed), 6 decimals
    excess: Decimal  # exposure above the limit in force (all of it when there is no limit)


def insured_split(exposure: Decimal, limit: Decimal | None, coverage_share: Decimal, currency: str) -> Split:
    """insured = min(exposure, limit) x coverage share, rounded HALF_UP to the currency; the rest uninsured."""
    exposed = max(exposure, ZERO)
    granted = ZERO if limit is None else max(limit, ZERO)
    covered = min(exposed, granted) * coverage_share
    insured = quantize(covered, currency)
    fraction = (covered / exposed if exposed else ZERO).quantize(FRACTION_PLACES, rounding=ROUND_HALF_UP)
    excess = quantize(max(exposed - granted, ZERO), currency)
    return Split(exposure, limit, insured, exposure - insured, fraction, excess)


def report_alert_day(terms: PolicyTerms, due_date: date, ahead_days: int) -> date:
    """The day the reminder to report an overdue invoice's buyer comes: `ahead_days` before the
    deadline, but not before the invoice is overdue."""
    return max(_plus(terms.report_deadline(due_date), -ahead_days), _plus(due_date, 1))


def alert_day(deadline: date, ahead_days: int) -> date:
    return _plus(deadline, -ahead_days)


def _plus(day: date, days: int) -> date:
    """A day some days later (or earlier), held at the calendar's ends."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def report_covers(reported_on: date, due_date: date) -> bool:
    """A report of the buyer covers the invoices overdue on the day it is made."""
    return due_date < reported_on


def next_statuses(status: str) -> tuple[str, ...]:
    if status not in CLAIM_FLOW:
        raise ValueError(f"claim status {status!r}: use one of {', '.join(CLAIM_STATUSES)}")
    return CLAIM_FLOW[status]


def may_move(status: str, to: str) -> bool:
    return to in next_statuses(status)
