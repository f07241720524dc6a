"""Printing reports: a Rich table, JSON, CSV or XLSX, from one neutral table shape."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from enum import Enum
from pathlib import Path

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


def cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def emit(report, fmt: Format, out: Path | None) -> None:
    """Write a report (anything with to_json() and table()) in the asked format."""
    if fmt is Format.json:
        text = json.dumps(report.to_json(), ensure_ascii=False, indent=2)
        _write_text(text + "\n", out)
    elif fmt is Format.csv:
        t = report.table()
        rows = t.rows + ([t.footer] if t.footer else [])
        if out:
            write_csv(out, t.columns, rows)
        else:
            write_csv(sys.stdout, t.columns, rows)
    elif fmt is Format.xlsx:
        if out is None:
            raise InvalidInput("--format xlsx needs --out FILE.xlsx")
        t = report.table()
        write_xlsx(out, {"report": (t.columns, t.rows + ([t.footer] if t.footer else []))})
        Console(stderr=True).print(f"wrote {out}")
    else:
        print_table(report.table())


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
