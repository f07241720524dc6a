"""The early-warning rules as data and the breaches they find (domain/risk/warnings.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from credo.domain.risk.warnings import (DEFAULT_RULES, INDICATORS, Reading, Rule, breaches, share, slowdown,
                                        steps_down, weighted_days, windows)

D = Decimal


def rule(code="r", indicator="days_past_due", threshold="90", window=None, active=True) -> Rule:
    return Rule(code, indicator, D(threshold), "high", "credit_manager", window, active)


@pytest.mark.parametrize("value, breached", [(D(89), False), (D(90), False), (D(91), True)])
def test_a_rule_is_breached_only_strictly_over_its_threshold(value, breached):
    found = breaches([Reading("days_past_due", "C1", value)], [rule()])
    assert [(b.subject, b.value, b.threshold) for b in found] == ([("C1", value, D(90))] if breached else [])


def test_a_windowed_rule_reads_only_the_readings_of_its_window_and_an_inactive_rule_none():
    readings = [Reading("returned_payments", "C1", D(1), 30), Reading("returned_payments", "C2", D(2), 90)]
    rules = [rule("r30", "returned_payments", "0", 30), rule("r90", "returned_payments", "1", 90),
             rule("off", "returned_payments", "0", 90, active=False)]
    assert [(b.rule.code, b.subject) for b in breaches(readings, rules)] == [("r30", "C1"), ("r90", "C2")]
    assert windows(rules, "returned_payments") == [30, 90]


@pytest.mark.parametrize("fields, message", [
    (dict(indicator="nonsense"), "indicator"),
    (dict(threshold=D(-1)), "threshold"),
    (dict(threshold=1.5), "threshold"),  # a float is refused: thresholds are Decimals
    (dict(severity="urgent"), "severity"),
    (dict(owner=" "), "owner"),
    (dict(indicator="broken_promises"), "window"),
    (dict(window_days=30), "no window"),
])
def test_a_rule_that_makes_no_sense_is_refused(fields, message):
    values = dict(code="r", indicator="days_past_due", threshold=D(1), severity="low", owner="li.na") | fields
    with pytest.raises(ValueError, match=message):
        Rule(**values)


def test_the_figures_round_half_up_and_need_a_whole():
    assert share(5000, 5500) == D("0.9091") and share(1, 8) == D("0.1250") and share(1, 0) is None
    assert weighted_days(35000, 4000) == D("8.8")  # 8.75 half up
    assert slowdown(D("30.0"), D("7.5")) == D("22.5") and slowdown(None, D(1)) is None
    assert steps_down("B", "D", "ABCDE") == 2 and steps_down("D", "B", "ABCDE") == 0 and steps_down("X", "A", "AB") == 0


def test_the_default_rules_cover_every_indicator_with_unique_codes():
    assert {r.indicator for r in DEFAULT_RULES} == set(INDICATORS)
    assert len({r.code for r in DEFAULT_RULES}) == len(DEFAULT_RULES)
