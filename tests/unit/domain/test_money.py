"""Integer scaling with HALF_UP rounding agrees with Decimal's, and is exact beyond its precision."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, strategies as st

from credo.domain.money import scale_half_up


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
