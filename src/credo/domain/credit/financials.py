"""A customer's financial statement for one period: the items the ratios and the Z models need.

Amounts are Decimals in the statement's currency, None where the statement does not give the
item (a ratio that needs it is then undefined, never guessed). Working capital is current assets
less current liabilities unless the statement states it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Financials:
    period_end: date
    currency: str
    cash: Decimal | None = None
    receivables: Decimal | None = None
    inventory: Decimal | None = None
    current_assets: Decimal | None = None
    current_liabilities: Decimal | None = None
    total_assets: Decimal | None = None
    total_liabilities: Decimal | None = None
    equity: Decimal | None = None  # book value of equity
    retained_earnings: Decimal | None = None
    sales: Decimal | None = None  # net sales of the period (12 months)
    ebit: Decimal | None = None
    interest_expense: Decimal | None = None
    market_value_equity: Decimal | None = None  # listed companies only
    stated_working_capital: Decimal | None = None

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name not in ("period_end", "currency") and value is not None and not isinstance(value, Decimal):
                raise TypeError(f"{item.name}: a Decimal amount, not {type(value).__name__} ({value!r})")

    @property
    def working_capital(self) -> Decimal | None:
        if self.stated_working_capital is not None:
            return self.stated_working_capital
        if self.current_assets is None or self.current_liabilities is None:
            return None
        return self.current_assets - self.current_liabilities
