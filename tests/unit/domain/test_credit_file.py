"""The credit file as of a date: which versions were in force, years in business, the weighted review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.domain.credit.file import ReviewItem, Version, in_force, qualitative_score, years_in_business

FY23, FY24 = date(2023, 12, 31), date(2024, 12, 31)


def v(period, recorded, value):
    return Version(("C1", period), period, recorded, {"equity": value})


def test_as_of_a_date_each_entry_is_its_latest_version_recorded_by_then_and_dated_by_then():
    versions = [v(FY23, date(2024, 3, 1), 100), v(FY23, date(2024, 5, 1), 110),  # FY23 restated in May
                v(FY24, date(2025, 3, 1), 200)]
    assert [x.values["equity"] for x in in_force(versions, date(2024, 4, 30))] == [100]
    assert [x.values["equity"] for x in in_force(versions, date(2024, 5, 1))] == [110]
    assert [x.values["equity"] for x in in_force(versions, date(2025, 3, 1))] == [110, 200]
    assert in_force(versions, date(2024, 2, 29)) == []  # nothing was known yet


def test_an_entry_dated_after_the_as_of_date_is_not_read_even_if_recorded_before():
    forecast = Version("plan", date(2025, 6, 30), date(2025, 1, 1), {})
    assert in_force([forecast], date(2025, 3, 31)) == []


def test_facts_without_a_date_of_their_own_are_dated_the_day_they_were_recorded():
    facts = [Version("C1", None, date(2024, 1, 1), {"listed": False}),
             Version("C1", None, date(2024, 9, 1), {"listed": True})]
    assert in_force(facts, date(2024, 8, 31))[0].values == {"listed": False}
    assert in_force(facts, date(2024, 9, 1))[0].values == {"listed": True}


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 60), st.integers(0, 60)), max_size=30),
       st.integers(0, 60))
def test_in_force_equals_the_latest_version_among_those_known_by_the_date(raw, day):
    base = date(2024, 1, 1).toordinal()
    versions = [Version(k, date.fromordinal(base + d), date.fromordinal(base + d + r), {"n": i})
                for i, (k, d, r) in enumerate(raw)]
    as_of = date.fromordinal(base + day)
    known = [x for x in versions if x.dated <= as_of and x.recorded_on <= as_of]
    got = {x.key: x.recorded_on for x in in_force(versions, as_of)}
    assert got == {k: max(x.recorded_on for x in known if x.key == k) for k in {x.key for x in known}}


def test_years_in_business_are_whole_years_to_the_as_of_date():
    assert years_in_business(date(2015, 7, 1), date(2025, 6, 30)) == D(9)
    assert years_in_business(date(2015, 7, 1), date(2025, 7, 1)) == D(10)
    assert years_in_business(None, date(2025, 7, 1)) is None
    assert years_in_business(date(2026, 1, 1), date(2025, 7, 1)) is None


def test_the_qualitative_review_is_the_weighted_average_of_the_items_scored():
    items = [ReviewItem("management", 80, 30), ReviewItem("industry_outlook", 60, 25),
             ReviewItem("relationship", 90, 25), ReviewItem("interview", None, 20)]
    # (80 x 30 + 60 x 25 + 90 x 25) / 80 = 6150 / 80
    assert qualitative_score(items) == D("76.875")
    assert qualitative_score([ReviewItem("management", None, 30)]) is None


def test_a_review_score_outside_0_to_100_is_refused():
    with pytest.raises(ValueError, match="0 to 100"):
        ReviewItem("management", 120, 30)
