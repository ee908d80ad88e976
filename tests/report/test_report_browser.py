"""The reports in a real browser (system Chromium via Playwright), opened from disk like a user would.

Chromium comes from ACCORD_CHROMIUM or /usr/bin/chromium. Without it this module skips, except
under CI (env CI set), where a missing browser must fail rather than silently pass.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("ACCORD_CHROMIUM") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    if not (os.path.isfile(CHROMIUM) or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM}: apt-get install chromium, or set ACCORD_CHROMIUM"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed: pip install -e '.[dev]'"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """The system Chromium; None when missing (each test then skips, or fails under CI)."""
    if _missing():
        yield None
        return
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def need(browser: Any) -> Any:
    """Fail under CI (a green CI must not hide a missing browser), skip elsewhere."""
    reason = _missing()
    if browser is None and reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so the browser test may not be skipped)", pytrace=False)
        pytest.skip(reason)
    return browser


class Watched:
    """A page that records console errors, page errors, dialogs and any request leaving file://."""

    def __init__(self, browser: Any, **context: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, **context)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        self.page.on("pageerror", lambda e: self.problems.append(f"pageerror: {e}"))
        self.page.on("dialog", self._dialog)
        self.context.route("**/*", self._route)

    def _dialog(self, dialog: Any) -> None:
        self.problems.append(f"dialog: {dialog.type} {dialog.message}")
        dialog.dismiss()

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.problems.append(f"network: {route.request.url}")
            route.abort()

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")
        return self.page


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: ACCORD_SCREENSHOT_DIR if set (to look at them), else the test's tmp dir."""
    where = Path(os.environ.get("ACCORD_SCREENSHOT_DIR") or tmp_path / "screenshots")
    where.mkdir(parents=True, exist_ok=True)
    return where


FAILING = "acme.customer.create.validates-email"


def visible_ids(page: Any) -> list[str]:
    return [a.get_attribute("id") for a in page.locator("article.clause:visible").all()]


def screenshot(page: Any, path: Path) -> None:
    """Full page from the top, so the sticky header is drawn where it belongs."""
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(path), full_page=True)


def test_vendor_report_in_chromium(browser: Any, report_dir: Path, shots: Path) -> None:
    watched = Watched(need(browser))
    from playwright.sync_api import expect
    page = watched.open(report_dir / "acme.html")
    top = page.locator("header.topbar")
    assert top.locator(".score").nth(0).inner_text().split()[:2] == ["MUST", "1/2"]
    assert top.locator(".score").nth(1).inner_text().split()[:2] == ["SHOULD", "2/4"]
    for cid in (FAILING, "acme.customer.list.complete", "acme.customer.list.paginates"):
        assert page.locator(f"article[id='clause-{cid}'] .cid").is_visible()
    assert page.get_by_text("<script>alert(1)</script>", exact=False).first.is_visible()

    clause = page.locator(f"article[id='clause-{FAILING}']")
    exchange = clause.locator("details.exchange").first
    curl = exchange.locator("pre.curl-cmd")
    assert not curl.is_visible()
    exchange.locator("summary").click()
    assert exchange.evaluate("d => d.open") and curl.is_visible()
    assert curl.inner_text().startswith("curl -X POST 'https://api.acme.example/api/customers?q=<img")
    copy = exchange.locator("button.copy")
    copy.click()
    expect(copy).to_have_text(re.compile("^(Copied|Select and copy)$"))  # the clipboard answers async
    screenshot(page, shots / "acme-report.png")

    passing = page.locator("article[data-verdict='pass']")
    assert passing.count() == 3 and passing.first.is_visible()
    page.locator("#filters input[value='pass']").uncheck()
    assert all(not passing.nth(i).is_visible() for i in range(passing.count()))
    assert clause.is_visible()
    assert "5 of 8 clauses shown" in page.locator("#shown").inner_text()
    page.locator("#filters button[data-only='fail error']").click()
    assert page.locator("article.clause:visible").count() == 3
    page.locator("#filters select[name=level]").select_option("MUST")
    assert visible_ids(page) == [f"clause-{FAILING}"]
    page.locator("#filters select[name=level]").select_option("")
    page.locator("#filters select[name=section]").select_option(label="Authentication")
    page.locator("#filters button[data-only='']").click()
    assert visible_ids(page) == ["clause-acme.auth.rejects-missing-token"]
    assert watched.problems == []
    watched.context.close()


def test_vendor_report_without_javascript(browser: Any, report_dir: Path, shots: Path) -> None:
    watched = Watched(need(browser), java_script_enabled=False)
    page = watched.open(report_dir / "acme.html")
    assert not page.locator("#filters").is_visible()
    assert page.locator("article.clause:visible").count() == 8
    exchange = page.locator(f"article[id='clause-{FAILING}'] details.exchange").first
    exchange.locator("summary").click()
    assert exchange.locator("pre.curl-cmd").is_visible()
    assert not exchange.locator("button.copy").is_visible()
    screenshot(page, shots / "acme-report-nojs.png")
    assert watched.problems == []
    watched.context.close()


def test_index_in_chromium(browser: Any, report_dir: Path, shots: Path) -> None:
    watched = Watched(need(browser))
    page = watched.open(report_dir / "index.html")
    rows = page.locator("table.matrix tbody tr")
    assert rows.count() == 2
    assert "1/2" in rows.nth(0).inner_text() and "—" in rows.nth(1).inner_text()
    screenshot(page, shots / "index.png")
    page.locator("a[href='bolt.html']").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/bolt.html") and "Bolt Booking" in page.locator("h1").inner_text()
    assert watched.problems == []
    watched.context.close()
