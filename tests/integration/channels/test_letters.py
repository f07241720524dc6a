"""PDF letters rendered for real with the system's CJK font, read back as text and as pixels."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from channel_servers import smtp_server
from credo.channels.cjk_font import find_cjk_font
from credo.channels.letters import Letter, OpenItem, Party, render_letter
from credo.channels.mail import Attachment, Message, send
from credo.config import Settings
from credo.errors import NotConfigured

pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 (a test extra) reads the PDF back")

SCREENSHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"
SETTINGS = Settings()
COMPANY = Party("上海某某贸易有限公司", "上海市浦东新区世纪大道100号 200120\n电话 021-5888 0000")
CUSTOMER = Party("北京某某科技有限公司", "北京市海淀区中关村大街1号\n财务部 王丽 收")
ITEMS = (
    OpenItem("INV-2026-0042", date(2026, 9, 1), date(2026, 10, 1), 60, Decimal("12500.50"), Decimal("8000.25"), "CNY"),
    OpenItem("INV-2026-0057", date(2026, 9, 15), date(2026, 10, 15), 46, Decimal("3000"), Decimal("3000"), "CNY"),
    OpenItem("INV-2026-0063", date(2026, 10, 2), date(2026, 11, 1), 29, Decimal("150000"), Decimal("150000"), "JPY"),
)
STATEMENT = Letter(COMPANY, CUSTOMER, date(2026, 11, 30), "zh", "对账单",
                   ("截至2026年11月30日，贵司在我司的未清款项如下，请核对。如有差异，请于2026年12月15日前告知。",),
                   ITEMS, ("此致", "敬礼", "上海某某贸易有限公司 应收账款部"))


@pytest.fixture(scope="module", autouse=True)
def cjk_font():
    try:
        return find_cjk_font(SETTINGS)
    except NotConfigured as error:
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def statement_pdf() -> bytes:
    return render_letter(STATEMENT, SETTINGS)


def page_texts(pdf: bytes) -> list[str]:
    document = pdfium.PdfDocument(pdf)
    return [page.get_textpage().get_text_range().replace("\r\n", "\n") for page in document]


def page_pixels(pdf: bytes, scale: float = 2):
    """The first page as a grey-scale numpy array (0 black .. 255 white)."""
    pixels = pdfium.PdfDocument(pdf)[0].render(scale=scale, grayscale=True).to_numpy()
    return pixels if pixels.ndim == 2 else pixels[..., 0]


def test_a_chinese_statement_reads_back_with_its_title_parties_and_amounts(statement_pdf):
    [text] = page_texts(statement_pdf)

    assert statement_pdf.startswith(b"%PDF-")
    for expected in ("对账单", "上海某某贸易有限公司", "北京某某科技有限公司", "财务部 王丽 收", "日期：2026年11月30日",
                     "发票号", "未清金额", "逾期天数", "第 1 页，共 1 页", "此致"):
        assert expected in text
    assert "INV-2026-0042 2026-09-01 2026-10-01 60 12,500.50 8,000.25 CNY" in text


def test_amounts_keep_their_currencys_decimals_and_the_totals_are_per_currency(statement_pdf):
    [text] = page_texts(statement_pdf)

    assert "INV-2026-0063 2026-10-02 2026-11-01 29 150,000 150,000 JPY" in text
    assert "合计 15,500.50 11,000.25 CNY" in text
    assert "合计 150,000 150,000 JPY" in text


def test_the_page_shows_real_chinese_glyphs_and_is_saved_for_a_look(statement_pdf):
    pixels = page_pixels(statement_pdf)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdfium.PdfDocument(statement_pdf)[0].render(scale=2).to_pil().save(SCREENSHOTS / "statement-zh.png")
    untitled = page_pixels(render_letter(replace(STATEMENT, title=""), SETTINGS))
    other_title = page_pixels(render_letter(replace(STATEMENT, title="催款函"), SETTINGS))

    assert (pixels < 128).mean() > 0.01  # not a blank page
    title_rows = ((pixels < 128) != (untitled < 128)).any(axis=1)
    assert title_rows.sum() > 20  # the title 对账单 inks rows that an untitled letter leaves white
    # Missing glyphs would all be the same empty box: two different titles would look alike.
    assert ((pixels < 128) != (other_title < 128))[title_rows].sum() > 500


def test_an_english_letter_writes_english_words_dates_and_amounts_and_no_days_for_what_is_not_due():
    not_yet_due = OpenItem("INV-2026-0077", date(2026, 11, 20), date(2026, 12, 20), 0, Decimal("500"),
                           Decimal("500"), "USD")
    letter = replace(STATEMENT, language="en", title="Statement of account", closing=("Kind regards,",),
                     paragraphs=("Please find below the items open on your account as of November 30, 2026.",),
                     items=(*ITEMS, not_yet_due))
    [text] = page_texts(render_letter(letter, SETTINGS))

    for expected in ("Statement of account", "Date: November 30, 2026", "Invoice", "Open amount", "Page 1 of 1",
                     "INV-2026-0042 Sep 1, 2026 Oct 1, 2026 60 12,500.50 8,000.25 CNY", "北京某某科技有限公司",
                     "INV-2026-0077 Nov 20, 2026 Dec 20, 2026 – 500.00 500.00 USD", "Total 500.00 500.00 USD"):
        assert expected in text


def test_a_long_statement_runs_onto_more_pages_with_the_table_headings_repeated():
    items = tuple(replace(ITEMS[0], invoice_number=f"INV-2026-{n:04d}") for n in range(70))
    texts = page_texts(render_letter(replace(STATEMENT, items=items), SETTINGS))

    assert len(texts) >= 2
    assert all("发票号" in text and "未清金额" in text for text in texts)
    assert f"第 2 页，共 {len(texts)} 页" in texts[1]
    assert "INV-2026-0069" in texts[-1] and "合计 875,035.00 560,017.50 CNY" in texts[-1]


def test_the_same_letter_gives_the_same_bytes(statement_pdf):
    assert render_letter(STATEMENT, SETTINGS) == statement_pdf


def test_a_statement_sent_as_an_attachment_reads_back_from_the_mail_that_arrived(statement_pdf):
    with smtp_server() as box:
        message = Message(("finance@bj-tech.example.cn",), "对账单（截至2026年11月30日）", "请查收附件。",
                          "statement:C001:2026-11-30",
                          attachments=(Attachment("对账单-2026-11.pdf", statement_pdf, "application/pdf"),))
        send(message, Settings(smtp_host="127.0.0.1", smtp_port=box.port, smtp_from="ar@sh-trade.example.cn"))

    [part] = box.arrived[0].email.iter_attachments()
    assert "北京某某科技有限公司" in page_texts(part.get_content())[0]


def test_a_configured_font_file_that_is_not_there_names_the_debian_package():
    with pytest.raises(NotConfigured, match="no such font file; install Debian's fonts-noto-cjk"):
        render_letter(STATEMENT, Settings(cjk_font="/nowhere/NotoSansCJK-Regular.ttc"))


def test_a_configured_collection_is_read_in_its_simplified_chinese_face(cjk_font):
    if not cjk_font.path.endswith(".ttc"):
        pytest.skip(f"the system's CJK font {cjk_font.path} is not a collection")
    configured = find_cjk_font(Settings(cjk_font=cjk_font.path))
    chosen = find_cjk_font(Settings(cjk_font=cjk_font.path, cjk_font_index=0))

    assert configured.index == cjk_font.index
    assert chosen.index == 0
    assert "对账单" in page_texts(render_letter(STATEMENT, Settings(cjk_font=cjk_font.path)))[0]


def test_a_statement_with_late_interest_shows_the_interest_and_fees_of_each_item_and_their_totals():
    items = (replace(ITEMS[0], interest=Decimal("120.05"), fees=Decimal("40")), replace(ITEMS[1], interest=Decimal("3")))
    [text] = page_texts(render_letter(replace(STATEMENT, items=items), SETTINGS))

    assert "逾期利息" in text and "费用" in text
    assert "INV-2026-0042 2026-09-01 2026-10-01 60 12,500.50 8,000.25 120.05 40.00 CNY" in text
    assert "合计 15,500.50 11,000.25 123.05 40.00 CNY" in text
