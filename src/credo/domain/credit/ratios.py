"""Financial ratios of a statement (流动比率, 速动比率, 现金比率, 资产负债率, 产权比率, 利息保障倍数).

Each ratio is `Decimal | None`: None when an item it needs is missing or its denominator is zero
or negative (a current ratio over no liabilities is undefined, not infinite), so that a scorecard
sees "unknown", never a made-up number. Ratios are unrounded; `money.round_places` rounds them for display.
"""

from __future__ import annotations

from decimal import Decimal

from credo.domain.credit.financials import Financials

RATIO_NAMES = ("current", "quick", "cash", "debt_to_assets", "debt_to_equity", "interest_coverage")


def _divide(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def _less(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def current_ratio(f: Financials) -> Decimal | None:
    """Current assets / current liabilities."""
    return _divide(f.current_assets, f.current_liabilities)


def quick_ratio(f: Financials) -> Decimal | None:
    """(Current assets - inventory) / current liabilities (the acid test)."""
    return _divide(_less(f.current_assets, f.inventory), f.current_liabilities)


def cash_ratio(f: Financials) -> Decimal | None:
    """Cash / current liabilities."""
    return _divide(f.cash, f.current_liabilities)


def debt_to_assets(f: Financials) -> Decimal | None:
    """Total liabilities / total assets (资产负债率)."""
    return _divide(f.total_liabilities, f.total_assets)


def debt_to_equity(f: Financials) -> Decimal | None:
    """Total liabilities / book equity (产权比率); undefined when equity is nil or negative."""
    return _divide(f.total_liabilities, f.equity)


def interest_coverage(f: Financials) -> Decimal | None:
    """EBIT / interest expense; undefined without interest to cover."""
    return _divide(f.ebit, f.interest_expense)


FUNCTIONS = {"current": current_ratio, "quick": quick_ratio, "cash": cash_ratio,
             "debt_to_assets": debt_to_assets, "debt_to_equity": debt_to_equity,
             "interest_coverage": interest_coverage}


def ratios(f: Financials) -> dict[str, Decimal | None]:
    """Every ratio by name (RATIO_NAMES), with working capital (an amount) beside them."""
    out: dict[str, Decimal | None] = {name: FUNCTIONS[name](f) for name in RATIO_NAMES}
    out["working_capital"] = f.working_capital
    return out

