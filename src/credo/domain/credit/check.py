"""The credit check (信用检查): may this customer take on this amount as of a date?

Pure: every figure comes in one frozen `CheckInput` (amounts in the base currency), and the answer
is `approve`, `warn` or `block` with every reason that applies, each with a code and its words in
English and Chinese. The worst reason decides: one block reason blocks, else one warning warns.

What each reason weighs (fixed here, so that a decision reads the same in every company):

| code | when | weight |
| --- | --- | --- |
| no_credit_line | neither the customer nor its group has a line in force | block |
| over_limit | exposure + amount above the limit plus the tolerance | block |
| over_limit_within_tolerance | above the limit, within the tolerance | warn |
| group_over_limit | the group's exposure + amount above its limit plus the tolerance | block |
| group_over_limit_within_tolerance | the same within the tolerance | warn |
| overdue | an invoice more than N days past due | block |
| review_expired | the line's review date has passed | warn |
| rating_no_credit | the line's rating gives no credit (D: prepayment only; E: none) | block |
| on_hold | the customer is on credit hold | block |

The limit that counts is the temporary limit while one is in force (it replaces the permanent
limit until it expires), else the permanent one. The tolerance is a share of the limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

APPROVE, WARN, BLOCK = "approve", "warn", "block"
NO_CREDIT_RATINGS = frozenset({"D", "E"})  # the default policy's ratings without credit on terms

# code -> (weight, English, 中文)
REASONS: dict[str, tuple[str, str, str]] = {
    "no_credit_line": (BLOCK, "no credit line in force", "无有效信用额度"),
    "over_limit": (BLOCK, "exposure would exceed the credit limit beyond the tolerance", "信用敞口将超过额度（超出容差）"),
    "over_limit_within_tolerance": (WARN, "exposure would exceed the credit limit, within the tolerance",
                                    "信用敞口将超过额度（在容差范围内）"),
    "group_over_limit": (BLOCK, "the group's exposure would exceed its limit beyond the tolerance",
                         "集团信用敞口将超过集团额度（超出容差）"),
    "group_over_limit_within_tolerance": (WARN, "the group's exposure would exceed its limit, within the tolerance",
                                          "集团信用敞口将超过集团额度（在容差范围内）"),
    "overdue": (BLOCK, "an invoice is past due beyond the allowed days", "存在超过允许天数的逾期发票"),
    "review_expired": (WARN, "the credit review is overdue", "信用复审已过期"),
    "rating_no_credit": (BLOCK, "the rating gives no credit on terms", "信用等级不允许赊销"),
    "on_hold": (BLOCK, "the customer is on credit hold", "客户已被冻结信用"),
}


@dataclass(frozen=True)
class CheckInput:
    as_of: date
    amount: Decimal  # under check, in the base currency
    exposure: Decimal  # the customer's, without the amount under check
    line_limit: Decimal | None  # the permanent limit in force, None without one
    temporary_limit: Decimal | None = None  # a temporary limit in force, which replaces the permanent one
    tolerance_share: Decimal = Decimal("0.05")
    oldest_days_past_due: int = 0  # of the customer's open invoices, 0 when none is past due
    overdue_days: int = 30  # N: past due beyond this blocks
    review_due: date | None = None
    rating: str | None = None
    on_hold: bool = False
    group_exposure: Decimal | None = None  # the group's, without the amount; None when no group line
    group_limit: Decimal | None = None


@dataclass(frozen=True)
class Reason:
    code: str
    weight: str
    en: str
    zh: str
    detail: str = ""  # the figures behind it

    def to_json(self) -> dict:
        return {"code": self.code, "weight": self.weight, "en": self.en, "zh": self.zh, "detail": self.detail}


@dataclass(frozen=True)
class CheckResult:
    decision: str
    reasons: tuple[Reason, ...]
    limit: Decimal | None  # the limit that counted
    exposure_after: Decimal  # exposure + amount
    headroom: Decimal | None  # limit - exposure_after (negative when over)

    def to_json(self) -> dict:
        text = lambda v: None if v is None else str(v)  # noqa: E731
        return {"decision": self.decision, "reasons": [r.to_json() for r in self.reasons], "limit": text(self.limit),
                "exposure_after": str(self.exposure_after), "headroom": text(self.headroom)}


def reason(code: str, detail: str = "") -> Reason:
    weight, en, zh = REASONS[code]
    return Reason(code, weight, en, zh, detail)


def check_credit(given: CheckInput) -> CheckResult:
    """Every reason that applies, and the decision the worst of them makes."""
    limit = given.temporary_limit if given.temporary_limit is not None else given.line_limit
    after = given.exposure + given.amount
    found: list[Reason] = []
    if limit is None and given.group_limit is None:
        found.append(reason("no_credit_line"))
    if limit is not None:
        found.extend(_against_limit("over_limit", after, limit, given.tolerance_share))
    if given.group_limit is not None:
        group_after = (given.group_exposure or Decimal(0)) + given.amount
        found.extend(_against_limit("group_over_limit", group_after, given.group_limit, given.tolerance_share))
    if given.oldest_days_past_due > given.overdue_days:
        found.append(reason("overdue", f"{given.oldest_days_past_due} days past due > {given.overdue_days}"))
    if given.review_due is not None and given.review_due < given.as_of:
        found.append(reason("review_expired", f"review was due {given.review_due.isoformat()}"))
    if given.rating in NO_CREDIT_RATINGS:
        found.append(reason("rating_no_credit", f"rating {given.rating}"))
    if given.on_hold:
        found.append(reason("on_hold"))
    return CheckResult(decide(found), tuple(found), limit, after, None if limit is None else limit - after)


def decide(reasons: list[Reason] | tuple[Reason, ...]) -> str:
    weights = {r.weight for r in reasons}
    return BLOCK if BLOCK in weights else WARN if WARN in weights else APPROVE


def _against_limit(code: str, after: Decimal, limit: Decimal, tolerance_share: Decimal) -> list[Reason]:
    if after <= limit:
        return []
    detail = f"{after} against {limit}"
    if after <= limit + limit * tolerance_share:
        return [reason(f"{code}_within_tolerance", f"{detail} (tolerance {tolerance_share:%})")]
    return [reason(code, detail)]
