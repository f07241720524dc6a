"""Early warnings (风险预警): rules as data, readings of indicators per subject, and the breaches.

A rule names an indicator, a threshold (a Decimal), a severity, an owner (a username or a role)
and, for the indicators read over a window, its length in days. A reading is one subject's value of
one indicator as of a date (a customer, or a group for the group concentration). A rule is breached
when a reading of its indicator (and window) is OVER its threshold: strictly greater, so a
threshold of 0 means "any at all". Everything here is pure: the values come in, the breaches go out.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Sequence

# indicator -> (unit, read over a window of days?)
INDICATORS: dict[str, tuple[str, bool]] = {
    "days_past_due": ("days", False),  # of the oldest invoice open as of the date
    "overdue_amount": ("money", False),  # open invoices past their due date, base currency
    "limit_utilisation": ("share", False),  # exposure / the credit line in force (customer or group)
    "broken_promises": ("count", True),  # promises broken whose deadline fell within the window
    "payment_slowdown": ("days", False),  # weighted days late: last 90 days less the 12 months before
    "rating_downgrade": ("steps", False),  # rating steps down from the assessment before the latest
    "score_drop": ("points", False),  # score points lost from the assessment before the latest
    "altman_distress": ("flag", False),  # 1 when the latest assessment's Altman zone is distress
    "concentration": ("share", False),  # a customer's receivables / the company's receivables
    "group_concentration": ("share", False),  # a group's receivables / the company's receivables
    "dispute_rate": ("share", True),  # invoices issued within the window that are disputed / all issued
    "returned_payments": ("count", True),  # payments reversed (bounced, returned) within the window
    "manual_flags": ("count", False),  # flags open on the customer (lawsuit, news, management change)
}
SEVERITIES = ("low", "medium", "high")
FLAG_KINDS = ("lawsuit", "news", "management_change", "other")
SLOWDOWN_RECENT_DAYS = 90
SLOWDOWN_PRIOR_MONTHS = 12


@dataclass(frozen=True)
class Rule:
    code: str
    indicator: str
    threshold: Decimal
    severity: str
    owner: str  # a username, or a role (credit_manager, controller, ...)
    window_days: int | None = None
    active: bool = True

    def __post_init__(self) -> None:
        if not self.code or len(self.code) > 64:
            raise ValueError("a rule needs a code of 1 to 64 characters")
        if self.indicator not in INDICATORS:
            raise ValueError(f"indicator {self.indicator!r}: use one of {', '.join(INDICATORS)}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r}: use one of {', '.join(SEVERITIES)}")
        if not isinstance(self.threshold, Decimal) or not self.threshold.is_finite() or self.threshold < 0:
            raise ValueError(f"rule {self.code}: the threshold is a Decimal of 0 or more, not {self.threshold!r}")
        if not self.owner.strip():
            raise ValueError(f"rule {self.code}: name an owner (a username or a role)")
        windowed = INDICATORS[self.indicator][1]
        if windowed and (self.window_days is None or not 1 <= self.window_days <= 3660):
            raise ValueError(f"rule {self.code}: {self.indicator} is read over a window of 1 to 3660 days")
        if not windowed and self.window_days is not None:
            raise ValueError(f"rule {self.code}: {self.indicator} takes no window")

    @property
    def unit(self) -> str:
        return INDICATORS[self.indicator][0]


@dataclass(frozen=True)
class Reading:
    """One subject's value of one indicator as of a date. `subject` is a customer code, or
    "group:" + a group code; `window_days` is set for the windowed indicators."""

    indicator: str
    subject: str
    value: Decimal
    window_days: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class Breach:
    rule: Rule
    subject: str
    value: Decimal
    threshold: Decimal
    detail: str = ""


def breaches(readings: Iterable[Reading], rules: Sequence[Rule]) -> list[Breach]:
    """Every (active rule, reading) pair where the reading of the rule's indicator and window is
    over the rule's threshold, by rule order then subject."""
    by_key: dict[tuple[str, int | None], list[Reading]] = {}
    for reading in readings:
        by_key.setdefault((reading.indicator, reading.window_days), []).append(reading)
    out = []
    for rule in rules:
        if not rule.active:
            continue
        for reading in sorted(by_key.get((rule.indicator, rule.window_days), ()), key=lambda r: r.subject):
            if reading.value > rule.threshold:
                out.append(Breach(rule, reading.subject, reading.value, rule.threshold, reading.detail))
    return out


def windows(rules: Sequence[Rule], indicator: str) -> list[int]:
    """The distinct windows the active rules read an indicator over."""
    return sorted({r.window_days for r in rules if r.active and r.indicator == indicator and r.window_days})


def needed(rules: Sequence[Rule]) -> set[str]:
    return {r.indicator for r in rules if r.active}


def share(part: Decimal | int, whole: Decimal | int, places: int = 4) -> Decimal | None:
    """part / whole to `places` decimals (HALF_UP); None when the whole is not above zero."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def weighted_days(weighted: Decimal | int, amount: Decimal | int) -> Decimal | None:
    """Amount-weighted days (sum of amount x days / sum of amount) to one decimal; None without amount."""
    return share(weighted, amount, 1)


def slowdown(recent: Decimal | None, prior: Decimal | None) -> Decimal | None:
    """Weighted days late in the recent period less those of the prior one; None unless both are known."""
    if recent is None or prior is None:
        return None
    return recent - prior


def steps_down(previous: str | None, latest: str | None, ladder: Sequence[str]) -> int:
    """How many ratings of the ladder (best first) the latest is below the previous; 0 when not lower
    or when either is unknown to the ladder."""
    if previous not in ladder or latest not in ladder:
        return 0
    return max(ladder.index(latest) - ladder.index(previous), 0)


D = Decimal
# What a company is seeded with (on first use): edit them per company (`credo risk rules set`).
DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("dpd_60", "days_past_due", D(60), "medium", "credit_manager"),
    Rule("dpd_90", "days_past_due", D(90), "high", "credit_manager"),
    Rule("overdue_100k", "overdue_amount", D(100000), "medium", "credit_manager"),
    Rule("limit_90pct", "limit_utilisation", D("0.9"), "medium", "credit_manager"),
    Rule("limit_over", "limit_utilisation", D(1), "high", "credit_manager"),
    Rule("broken_promises_90d", "broken_promises", D(1), "medium", "credit_manager", 90),
    Rule("slowdown_10d", "payment_slowdown", D(10), "medium", "credit_manager"),
    Rule("rating_down", "rating_downgrade", D(0), "medium", "credit_manager"),
    Rule("score_drop_10", "score_drop", D(10), "medium", "credit_manager"),
    Rule("altman_distress", "altman_distress", D(0), "high", "credit_manager"),
    Rule("concentration_20pct", "concentration", D("0.2"), "medium", "controller"),
    Rule("group_concentration_30pct", "group_concentration", D("0.3"), "medium", "controller"),
    Rule("disputes_180d", "dispute_rate", D("0.1"), "low", "credit_manager", 180),
    Rule("returned_payments_90d", "returned_payments", D(0), "high", "credit_manager", 90),
    Rule("manual_flag", "manual_flags", D(0), "high", "credit_manager"),
)
