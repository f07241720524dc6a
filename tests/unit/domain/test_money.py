"""Integer scaling with HALF_UP rounding agrees with Decimal's, and is exact beyond its precision;
parts of a whole scaled together add up to the whole scaled."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, strategies as st

from credo.domain.money import scale_half_up, scale_parts_half_up


def test_worked_examples():
    # 1.005 USD at 7.1 CNY/USD: 100.5 cents x 7.1 = 713.55 fen -> 714 (half up), -713.55 -> -714
    assert scale_half_up(1005, 71, 100) == 714
    assert scale_half_up(-1005, 71, 100) == -714
    assert scale_half_up(25, 1, 10) == 3  # 2.5 -> 3, where banker's rounding gives 2
    assert scale_half_up(-25, 1, 10) == -3
    assert scale_half_up(24, 1, 10) == 2
    assert scale_half_up(0, 7, 3) == 0


def test_exact_beyond_decimal_precision():
    # 10^20 minor units x 1/3: Decimal's 28 digits would round the product first
    assert scale_half_up(10**20, 1, 3) == 33333333333333333333
    assert scale_half_up(2 * 10**30 + 1, 1, 2) == 10**30 + 1


def test_denominator_must_be_positive():
    with pytest.raises(ValueError):
        scale_half_up(1, 1, 0)


@given(st.integers(-10**15, 10**15), st.decimals(Decimal("0.0001"), Decimal("100000"), places=6))
def test_agrees_with_decimal_half_up(minor, rate):
    numerator, denominator = rate.as_integer_ratio()
    expected = int((Decimal(minor) * rate).to_integral_value(ROUND_HALF_UP))
    assert scale_half_up(minor, numerator, denominator) == expected


def test_parts_add_up_to_the_whole_converted_once():
    # Three buckets of 0.05 USD at 7.1: 35.5 fen each; one by one 36 + 36 + 36 = 108, but the
    # whole, 0.15 USD, is 106.5 -> 107 fen. Rounded down, 35 + 35 + 35 = 105: the two units left go
    # to the largest remainders (all 0.5), the earlier buckets first: 36, 36, 35.
    assert [scale_half_up(5, 71, 10) for _ in range(3)] == [36, 36, 36]
    assert scale_half_up(15, 71, 10) == 107
    assert scale_parts_half_up([5, 5, 5], 71, 10) == [36, 36, 35]
    # remainders 0.1, 0.9, 0.5 (x 1/10): the whole 1.5 -> 2, floors 0 -> the two largest take one each
    assert scale_parts_half_up([1, 9, 5], 1, 10) == [0, 1, 1]
    assert scale_parts_half_up([], 7, 3) == []
    assert scale_parts_half_up([0, 0], 7, 3) == [0, 0]
    assert scale_parts_half_up([-5, -5, -5], 71, 10) == [-36, -36, -35]  # HALF_UP: away from zero
    assert scale_parts_half_up([5, 5, 5], -71, 10) == [-36, -36, -35]


@given(st.lists(st.integers(-10**12, 10**12), max_size=12), st.decimals(Decimal("0.0001"), Decimal("100000"), places=6))
def test_parts_sum_to_the_whole_each_within_one_unit(parts, rate):
    numerator, denominator = rate.as_integer_ratio()
    scaled = scale_parts_half_up(parts, numerator, denominator)
    assert sum(scaled) == scale_half_up(sum(parts), numerator, denominator)
    for part, out in zip(parts, scaled):
        exact = Decimal(part) * rate
        assert abs(out - exact) < 1  # the part rounded down or up, never further
    assert scale_parts_half_up([part for part in parts], numerator, denominator) == scaled  # deterministic
