"""The Altman Z models and their zones, the variant chosen from the customer's profile.

X1 = working capital / total assets, X2 = retained earnings / total assets, X3 = EBIT / total
assets, X4 = equity / total liabilities (market value in Z, book value in the others), X5 =
sales / total assets. Coefficients and zones as Altman published them (1968, 1983, 1995; restated
in Altman 2000, "Predicting financial distress of companies: revisiting the Z-score and ZETA
models"):

- Z, public manufacturers: 1.2 X1 + 1.4 X2 + 3.3 X3 + 0.6 X4 + 1.0 X5; distress < 1.81, safe > 2.99.
- Z', private manufacturers: 0.717 X1 + 0.847 X2 + 3.107 X3 + 0.420 X4 + 0.998 X5; 1.23 / 2.90.
- Z'', non-manufacturers: 6.56 X1 + 3.26 X2 + 6.72 X3 + 1.05 X4 (no X5: asset turnover varies
  too much between industries); 1.10 / 2.60.
- Z''-EM, emerging markets: 3.25 + Z''; the Z'' zones moved by the constant, 4.35 / 5.85.

Between the two bounds (inclusive) is the grey zone. The value is unrounded; the zone is read
from it, so that 1.8099 is distress even though it shows as 1.81.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from credo.domain.credit.financials import Financials
from credo.domain.money import round_places

D = Decimal


@dataclass(frozen=True)
class ZModel:
    name: str
    weights: tuple[Decimal, Decimal, Decimal, Decimal, Decimal]  # X1..X5 (X5's is 0 in Z'')
    constant: Decimal
    market_equity: bool  # X4 from the market value of equity (Z) or its book value
    distress_below: Decimal
    safe_above: Decimal
    meant_for: str


Z = ZModel("Z", (D("1.2"), D("1.4"), D("3.3"), D("0.6"), D("1.0")), D(0), True, D("1.81"), D("2.99"),
           "listed manufacturers")
Z_PRIME = ZModel("Z'", (D("0.717"), D("0.847"), D("3.107"), D("0.420"), D("0.998")), D(0), False, D("1.23"),
                 D("2.90"), "private manufacturers")
Z_DOUBLE_PRIME = ZModel("Z''", (D("6.56"), D("3.26"), D("6.72"), D("1.05"), D(0)), D(0), False, D("1.10"),
                        D("2.60"), "non-manufacturers")
Z_EMERGING = ZModel("Z''-EM", (D("6.56"), D("3.26"), D("6.72"), D("1.05"), D(0)), D("3.25"), False, D("4.35"),
                    D("5.85"), "companies in emerging markets")
MODELS = {m.name: m for m in (Z, Z_PRIME, Z_DOUBLE_PRIME, Z_EMERGING)}


@dataclass(frozen=True)
class Profile:
    """What decides the variant: is the customer listed, a manufacturer, in an emerging market."""

    listed: bool = False
    manufacturer: bool = False
    emerging_market: bool = False


class MissingItems(ValueError):
    """The statement lacks what the model needs; `items` names them."""

    def __init__(self, model: str, items: list[str]):
        super().__init__(f"Altman {model} needs {', '.join(items)}")
        self.model, self.items = model, items


@dataclass(frozen=True)
class ZResult:
    model: str
    value: Decimal  # unrounded
    zone: str  # "safe", "grey" or "distress"
    components: tuple[Decimal, ...]  # X1..X5 (X5 is 0 in the models without it)
    reason: str  # why this variant

    def to_json(self) -> dict:
        return {"model": self.model, "value": str(round_places(self.value, 2)), "zone": self.zone,
                "reason": self.reason,
                "components": {f"x{k + 1}": str(round_places(x, 4)) for k, x in enumerate(self.components)}}


def choose_model(profile: Profile) -> tuple[ZModel, str]:
    """The variant for a profile and why. Emerging markets first: Altman built Z''-EM for
    emerging-market companies, manufacturers or not."""
    if profile.emerging_market:
        return Z_EMERGING, "emerging market: Z''-EM (book equity, no sales/assets)"
    if profile.manufacturer and profile.listed:
        return Z, "listed manufacturer: the original Z (market value of equity)"
    if profile.manufacturer:
        return Z_PRIME, "private manufacturer: Z' (book value of equity)"
    return Z_DOUBLE_PRIME, "non-manufacturer: Z'' (book equity, no sales/assets)"


def zone(value: Decimal, model: ZModel) -> str:
    if value < model.distress_below:
        return "distress"
    if value > model.safe_above:
        return "safe"
    return "grey"


def z_score(f: Financials, model: ZModel, reason: str | None = None) -> ZResult:
    """The model's value and zone for a statement; MissingItems names what is missing."""
    equity = f.market_value_equity if model.market_equity else f.equity
    needed = {"working capital": f.working_capital, "retained earnings": f.retained_earnings, "EBIT": f.ebit,
              "total assets": f.total_assets, "total liabilities": f.total_liabilities,
              ("market value of equity" if model.market_equity else "book equity"): equity}
    if model.weights[4]:
        needed["sales"] = f.sales
    missing = [name for name, value in needed.items() if value is None]
    if missing:
        raise MissingItems(model.name, missing)
    if f.total_assets <= 0 or f.total_liabilities <= 0:
        raise ValueError(f"Altman {model.name}: total assets and total liabilities must be positive")
    assets = f.total_assets
    xs = (f.working_capital / assets, f.retained_earnings / assets, f.ebit / assets, equity / f.total_liabilities,
          (f.sales / assets) if model.weights[4] else D(0))
    value = model.constant + sum((w * x for w, x in zip(model.weights, xs)), D(0))
    return ZResult(model.name, value, zone(value, model), xs, reason or f"{model.name} ({model.meant_for})")


def altman_z(f: Financials, profile: Profile) -> ZResult:
    """The variant the profile calls for. A listed manufacturer whose statement gives no market
    value of equity is scored with Z' (book equity), and the reason says so."""
    model, reason = choose_model(profile)
    if model is Z and f.market_value_equity is None:
        model, reason = Z_PRIME, "listed manufacturer without a market value of equity: Z' (book value)"
    return z_score(f, model, reason)

