"""Chinese and English: the zh_CN catalog (a .po file read with Babel when the app starts; no
compile step), the language of a request, and numbers, money and dates in that language's formats.

English is the source language: a message's id is its English text. Templates call `_("...")`;
Python marks the words it hands to templates with `N_` so the extraction finds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.messages.pofile import read_po
from babel.numbers import (format_compact_decimal, format_currency, format_decimal, format_percent,
                           get_currency_precision)

from credo.domain.money import exponent, round_places
from credo.services.audit import as_utc

LANG_COOKIE = "credo_lang"
DEFAULT_LANGUAGE = "zh-CN"
# Language code (HTML lang, cookie) -> (Babel locale, the language's own name for the switch).
LANGUAGES = {"zh-CN": ("zh_Hans_CN", "中文"), "en": ("en", "English")}
CATALOGS = {"zh-CN": Path(__file__).with_name("locale") / "zh_CN" / "LC_MESSAGES" / "credo.po"}
USER_LANGUAGES = {"zh": "zh-CN", "en": "en"}  # users.language -> language code


def _rounded(value: Decimal | str | int, places: int) -> Decimal:
    """Half up, as the reports round (Babel alone would round half to even)."""
    return round_places(Decimal(value), places)


@lru_cache(maxsize=None)
def _babel_locale(code: str) -> Locale:
    return Locale.parse(LANGUAGES[code][0])


@dataclass(frozen=True)
class _Layout:
    """How Babel writes amounts of one currency in one language, learnt once from Babel itself: the
    text around the digits for either sign, the two separators and the decimals. A page shows
    hundreds of amounts, and Babel's format_currency looks all of this up each time (23 us an
    amount, a sixth of the customer page); `tests/unit/web/test_number_formats.py` holds it to Babel's output."""

    prefix: tuple[str, str]  # (positive, negative)
    suffix: tuple[str, str]
    group: str
    decimal: str
    places: int

    def format(self, amount: Decimal) -> str:
        negative = amount.is_signed()  # -0.001 too, shown -¥0.00 as Babel does
        digits = format(abs(amount), f",.{self.places}f")  # rounded by the context (half even), as Babel does
        if self.group != "," or self.decimal != ".":
            digits = digits.translate({ord(","): self.group, ord("."): self.decimal})
        return self.prefix[negative] + digits + self.suffix[negative]


PROBE_DIGITS = "1234567"


@lru_cache(maxsize=None)
def _money_layout(code: str, currency: str, sign: bool) -> _Layout:
    locale = _babel_locale(code)
    places = get_currency_precision(currency) if sign else exponent(currency)
    pattern = "#,##0" + ("." + "0" * places if places else "")
    probe = Decimal(PROBE_DIGITS + ("." + "8" * places if places else ""))

    def babel(value: Decimal) -> str:
        if sign:
            return format_currency(value, currency, locale=locale)
        return format_decimal(value, format=pattern, locale=locale)

    parts = []
    for value in (probe, -probe):
        text = babel(value)
        first, last = text.index("1"), text.rindex("8" if places else "7") + 1
        parts.append((text[:first], text[last:], text[first:last]))
    digits = parts[0][2]  # e.g. 1,234,567.88: the group separator follows the 1
    group = digits[1]
    decimal = digits[len(digits) - places - 1] if places else "."
    return _Layout((parts[0][0], parts[1][0]), (parts[0][1], parts[1][1]), group, decimal, places)


def N_(message: str) -> str:
    """Marks a message for extraction; translated later, where the language is known."""
    return message


def load_catalogs() -> dict[str, dict[str, str]]:
    """Message id -> translation, per language (English has none: ids are English)."""
    out: dict[str, dict[str, str]] = {code: {} for code in LANGUAGES}
    for code, path in CATALOGS.items():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=LANGUAGES[code][0])
        out[code] = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}
    return out


def choose_language(cookie: str | None, user_language: str | None, accept_language: str | None) -> str:
    """The cookie's choice, else the user's own language, else the browser's first, else Chinese."""
    if cookie in LANGUAGES:
        return cookie
    if user_language in USER_LANGUAGES:
        return USER_LANGUAGES[user_language]
    first = (accept_language or "").split(",")[0].strip().lower()
    return "en" if first.startswith("en") else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class Language:
    """One language's words and formats, handed to every template as `lang` (and `_`)."""

    code: str
    messages: dict[str, str] = field(default_factory=dict, repr=False)
    zone: tzinfo = timezone.utc  # where moments are shown (CREDO_TIME_ZONE)

    @property
    def zone_name(self) -> str:
        return str(self.zone)

    @property
    def locale(self) -> Locale:
        return _babel_locale(self.code)

    def gettext(self, message: str, **values) -> str:
        text = self.messages.get(message) or message
        return text % values if values else text

    def bucket(self, label: str) -> str:
        """An aging bucket's name: "not_due" or a range of days such as "1-30" or ">365"."""
        return self.gettext("Not due") if label == "not_due" else self.gettext("%(range)s days", range=label)

    def money(self, amount: Decimal | str | None, currency: str) -> str:
        """An amount with its currency sign, e.g. ¥1,500.00 (zh-CN) or CN¥1,500.00 (en)."""
        if amount is None:
            return ""
        return _money_layout(self.code, currency, True).format(Decimal(amount))

    def amount(self, amount: Decimal | str | None, currency: str) -> str:
        """An amount with the currency's decimals and the locale's separators, without sign."""
        if amount is None:
            return ""
        return _money_layout(self.code, currency, False).format(Decimal(amount))

    def compact(self, amount: Decimal) -> str:
        """A short amount for charts: 1.5万 (zh-CN), 15K (en)."""
        return format_compact_decimal(amount, locale=self.locale, fraction_digits=1)

    def number(self, value: Decimal | str | int | None, places: int = 1) -> str:
        if value is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * places if places else "")
        return format_decimal(_rounded(value, places), format=pattern, locale=self.locale)

    def percent(self, value: Decimal | str | None, places: int = 1) -> str:
        """A value given in percent (44.55 -> 44.6 %)."""
        if value is None:
            return "–"
        pattern = "#,##0" + ("." + "0" * places if places else "") + "%"
        return format_percent(_rounded(value, places) / 100, format=pattern, locale=self.locale)

    def date(self, day: date | str | None) -> str:
        if day is None:
            return ""
        return _medium_date(day, self.code)  # a day as a date or as ISO text

    def month(self, day: date) -> str:
        return format_skeleton("yMMM", day, locale=self.locale)

    def moment(self, at: datetime | str | None) -> str:
        """A moment of the audit log (stored in UTC; a naive value is UTC) in the pages' time zone."""
        if at is None:
            return ""
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        return format_datetime(as_utc(at), format="medium", tzinfo=self.zone, locale=self.locale)


@lru_cache(maxsize=8192)
def _medium_date(day: date | str, code: str) -> str:
    """Babel's medium date of a day (a date or ISO text) in a language, kept: a page shows the same
    few hundred days again and again (a customer's due dates), and each took Babel 45 microseconds."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    return format_date(day, format="medium", locale=_babel_locale(code))
