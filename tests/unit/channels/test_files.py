"""Reading CSV/XLSX tables as text rows, and writing rejects and reports."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from credo.channels.files import (
    RowError, cell_text, normalise_header, open_table, parse_amount, parse_date, parse_row, read_table,
    write_csv, write_rejects, write_xlsx,
)
from credo.errors import InvalidInput

REFERENCE = Path("/work/shared/data/reference/ibm_accounts_receivable.csv")
EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
INVOICES = "invoice_number,customer_code,amount\nINV-001,C001,\"1,234.50\"\nINV-002,C002,99\n"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_utf8_csv_reads_as_text_rows_numbered_as_in_a_spreadsheet(tmp_path):
    header, rows = read_table(write(tmp_path, "invoices.csv", INVOICES))
    assert header == ["invoice_number", "customer_code", "amount"]
    assert [(r.row, r.values) for r in rows] == [
        (2, {"invoice_number": "INV-001", "customer_code": "C001", "amount": "1,234.50"}),
        (3, {"invoice_number": "INV-002", "customer_code": "C002", "amount": "99"}),
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_chinese_names_read_the_same_in_utf8_with_or_without_bom_and_in_gbk(tmp_path, encoding):
    text = "客户编号,客户名称\r\nC001,上海华联贸易有限公司\r\nC002,深圳市鹏程电子科技有限公司\r\n"
    path = write(tmp_path, "customers.csv", text, encoding)
    header, rows = read_table(path, aliases={"客户编号": "customer_code", "客户名称": "name"})
    assert header == ["customer_code", "name"]
    assert [r.values["name"] for r in rows] == ["上海华联贸易有限公司", "深圳市鹏程电子科技有限公司"]


def test_an_explicit_encoding_is_used_as_given(tmp_path):
    path = write(tmp_path, "customers.csv", "name\nCafé Müller\n", "latin-1")
    assert read_table(path, encoding="latin-1")[1][0].values == {"name": "Café Müller"}


def test_a_file_that_is_neither_utf8_nor_gbk_is_refused_by_name(tmp_path):
    path = tmp_path / "weird.csv"
    path.write_bytes(b"name\n\x80\xff\xfe\n")
    with pytest.raises(InvalidInput, match="weird.csv: neither UTF-8 nor GBK"):
        read_table(path)


def test_bytes_that_do_not_fit_an_explicit_encoding_are_refused_by_name(tmp_path):
    path = write(tmp_path, "gbk.csv", "name\n上海\n", "gbk")
    with pytest.raises(InvalidInput, match="gbk.csv: not utf-8 text"):
        read_table(path, encoding="utf-8")


def test_excel_unicode_text_export_reads_as_tab_separated(tmp_path):
    path = write(tmp_path, "export.txt", "customer_code\tname\r\nC001\t上海华联\r\n", "utf-16")
    assert read_table(path)[1][0].values == {"customer_code": "C001", "name": "上海华联"}


def test_a_tsv_file_splits_on_tabs(tmp_path):
    path = write(tmp_path, "invoices.tsv", "invoice_number\tamount\nINV-1\t1,234.50\n")
    assert read_table(path)[1][0].values == {"invoice_number": "INV-1", "amount": "1,234.50"}


@pytest.mark.parametrize("raw, expected", [
    ("Invoice Number", "invoice_number"), ("  AMOUNT ", "amount"), ("due-date", "due_date"),
    ("invoiceNumber", "invoice_number"), ("customerID", "customer_id"), ("客户名称", "客户名称"),
    ("Ｃｕｒｒｅｎｃｙ", "currency"),
])
def test_headers_are_normalised_to_snake_case(raw, expected):
    assert normalise_header(raw) == expected


def test_aliases_match_however_the_file_spells_the_heading():
    assert normalise_header("Inv  No", {"inv no": "invoice_number"}) == "invoice_number"
    assert normalise_header("发票号", {"发票号": "invoice_number"}) == "invoice_number"


def test_blank_lines_are_skipped_but_still_counted_in_row_numbers(tmp_path):
    text = "\ninvoice_number,amount\r\nINV-1,1\r\n\r\n,\r\nINV-2,2\r\n"
    header, rows = read_table(write(tmp_path, "invoices.csv", text))
    assert header == ["invoice_number", "amount"]
    assert [(r.row, r.values["invoice_number"]) for r in rows] == [(3, "INV-1"), (6, "INV-2")]


def test_a_quoted_cell_with_a_line_break_is_one_spreadsheet_row(tmp_path):
    text = 'code,name\nC1,"ACME\nTrading"\nC2,Beta\n'
    rows = read_table(write(tmp_path, "customers.csv", text))[1]
    assert [(r.row, r.values["name"]) for r in rows] == [(2, "ACME\nTrading"), (3, "Beta")]


def test_short_rows_are_padded_and_long_rows_carry_a_row_error(tmp_path):
    text = "invoice_number,customer_code,amount\nINV-1,C1\nINV-2,C2,1,234.50\nINV-3,C3,5,,\n"
    rows = read_table(write(tmp_path, "invoices.csv", text))[1]
    assert rows[0].values == {"invoice_number": "INV-1", "customer_code": "C1", "amount": ""}
    assert rows[0].errors == () and rows[2].errors == ()
    assert [str(e) for e in rows[1].errors] == [
        "invoices.csv:3:: 4 cells but the header names 3 columns (an amount like 1,234.50 written without quotes?)"
    ]


@pytest.mark.parametrize("text, reason", [
    ("", "empty file, no header row"), ("\n\n", "empty file"),
    ("amount,Amount\n1,2\n", "column 'amount' appears twice"),
])
def test_a_file_without_a_usable_header_is_refused(tmp_path, text, reason):
    with pytest.raises(InvalidInput, match=reason):
        read_table(write(tmp_path, "bad.csv", text))


def test_a_missing_file_or_unknown_suffix_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="no such file"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(InvalidInput, match="cannot read .pdf"):
        read_table(write(tmp_path, "invoices.pdf", "x"))


def make_workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Invoices"
    sheet.append(["Invoice Number", "Invoice Date", "Amount", "Customer"])
    sheet.append(["0000611365", datetime(2024, 3, 5), 1234.5, "上海华联贸易有限公司"])
    sheet.append([None, None, None, None])
    sheet.append([20240002, date(2024, 3, 6), 0.1 + 0.2, None])
    sheet.append(["INV-3", datetime(2024, 3, 7, 14, 30), 1e16, "=SUM(A1)"])
    other = book.create_sheet("Notes")
    other.append(["note"])
    other.append(["hello"])
    book.save(path)
    return path


def test_an_xlsx_sheet_reads_as_the_text_a_person_sees_and_formulas_as_their_cached_value(tmp_path):
    header, rows = read_table(make_workbook(tmp_path / "invoices.xlsx"))
    assert header == ["invoice_number", "invoice_date", "amount", "customer"]
    assert [(r.row, list(r.values.values())) for r in rows] == [
        (2, ["0000611365", "2024-03-05", "1234.5", "上海华联贸易有限公司"]),
        (4, ["20240002", "2024-03-06", "0.3", ""]),
        (5, ["INV-3", "2024-03-07", "10000000000000000", ""]),  # a formula never computed by Excel
    ]
    assert parse_amount(rows[1].values["amount"]) == Decimal("0.3")


def test_a_named_sheet_is_read_and_a_missing_one_refused(tmp_path):
    path = make_workbook(tmp_path / "invoices.xlsx")
    assert read_table(path, sheet="Notes")[1][0].values == {"note": "hello"}
    with pytest.raises(InvalidInput, match="no sheet 'Payments' .sheets: Invoices, Notes"):
        read_table(path, sheet="Payments")


def test_a_file_named_xlsx_that_is_no_workbook_is_refused(tmp_path):
    with pytest.raises(InvalidInput, match="not a readable XLSX workbook"):
        read_table(write(tmp_path, "fake.xlsx", "a,b\n"))


@pytest.mark.parametrize("value, text", [
    (None, ""), (True, "TRUE"), (7, "7"), (1234.0, "1234"), (1234.5, "1234.5"), (0.1 + 0.2, "0.3"),
    (1e-7, "0.0000001"), (-2.5, "-2.5"), (datetime(2024, 3, 5, 0, 0), "2024-03-05"),
    (date(2024, 3, 5), "2024-03-05"), ("  x ", "  x "),
])
def test_xlsx_values_become_the_text_a_person_sees(value, text):
    assert cell_text(value) == text


def test_rows_stream_from_an_open_table(tmp_path):
    with open_table(write(tmp_path, "invoices.csv", INVOICES)) as (header, rows):
        assert next(rows).row == 2
        assert header[0] == "invoice_number"


def test_rejects_keep_the_original_cells_and_read_back_with_row_and_errors(tmp_path):
    source = write(tmp_path, "invoices.csv", "invoice_number,name,amount\nINV-1,上海华联,abc\nINV-2,ACME,5\n")
    header, rows = read_table(source)
    error = RowError("invoices.csv", 2, "amount", "not a number: 'abc'")
    rejects_path = tmp_path / "invoices.rejects.csv"
    write_rejects(rejects_path, header, [(rows[0], [error, RowError("invoices.csv", 2, "", "whole row")])])
    assert rejects_path.read_bytes().startswith(b"\xef\xbb\xbf")
    again_header, again = read_table(rejects_path)
    assert again_header == ["invoice_number", "name", "amount", "_row", "_errors"]
    assert again[0].values == {"invoice_number": "INV-1", "name": "上海华联", "amount": "abc",
                               "_row": "2", "_errors": "amount: not a number: 'abc'; whole row"}
    write_rejects(tmp_path / "again.csv", again_header, [(again[0], [error])])
    assert read_table(tmp_path / "again.csv")[0] == again_header


def test_a_csv_report_goes_to_a_file_for_excel_or_to_a_stream(tmp_path):
    rows = [["C001", "上海华联", Decimal("1234.50"), date(2024, 3, 5), None], ["C002", "=cmd", Decimal("-1E+2"), None, 3]]
    write_csv(tmp_path / "report.csv", ["customer", "name", "open_amount", "due_date", "days"], rows)
    data = (tmp_path / "report.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    stream = io.StringIO()
    write_csv(stream, ["customer", "name", "open_amount", "due_date", "days"], rows)
    assert list(csv.reader(io.StringIO(stream.getvalue()))) == [
        ["customer", "name", "open_amount", "due_date", "days"],
        ["C001", "上海华联", "1234.50", "2024-03-05", ""],
        ["C002", "'=cmd", "-100", "", "3"],
    ]


def test_an_xlsx_report_has_numbers_dates_a_bold_header_and_fitted_columns(tmp_path):
    path = tmp_path / "report.xlsx"
    rows = [["上海华联贸易有限公司", Decimal("1234.50"), date(2024, 3, 5), "=HYPERLINK(1)"],
            ["ACME", Decimal("7"), None, None]]
    write_xlsx(path, {"Aging": (["name", "open_amount", "due_date", "note"], iter(rows)),
                      "Empty": (["x"], [])})
    book = openpyxl.load_workbook(path)
    sheet = book["Aging"]
    assert book.sheetnames == ["Aging", "Empty"]
    assert sheet["A1"].font.b and sheet["A1"].value == "name"
    assert sheet["B2"].value == 1234.5 and sheet["B2"].number_format == "#,##0.00"
    assert sheet["B3"].number_format == "#,##0"
    assert sheet["C2"].value == datetime(2024, 3, 5) and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].data_type == "s" and sheet["D2"].value == "=HYPERLINK(1)"
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["B"].width >= 8


def test_the_ibm_reference_file_reads_whole_with_leading_zeros_and_month_first_dates():
    header, rows = read_table(REFERENCE)
    assert len(rows) == 2466
    assert header[:5] == ["country_code", "customer_id", "paperless_date", "invoice_number", "invoice_date"]
    assert rows[0].row == 2 and rows[0].values["invoice_number"] == "0000611365"
    assert rows[1].values["invoice_date"] == "1/26/2013"
    dates = [parse_date(r.values["invoice_date"], "%m/%d/%Y") for r in rows]
    assert min(dates) == date(2012, 1, 3) and max(dates) == date(2013, 12, 2)
    assert all(parse_amount(r.values["invoice_amount"]) > 0 for r in rows)


def parsed_invoices(path: Path) -> list[tuple]:
    """What an importer would take from each row, so CSV text and XLSX cells can be compared."""
    return [(r.row, r.values["invoice_number"], parse_date(r.values["invoice_date"]),
             parse_date(r.values["due_date"]) if r.values["due_date"] else None,
             r.values["terms"], parse_amount(r.values["amount"]), r.values["currency"])
            for r in read_table(path)[1]]


def test_the_example_invoices_read_the_same_from_csv_and_from_the_workbook():
    from_csv = parsed_invoices(EXAMPLES / "invoices.csv")
    assert len(from_csv) == 20
    assert from_csv == parsed_invoices(EXAMPLES / "invoices.xlsx")


@pytest.mark.parametrize("name", ["customers.csv", "payments.csv", "credit-notes.csv", "fx-rates.csv"])
def test_every_example_file_reads_with_every_date_and_amount_parsing(name):
    header, rows = read_table(EXAMPLES / name)
    for source in rows:
        for column, text in source.values.items():
            if text and column.endswith("date"):
                parse_date(text)
            if text and column in ("amount", "rate"):
                parse_amount(text)
    assert rows and all(not r.errors for r in rows)


def test_the_example_with_errors_has_exactly_the_two_planted_errors():
    rows = read_table(EXAMPLES / "invoices-with-errors.csv")[1]
    parsers = {"invoice_date": parse_date, "amount": parse_amount}
    errors = [str(e) for r in rows for e in parse_row("invoices-with-errors.csv", r, parsers)[1]]
    assert errors == [
        "invoices-with-errors.csv:3:invoice_date: no such date: '2024-02-30'",
        "invoices-with-errors.csv:5:amount: comma as decimal point is not accepted: '1.234,50'; write it as 1234.50",
    ]
