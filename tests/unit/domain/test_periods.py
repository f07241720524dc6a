"""Month-ends of the period close: which days are one, and the one before a day (the close form's default)."""

from datetime import date

import pytest

from credo.domain.periods import is_month_end, month_ends, previous_month_end


@pytest.mark.parametrize("day, before", [
    (date(2024, 12, 7), date(2024, 11, 30)),
    (date(2024, 6, 30), date(2024, 5, 31)),  # a month-end itself is not before itself
    (date(2024, 3, 1), date(2024, 2, 29)),  # a leap year
    (date(2025, 1, 15), date(2024, 12, 31)),
])
def test_the_month_end_before_a_day_is_the_last_day_of_the_month_before(day, before):
    assert previous_month_end(day) == before and is_month_end(before)


def test_the_month_ends_a_close_stores_run_from_the_last_close_to_the_new_one():
    assert month_ends(date(2024, 6, 30), date(2024, 9, 30)) == [date(2024, 7, 31), date(2024, 8, 31),
                                                               date(2024, 9, 30)]
    assert month_ends(None, date(2024, 6, 30)) == [date(2024, 6, 30)]
