"""What every browser test shares: Debian's Chromium, how Playwright starts it, and the axe-core check.

Playwright never downloads a browser here; without /usr/bin/chromium the browser tests are skipped
(CI installs the `chromium` package first, see .ci/run). axe-core comes bundled with the PyPI package
axe-playwright-python, so the check runs offline.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian's chromium is not installed (/usr/bin/chromium); CI installs it"
)


@asynccontextmanager
async def chromium() -> AsyncIterator:
    """Debian's Chromium, headless, without anything that would reach the network by itself."""
    playwright_api = pytest.importorskip("playwright.async_api")
    async with playwright_api.async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def assert_accessible(page) -> None:
    """axe-core finds no violation on the page as it is now: every rule, WCAG 2.1 A and AA and best practice."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
