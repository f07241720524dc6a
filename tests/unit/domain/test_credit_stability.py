"""The population stability index by hand."""

import math

import pytest

from credo.domain.credit.stability import psi, shares, stability


def test_the_same_scores_are_stable():
    scores = [float(s) for s in range(100)]
    assert psi(scores, scores) == pytest.approx(0.0) and stability(0.0) == "stable"


def test_psi_by_hand_on_two_bins():
    expected = [1.0, 1.0, 2.0, 2.0]  # cut at 2: half below, half at or above
    actual = [1.0, 2.0, 2.0, 2.0]  # a quarter below, three quarters above
    assert shares(actual, [2.0]) == [0.25, 0.75]
    by_hand = (0.25 - 0.5) * math.log(0.25 / 0.5) + (0.75 - 0.5) * math.log(0.75 / 0.5)
    assert psi(expected, actual, bins=2) == pytest.approx(by_hand) == pytest.approx(0.2747, abs=1e-4)
    assert stability(0.2747) == "re-fit" and stability(0.15) == "shifted"


def test_an_empty_bin_counts_as_a_floor_not_zero():
    assert psi([1.0, 2.0], [1.0, 1.0], bins=2) > 0.25
    with pytest.raises(ValueError, match="new scores"):
        psi([1.0], [])
