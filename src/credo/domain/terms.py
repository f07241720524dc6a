"""Payment terms (账期) as data: parse what people type, compute due and discount dates.

Terms arrive as free text from ERPs, spreadsheets and people (`net 30`, `月结30天`, `2/10 N30`);
they are parsed once into a `PaymentTerms` value with one canonical code, so the rest of the
system never guesses at text. Dates are computed here and nowhere else.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum

from credo.domain.money import ZERO, quantize

# Longer terms are a typo, and would also push dates past what `date` can hold.
MAX_DAYS = 3660
# How far `roll_forward` looks for a business day before deciding the calendar is broken.
MAX_ROLL_DAYS = 366

_HINT = "use NET30, EOM30 (月结30) or 2/10 NET30"

_CASH = frozenset({"COD", "CASH", "现结", "现款", "货到付款"})
_BARE = re.compile(r"(?P<days>-?[0-9]+)\s*(?:DAYS?|天)?")
_TERMS = re.compile(
    r"""
    (?:(?P<percent>[0-9]+(?:\.[0-9]+)?)\s*%?\s*/\s*(?P<discount_days>-?[0-9]+)\s*)?
    (?:
        (?:NET|N)\s*(?P<net>-?[0-9]+)
      | (?:EOM|月结)\s*\+?\s*(?P<eom>-?[0-9]+)?
    )
    \s*(?:DAYS?|天)?
    """,
    re.VERBOSE,
)


class TermsKind(Enum):
    NET = "NET"
    END_OF_MONTH = "EOM"


@dataclass(frozen=True)
class PaymentTerms:
    """Parsed terms; `code` is the canonical text (`NET30`, `EOM30`, `2/10 NET30`)."""

    code: str
    kind: TermsKind
    days: int
    discount_days: int | None = None
    discount_percent: Decimal | None = None


def parse_terms(text: str) -> PaymentTerms:
    """Read terms as people write them; raise ValueError saying what is wrong otherwise."""
    # NFKC folds full-width digits and signs (月结３０天, ２／１０) into ASCII.
    cleaned = unicodedata.normalize("NFKC", text).strip().upper()
    if cleaned in _CASH:
        return _terms(TermsKind.NET, 0)
    bare = _BARE.fullmatch(cleaned)
    if bare:
        return _terms(TermsKind.NET, _days(bare["days"], text))
    match = _TERMS.fullmatch(cleaned)
    if not match:
        raise ValueError(f"unknown payment terms {text!r}: {_HINT}")
    if match["net"] is not None:
        kind, days = TermsKind.NET, _days(match["net"], text)
    else:
        kind, days = TermsKind.END_OF_MONTH, _days(match["eom"] or "0", text)
    if match["percent"] is None:
        return _terms(kind, days)
    discount_days = _days(match["discount_days"], text)
    percent = Decimal(match["percent"])
    _check_discount(text, days, discount_days, percent)
    return _terms(kind, days, discount_days, percent)


def due_date(
    terms: PaymentTerms,
    invoice_date: date,
    is_business_day: Callable[[date], bool] | None = None,
) -> date:
    """NET n: invoice date + n; EOM n (月结n): last day of the invoice month + n.

    With a business-day calendar the date rolls forward (following convention), because a
    customer cannot be late for paying on a day the banks are closed.
    """
    day = _base_date(terms, invoice_date) + timedelta(days=terms.days)
    return roll_forward(day, is_business_day) if is_business_day else day


def discount_date(
    terms: PaymentTerms,
    invoice_date: date,
    is_business_day: Callable[[date], bool] | None = None,
) -> date | None:
    """Last day to take the cash discount, counted from the same base as the due date."""
    if terms.discount_days is None:
        return None
    day = _base_date(terms, invoice_date) + timedelta(days=terms.discount_days)
    return roll_forward(day, is_business_day) if is_business_day else day


def discount_amount(terms: PaymentTerms, amount: Decimal, currency: str) -> Decimal:
    """Cash discount on `amount`, rounded HALF_UP to the currency's minor unit."""
    if terms.discount_percent is None:
        return ZERO
    return quantize(amount * terms.discount_percent / 100, currency)


def roll_forward(day: date, is_business_day: Callable[[date], bool]) -> date:
    """The first business day on or after `day`; a calendar with none for a year is an error."""
    for offset in range(MAX_ROLL_DAYS + 1):
        candidate = day + timedelta(days=offset)
        if is_business_day(candidate):
            return candidate
    raise ValueError(f"no business day within {MAX_ROLL_DAYS} days after {day.isoformat()}")


def _base_date(terms: PaymentTerms, invoice_date: date) -> date:
    if terms.kind is TermsKind.NET:
        return invoice_date
    last = calendar.monthrange(invoice_date.year, invoice_date.month)[1]
    return invoice_date.replace(day=last)


def _days(digits: str, text: str) -> int:
    days = int(digits)
    if days < 0:
        raise ValueError(f"payment terms {text!r}: days must not be negative")
    if days > MAX_DAYS:
        raise ValueError(f"payment terms {text!r}: more than {MAX_DAYS} days is surely a typo")
    return days


def _check_discount(text: str, days: int, discount_days: int, percent: Decimal) -> None:
    if discount_days >= days:
        raise ValueError(
            f"payment terms {text!r}: the discount period ({discount_days} days) "
            f"must be shorter than the net period ({days} days)"
        )
    if not ZERO < percent < 100:
        raise ValueError(f"payment terms {text!r}: the discount must be between 0 and 100 percent")


def _terms(
    kind: TermsKind,
    days: int,
    discount_days: int | None = None,
    percent: Decimal | None = None,
) -> PaymentTerms:
    code = f"{kind.value}{days}"
    if percent is not None:
        code = f"{percent.normalize():f}/{discount_days} {code}"
    return PaymentTerms(code, kind, days, discount_days, percent)
