"""Text to values: cell parsers, and rows of cells parsed into values plus RowErrors.

A cell parser turns the text of one cell into one plain value or raises ValueError. Each
reason reads well after "column: " (see RowError): "amount: not a number: 'abc'".
The parsers take the forms people type in China and abroad, and refuse whatever they would have
to guess at: a guessed date or amount is a wrong ledger that nobody notices.

Decisions:
- Dates: ISO 2024-03-05, 2024/3/5, 2024.3.5, 20240305, 2024年3月5日 and 5 Mar 2024 are read
  as they are. Year-last slash dates (3/5/2024) are read only when unambiguous (a part above 12,
  or both parts equal) or with an explicit date_format; a column can tell its own order, see
  infer_date_format. A time after the date (2024-03-05 14:30:00) is ignored: the date is taken as
  written, since the file names no time zone to convert from. Years outside 1900-2100 are refused.
- Amounts: the comma is always a thousands separator and the dot the decimal point ("1,500" is
  fifteen hundred). Continental forms (1.234,50) are refused with a hint, not reinterpreted.
  A currency symbol or code in the cell is dropped, not checked: the currency of a row comes from
  its currency column or its customer, one rule for every file, rather than from decoration.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from credo.errors import InvalidInput

MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_INTEGER_DIGITS = 15  # beyond this an "amount" is an id pasted in the wrong column

_TIME = re.compile(r"(?:[ T]+|(?<=日))\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_YEAR_FIRST = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})")
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_CHINESE = re.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?")
_YEAR_LAST = re.compile(r"(?P<a>\d{1,2})(?P<sep>[-/.])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})")
_MONTH_NAMED = ("%d %b %Y", "%d-%b-%Y", "%d %B %Y", "%d-%B-%Y", "%b %d, %Y", "%B %d, %Y")

_CODES = (
    "CNY|RMB|USD|EUR|GBP|HKD|MOP|TWD|JPY|KRW|SGD|AUD|NZD|CAD|CHF|SEK|NOK|DKK|PLN|CZK|HUF|RUB"
    "|INR|IDR|MYR|THB|VND|PHP|AED|SAR|TRY|ILS|ZAR|BRL|MXN"
)
_CURRENCY = rf"(?:(?i:{_CODES})|(?:US|HK|NT|[SAC])\$|[$¥€£]|人民币|元)"
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_AMOUNT = re.compile(
    rf"(?P<outer>\()?\s*(?P<lead>[-+])?\s*(?:{_CURRENCY})?\s*(?P<sign>[-+])?\s*(?P<inner>\()?\s*"
    rf"(?P<number>{_NUMBER})\s*(?(inner)\))\s*(?P<trail>-)?\s*(?:{_CURRENCY})?\s*(?(outer)\))"
)
_CURRENCY_WORDS = {
    "¥": "CNY", "RMB": "CNY", "人民币": "CNY", "元": "CNY", "$": "USD", "US$": "USD",
    "美元": "USD", "€": "EUR", "欧元": "EUR", "£": "GBP", "英镑": "GBP", "HK$": "HKD",
    "港币": "HKD", "港元": "HKD", "日元": "JPY",
}


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem in one cell (or, with column "", one row), where a person will look for it."""

    file: str
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.reason}"


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row as text; row is the spreadsheet row number (the header is row 1).

    errors holds problems of the row's shape (more cells than the header names), found while
    reading; parse_row starts from them, so they reach the rejects like any bad cell.
    """

    row: int
    values: dict[str, str]
    errors: tuple[RowError, ...] = ()


def require_columns(file: str, header: Sequence[str], required: Iterable[str]) -> None:
    """Refuse a file that lacks a needed column: every row would fail for the same reason."""
    missing = [name for name in required if name not in header]
    if missing:
        raise InvalidInput(
            f"{file}: missing column(s) {', '.join(missing)} (found: {', '.join(header)})"
        )


def parse_row(
    file: str, source: SourceRow, parsers: Mapping[str, Callable[[str], object]],
    required: Collection[str] = (),
) -> tuple[dict[str, object], list[RowError]]:
    """Parse each named column, collecting every bad cell; blank cells become None."""
    values: dict[str, object] = {}
    errors = list(source.errors)
    for column, parser in parsers.items():
        text = source.values.get(column, "")
        values[column] = None
        if not text.strip():
            if column in required:
                errors.append(RowError(file, source.row, column, "required"))
            continue
        try:
            values[column] = parser(text)
        except ValueError as exc:
            errors.append(RowError(file, source.row, column, str(exc)))
    return values, errors


def _clean(text: str) -> str:
    """NFKC folds full-width digits, letters and punctuation (１２３４，￥) to their plain forms."""
    return unicodedata.normalize("NFKC", text).strip().replace("\u2212", "-")


_PLAIN_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_PLAIN_AMOUNT = re.compile(r"-?\d{1,15}(?:\.\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def parse_date(text: str, date_format: str | None = None) -> date:
    """A date cell -> date. date_format (strptime) is tried first, then the unambiguous forms."""
    if not date_format and _PLAIN_ISO.fullmatch(text):  # the common case of big exports, fast
        try:
            return _checked_year(date.fromisoformat(text), text)
        except ValueError:
            pass  # the full path below says why
    cleaned = _clean(text)
    if not cleaned:
        raise ValueError("empty")
    day_text = _TIME.sub("", cleaned).strip()
    if date_format:
        for candidate in dict.fromkeys((cleaned, day_text)):
            parsed = _strptime(candidate, date_format, text)
            if parsed is not None:
                return _checked_year(parsed, text)
    found = _unambiguous_date(day_text, text)
    if found is not None:
        return found
    year_last = _YEAR_LAST.fullmatch(day_text)
    if year_last and date_format:
        raise ValueError(f"not a date in the format {date_format}: {text.strip()!r}")
    if year_last:
        return _year_last_date(year_last, text)
    if re.fullmatch(r"\d{5}(?:\.\d+)?", day_text):
        raise ValueError(
            f"not a date: {text.strip()!r} (a spreadsheet date serial? format the column as dates)"
        )
    raise ValueError(f"not a date: {text.strip()!r}")


def _unambiguous_date(day_text: str, text: str) -> date | None:
    """ISO-like, compact, Chinese and month-name dates, which no reader can take two ways."""
    match = (_YEAR_FIRST.fullmatch(day_text) or _COMPACT.fullmatch(day_text)
             or _CHINESE.fullmatch(re.sub(r"\s+", "", day_text)))
    if match:
        return _make_date(int(match["y"]), int(match["m"]), int(match["d"]), text)
    if re.search(r"[A-Za-z]", day_text):
        for form in _MONTH_NAMED:
            parsed = _strptime(day_text, form, text)
            if parsed is not None:
                return _checked_year(parsed, text)
    return None


def _year_last_date(match: re.Match[str], text: str) -> date:
    """3/5/2024 is March or May: read it only when a part above 12 (or equal parts) settles it."""
    first, second, year, sep = int(match["a"]), int(match["b"]), int(match["y"]), match["sep"]
    if first == second or second <= 12 < first:
        return _make_date(year, second, first, text)
    if first <= 12 < second:
        return _make_date(year, first, second, text)
    if first > 12:
        raise ValueError(f"no such date: {text.strip()!r}")
    raise ValueError(
        f"ambiguous date {text.strip()!r}: pass --date-format %m{sep}%d{sep}%Y or %d{sep}%m{sep}%Y"
    )


def _strptime(candidate: str, form: str, text: str) -> date | None:
    """The date in that form, None if the text has another form; refuses impossible dates."""
    try:
        return datetime.strptime(candidate, form).date()
    except ValueError as exc:
        if "out of range" in str(exc):
            raise ValueError(f"no such date: {text.strip()!r}") from None
        return None


def _make_date(year: int, month: int, day: int, text: str) -> date:
    _check_year(year, text)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"no such date: {text.strip()!r}") from None


def _checked_year(value: date, text: str) -> date:
    _check_year(value.year, text)
    return value


def _check_year(year: int, text: str) -> None:
    """A typo such as 2204 or 0024 is far likelier than a real invoice from that year."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"year {year} out of range ({MIN_YEAR}-{MAX_YEAR}): {text.strip()!r}")


