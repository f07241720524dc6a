"""The dunning policies credo ships (data, replaceable per company): gentle for customers rated A
or B and key accounts, standard for the rest, firm for customers rated D or E. Listed from the
most specific: `choose_policy` takes the first that matches."""

from __future__ import annotations

from decimal import Decimal

from credo.domain.dunning import Action as A
from credo.domain.dunning import DunningPolicy, DunningStep

MINIMUM = Decimal("100")  # in the company's base currency: smaller balances wait for the next run
# Each policy waits `min_days_between_steps` (7: the week a notice gives to pay) between two steps
# for an invoice; a step whose ladder spaces it closer says so (`wait_days`), so that steps sent on
# time keep the ladder's own dates. After `max_days_on_step` (30) on a step with nothing further
# due, a person takes over (a review task) and the repeats stop.

FIRM = DunningPolicy("firm", "Firm: rated D or E", (
    DunningStep(1, "due today", 0, (A.EMAIL,), "due", MINIMUM, name_zh="今日到期"),
    DunningStep(2, "first notice", 1, (A.EMAIL, A.SMS), "notice", MINIMUM, name_zh="首次催收通知", wait_days=1),
    DunningStep(3, "order block", 7, (A.ORDER_BLOCK, A.CALL), "escalation", MINIMUM, name_zh="暂停发货", wait_days=6),
    DunningStep(4, "final demand", 15, (A.LETTER, A.EMAIL), "final_demand", MINIMUM, attach_statement=True,
                name_zh="最后催告"),
    DunningStep(5, "collection agency", 30, (A.AGENCY,), "escalation", MINIMUM, name_zh="委托催收机构"),
    DunningStep(6, "legal action", 60, (A.LEGAL,), "escalation", MINIMUM, name_zh="法律途径"),
), ratings=frozenset({"D", "E"}), repeat_every_days=7)

GENTLE = DunningPolicy("gentle", "Gentle: rated A or B, and key accounts", (
    DunningStep(1, "courtesy reminder", -5, (A.EMAIL,), "pre_due", MINIMUM, name_zh="友好提醒"),
    DunningStep(2, "friendly reminder", 7, (A.EMAIL,), "reminder", MINIMUM, attach_statement=True, name_zh="温馨提醒"),
    DunningStep(3, "account manager call", 21, (A.ACCOUNT_MANAGER, A.CALL), "reminder", MINIMUM, name_zh="客户经理电话"),
    DunningStep(4, "formal notice", 45, (A.LETTER, A.EMAIL), "final_demand", MINIMUM, attach_statement=True,
                name_zh="正式通知"),
), ratings=frozenset({"A", "B"}), repeat_every_days=14)

KEY_ACCOUNTS = DunningPolicy("key_accounts", GENTLE.name, GENTLE.steps, segments=frozenset({"key_account"}),
                             repeat_every_days=GENTLE.repeat_every_days)

STANDARD = DunningPolicy("standard", "Standard", (
    DunningStep(1, "pre-due reminder", -3, (A.EMAIL,), "pre_due", MINIMUM, name_zh="到期前提醒"),
    DunningStep(2, "first notice", 3, (A.EMAIL,), "notice", MINIMUM, name_zh="首次催收通知", wait_days=6),
    DunningStep(3, "second notice", 15, (A.EMAIL, A.SMS), "notice", MINIMUM, attach_statement=True, name_zh="第二次催收通知"),
    DunningStep(4, "final demand", 30, (A.LETTER, A.CALL), "final_demand", MINIMUM, attach_statement=True,
                name_zh="最后催告"),
    DunningStep(5, "order block", 60, (A.ORDER_BLOCK, A.CALL), "escalation", MINIMUM, name_zh="暂停发货"),
    DunningStep(6, "collection agency", 90, (A.AGENCY,), "escalation", MINIMUM, name_zh="委托催收机构"),
), repeat_every_days=14)

DEFAULT_POLICIES = (FIRM, KEY_ACCOUNTS, GENTLE, STANDARD)


def step_names(language: str, policies=DEFAULT_POLICIES) -> dict[str, str]:
    """Each step's English name -> its name in the language (the pages' lookup for a step named in English)."""
    return {step.name: step.name_in(language) for policy in policies for step in policy.steps}
