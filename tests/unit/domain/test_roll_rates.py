"""Roll rates observed on a ladder that the observation cannot skip, write-offs as losses: the
worked example of docs/risk.md, every figure by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from credo.domain.risk.roll_rates import Step, bucket_of, loss_rates, observations, roll_history, roll_rates, step_days

HIGHS = (30, 60)  # not due, 1-30, 31-60, >60
DATES = [date(2024, 1, 31), date(2024, 3, 1), date(2024, 3, 31), date(2024, 4, 30)]
X = (date(2024, 1, 10), date(2024, 2, 9), "CNY")
Y = (date(2024, 1, 5), date(2024, 1, 20), "CNY")
Z = (date(2024, 2, 20), date(2024, 3, 21), "CNY")
INVOICED = {X: 100000, Y: 50000, Z: 200000}  # minor units
# Cash only: Y's write-off of 300 on 03-20 is not here (the service leaves write-offs out).
SETTLED = [(date(2024, 3, 10), X, 40000), (date(2024, 2, 15), Y, 20000), (date(2024, 3, 15), Z, 50000),
           (date(2024, 4, 10), Z, 150000)]


def test_the_observations_are_the_as_of_date_and_every_step_before_it():
    # Three months back from 2024-04-30 is 01-30, 91 days: three steps of 30 days.
    assert observations(date(2024, 4, 30), 30, 91) == DATES


def test_the_ladders_buckets_must_all_be_one_step_wide():
    assert step_days((30, 60, 90)) == 30
    with pytest.raises(ValueError, match="one width: 30 days each"):
        step_days((30, 90))


@pytest.mark.parametrize("days, bucket", [(-5, 0), (0, 0), (1, 1), (30, 1), (31, 2), (60, 2), (61, 3), (900, 3)])
def test_days_past_due_fall_in_the_ladders_buckets(days, bucket):
    assert bucket_of(days, HIGHS) == bucket


def test_each_step_holds_what_was_open_in_each_bucket_and_rolls_what_stayed_unpaid():
    steps = roll_history(INVOICED, SETTLED, DATES, HIGHS)["CNY"]
    # 01-31: X not due (1,000), Y 11 days past due (500).  03-01: X 21 days (1,000), Y 41 days
    # (500 - 200 = 300), Z not due (2,000).  03-31: X 51 days (600), Y 71 days (300: written off
    # on 03-20, unpaid all the same), Z 10 days (1,500).  04-30: X 81 days (600), Z paid, Y 300.
    assert steps == [
        ([100000, 50000, 0, 0], [100000, 30000, 0, 0]),
        ([200000, 100000, 30000, 0], [150000, 60000, 30000, 0]),
        ([0, 150000, 60000, 30000], [0, 0, 60000, 0]),
    ]


def test_the_worked_example_gives_the_roll_rates_and_the_loss_rates_by_hand():
    steps = [Step(DATES[j], DATES[j + 1], tuple(map(D, held)), tuple(map(D, rolled)))
             for j, (held, rolled) in enumerate(roll_history(INVOICED, SETTLED, DATES, HIGHS)["CNY"])]
    # not due: (1,000 + 1,500) / (1,000 + 2,000) = 5/6; 1-30: (300 + 600 + 0) / (500 + 1,000 + 1,500)
    # = 0.3; 31-60: (300 + 600) / (300 + 600) = 1.
    assert roll_rates(steps) == (D(5) / D(6), D("0.3"), D(1))
    # 5/6 x 0.3 x 1 = 0.25; 0.3; 1; 1.
    assert loss_rates(roll_rates(steps)) == (D("0.250000"), D("0.300000"), D("1.000000"), D("1.000000"))


def test_an_invoice_issued_within_a_step_is_not_rolled_from_anything():
    # Issued 02-05 due 02-15 (short terms): 15 days past due at 03-01, never seen not due at 01-31.
    short = (date(2024, 2, 5), date(2024, 2, 15), "CNY")
    steps = roll_history({short: 1000}, [], DATES, HIGHS)["CNY"]
    assert steps[0] == ([0, 0, 0, 0], [0, 0, 0, 0])
    assert steps[1] == ([0, 1000, 0, 0], [0, 1000, 0, 0])  # then it rolls as any other


def test_what_is_still_not_due_a_step_later_has_not_rolled():
    # Due 2024-04-15: not due at 01-31 and at 03-01; at 03-31 still not due; 15 days past due at 04-30.
    long = (date(2024, 1, 15), date(2024, 4, 15), "CNY")
    steps = roll_history({long: 1000}, [], DATES, HIGHS)["CNY"]
    assert [s[1][0] for s in steps] == [0, 0, 1000]
    assert [s[0][0] for s in steps] == [1000, 1000, 1000]
