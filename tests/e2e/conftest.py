"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser) against the
real server over the `acme` ledger, on SQLite and PostgreSQL.

They skip only when chromium is truly absent and CREDO_TEST_REQUIRE_BROWSER is not 1 (CI sets it:
there a missing browser fails the run). Every request that leaves 127.0.0.1 is refused, so a page
that needs a CDN or a web font fails here. Screenshots go to build/screenshots/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CREDO_TEST_CHROMIUM", "/usr/bin/chromium"))
REQUIRE_BROWSER = os.environ.get("CREDO_TEST_REQUIRE_BROWSER") == "1"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SHOOTING = os.environ.get("CREDO_TEST_SCREENSHOTS", "1") != "0"


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"no chromium at {CHROMIUM}: apt-get install chromium (make test does)"
        if REQUIRE_BROWSER:
            pytest.fail(f"CREDO_TEST_REQUIRE_BROWSER=1 and {message}", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def browser_context(chromium, server):
    """One browser context per test server, kept across tests so that its HTTP cache keeps
    plotly's script: a fresh context fetched and compiled it again on the first chart of every
    test (2.5 s of each). Tests start without cookies (`browser_page`), so nobody is signed in."""
    context = chromium.new_context(base_url=server.url, viewport={"width": 1280, "height": 900},
                                   accept_downloads=True)
    refused: list[str] = []

    def only_here(route):
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_here)
    yield context, refused
    context.close()


@pytest.fixture
def browser_page(browser_context, people, request):
    """A new page on the test server, signed out (no cookies); outside requests are refused."""
    context, refused = browser_context
    context.clear_cookies()
    refused.clear()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # what the Content-Security-Policy blocks is said on the console, not thrown
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text else None)
    yield page
    page.close()
    assert refused == [], f"the pages asked for outside resources: {refused}"
    assert errors == [], f"script errors on the pages: {errors}"


@pytest.fixture
def shoot(request, engine):
    """shoot(page, name): a screenshot of the whole page in build/screenshots/{backend}-{name}.png.

    The window is made as tall as the page first (a full-page capture resizes the window while it
    draws, and the charts, which follow the window, come out misplaced). CREDO_TEST_SCREENSHOTS=0
    takes none: CI sets it, since a fresh clone's screenshots are thrown away unseen (they cost
    1.3-1.6 s each, some 60 of them a run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path | None:
        if not SHOOTING:
            return None
        width = page.viewport_size["width"]
        height = page.evaluate("() => document.documentElement.scrollHeight")
        page.set_viewport_size({"width": width, "height": min(max(height, 600), 4000)})
        page.wait_for_timeout(300)
        path = SCREENSHOTS / f"{engine.dialect.name}-{name}.png"
        page.screenshot(path=str(path))
        page.set_viewport_size({"width": width, "height": 900})
        return path

    return take
