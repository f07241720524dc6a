"""Make examples/invoices.xlsx from examples/invoices.csv, as a spreadsheet user would have it.

Dates become real date cells and amounts real numbers (shown as #,##0.00), so importing the
workbook exercises the XLSX path, not just CSV text in another wrapper.
Run: python examples/make_xlsx.py  (needs only openpyxl)
"""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent
DATE_COLUMNS = {"invoice_date", "due_date"}


def cell_value(column: str, text: str) -> object:
    """The typed value a spreadsheet would hold for this CSV text."""
    if not text:
        return None
    if column in DATE_COLUMNS:
        return date.fromisoformat(text)
    if column == "amount":
        return Decimal(text.replace(",", ""))
    return text


def main() -> None:
    with (HERE / "invoices.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    header, body = rows[0], rows[1:]
    book = Workbook()
    sheet = book.active
    sheet.title = "Invoices"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in body:
        sheet.append([cell_value(column, text) for column, text in zip(header, row)])
    for column_cells in sheet.iter_cols(min_row=2):
        for cell in column_cells:
            if header[cell.column - 1] in DATE_COLUMNS:
                cell.number_format = "yyyy-mm-dd"
            elif header[cell.column - 1] == "amount":
                cell.number_format = "#,##0.00"
    for letter, width in zip("ABCDEFG", (16, 14, 13, 13, 12, 13, 9)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    book.save(HERE / "invoices.xlsx")


if __name__ == "__main__":
    main()
