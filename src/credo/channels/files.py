"""Files in and out: CSV/TSV/TXT and XLSX tables read as text rows, reports and rejects written.

Reading gives every cell as text under a normalised column name; the cell parsers (re-exported
here from cells.py) turn text into values. Problems with one row are RowError values, so an
import can list every error of a file at once; only a file that cannot be read at all (missing,
undecodable, no header, a column named twice) raises InvalidInput.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time
from decimal import Decimal
from itertools import chain, islice
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO, TextIO
from zipfile import BadZipFile

import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from credo.channels.cells import (
    RowError, SourceRow, infer_date_format, parse_amount, parse_choice, parse_currency, parse_date,
    parse_int, parse_row, parse_text, require_columns,
)
from credo.errors import InvalidInput

__all__ = [
    "RowError", "SourceRow", "normalise_header", "open_table", "read_table", "cell_text",
    "require_columns", "parse_row", "write_rejects", "write_csv", "write_xlsx", "infer_date_format",
    "parse_amount", "parse_choice", "parse_currency", "parse_date", "parse_int", "parse_text",
]

TEXT_SUFFIXES = {".csv": ",", ".txt": ",", ".tsv": "\t"}
XLSX_SUFFIXES = (".xlsx", ".xlsm")
_NO_ALIASES: Mapping[str, str] = MappingProxyType({})
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_FIT_ROWS = 200  # rows looked at to size report columns; widths are written before any row


def normalise_header(name: str, aliases: Mapping[str, str] = _NO_ALIASES) -> str:
    """ "Invoice Number", "invoice-number" and "invoiceNumber" -> invoice_number; then aliases.

    Alias keys are normalised the same way, so {"发票号": "invoice_number"} or
    {"Inv No": "invoice_number"} match however the file spells the heading.
    """
    key = _normalise(name)
    for alias, target in aliases.items():
        if _normalise(alias) == key:
            return _normalise(target)
    return key


def _normalise(name: str) -> str:
    text = _CAMEL.sub("_", unicodedata.normalize("NFKC", name).strip())
    return re.sub(r"[\s\-]+", "_", text.lower())


def read_table(
    path: Path, *, encoding: str | None = None, sheet: str | None = None,
    aliases: Mapping[str, str] = _NO_ALIASES,
) -> tuple[list[str], list[SourceRow]]:
    """The header and every non-blank data row of a CSV/TSV/TXT or XLSX file."""
    with open_table(path, encoding=encoding, sheet=sheet, aliases=aliases) as (header, rows):
        return header, list(rows)


@contextmanager
def open_table(
    path: Path, *, encoding: str | None = None, sheet: str | None = None,
    aliases: Mapping[str, str] = _NO_ALIASES,
) -> Iterator[tuple[list[str], Iterator[SourceRow]]]:
    """Like read_table, but rows stream while the file is open: for imports done in batches."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        records = _xlsx_records(path, sheet)
    elif suffix in TEXT_SUFFIXES:
        records = _text_records(path, encoding, TEXT_SUFFIXES[suffix])
    else:
        raise InvalidInput(f"{path.name}: cannot read {suffix or 'files without a suffix'}; "
                           f"use .csv, .tsv, .txt, .xlsx or .xlsm")
    try:
        header = _read_header(path.name, records, aliases)
        yield header, _source_rows(path.name, header, records)
    finally:
        records.close()


def _read_header(file: str, records: Iterator[tuple[int, list[str]]],
                 aliases: Mapping[str, str]) -> list[str]:
    """The first non-blank row names the columns; a column named twice makes the file unusable."""
    cells = next((cells for _, cells in records if any(c.strip() for c in cells)), None)
    if cells is None:
        raise InvalidInput(f"{file}: empty file, no header row")
    cells = cells[: _last_filled(cells)]
    header = [normalise_header(c, aliases) or f"column_{i}" for i, c in enumerate(cells, 1)]
    seen: dict[str, int] = {}
    for position, name in enumerate(header, 1):
        if name in seen:
            raise InvalidInput(
                f"{file}: column {name!r} appears twice (columns {seen[name]} and {position})"
            )
        seen[name] = position
    return header


def _last_filled(cells: Sequence[str]) -> int:
    """How many cells remain once trailing blanks (spreadsheet leftovers) are cut."""
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return end


def _source_rows(file: str, header: list[str],
                 records: Iterator[tuple[int, list[str]]]) -> Iterator[SourceRow]:
    """Rows keyed by column; short rows are padded, rows longer than the header get a RowError."""
    width = len(header)
    for number, cells in records:
        filled = _last_filled(cells)
        if not filled:
            continue
        values = dict(zip(header, cells))
        if len(cells) < width:
            values.update((name, "") for name in header[len(cells):])
        errors: tuple[RowError, ...] = ()
        if filled > width:
            errors = (RowError(file, number, "", f"{filled} cells but the header names {width} "
                               f"columns (an amount like 1,234.50 written without quotes?)"),)
        yield SourceRow(number, values, errors)


def _text_records(
    path: Path, encoding: str | None, delimiter: str
) -> Iterator[tuple[int, list[str]]]:
    """Numbered CSV records; a record spanning lines is one spreadsheet row, counted once."""
    chosen = encoding or _detect_encoding(path)
    try:
        with path.open(encoding=chosen, newline="") as stream:
            first = stream.readline()
            if delimiter == "," and "," not in first:
                delimiter = "\t" if "\t" in first else ";" if ";" in first else ","
            reader = csv.reader(chain([first], stream), delimiter=delimiter)
            yield from enumerate(reader, start=1)
    except UnicodeDecodeError as exc:
        where = f"{exc.reason} at byte {exc.start}"
        raise InvalidInput(f"{path.name}: not {chosen} text ({where})") from None
    except (csv.Error, LookupError) as exc:
        raise InvalidInput(f"{path.name}: cannot read as CSV: {exc}") from None


