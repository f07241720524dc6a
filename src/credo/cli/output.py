"""Printing results: a Rich table, JSON, CSV or XLSX, from one neutral table shape. Every command
with a --format takes these four (FormatOption, OutOption) and prints through `emit`."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from credo.channels.files import write_csv, write_xlsx
from credo.errors import InvalidInput
from credo.services.reports.common import Tabular


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


class ScreenFormat(str, Enum):
    """For the one command whose --out is not the report's (`credo credit train` saves a model there)."""

    table = "table"
    json = "json"


FormatOption = typer.Option(Format.table, "--format", help="table, json, csv or xlsx (xlsx: with --out).")
OutOption = typer.Option(None, "--out", help="Write to this file instead of the screen (required for xlsx).")


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def emit(report, fmt: Format | ScreenFormat, out: Path | None) -> None:
    """Write a report in the asked format: anything with to_json() and table(), or tables() for a
    result of several tables (one XLSX sheet each; in CSV one after another, a blank line between)."""
    fmt = Format(fmt.value)
    if fmt is Format.json:
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
        _write_text(text + "\n", out)
        return
    tables = report.tables() if hasattr(report, "tables") else [report.table()]
    if fmt is Format.csv:
        if out:
            with out.open("w", encoding="utf-8-sig", newline="") as stream:
                _csv_tables(stream, tables, "\r\n")
        else:
            _csv_tables(sys.stdout, tables, "\n")
    elif fmt is Format.xlsx:
        if out is None:
            raise InvalidInput("--format xlsx needs --out FILE.xlsx")
        write_xlsx(out, _sheets(tables))
        Console(stderr=True).print(f"wrote {out}")
    else:
        for t in tables:
            print_table(t)


def _rows(t: Tabular) -> list:
    return t.rows + ([t.footer] if t.footer else [])


def _csv_tables(stream, tables: list[Tabular], newline: str) -> None:
    for index, t in enumerate(tables):
        if index:
            stream.write(newline)
        write_csv(stream, t.columns, _rows(t), newline)


def _sheets(tables: list[Tabular]) -> dict:
    """One sheet per table, named by its title (unique; "report" for a single table)."""
    if len(tables) == 1:
        return {"report": (tables[0].columns, _rows(tables[0]))}
    sheets: dict = {}
    for t in tables:
        name, number = (t.title or "table")[:28], 1
        while name in sheets:
            number += 1
            name = f"{(t.title or 'table')[:28]} {number}"
        sheets[name] = (t.columns, _rows(t))
    return sheets


@dataclass(frozen=True)
class Sections:
    """Several tables shown as one result (a payment plan and its instalments): `value` is its JSON."""

    value: object
    parts: tuple

    def to_json(self):
        return self.value

    def tables(self) -> list[Tabular]:
        return [part.table() for part in self.parts]


def _write_text(text: str, out: Path | None) -> None:
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


def print_table(t: Tabular, console: Console | None = None) -> None:
    console = console or Console()
    footer = t.footer or [""] * len(t.columns)
    # Never cut an amount short: when printing to a file or pipe, widen past 80 columns if needed.
    needed = sum(max(cell_len(cell(v)) for v in [name, footer[i], *(r[i] for r in t.rows)]) + 3
                 for i, name in enumerate(t.columns)) + 1
    table = Table(title=t.title, show_footer=bool(t.footer), header_style="bold",
                  min_width=None if console.is_terminal else needed)
    for index, name in enumerate(t.columns):
        numeric = any(isinstance(r[index], (Decimal, int)) for r in t.rows[:50] if index < len(r))
        table.add_column(name, footer=cell(footer[index]), justify="right" if numeric else "left")
    for row in t.rows:
        table.add_row(*[cell(v) for v in row])
    if console.is_terminal:
        console.print(table)
    else:
        Console(file=console.file, width=max(console.width, needed), highlight=False).print(table)
