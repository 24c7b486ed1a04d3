"""The web chat in a real browser: Debian's Chromium, driven headless by Playwright (see tests/browser.py)."""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.browser import assert_accessible, chromium, needs_chromium
from tests.conftest import serving

PHONE = {"width": 360, "height": 740}
SCRIPT = "<script>alert(1)</script>"

# One Chromium for the whole module, on the module's event loop (starting one takes about a second).
pytestmark = [needs_chromium, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def browser():
    async with chromium() as started:
        yield started


@pytest_asyncio.fixture(loop_scope="module")
async def serve(settings, clock, matcher):
    """The servers of a test, on the module's event loop where the browser runs."""
    async for start in serving(settings, clock, matcher):
        yield start


@pytest_asyncio.fixture(loop_scope="module")
async def page(browser, serve):
    """A phone-sized page of the web chat, recording dialogs and console errors."""
    server = await serve()
    context = await browser.new_context(viewport=PHONE)
    chat_page = await context.new_page()
    chat_page.dialogs = []
    chat_page.errors = []
    chat_page.server = server

    async def on_dialog(dialog) -> None:
        chat_page.dialogs.append(dialog.message)
        await dialog.dismiss()

    chat_page.on("dialog", on_dialog)
    chat_page.on("console", lambda message: message.type == "error" and chat_page.errors.append(message.text))
    chat_page.on("pageerror", lambda error: chat_page.errors.append(str(error)))
    await chat_page.goto(str(server.make_url("/")))
    yield chat_page
    await context.close()


ANSWERED = """before => document.querySelectorAll('.message.bot, .message.error').length > before
    && document.getElementById('chat-log').getAttribute('aria-busy') === 'false'"""


async def answered(page, action) -> None:
    """Do `action` (a click or a submit) and wait until its answer is on the page."""
    before = await page.locator(".message.bot, .message.error").count()
    await action()
    await page.wait_for_function(ANSWERED, arg=before)


async def ask(page, text: str) -> None:
    await page.get_by_placeholder("Stel je vraag…").fill(text)
    await answered(page, page.get_by_role("button", name="Verstuur").click)


async def test_question_typed_and_answered(page, knowledge):
    from playwright.async_api import expect

    await expect(page).to_have_title("ketenbot")
    await ask(page, "wat is ketenregie")
    await expect(page.locator(".message.user").last).to_have_text("wat is ketenregie")
    summary = knowledge.get("begrip-ketenregie").summary
    await expect(page.locator(".message.bot").last).to_contain_text(summary)
    # Newlines of the reply are kept, and the page fits a 360px phone without sideways scrolling.
    assert "\n\nZie ook:\n1. " in await page.locator(".message.bot .text").last.inner_text()
    assert await page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert page.errors == []


async def test_option_button_clicked_and_answered(page, knowledge):
    from playwright.async_api import expect

    await ask(page, "we vertrouwen elkaar niet")
    solution = knowledge.get("knelpunt-3.oplossing-2")
    button = page.locator(".message.bot").last.get_by_role("button", name=solution.title, exact=True)
    await answered(page, button.click)
    await expect(page.locator(".message.user").last).to_have_text(solution.title)
    await expect(page.locator(".message.bot").last).to_contain_text(solution.summary)
    # The "Terug" button returns to the knelpunt; there a numbered option can be typed as its number.
    await answered(page, page.locator(".message.bot").last.get_by_role("button", name="Terug").click)
    await expect(page.locator(".message.bot").last).to_contain_text("Oplossingen:")
    await ask(page, "2")
    await expect(page.locator(".message.bot")).to_have_count(
        5
    )  # intro, knelpunt, oplossing, knelpunt, oplossing
    await expect(page.locator(".message.bot").last).to_contain_text(solution.summary)


async def test_script_in_a_question_is_shown_as_literal_text(page):
    from playwright.async_api import expect

    scripts_before = await page.locator("script").count()
    await ask(page, SCRIPT)
    await expect(page.locator(".message.user").last).to_have_text(SCRIPT)
    await expect(page.locator(".message.bot")).to_have_count(2)  # the intro and the answer
    await ask(page, '<img src="x" onerror="alert(2)">')
    await expect(page.locator(".message.user").last).to_have_text('<img src="x" onerror="alert(2)">')
    assert await page.locator("script").count() == scripts_before
    assert await page.locator(".log img").count() == 0
    assert page.dialogs == []



async def test_every_state_of_the_chat_passes_axe(page):
    """axe-core (WCAG 2.1 AA and best practice) on the fresh page, with answer buttons, and with an error."""
    from playwright.async_api import expect

    await assert_accessible(page)
    await ask(page, "we vertrouwen elkaar niet")
    await expect(page.locator(".message.bot .options button").first).to_be_visible()
    await assert_accessible(page)
    await page.route("**/api/chat", lambda route: route.abort())
    await ask(page, "wat is ketenregie")
    await expect(page.locator(".message.error")).to_have_text("Er ging iets mis met de verbinding. Probeer het zo nog eens.")
    await assert_accessible(page)

# --- messages waiting in the inbox ----------------------------------------------------------------

CHECKIN = "Check-in van de ketenregisseur. Staat ons gezamenlijke doel nog?"


async def queue_for_page(page, text: str = CHECKIN) -> int:
    """A check-in queued for the page's own web session; returns its outbox id."""
    from adapters.server import RUNTIME
    from adapters.web.session import session_id_of
    from bot.messages import Reply, to_payload

    [token] = [c["value"] for c in await page.context.cookies() if c["name"] == "ketenbot_session"]
    outbox = page.server.app[RUNTIME].outbox
    outbox.enqueue([("checkin:browser", f"web:{session_id_of(token)}", to_payload(Reply(text=text, intent="checkin")))])
    return outbox.db.execute("SELECT id FROM outbox WHERE dedupe_key = 'checkin:browser'").fetchone()[0]


def outbox_status(page, delivery_id: int) -> str:
    from adapters.server import RUNTIME

    outbox = page.server.app[RUNTIME].outbox
    return outbox.db.execute("SELECT status FROM outbox WHERE id = ?", (delivery_id,)).fetchone()[0]


def is_ack(request) -> bool:
    return request.url.endswith("/api/inbox/ack")


async def test_inbox_message_is_shown_once_and_marked_sent_only_when_acknowledged(page):
    from playwright.async_api import expect

    delivery_id = await queue_for_page(page)
    shown = page.locator(".message.bot", has_text=CHECKIN)
    # The acknowledgement is lost (network drop): the message is shown, and stays waiting on the server.
    await page.route("**/api/inbox/ack", lambda route: route.abort())
    async with page.expect_event("requestfailed", predicate=is_ack):
        await page.reload()
    await expect(shown).to_have_count(1)
    assert outbox_status(page, delivery_id) == "pending"
    async with page.expect_event("requestfailed", predicate=is_ack):
        await page.reload()
    await expect(shown).to_have_count(0)  # the same tab showed it already: not twice
    assert outbox_status(page, delivery_id) == "pending"
    # The next acknowledgement arrives; only now is the message sent.
    await page.unroute("**/api/inbox/ack")
    async with page.expect_response(lambda response: is_ack(response.request)) as acknowledged:
        await page.reload()
    assert (await acknowledged.value).ok
    assert outbox_status(page, delivery_id) == "sent"
    await expect(shown).to_have_count(0)


async def test_inbox_message_survives_a_reload_before_it_was_acknowledged(page):
    from playwright.async_api import expect

    delivery_id = await queue_for_page(page)
    shown = page.locator(".message.bot", has_text=CHECKIN)
    # The page is gone before the inbox's answer could be shown (closed tab, reload, dropped connection).
    await page.route("**/api/inbox", lambda route: route.abort())
    async with page.expect_event("requestfailed", predicate=lambda request: request.url.endswith("/api/inbox")):
        await page.reload()
    await expect(shown).to_have_count(0)
    assert outbox_status(page, delivery_id) == "pending"
    await page.unroute("**/api/inbox")
    async with page.expect_response(lambda response: is_ack(response.request)):
        await page.reload()
    await expect(shown).to_have_count(1)
    await expect(shown).to_contain_text(CHECKIN)
    assert outbox_status(page, delivery_id) == "sent"
    # And in a new tab, now that it was acknowledged, it does not come back.
    new_tab = await page.context.new_page()
    async with new_tab.expect_response(lambda response: response.url.endswith("/api/inbox")) as inbox:
        await new_tab.goto(page.url)
    assert (await inbox.value).ok
    await expect(new_tab.locator(".message.bot", has_text=CHECKIN)).to_have_count(0)


async def test_an_invitation_link_makes_the_visitor_a_ketenpartner_once(browser, serve):
    from datetime import timedelta

    from playwright.async_api import expect

    from adapters.server import RUNTIME

    server = await serve()
    code, _ = server.app[RUNTIME].invitations.issue("cli", valid_for=timedelta(days=7))
    context = await browser.new_context(viewport=PHONE)
    visitor = await context.new_page()
    await visitor.goto(str(server.make_url("/")) + f"#uitnodiging={code}")
    await expect(visitor.locator(".message.user").last).to_have_text("Ik open mijn uitnodiging.")
    await expect(visitor.locator(".message.bot").last).to_contain_text("Welkom! Je bent nu ketenpartner")
    assert "uitnodiging" not in visitor.url  # the code left the address bar: a reload does not send it again
    await visitor.reload()
    await expect(visitor.locator(".message.bot")).to_have_count(1)  # only the intro
    await ask(visitor, "aanmelden")
    await expect(visitor.locator(".message.bot").last).to_contain_text("Fijn dat je op de sociale kaart wilt!")
    await context.close()


async def test_thumbs_under_an_answer_and_thumbs_down_offers_the_alternatives(page):
    from playwright.async_api import expect

    from adapters.server import RUNTIME

    await ask(page, "wat doet de ketenregisseur?")
    answer = page.locator(".message.bot").last
    await expect(answer).to_contain_text("Had je hier iets aan?")
    await expect(answer.get_by_role("button", name="👍")).to_be_visible()
    await assert_accessible(page)
    await answered(page, answer.get_by_role("button", name="👎").click)
    reply = page.locator(".message.bot").last
    await expect(reply).to_contain_text("Jammer. Dank je voor het laten weten")
    await expect(reply.get_by_role("button").first).to_have_attribute("data-value", "entry:knelpunt-3.oplossing-2")
    await assert_accessible(page)
    [kept] = page.server.app[RUNTIME].services.gaps.kept()
    assert (kept.question, kept.reason, kept.guess) == ("wat doet de ketenregisseur?", "unhelpful", "rol-ketenregisseur")