def _detect_encoding(path: Path) -> str:
    """UTF-8 (BOM or not), else GB18030 (a superset of GBK and GB2312), else refuse.

    The whole file is decoded once ahead, chunk by chunk, so a GBK character on row 900,000 is
    not found after 899,999 rows were handed on as UTF-8.
    """
    with path.open("rb") as stream:
        if stream.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16"  # Excel's "Unicode text" export
    for candidate in ("utf-8-sig", "gb18030"):
        if _decodes(path, candidate):
            return candidate
    raise InvalidInput(f"{path.name}: neither UTF-8 nor GBK/GB18030 text; "
                       f"save it as 'CSV UTF-8' or name its encoding")


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as stream:
        try:
            while chunk := stream.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _xlsx_records(path: Path, sheet: str | None) -> Iterator[tuple[int, list[str]]]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(f"{path.name}: not a readable XLSX workbook ({exc})") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            names = ", ".join(book.sheetnames)
            raise InvalidInput(f"{path.name}: no sheet {sheet!r} (sheets: {names})")
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        worksheet.reset_dimensions()  # some writers record a wrong size, which would cut rows
        for number, values in enumerate(worksheet.iter_rows(min_row=1, values_only=True), start=1):
            yield number, [cell_text(value) for value in values]
    finally:
        book.close()


def cell_text(value: object) -> str:
    """An XLSX cell value as the text a person sees, so CSV and XLSX go through the same parsers.

    Dates become ISO YYYY-MM-DD (a time of day is dropped, as parse_date does). Floats become
    their shortest text (repr) unless that needs more than Excel's 15 significant digits, in which
    case the 15-digit form Excel shows is used: a cell showing 0.3 but holding
    0.30000000000000004 (0.1+0.2) reads "0.3". Never exponent form, so parse_amount takes it.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float):
        if not math.isfinite(value):
            return repr(value)
        text = format(Decimal(format(value, ".15g")), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def write_rejects(path: Path, header: list[str],
                  rejects: list[tuple[SourceRow, list[RowError]]]) -> None:
    """The refused rows as they came, plus _row and _errors: fix them there and import that file.

    UTF-8 with BOM, so Excel shows Chinese text instead of mojibake.
    """
    columns = [name for name in header if name not in ("_row", "_errors")]
    with Path(path).open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([*columns, "_row", "_errors"])
        for source, errors in rejects:
            reasons = "; ".join(f"{e.column}: {e.reason}" if e.column else e.reason for e in errors)
            cells = [source.values.get(name, "") for name in columns]
            writer.writerow([*cells, source.row, reasons])


def write_csv(
    target: Path | str | TextIO, header: Sequence[str], rows: Iterable[Sequence[object]], newline: str = "\n"
) -> None:
    """A report as CSV: to a file (UTF-8 with BOM, CRLF, for Excel) or to a text stream (LF, or
    `newline` when the stream is such a file opened by the caller).

    Text starting with = + - @ gets a leading ' so a spreadsheet shows it instead of running it
    as a formula (customer names come from outside); numbers passed as Decimal are untouched.
    """
    if isinstance(target, (str, Path)):
        with Path(target).open("w", encoding="utf-8-sig", newline="") as stream:
            _write_csv_rows(csv.writer(stream, lineterminator="\r\n"), header, rows)
    else:
        _write_csv_rows(csv.writer(target, lineterminator=newline), header, rows)


def _write_csv_rows(writer: Any, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    writer.writerow(header)
    writer.writerows([_csv_text(value) for value in row] for row in rows)


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, str):
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    return str(value)


def write_xlsx(path: Path | BinaryIO, sheets: Mapping[str, tuple[list[str], Iterable[list]]]) -> None:
    """A report workbook, one sheet per entry; written streaming, so large reports fit in memory.

    Decimals are numbers shown with their own decimals (#,##0.00 for cents); Excel keeps 15-16
    significant digits, so amounts beyond 10^13 lose their cents there, as in any XLSX.
    """
    if not sheets:
        raise ValueError("write_xlsx needs at least one sheet")
    book = openpyxl.Workbook(write_only=True)
    for title, (header, rows) in sheets.items():
        _write_sheet(book.create_sheet(re.sub(r"[\[\]:*?/\\]", "_", title)[:31]), header, rows)
    book.save(path if hasattr(path, "write") else Path(path))


def _write_sheet(sheet: Any, header: list[str], rows: Iterable[list]) -> None:
    rows = iter(rows)
    first = list(islice(rows, _FIT_ROWS))
    for index, name in enumerate(header, 1):
        cells = [row[index - 1] for row in first if len(row) >= index]
        width = max(_display_width(value) for value in [name, *cells])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    sheet.append([_xlsx_cell(sheet, name, bold) for name in header])
    for row in chain(first, rows):
        sheet.append([_xlsx_cell(sheet, value) for value in row])


def _xlsx_cell(sheet: Any, value: object, font: Font | None = None) -> object:
    """A styled cell where a format is needed; text is always text, never a formula."""
    if isinstance(value, (Decimal, date, str)) or font is not None:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        if isinstance(value, Decimal):
            places = max(0, -value.as_tuple().exponent) if value.is_finite() else 0
            cell.number_format = "#,##0" + ("." + "0" * places if places else "")
        elif isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        if font is not None:
            cell.font = font
        return cell
    return value


def _display_width(value: object) -> int:
    """Characters a column needs; Chinese characters take two."""
    text = f"{value:,}" if isinstance(value, Decimal) else "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
