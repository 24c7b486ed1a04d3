"""The dashboard in a real browser (Debian's Chromium through Playwright, one per module): a link opens it, the
charts show the seeded numbers, a used link is refused, every page passes axe-core, and it prints on A4.

The seeded view's screenshot is kept as a test artefact in pytest's temporary folder (the README's picture is
made from the served dashboard: test_dashboard_wired_browser.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import pytest_asyncio
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.web.dashboard.access import link_url
from adapters.web.dashboard.app import setup_dashboard
from adapters.web.errors import dutch_route_errors
from bot.clock import FixedClock
from tests.browser import assert_accessible, chromium, needs_chromium
from tests.dashboard_seed import seeded_view
from tests.fakes.dashboard_access import MemoryDashboardAccess

DIRECTOR = "teams:29:directeur"
DESKTOP = {"width": 1200, "height": 900}

pytestmark = [needs_chromium, pytest.mark.asyncio(loop_scope="module")]


class Roster:
    def is_director(self, identity: str) -> bool:
        return identity == DIRECTOR


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser():
    async with chromium() as started:
        yield started


@pytest_asyncio.fixture(loop_scope="module")
async def site():
    """The dashboard's routes in a small app on 127.0.0.1, with the seeded view and an in-memory store."""
    store = MemoryDashboardAccess(FixedClock(datetime(2026, 12, 3, 9, 0, tzinfo=UTC)))
    app = web.Application(middlewares=[dutch_route_errors])
    setup_dashboard(app, store, seeded_view, directors=Roster())
    server = TestServer(app, host="127.0.0.1", port=None)
    await server.start_server()
    server.store = store
    yield server
    await server.close()


@pytest_asyncio.fixture(loop_scope="module")
async def context(browser):
    context = await browser.new_context(viewport=DESKTOP)
    yield context
    await context.close()


def link(site, director: str = DIRECTOR) -> str:
    return link_url(str(site.make_url("")), site.store.issue_link(director))


async def open_link(page, url: str) -> None:
    """Open a link as from a chat app, and wait until the page it leads to has loaded."""
    async with page.expect_navigation(url="**/dashboard", wait_until="load"):
        await page.goto(url)


async def test_a_link_opens_the_dashboard_with_the_seeded_numbers(context, site, tmp_path_factory):
    from playwright.async_api import expect

    page = await context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    await open_link(page, link(site))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard van de ketenregisseur")
    assert page.url == str(site.make_url("/dashboard"))  # the token left the address bar
    [cookie] = await context.cookies()
    assert cookie["name"] == "ketenbot_dashboard" and cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    response_chart = page.get_by_role("img", name="Respons per ronde")
    await expect(response_chart).to_contain_text("75% (9 van 12)")
    await expect(response_chart).to_contain_text("85% (11 van 13)")
    await expect(page.get_by_role("img", name="Staat het doel nog? Antwoorden per ronde")).to_contain_text(
        "ja 6 · twijfel 3 · nee 1"
    )
    await expect(page.get_by_role("img", name="Commitment van Gemeente Zeist")).to_contain_text("3,3")
    await expect(page.get_by_role("img", name="Partners per onderwerp")).to_contain_text("schuldhulp")
    await expect(page.get_by_role("img", name="Vragen per week per platform")).to_contain_text(
        "Slack 1.120 · Teams 96"
    )
    response_table = page.get_by_role("table", name="Cijfers bij: Respons per ronde")
    first_round = response_table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="7 september 2026")
    )
    assert await first_round.get_by_role("cell").all_inner_texts() == ["12", "9", "75%"]
    await expect(
        page.get_by_role("table", name="Cijfers bij: Commitment per organisatie over de rondes")
    ).to_contain_text("3,3")
    for chart in await page.locator("svg.chart").all():
        assert (await chart.bounding_box())["width"] > 100  # drawn, not collapsed by a blocked style sheet
    await assert_accessible(page)
    assert errors == []

    screenshot = tmp_path_factory.mktemp("artefacts") / "dashboard.png"
    await page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000


async def assert_link_refused(browser, url: str) -> None:
    """In a browser of its own, the link gives the Dutch page for a used link, accessible, and no cookie."""
    from playwright.async_api import expect

    other = await browser.new_context(viewport=DESKTOP)
    page = await other.new_page()
    await page.goto(url)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Deze link werkt niet meer")
    assert await other.cookies() == []
    await assert_accessible(page)
    await other.close()


async def test_a_used_link_is_refused_in_the_browser(context, site, browser):
    url = link(site)
    await open_link(await context.new_page(), url)
    await assert_link_refused(browser, url)


async def test_without_a_session_and_without_director_the_pages_are_dutch_and_accessible(context, site):
    from playwright.async_api import expect

    page = await context.new_page()
    response = await page.goto(str(site.make_url("/dashboard")))
    assert response.status == 401
    await expect(page.get_by_role("heading", level=1)).to_have_text("Log in met een link")
    await assert_accessible(page)
    await open_link(page, link(site, "slack:UGEENREGISSEUR"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Geen toegang")
    await assert_accessible(page)


async def test_signing_out_from_the_page(context, site):
    from playwright.async_api import expect

    page = await context.new_page()
    await open_link(page, link(site))
    await page.get_by_role("button", name="Afmelden").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Je bent afgemeld")
    await assert_accessible(page)
    response = await page.goto(str(site.make_url("/dashboard")))
    assert response.status == 401


async def test_the_dashboard_prints_on_a4_without_navigation(context, site):
    page = await context.new_page()
    await open_link(page, link(site))
    await page.emulate_media(media="print")
    assert not await page.get_by_role("navigation").is_visible()
    assert not await page.get_by_role("button", name="Afmelden").is_visible()
    kept_whole = await page.evaluate(
        "[...document.querySelectorAll('figure, table')].every(e => getComputedStyle(e).breakInside === 'avoid')"
    )
    assert kept_whole
    pdf = await page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pdf.startswith(b"%PDF") and 2 <= pages <= 6  # the seeded dashboard: four A4 pages today
