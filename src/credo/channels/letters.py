"""Letters as PDF: a reminder or a statement of account (对账单) with its table of open items.

The caller hands over everything the letter says (a frozen Letter: parties, date, title,
paragraphs, open items); this module only lays it out, A4, in Chinese or English, with the
system's CJK font (cjk_font.py) so that Chinese is set in real glyphs, not boxes. Amounts are
Decimals written with their currency's decimals; the totals are the column sums per currency.
The same letter gives the same bytes (the PDF's date is the letter's), so a resend attaches the
identical file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from credo.channels.cjk_font import CjkFont, find_cjk_font
from credo.channels.locales import Formats, check_language
from credo.config import Settings
from credo.domain.money import ZERO, is_currency_code
from credo.errors import InvalidInput

FAMILY = "credo-cjk"
MARGIN = 20  # mm, all sides
COLUMNS = ("invoice_number", "invoice_date", "due_date", "days_overdue", "amount", "open_amount", "currency")
WIDTHS = (32, 22, 22, 16, 29, 29, 20)  # mm, 170 in all: A4 less the margins
ALIGN = ("LEFT", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "CENTER")
# With late interest (an item gives interest or fees): two more columns, the others narrower.
INTEREST_COLUMNS = COLUMNS[:-1] + ("interest", "fees", "currency")
INTEREST_WIDTHS = (26, 19, 19, 13, 23, 23, 18, 15, 14)
INTEREST_ALIGN = ALIGN[:-1] + ("RIGHT", "RIGHT", "CENTER")
NO_LINE_START = "。，、；：？！）》」』】〉”’.,;:?!)"
WORDS = {
    "zh": {"invoice_number": "发票号", "invoice_date": "开票日期", "due_date": "到期日", "days_overdue": "逾期天数",
           "amount": "发票金额", "open_amount": "未清金额", "currency": "币种", "total": "合计",
           "interest": "逾期利息", "fees": "费用",
           "date": "日期：{date}", "page": "第 {page} 页，共 {pages} 页"},
    "en": {"invoice_number": "Invoice", "invoice_date": "Invoice date", "due_date": "Due date",
           "days_overdue": "Days overdue", "amount": "Amount", "open_amount": "Open amount", "currency": "Currency",
           "interest": "Interest", "fees": "Fees",
           "total": "Total", "date": "Date: {date}", "page": "Page {page} of {pages}"},
}


@dataclass(frozen=True)
class Party:
    name: str
    address: str = ""  # lines separated by newlines


@dataclass(frozen=True)
class OpenItem:
    invoice_number: str
    invoice_date: date
    due_date: date
    days_overdue: int
    amount: Decimal
    open_amount: Decimal
    currency: str
    interest: Decimal | None = None  # late interest accrued and not charged yet (None: not shown)
    fees: Decimal | None = None  # late fees not charged yet

    def __post_init__(self) -> None:
        amounts = (self.amount, self.open_amount, *(a for a in (self.interest, self.fees) if a is not None))
        if not all(isinstance(a, Decimal) for a in amounts):
            raise InvalidInput(f"open item {self.invoice_number}: amounts must be Decimal, never float")
        if not is_currency_code(self.currency):
            raise InvalidInput(f"open item {self.invoice_number}: {self.currency!r} is not a currency code")


@dataclass(frozen=True)
class Letter:
    company: Party  # the sender
    customer: Party
    letter_date: date
    language: str  # zh | en
    title: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[OpenItem, ...] = ()
    closing: tuple[str, ...] = ()  # lines after the table: regards, the sender's name, a contact

    def __post_init__(self) -> None:
        check_language(self.language)


def totals(items: Iterable[OpenItem]) -> dict[str, tuple[Decimal, Decimal]]:
    """Currency -> (amount, open amount), in the order the currencies first appear."""
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for item in items:
        amount, open_amount = out.get(item.currency, (ZERO, ZERO))
        out[item.currency] = (amount + item.amount, open_amount + item.open_amount)
    return out


def interest_totals(items: Iterable[OpenItem]) -> dict[str, tuple[Decimal, Decimal]]:
    """Currency -> (interest, fees) of the items that give them, in the order the currencies first appear."""
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for item in items:
        interest, fees = out.get(item.currency, (ZERO, ZERO))
        out[item.currency] = (interest + (item.interest or ZERO), fees + (item.fees or ZERO))
    return out


def render_letter(letter: Letter, settings: Settings) -> bytes:
    """The letter as PDF bytes. NotConfigured when no CJK font can be found."""
    pdf = _LetterPdf(letter, find_cjk_font(settings))
    pdf.add_page()
    _letterhead(pdf, letter)
    _addressee(pdf, letter)
    pdf.set_font(FAMILY, "B", 16)
    pdf.cell(0, 12, letter.title, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    _paragraphs(pdf, letter.paragraphs)
    _open_items(pdf, letter)
    _paragraphs(pdf, letter.closing, spacing=1)
    return bytes(pdf.output())


class _LetterPdf(FPDF):
    def __init__(self, letter: Letter, font: CjkFont):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.language = letter.language
        self.words = WORDS[letter.language]
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(True, margin=MARGIN)
        self.add_font(FAMILY, "", font.path, collection_font_number=font.index)
        bold = font.bold or font
        self.add_font(FAMILY, "B", bold.path, collection_font_number=bold.index)
        self.set_creation_date(datetime.combine(letter.letter_date, time(), timezone.utc))
        self.set_title(letter.title)
        self.set_author(letter.company.name)
        self.set_lang({"zh": "zh-CN", "en": "en"}[letter.language])

    def footer(self) -> None:
        self.set_y(-MARGIN + 5)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(110)
        self.cell(0, 5, self.words["page"].format(page=self.page_no(), pages="{nb}"), align="C")


def _letterhead(pdf: _LetterPdf, letter: Letter) -> None:
    pdf.set_font(FAMILY, "B", 13)
    pdf.cell(0, 7, letter.company.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(90)
    for line in _lines(letter.company.address):
        pdf.cell(0, 4.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.set_draw_color(150)
    pdf.line(MARGIN, pdf.get_y() + 2, pdf.w - MARGIN, pdf.get_y() + 2)
    pdf.ln(8)


def _addressee(pdf: _LetterPdf, letter: Letter) -> None:
    top = pdf.get_y()
    pdf.set_font(FAMILY, "", 10.5)
    pdf.cell(0, 6, letter.customer.name, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 9.5)
    for line in _lines(letter.customer.address):
        pdf.cell(0, 5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    bottom = pdf.get_y()
    pdf.set_xy(MARGIN, top)
    pdf.cell(0, 6, pdf.words["date"].format(date=Formats(letter.language).date(letter.letter_date)), align="R")
    pdf.set_xy(MARGIN, bottom + 6)


def _paragraphs(pdf: _LetterPdf, paragraphs: Iterable[str], spacing: float = 3) -> None:
    pdf.set_font(FAMILY, "", 10.5)
    for paragraph in paragraphs:
        for line in _wrapped(pdf, paragraph):
            pdf.cell(0, 6, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(spacing)


def _wrapped(pdf: _LetterPdf, paragraph: str) -> list[str]:
    """The paragraph's lines: Chinese breaks between any two characters, English between words;
    punctuation that may not begin a line (。，、) hangs at the end of the line before, as
    Chinese typesetting does (行末悬挂)."""
    wrap = WrapMode.CHAR if pdf.language == "zh" else WrapMode.WORD
    lines = pdf.multi_cell(0, 6, paragraph, dry_run=True, output=MethodReturnValue.LINES, wrapmode=wrap)
    out: list[str] = []
    for line in lines:
        hanging = len(line) - len(line.lstrip(NO_LINE_START))
        if out and hanging:
            out[-1] += line[:hanging]
            line = line[hanging:]
        if line or not out:
            out.append(line)
    return out


def _open_items(pdf: _LetterPdf, letter: Letter) -> None:
    if not letter.items:  # a letter without a table; the caller's paragraphs say all
        return
    with_interest = any(item.interest is not None or item.fees is not None for item in letter.items)
    columns, widths, align = ((INTEREST_COLUMNS, INTEREST_WIDTHS, INTEREST_ALIGN) if with_interest
                              else (COLUMNS, WIDTHS, ALIGN))
    formats = Formats(letter.language)
    pdf.set_font(FAMILY, "", 9 if not with_interest else 8.5)
    pdf.set_draw_color(170)
    with pdf.table(col_widths=widths, text_align=align, line_height=6.5, padding=(1, 1.5),
                   headings_style=FontFace(emphasis="BOLD", fill_color=(235, 238, 242))) as table:
        table.row([pdf.words[column] for column in columns])
        for item in letter.items:
            late = ([formats.amount(item.interest or ZERO, item.currency), formats.amount(item.fees or ZERO, item.currency)]
                    if with_interest else [])
            table.row([item.invoice_number, formats.short_date(item.invoice_date), formats.short_date(item.due_date),
                       _days(item.days_overdue), formats.amount(item.amount, item.currency),
                       formats.amount(item.open_amount, item.currency), *late, item.currency])
        bold = FontFace(emphasis="BOLD")
        late_totals = interest_totals(letter.items)
        for currency, (amount, open_amount) in totals(letter.items).items():
            row = table.row()
            row.cell(pdf.words["total"], colspan=4, style=bold, align="RIGHT")
            sums = [amount, open_amount, *(late_totals[currency] if with_interest else ())]
            for value in sums:
                row.cell(formats.amount(value, currency), style=bold)
            row.cell(currency, style=bold)
    pdf.ln(6)


def _days(days_overdue: int) -> str:
    return str(days_overdue) if days_overdue > 0 else "–"  # not yet due: no days to show


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
