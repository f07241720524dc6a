"""What a person does in the browser: sign in, read the dashboard, open a customer, import a file
with a bad row, download a report, switch language; and every page as each kind of user sees it,
photographed for a look (build/screenshots/)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from web_support import PASSWORD

pytestmark = pytest.mark.db
AS_OF = "2024-06-30"


def wait_for_chart(page, chart_id: str, marks: str) -> int:
    """Wait until plotly has drawn the chart's marks (bars, lines); how many it drew."""
    page.wait_for_function(f"() => document.querySelectorAll('#{chart_id} {marks}').length > 0")
    return page.locator(f"#{chart_id} {marks}").count()


def sign_in(page, username: str) -> None:
    page.goto("/")
    assert "/sign-in" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def open_from_menu(page, href: str) -> None:
    """Follow the menu's link to `href`, opening its group's drop-down first when it is in one."""
    group = page.locator(f"nav.menu details:has(a[href='{href}']) > summary")
    if group.count():
        group.click()
    page.click(f"nav.menu a[href='{href}']")


def test_a_person_signs_in_and_reads_the_dashboard(browser_page, shoot):
    page = browser_page
    page.goto("/sign-in")
    shoot(page, "sign-in")
    sign_in(page, "credit_manager")
    page.goto(f"/?as_of={AS_OF}")
    assert page.inner_text("#open-invoices") == "¥6,160.00"
    assert page.inner_text("#overdue") == "¥3,660.00"
    assert wait_for_chart(page, "aging-chart", ".bars path") == 7  # plotly drew the bars, offline
    assert wait_for_chart(page, "trend-chart", ".scatterlayer .trace") == 2
    shoot(page, "dashboard-zh")


def test_a_person_opens_a_customer_from_the_dashboard(browser_page, shoot):
    page = browser_page
    sign_in(page, "admin")
    page.goto(f"/?as_of={AS_OF}")
    page.click("#top-overdue >> text=C2")
    page.wait_for_url("**/customers/C2?as_of=2024-06-30")
    assert page.inner_text("#customer-open") == "¥2,160.00"
    assert "I3" in page.inner_text("#open-invoices")
    shoot(page, "customer-zh")
    page.click("#open-invoices >> text=I3")
    page.wait_for_url("**/invoices/I3")
    assert "P2" in page.inner_text("#allocations")
    shoot(page, "invoice-zh")


def test_an_import_with_a_bad_row_shows_the_error_and_skipping_imports_the_rest(browser_page, shoot, tmp_path):
    page = browser_page
    sign_in(page, "controller")
    upload = tmp_path / "august.csv"
    upload.write_text("invoice_number,customer_code,invoice_date,amount\nA1,C1,2024-08-01,100\n"
                      "A2,C1,2024-02-30,100\n", encoding="utf-8")
    page.click("nav.menu summary >> text=账务")  # the menu's groups speak Chinese too
    page.click("nav.menu >> text=导入")
    page.select_option("select[name=kind]", "invoices")
    page.set_input_files("input[name=file]", str(upload))
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#import-errors")
    errors = page.inner_text("#import-errors")
    assert "august.csv" in errors and "invoice_date" in errors and "2024-02-30" in errors
    shoot(page, "import-errors-zh")
    page.set_input_files("input[name=file]", str(upload))
    page.check("input[name=skip_bad_rows]")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("#import-result")
    assert page.inner_text("#inserted") == "1" and page.inner_text("#rejected") == "1"
    shoot(page, "import-result-zh")


def test_a_report_downloads_as_a_workbook_with_the_figures_on_the_page(browser_page, shoot):
    page = browser_page
    sign_in(page, "auditor")
    page.goto(f"/reports/aging?as_of={AS_OF}")
    shoot(page, "report-aging-zh")
    with page.expect_download() as download:
        page.click("#aging-xlsx")
    assert download.value.suggested_filename == f"aging-{AS_OF}.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "customer" and [r[0] for r in rows[1:]] == ["C1", "C2", "C3", "total"]
    assert str(rows[-1][rows[0].index("total")]) in ("6160", "6160.00", "6160.0")
    for tab, name in (("/reports/dso", "report-dso-zh"), ("/reports/metrics", "report-metrics-zh")):
        page.goto(f"{tab}?as_of={AS_OF}&from=2024-01-01&to={AS_OF}")
        shoot(page, name)


def test_switching_language_changes_the_words_and_the_formats(browser_page, shoot):
    page = browser_page
    sign_in(page, "credit_manager")
    page.goto(f"/?as_of={AS_OF}")
    assert page.inner_text("h1").startswith("总览")
    page.click("a[hreflang=en]")
    page.wait_for_url(f"**/?as_of={AS_OF}")
    assert page.inner_text("h1").startswith("Dashboard")
    assert page.inner_text("#open-invoices") == "CN¥6,160.00"
    wait_for_chart(page, "aging-chart", ".bars path")
    shoot(page, "dashboard-en")
    page.goto("/customers")
    shoot(page, "customers-en")
    page.click("a[hreflang=zh-CN]")
    page.wait_for_url("**/customers")
    assert page.inner_text("h1") == "客户"


@pytest.mark.parametrize("username", ["admin", "collector"])
def test_every_page_opens_for_the_user_and_is_photographed(browser_page, shoot, username):
    page = browser_page
    sign_in(page, username)
    paths = {"customers": "/customers", "invoices": "/invoices", "payments": "/payments",
             "aging": f"/reports/aging?as_of={AS_OF}", "dashboard": f"/?as_of={AS_OF}"}
    if username == "admin":
        paths.update(settings="/settings", users="/users", audit="/audit", imports="/imports")
    for name, path in paths.items():
        answer = page.goto(path)
        assert answer.status == 200, path
        shoot(page, f"{username}-{name}")
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet, upright
    page.goto(f"/?as_of={AS_OF}")
    wait_for_chart(page, "aging-chart", ".bars path")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, f"{username}-dashboard-tablet")
    if username == "collector":
        assert page.goto("/customers/C2").status == 404
        shoot(page, "collector-not-found")
        assert page.goto("/audit").status == 403
        shoot(page, "collector-not-allowed")


def test_with_two_companies_the_header_switches_between_them(browser_page, shoot, db):
    from credo.services.companies import add_company

    with db.begin() as conn:
        add_company(conn, code="ZETA", name="Zeta Trading (HK)", base_currency="HKD", calendar=None, actor="test")
    page = browser_page
    sign_in(page, "admin")
    page.goto(f"/?as_of={AS_OF}")
    assert page.inner_text("#open-invoices") == "¥6,160.00"  # ACME, first by code
    with page.expect_navigation():
        page.select_option("select[name=code]", "ZETA")  # the picker sends itself on change
    assert page.inner_text("#open-invoices") == "HK$0.00" and "Zeta Trading (HK)" in page.inner_text("main h1")
    shoot(page, "company-picker-zh")
    page.goto("/customers")
    assert page.input_value("select[name=code]") == "ZETA"  # the choice stays (a cookie)