def infer_date_format(texts: Iterable[str]) -> str | None:
    """The order a column's year-last dates use (%d/%m/%Y or %m/%d/%Y), or None if none tells.

    One cell like 3/5/2024 cannot say; its column usually can: a single 26/1/2024 settles it.
    Raises ValueError when the column holds both orders (13/1/2024 and 1/13/2024).
    """
    day_first = month_first = None
    for text in texts:
        match = _YEAR_LAST.fullmatch(_TIME.sub("", _clean(text)).strip())
        if match and int(match["b"]) <= 12 < int(match["a"]):
            day_first = day_first or match
        elif match and int(match["a"]) <= 12 < int(match["b"]):
            month_first = month_first or match
    if day_first and month_first:
        raise ValueError(
            f"the column mixes day-first ({day_first[0]!r}) "
            f"and month-first ({month_first[0]!r}) dates"
        )
    if day_first or month_first:
        sep = (day_first or month_first)["sep"]
        return f"%d{sep}%m{sep}%Y" if day_first else f"%m{sep}%d{sep}%Y"
    return None


def parse_amount(text: str) -> Decimal:
    """An amount cell -> Decimal, exactly as written (1,234.50 -> Decimal('1234.50')).

    Takes thousands separators, a currency symbol or code before or after, a leading or trailing
    minus (SAP writes 1,234.50-) and accounting parentheses. See the module doc for what is refused.
    """
    if _PLAIN_AMOUNT.fullmatch(text):  # the common case of big exports, fast
        value = Decimal(text)
        return value if value else abs(value)
    cleaned = _clean(text)
    if not cleaned:
        raise ValueError("empty")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValueError(_amount_refusal(cleaned, text.strip()))
    signs = (match["lead"], match["sign"])
    minus = [match["outer"], match["inner"], match["trail"], *(sign == "-" for sign in signs)]
    if sum(map(bool, minus)) > 1:
        raise ValueError(f"more than one minus sign: {text.strip()!r}")
    number = match["number"].replace(",", "")
    if len(number.split(".")[0].lstrip("0")) > MAX_INTEGER_DIGITS:
        raise ValueError(f"too large for an amount: {text.strip()!r}")
    value = Decimal(number)
    return -value if any(minus) and value else value


