"""Money: Decimal in Python, integer minor units in the database, one named rounding policy.

Amounts never pass through float. Each currency has its own number of minor units (ISO 4217);
rounding is always explicit: HALF_UP (commercial, the default for invoices and reports) or
BANKERS (half-even, for accumulations where a bias would grow).
"""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum

ZERO = Decimal("0")

# ISO 4217 exponents that differ from the usual two decimals.
_EXPONENTS = {
    "BHD": 3, "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "IQD": 3, "ISK": 0, "JOD": 3, "JPY": 0,
    "KMF": 0, "KRW": 0, "KWD": 3, "LYD": 3, "OMR": 3, "PYG": 0, "RWF": 0, "TND": 3, "UGX": 0,
    "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
}


class Rounding(Enum):
    HALF_UP = ROUND_HALF_UP
    BANKERS = ROUND_HALF_EVEN


def exponent(currency: str) -> int:
    """Number of minor-unit digits of a currency (2 unless ISO 4217 says otherwise)."""
    return _EXPONENTS.get(currency.upper(), 2)


def quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-exponent(currency))


def quantize(amount: Decimal, currency: str, rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    """Round an amount to the currency's minor unit with the named rounding."""
    return amount.quantize(quantum(currency), rounding=rounding.value)


def round_places(value: Decimal, places: int, rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    """A figure that is not an amount (a ratio, a score, days) to `places` decimals, for display."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=rounding.value)


def to_minor(amount: Decimal, currency: str) -> int:
    """Decimal amount -> integer minor units; refuses amounts finer than the currency allows."""
    scaled = amount.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more decimals than {currency} allows ({exponent(currency)})")
    return int(scaled)


def from_minor(units: int, currency: str) -> Decimal:
    """Integer minor units -> Decimal with the currency's exact number of decimals."""
    return Decimal(units).scaleb(-exponent(currency))  # exact, with the currency's decimals


def parse_decimal(text: str) -> Decimal:
    """A plain decimal string (already cleaned of symbols and separators) -> Decimal."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value


def is_currency_code(code: str) -> bool:
    return len(code) == 3 and code.isascii() and code.isalpha() and code.isupper()


def scale_half_up(minor: int, numerator: int, denominator: int) -> int:
    """minor x numerator / denominator in whole units, rounded HALF_UP (a tie goes away from zero,
    as Decimal's ROUND_HALF_UP does), in integers: exact at any size, where a Decimal product keeps
    28 digits, and a tenth of its cost (a report converts each customer's sums in a foreign
    currency: 80,000 amounts at 10M invoices)."""
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    whole, rest = divmod(abs(minor) * abs(numerator), denominator)
    if 2 * rest >= denominator:
        whole += 1
    return -whole if (minor < 0) != (numerator < 0) else whole


def scale_parts_half_up(parts, numerator: int, denominator: int) -> list[int]:
    """The parts of one whole (an aging's buckets) scaled by numerator / denominator so that they
    add up to the whole's own `scale_half_up`: each part is its exact value rounded down, and the
    units left over go one each to the parts with the largest remainders, the earlier part first
    on a tie (the largest-remainder method). Rounded one by one, seven buckets could add up to a
    cent more or less than their total converted once, which every other report shows."""
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    if numerator < 0:
        numerator, parts = -numerator, [-part for part in parts]
    if sum(parts) < 0:  # the mirror of the positive case, as HALF_UP rounds away from zero
        return [-part for part in scale_parts_half_up([-part for part in parts], numerator, denominator)]
    floors, remainders = [], []
    for part in parts:
        whole, rest = divmod(part * numerator, denominator)  # floor and a remainder >= 0, any sign
        floors.append(whole)
        remainders.append(rest)
    left = scale_half_up(sum(parts), numerator, denominator) - sum(floors)  # 0 to len(parts)
    for index in sorted(range(len(floors)), key=lambda i: -remainders[i])[:left]:
        floors[index] += 1
    return floors
