"""The dashboard that `ketenbot serve` mounts, in a real browser (Debian's Chromium through Playwright): a seeded
database, a director's one-time link, the charts with the database's numbers, axe-core, a used link refused.

The screenshot is kept as a test artefact in pytest's temporary folder; with KETENBOT_UPDATE_SCREENSHOT=1 it is
also copied to docs/dashboard.png (the README's picture), so the picture shows the real, wired page.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from adapters.server import RUNTIME
from adapters.web.dashboard.access import link_url
from bot.config import Settings
from tests.adapters.test_dashboard_browser import DESKTOP, assert_link_refused, open_link
from tests.browser import assert_accessible, chromium, needs_chromium
from tests.dashboard_seed import SEEDED_MILESTONE, SEEDED_REPORT, seed_chain

DIRECTOR = "teams:29:regisseur"
README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"

pytestmark = needs_chromium


@pytest.fixture
async def browser():
    # In the test's own loop, like the server it drives (one test here: no browser to share).
    async with chromium() as started:
        yield started


async def test_the_served_dashboard_shows_the_seeded_database(browser, serve, fresh_db, clock, tmp_path_factory):
    from playwright.async_api import expect

    server = await serve(Settings(db_path=fresh_db, directors=frozenset({DIRECTOR})))
    runtime = server.app[RUNTIME]
    seed_chain(runtime.services, clock)
    url = link_url(str(server.make_url("")), runtime.dashboard.issue_link(DIRECTOR))
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await open_link(page, url)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard van de ketenregisseur")
    await expect(page.get_by_role("img", name="Respons per ronde")).to_contain_text("75% (3 van 4)")
    await expect(page.get_by_role("img", name="Staat het doel nog? Antwoorden per ronde")).to_contain_text(
        "ja 1 · twijfel 1 · nee 0"
    )
    await expect(page.get_by_role("img", name="Commitment van Gemeente Zeist")).to_contain_text("3,5")
    await expect(page.get_by_role("img", name="Partners per onderwerp")).to_contain_text("schuldhulp")
    await expect(page.get_by_role("main")).to_contain_text("twijfel op de vraag of het doel nog staat, en commitment 2")
    await expect(page.get_by_role("main")).to_contain_text(SEEDED_MILESTONE)
    await expect(page.get_by_role("table", name="Meldingen van partners, open eerst")).to_contain_text(SEEDED_REPORT)
    await assert_accessible(page)
    assert errors == []
    screenshot = tmp_path_factory.mktemp("artefacts") / "dashboard.png"
    await page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    if os.environ.get("KETENBOT_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(screenshot, README_SCREENSHOT)

    await assert_link_refused(browser, url)
    await context.close()
