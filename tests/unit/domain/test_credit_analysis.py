"""Ratios and the Altman Z models against hand-computed and published worked numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from credo.domain.credit.altman import (MODELS, Z, Z_DOUBLE_PRIME, Z_EMERGING, Z_PRIME, MissingItems, Profile,
                                        altman_z, choose_model, z_score, zone)
from credo.domain.credit.financials import Financials
from credo.domain.credit.ratios import ratios
from credo.domain.money import round_places

END = date(2025, 12, 31)


def statement(**items) -> Financials:
    return Financials(END, "CNY", **{k: D(str(v)) for k, v in items.items()})


def test_ratios_of_a_hand_computed_statement():
    f = statement(cash=150, receivables=300, inventory=250, current_assets=800, current_liabilities=400,
                  total_assets=2000, total_liabilities=1200, equity=800, ebit=240, interest_expense=60)
    assert ratios(f) == {"current": D(2), "quick": D("1.375"), "cash": D("0.375"), "debt_to_assets": D("0.6"),
                         "debt_to_equity": D("1.5"), "interest_coverage": D(4), "working_capital": D(400)}


def test_a_ratio_without_its_items_or_over_nothing_is_undefined_not_zero():
    f = statement(current_assets=800, current_liabilities=0, total_assets=1000, total_liabilities=1100,
                  equity=-100, ebit=50)
    r = ratios(f)
    assert r["current"] is None and r["cash"] is None and r["quick"] is None  # no liabilities, no cash, no inventory
    assert r["debt_to_equity"] is None  # negative equity: undefined, not a negative ratio
    assert r["interest_coverage"] is None and r["debt_to_assets"] == D("1.1")
    assert r["working_capital"] == D(800)
    assert statement(current_assets=5, current_liabilities=3, stated_working_capital=1).working_capital == D(1)


def test_amounts_must_be_decimals():
    with pytest.raises(TypeError, match="cash: a Decimal amount, not float"):
        Financials(END, "CNY", cash=1.5)


def test_z_of_a_published_example_listed_manufacturer():
    """formiax.com's Altman calculator example: WC 4.2M, TA 3.5M, TL 5M, RE 0.8M, EBIT 6.5M,
    sales 8.3M, market value of equity 7M; it shows 11.097 with 0.999 for X5, 11.10 with 1.0."""
    f = statement(current_assets=4_200_000, current_liabilities=0, total_assets=3_500_000,
                  total_liabilities=5_000_000, retained_earnings=800_000, ebit=6_500_000, sales=8_300_000,
                  market_value_equity=7_000_000)
    result = altman_z(f, Profile(listed=True, manufacturer=True))
    assert (result.model, round_places(result.value, 2), result.zone) == ("Z", D("11.10"), "safe")
    assert [round_places(x, 3) for x in result.components] == [D("1.200"), D("0.229"), D("1.857"), D("1.400"), D("2.371")]


# A statement whose ratios are a published exercise (wizedu.com, "Calculate the Z-score of the firm"):
# X1 0.34, X2 0.15, X3 0.00, X4 0.80, X5 1.6 -> Z 2.70.
EXERCISE = statement(stated_working_capital=34, retained_earnings=15, ebit=0, total_assets=100,
                     total_liabilities=100, market_value_equity=80, equity=80, sales=160)


@pytest.mark.parametrize(("model", "value", "zone_"), [
    (Z, D("2.698"), "grey"),  # 1.2x.34 + 1.4x.15 + 0 + .6x.8 + 1.0x1.6 (published: 2.70)
    (Z_PRIME, D("2.30363"), "grey"),  # .717x.34 + .847x.15 + 0 + .42x.8 + .998x1.6
    (Z_DOUBLE_PRIME, D("3.5594"), "safe"),  # 6.56x.34 + 3.26x.15 + 0 + 1.05x.8
    (Z_EMERGING, D("6.8094"), "safe"),  # 3.25 + Z''
])
def test_each_variant_by_hand_on_the_exercise(model, value, zone_):
    result = z_score(EXERCISE, model)
    assert (result.value, result.zone) == (value, zone_)
    assert result.to_json()["value"] == str(round_places(value, 2)) and result.to_json()["components"]["x4"] == "0.8000"


@pytest.mark.parametrize("model", list(MODELS.values()), ids=list(MODELS))
def test_zone_bounds_belong_to_the_grey_zone(model):
    tiny = D("0.0001")
    assert zone(model.distress_below - tiny, model) == "distress"
    assert zone(model.distress_below, model) == zone(model.safe_above, model) == "grey"
    assert zone(model.safe_above + tiny, model) == "safe"
    assert (Z.distress_below, Z.safe_above, Z_PRIME.distress_below, Z_PRIME.safe_above) == (
        D("1.81"), D("2.99"), D("1.23"), D("2.90"))
    assert (Z_DOUBLE_PRIME.distress_below, Z_DOUBLE_PRIME.safe_above) == (D("1.10"), D("2.60"))
    assert (Z_EMERGING.distress_below, Z_EMERGING.safe_above) == (D("4.35"), D("5.85"))


def test_the_variant_follows_the_profile_and_says_why():
    assert choose_model(Profile(listed=True, manufacturer=True))[0] is Z
    assert choose_model(Profile(manufacturer=True))[0] is Z_PRIME
    assert choose_model(Profile(listed=True))[0] is Z_DOUBLE_PRIME
    assert choose_model(Profile(manufacturer=True, listed=True, emerging_market=True))[0] is Z_EMERGING
    no_market_value = statement(stated_working_capital=34, retained_earnings=15, ebit=0, total_assets=100,
                                total_liabilities=100, equity=80, sales=160)
    fallback = altman_z(no_market_value, Profile(listed=True, manufacturer=True))
    assert fallback.model == "Z'" and "without a market value" in fallback.reason


def test_a_missing_item_is_named():
    with pytest.raises(MissingItems) as refused:
        z_score(statement(total_assets=100, total_liabilities=50, equity=10), Z_PRIME)
    assert refused.value.items == ["working capital", "retained earnings", "EBIT", "sales"]
    assert "Altman Z' needs working capital, retained earnings, EBIT, sales" in str(refused.value)
    with pytest.raises(ValueError, match="must be positive"):
        z_score(statement(stated_working_capital=1, retained_earnings=1, ebit=1, total_assets=100,
                          total_liabilities=0, equity=1), Z_DOUBLE_PRIME)


amounts = st.decimals(min_value=D(-10**9), max_value=D(10**9), places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value=D("0.01"), max_value=D(10**9), places=2, allow_nan=False, allow_infinity=False)


@given(wc=amounts, re=amounts, ebit=amounts, ta=positive, tl=positive, equity=amounts, sales=amounts)
def test_the_value_is_the_weighted_sum_of_its_components(wc, re, ebit, ta, tl, equity, sales):
    f = Financials(END, "CNY", stated_working_capital=wc, retained_earnings=re, ebit=ebit, total_assets=ta,
                   total_liabilities=tl, equity=equity, market_value_equity=equity, sales=sales)
    for model in MODELS.values():
        result = z_score(f, model)
        assert result.value == model.constant + sum((w * x for w, x in zip(model.weights, result.components)), D(0))
    # 3.25 apart, to Decimal's 28 significant digits (each sum is rounded there)
    emerging, plain = z_score(f, Z_EMERGING).value, z_score(f, Z_DOUBLE_PRIME).value
    assert abs(emerging - plain - D("3.25")) <= D("1e-24") * max(D(1), abs(plain))