def _amount_refusal(cleaned: str, shown: str) -> str:
    """Say why a cell is not an amount, naming the usual culprit when it can be seen."""
    digits = re.sub(r"[^\d.,]", "", cleaned)
    if re.search(r"\d[eE][-+]?\d", cleaned):
        return f"exponent notation is not accepted: {shown!r}; write the number in full"
    if "," in digits and "." in digits and digits.rfind(",") > digits.rfind("."):
        return f"comma as decimal point is not accepted: {shown!r}; write it as 1234.50"
    if digits.count(".") > 1:
        return f"more than one decimal point: {shown!r}"
    if digits.count(",") == 1 and "." not in digits and re.search(r",\d{1,2}$", digits):
        return f"comma as decimal point is not accepted: {shown!r}; commas separate thousands here"
    if "," in digits and re.search(r"\d", digits):
        return f"misplaced thousands separator: {shown!r}"
    return f"not a number: {shown!r}"


def parse_int(text: str) -> int:
    """A whole-number cell (days, counts) -> int; 1,200 and 30.0 are taken, 30.5 is not."""
    cleaned = _clean(text)
    if not cleaned:
        raise ValueError("empty")
    match = re.fullmatch(r"([-+]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.0+)?", cleaned)
    if match is None:
        raise ValueError(f"not a whole number: {text.strip()!r}")
    return int(match[1] + match[2].replace(",", ""))


def parse_choice(text: str, choices: Iterable[str]) -> str:
    """One of a fixed set of words, matched ignoring case and width; returns the choice as given."""
    options = list(choices)
    wanted = _clean(text).casefold()
    for option in options:
        if _clean(option).casefold() == wanted:
            return option
    said = "empty" if not wanted else repr(text.strip())
    raise ValueError(f"expected one of {', '.join(options)}: {said}")


def parse_text(text: str, max_length: int) -> str:
    """Free text (names, reasons) kept as written, only stripped; control characters refused."""
    value = text.strip()
    if _CONTROL.search(value):
        raise ValueError(f"contains control characters: {value!r}")
    if len(value) > max_length:
        raise ValueError(f"longer than {max_length} characters ({len(value)})")
    return value


def parse_currency(text: str) -> str:
    """A currency code (cny -> CNY) or a common symbol or word: ¥/￥/RMB/人民币 -> CNY, $ -> USD.

    ¥ means CNY here, not JPY: this is a Chinese ledger's reading; write JPY or 日元 for yen.
    """
    cleaned = _clean(text).upper()
    if not cleaned:
        raise ValueError("empty")
    if cleaned in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[cleaned]
    if re.fullmatch(r"[A-Z]{3}", cleaned):
        return cleaned
    raise ValueError(f"not a currency code: {text.strip()!r}")
