"""The warning report rendered for real (PDF with the CJK font, read back as text and pixels; XLSX
read back with openpyxl) and the managers' digest handed to a real SMTP server, once a day."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from credo.channels.cjk_font import find_cjk_font
from credo.channels.warning_report import render_pdf, render_xlsx
from credo.config import Settings
from credo.errors import NotConfigured
from credo.services.risk.digest import send_digest, set_recipient
from credo.services.risk.scan import scan
from credo.services.risk.warning_report import warning_report
from risk_support import AS_OF, build_risk_ledger
from web_support import add_user

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 (a test extra) reads the PDF back")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"


@pytest.fixture
def report(db, company, tmp_path):
    build_risk_ledger(db, company, tmp_path)
    with db.begin() as conn:
        scan(conn, company, AS_OF, "robot")
        return warning_report(conn, company, AS_OF)


def page_text(pdf: bytes) -> str:
    return pdfium.PdfDocument(pdf)[0].get_textpage().get_text_range().replace("\r\n", "\n")


def test_the_chinese_pdf_lists_the_alerts_most_severe_first_and_is_saved_for_a_look(report):
    try:
        find_cjk_font(Settings())
    except NotConfigured as error:
        pytest.skip(str(error))
    pdf = render_pdf(report, "zh", Settings())
    text = page_text(pdf)

    for expected in ("风险预警报告", "截至 2024年6月30日", "未解决预警 14 条：高 4 条，中 9 条，低 1 条", "当日新增 14 条",
                     "第 1 页，共 1 页", "额度使用率", "甲贸易", "丁科技"):
        assert expected in text
    assert "高 dpd_90 A 甲贸易 逾期天数 91 90 2024-06-30 未处理 credit_manager" in text
    assert "中 limit_90pct A 甲贸易 额度使用率 90.91 % 90 % 2024-06-30 未处理 credit_manager" in text
    assert text.index("dpd_90") < text.index("limit_90pct") < text.index("disputes_180d")  # high, medium, low
    assert render_pdf(report, "zh", Settings()) == pdf  # the same report, the same bytes
    page = pdfium.PdfDocument(pdf)[0]
    pixels = page.render(scale=1, grayscale=True).to_numpy()
    assert page.get_size()[0] > page.get_size()[1]  # landscape
    assert (pixels < 128).mean() > 0.01  # ink on the page: glyphs drawn, not boxes left empty
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.render(scale=2).to_pil().save(SCREENSHOTS / "warning-report-zh.png")


def test_the_english_pdf_and_the_workbook_say_the_same(report):
    try:
        find_cjk_font(Settings())
    except NotConfigured as error:
        pytest.skip(str(error))
    text = page_text(render_pdf(report, "en", Settings()))
    assert "14 unresolved warnings: 4 high, 9 medium, 1 low" in text
    assert "medium slowdown_10d D 丁科技\nPayment slowdown\n(days)\n22.5 10" in text  # the name wraps in its cell
    assert "22.5 10 Jun 30, 2024 open credit_manager" in text

    sheet = openpyxl.load_workbook(io.BytesIO(render_xlsx(report, "en"))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[1] == ["14 unresolved warnings: 4 high, 9 medium, 1 low"] + [None] * 10
    assert rows[3][:7] == ["Severity", "Rule", "Customer", "Name", "Indicator", "Value", "Threshold"]
    assert rows[4] == ["high", "dpd_90", "A", "甲贸易", "Days past due", "91", "90", "Jun 30, 2024", "open",
                       "credit_manager", "oldest due 2024-03-31"]
    assert len(rows) == 4 + 14


def test_the_report_as_of_a_later_date_leaves_out_what_was_resolved_by_then(db, report, company):
    from credo.services.risk.alerts import change_status

    with db.begin() as conn:
        change_status(conn, company, report.alerts[0]["id"], "resolved", "li.na", date(2024, 7, 3))
        assert len(warning_report(conn, company, date(2024, 7, 2)).alerts) == 14
        assert len(warning_report(conn, company, date(2024, 7, 3)).alerts) == 13
        assert warning_report(conn, company, date(2024, 6, 29)).alerts == ()


def test_the_digest_reaches_each_manager_over_smtp_once_a_day(db, report, company, mailbox):
    settings = Settings(smtp_host="127.0.0.1", smtp_port=mailbox.port, smtp_from="credo <ar@acme.cn>")
    with db.begin() as conn:
        for username, role in (("li.na", "credit_manager"), ("zhou.ke", "controller"), ("wang", "collector")):
            add_user(conn, username, role)
        set_recipient(conn, company, "li.na", "li.na@acme.cn", "admin")
        set_recipient(conn, company, "zhou.ke", "zhou.ke@acme.cn", "admin", language="en")
        set_recipient(conn, company, "wang", "wang@acme.cn", "admin")  # a collector: no digest
        first = send_digest(conn, company, AS_OF, settings, "robot")
    with db.begin() as conn:
        second = send_digest(conn, company, AS_OF, settings, "robot")

    assert first == {"status": "sent", "as_of": "2024-06-30", "recipients": ["li.na@acme.cn", "zhou.ke@acme.cn"]}
    assert second == {"status": "sent already", "as_of": "2024-06-30", "recipients": []}
    assert [m.recipients for m in mailbox.arrived] == [["li.na@acme.cn"], ["zhou.ke@acme.cn"]]
    chinese, english = (m.email for m in mailbox.arrived)
    assert chinese["Subject"] == "风险预警日报 ACME 2024-06-30：未解决 14 条，新增 14 条"
    assert english["Subject"] == "Early warnings ACME 2024-06-30: 14 unresolved, 14 new"
    body = english.get_body(("plain",)).get_content()
    assert "14 unresolved warnings: 4 high, 9 medium, 1 low" in body
    assert "[medium] " in body and "D 丁科技: Payment slowdown (days) 22.5 > 10 (open, credit_manager, 2024-06-30)" in body
    [attachment] = list(english.iter_attachments())
    assert attachment.get_filename() == "warnings-ACME-2024-06-30.xlsx"
    assert openpyxl.load_workbook(io.BytesIO(attachment.get_content())).active.max_row == 18
