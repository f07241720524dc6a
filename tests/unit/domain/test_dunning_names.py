"""Dunning steps carry their Chinese name as data; a step without one shows its English name."""

from decimal import Decimal

from credo.domain.dunning import Action, DunningStep
from credo.domain.dunning_defaults import DEFAULT_POLICIES, STANDARD, step_names


def test_every_default_step_has_a_chinese_name():
    assert all(step.name_zh for policy in DEFAULT_POLICIES for step in policy.steps)


def test_a_step_is_named_in_the_language_asked():
    second = STANDARD.steps[2]
    assert (second.name_in("zh-CN"), second.name_in("zh"), second.name_in("en")) == ("第二次催收通知", "第二次催收通知",
                                                                                    "second notice")
    own = DunningStep(1, "gentle nudge", 2, (Action.EMAIL,), "reminder", Decimal("0"))
    assert own.name_in("zh-CN") == "gentle nudge"


def test_the_pages_lookup_maps_english_names_to_the_language():
    assert step_names("zh-CN")["final demand"] == "最后催告" and step_names("en")["final demand"] == "final demand"
