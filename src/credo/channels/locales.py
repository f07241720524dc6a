"""How mail and letters write amounts and dates in the two languages they speak: zh and en.

The language codes are the customers' (`zh`, `en`); the formats are Babel's for zh_Hans_CN and en,
as on the pages (web/i18n.py). Amounts are Decimals rounded half up to the currency's minor unit
(domain.money) before Babel writes them, so Babel never rounds and a float never appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from credo.domain.money import exponent, quantize
from credo.errors import InvalidInput

LOCALES = {"zh": "zh_Hans_CN", "en": "en"}


def check_language(language: str) -> str:
    if language not in LOCALES:
        raise InvalidInput(f"language {language!r}: expected one of {', '.join(LOCALES)}")
    return language


@dataclass(frozen=True)
class Formats:
    """Amounts and dates written in one language: `Formats("zh").money(Decimal("1500"), "CNY")` is ¥1,500.00."""

    language: str

    def __post_init__(self) -> None:
        check_language(self.language)

    @property
    def locale(self) -> Locale:
        return Locale.parse(LOCALES[self.language])

    def money(self, amount: Decimal, currency: str) -> str:
        """With the currency's sign: ¥1,500.00 (zh), CN¥1,500.00 (en), ¥150,000 for JPY."""
        return format_currency(_exact(amount, currency), currency, locale=self.locale)

    def amount(self, amount: Decimal, currency: str) -> str:
        """Digits only, with the currency's decimals and the language's separators: 1,500.00."""
        return format_decimal(_exact(amount, currency), format=_digits_pattern(currency), locale=self.locale)

    def date(self, day: date) -> str:
        """2026年11月30日 (zh), November 30, 2026 (en)."""
        return format_date(day, format="long", locale=self.locale)

    def short_date(self, day: date) -> str:
        """2026-11-30 (zh), Nov 30, 2026 (en): for table columns."""
        return day.isoformat() if self.language == "zh" else format_date(day, format="medium", locale=self.locale)


def _exact(amount: Decimal, currency: str) -> Decimal:
    if not isinstance(amount, Decimal):
        raise InvalidInput(f"amount {amount!r}: expected a Decimal")
    return quantize(amount, currency)


def _digits_pattern(currency: str) -> str:
    places = exponent(currency)
    return "#,##0" + ("." + "0" * places if places else "")
