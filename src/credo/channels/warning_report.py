"""The warning report (风险预警报告) laid out for managers: a PDF (A4 landscape, Chinese or English,
with the system's CJK font, as letters.py does) and an XLSX workbook (openpyxl). The caller hands
over the report (services/risk/warning_report.WarningReport); this module only lays it out. The
same report gives the same PDF bytes (its date is the report's)."""

from __future__ import annotations

import io
from datetime import date, datetime, time, timezone
from decimal import Decimal

import openpyxl
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace
from openpyxl.styles import Font, PatternFill

from credo.channels.cjk_font import find_cjk_font
from credo.channels.locales import Formats, check_language
from credo.config import Settings

FAMILY = "credo-cjk"
MARGIN = 15
COLUMNS = ("severity", "rule", "subject", "name", "indicator", "value", "threshold", "raised_on", "status", "owner")
WIDTHS = (16, 44, 22, 40, 36, 22, 18, 21, 20, 28)  # mm: 267, A4 landscape less the margins
ALIGN = ("CENTER", "LEFT", "LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "LEFT", "CENTER", "LEFT")
SEVERITY_FILL = {"high": (250, 219, 216), "medium": (253, 236, 200), "low": (226, 239, 218)}
WORDS = {
    "zh": {"title": "风险预警报告", "as_of": "截至 {date}", "summary": "未解决预警 {total} 条：高 {high} 条，中 {medium} 条，低 {low} 条",
           "new": "当日新增 {n} 条", "none": "截至该日没有未解决的预警。", "page": "第 {page} 页，共 {pages} 页",
           "severity": "级别", "rule": "规则", "subject": "客户/集团", "name": "名称", "indicator": "指标",
           "value": "指标值", "threshold": "阈值", "raised_on": "预警日期", "status": "状态", "owner": "负责人",
           "detail": "说明", "sheet": "预警",
           "high": "高", "medium": "中", "low": "低", "open": "未处理", "acknowledged": "已确认", "resolved": "已解决",
           "days_past_due": "逾期天数", "overdue_amount": "逾期金额", "limit_utilisation": "额度使用率",
           "broken_promises": "违约承诺", "payment_slowdown": "付款放缓（天）", "rating_downgrade": "评级下调",
           "score_drop": "评分下降", "altman_distress": "Altman 困境区", "concentration": "客户集中度",
           "group_concentration": "集团集中度", "dispute_rate": "争议率", "returned_payments": "退票/退款",
           "manual_flags": "人工标记"},
    "en": {"title": "Early warning report", "as_of": "As of {date}",
           "summary": "{total} unresolved warnings: {high} high, {medium} medium, {low} low",
           "new": "{n} raised on the day", "none": "No unresolved warning as of the date.", "page": "Page {page} of {pages}",
           "severity": "Severity", "rule": "Rule", "subject": "Customer", "name": "Name", "indicator": "Indicator",
           "value": "Value", "threshold": "Threshold", "raised_on": "Raised on", "status": "Status", "owner": "Owner",
           "detail": "Detail", "sheet": "Warnings",
           "high": "high", "medium": "medium", "low": "low", "open": "open", "acknowledged": "acknowledged",
           "resolved": "resolved",
           "days_past_due": "Days past due", "overdue_amount": "Overdue amount", "limit_utilisation": "Limit utilisation",
           "broken_promises": "Broken promises", "payment_slowdown": "Payment slowdown (days)",
           "rating_downgrade": "Rating downgrade", "score_drop": "Score drop", "altman_distress": "Altman distress",
           "concentration": "Concentration", "group_concentration": "Group concentration",
           "dispute_rate": "Dispute rate", "returned_payments": "Returned payments", "manual_flags": "Manual flags"},
}


def value_text(alert: dict, key: str, language: str) -> str:
    """An alert's value or threshold as people read it: a share as a percentage, an amount with
    its currency's decimals, days, counts and points as they are."""
    text = alert[key]
    if alert["unit"] == "share":
        return f"{(Decimal(text) * 100).normalize():f} %"
    if len(alert["unit"]) == 3 and alert["unit"].isupper():
        return Formats(language).amount(Decimal(text), alert["unit"])
    return text


def cells(alert: dict, language: str) -> list[str]:
    words = WORDS[language]
    return [words[alert["severity"]], alert["rule"], alert["subject"], alert["name"] or "", words[alert["indicator"]],
            value_text(alert, "value", language), value_text(alert, "threshold", language),
            Formats(language).short_date(date.fromisoformat(alert["raised_on"])), words[alert["status"]], alert["owner"]]


def summary_line(report, language: str) -> str:
    return WORDS[language]["summary"].format(total=len(report.alerts), **report.counts)


def render_pdf(report, language: str, settings: Settings) -> bytes:
    check_language(language)
    words = WORDS[language]
    font = find_cjk_font(settings)
    pdf = _Pdf(words)
    # The regular face only: each CJK face costs seconds to read and subset (fpdf2, fontTools);
    # titles stand out by size, headings by their shading.
    pdf.add_font(FAMILY, "", font.path, collection_font_number=font.index)
    pdf.set_creation_date(datetime.combine(report.as_of, time(), timezone.utc))
    pdf.set_title(words["title"])
    pdf.set_author(report.company)
    pdf.add_page()
    pdf.set_font(FAMILY, "", 12)
    pdf.cell(0, 7, report.company, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 17)
    pdf.cell(0, 10, words["title"], align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 10)
    pdf.cell(0, 6, words["as_of"].format(date=Formats(language).date(report.as_of)), align="C",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.cell(0, 6, f"{summary_line(report, language)}；{words['new'].format(n=len(report.raised_on_the_day()))}"
             if language == "zh" else f"{summary_line(report, language)}; {words['new'].format(n=len(report.raised_on_the_day()))}",
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    if not report.alerts:
        pdf.cell(0, 6, words["none"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        return bytes(pdf.output())
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_draw_color(170)
    with pdf.table(col_widths=WIDTHS, text_align=ALIGN, line_height=5.5, padding=(1, 1.2),
                   headings_style=FontFace(fill_color=(222, 228, 236))) as table:
        table.row([words[c] for c in COLUMNS])
        for alert in report.alerts:
            row = table.row()
            for index, text in enumerate(cells(alert, language)):
                style = FontFace(fill_color=SEVERITY_FILL[alert["severity"]]) if index == 0 else None
                row.cell(text, style=style)
    return bytes(pdf.output())


class _Pdf(FPDF):
    def __init__(self, words: dict):
        super().__init__(orientation="L", unit="mm", format="A4")
        self.words = words
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)

    def footer(self) -> None:
        self.set_y(-MARGIN + 4)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, self.words["page"].format(page=self.page_no(), pages="{nb}"), align="C")
        self.set_text_color(0)


def render_xlsx(report, language: str) -> bytes:
    """One sheet: a title row, the summary, then a row per alert (values as exact text and numbers)."""
    check_language(language)
    words = WORDS[language]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = words["sheet"]
    sheet.append([f"{report.company} {words['title']}", words["as_of"].format(date=report.as_of.isoformat())])
    sheet.append([summary_line(report, language)])
    sheet.append([])
    sheet.append([words[c] for c in COLUMNS] + [words["detail"]])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=13)
    for alert in report.alerts:
        sheet.append(cells(alert, language) + [alert["detail"] or ""])
        red, green, blue = SEVERITY_FILL[alert["severity"]]
        sheet.cell(sheet.max_row, 1).fill = PatternFill("solid", fgColor=f"{red:02X}{green:02X}{blue:02X}")
    for letter, width in zip("ABCDEFGHIJK", (8, 24, 16, 30, 22, 14, 12, 12, 12, 16, 50)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A5"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
