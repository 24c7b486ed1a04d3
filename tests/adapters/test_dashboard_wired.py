"""The dashboard as `ketenbot serve` mounts it: a director types "dashboard" in Slack, Teams, the web chat or the
console and gets a one-time link; `ketenbot dashboard link ID` gives one to an operator; the page shows the
numbers in the database."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import aiohttp
import pytest

from adapters.cli import main
from adapters.server import RUNTIME
from adapters.turn import take_turn
from adapters.web.dashboard.render import render_dashboard
from adapters.web.session import session_id_of
from bot.config import Settings
from bot.messages import Incoming
from tests.adapters.test_dashboard_access import dashboard, redeem, session_cookie
from tests.adapters.test_slack import SECRET, event, post, signed_headers
from tests.adapters.test_teams import USER_ID, activity
from tests.adapters.test_teams import say as teams_say
from tests.chat import Conversation
from tests.dashboard_seed import SEEDED_MILESTONE, seed_chain

LINK = re.compile(r"http://localhost:3978/dashboard#toegang=([A-Za-z0-9_-]+)")
INTRO = "Hier is je link naar het dashboard:"


@pytest.fixture
async def served(serve, slack_api, bf_connector, fresh_db):
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                        slack_api_url=slack_api.api_url, teams_emulator=True,
                        directors=frozenset({"slack:UREGISSEUR", f"teams:{USER_ID}", "console:kees"}))
    server = await serve(settings)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(server.make_url("/")) as page:
            assert page.status == 200
        web_session = next(c.value for c in browser.cookie_jar if c.key == "ketenbot_session")
        yield server, browser, f"web:{session_id_of(web_session)}"


async def slack_reply(server, slack_api, text: str, user: str, number: int) -> str:
    body = event(text, event_id=f"Ev{number}", channel=f"D{user}", user=user)
    status, _ = await post(server, body, signed_headers(body))
    assert status == 200
    return (await slack_api.wait_for("chat.postMessage", count=number))[-1].body["text"]


async def opens(server, token: str) -> str:
    """Redeem a link's token as the page does, then load the dashboard with the session cookie."""
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        response = await redeem(http, server, token)
        assert response.status == 303
        status, body, _ = await dashboard(http, server, session_cookie(response)["ketenbot_dashboard"].value)
        assert status == 200
        return body


async def test_a_director_gets_a_working_link_in_slack_teams_web_chat_and_console(served, slack_api, bf_connector):
    server, browser, web_identity = served
    runtime = server.app[RUNTIME]
    runtime.directors.add(web_identity)
    replies = [
        await slack_reply(server, slack_api, "dashboard", "UREGISSEUR", 1),
        # Teams gets the link whole (the rest of the text markdown-escaped), so Teams links it as it is.
        (await teams_say(server, bf_connector, activity(bf_connector.service_url, "open het dashboard")))["text"],
    ]
    async with browser.post(server.make_url("/api/chat"), json={"text": "link naar het dashboard"}) as response:
        replies.append((await response.json())["replies"][-1]["text"])
    replies.append((await Conversation(runtime.services, user="kees").say("Dashboard")).text)
    for text in replies:
        assert text.startswith(INTRO) and "10 minuten geldig" in text, text
        assert LINK.search(text), text
        body = await opens(server, LINK.search(text).group(1))
        assert "Dashboard van de ketenregisseur" in body
    used = LINK.search(replies[0]).group(1)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
        assert (await redeem(http, server, used)).status == 401


async def test_someone_who_is_no_director_gets_a_dutch_refusal_and_no_link(served, slack_api):
    server, browser, _ = served
    text = await slack_reply(server, slack_api, "dashboard", "UANOUK", 1)
    assert text.startswith("Dat kan alleen de ketenregisseur") and "dashboard" in text and "toegang=" not in text
    async with browser.post(server.make_url("/api/chat"), json={"text": "dashboard"}) as response:
        assert "toegang=" not in (await response.json())["replies"][-1]["text"]
    assert server.app[RUNTIME].db.execute("SELECT COUNT(*) FROM dashboard_links").fetchone() == (0,)


def test_an_operator_gets_a_link_for_a_director_only(capsys, monkeypatch, fresh_db):
    monkeypatch.setenv("KETENBOT_DB", str(fresh_db))
    monkeypatch.setenv("KETENBOT_DIRECTORS", "teams:29:regisseur")
    monkeypatch.setenv("KETENBOT_PUBLIC_URL", "https://keten.example.nl")
    assert main(["dashboard", "link", "teams:29:regisseur"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"https://keten\.example\.nl/dashboard#toegang=[A-Za-z0-9_-]{43}\n", out)
    assert "10 minuten geldig" in out
    assert main(["dashboard", "link", "slack:UIEMAND"]) == 1
    assert "slack:UIEMAND is geen ketenregisseur" in capsys.readouterr().err
    assert main(["dashboard", "link", "kees"]) == 1
    assert "Geef een id met platform en gebruiker" in capsys.readouterr().err


def test_the_view_holds_the_numbers_of_the_database(runtime, clock, knowledge):
    seed_chain(runtime.services, clock)
    view = runtime.dashboard_view()
    assert [(r.sent, r.answered, r.goal.yes, r.goal.doubt, r.goal.no) for r in view.rounds] == [
        (4, 3, 2, 0, 1), (4, 2, 1, 1, 0), (4, 3, 2, 1, 0),
    ]
    commitment = {line.organisation: line.averages for line in view.commitment}
    assert commitment == {
        "Gemeente Zeist": (4.0, 4.0, 3.5),
        "Schuldhulp Utrecht": (4.0, 3.0, 2.0),
        "Woningcorporatie Mooiland": (None, None, None),
    }
    needs = {count.label: count.count for count in view.needs.per_knelpunt}
    assert needs[knowledge.get("knelpunt-1").title] == 2 and sum(needs.values()) == 4
    assert {(w.identity, w.reason) for w in view.warnings} == {
        ("slack:UANOUK", "twijfel op de vraag of het doel nog staat, en commitment 2"),
        ("web:dirk-sessie", "twee keer op rij geen antwoord"),
    }
    assert view.advice.title == knowledge.get("knelpunt-9").title
    assert view.social_map.partners == 4 and view.social_map.stale == 1
    assert view.social_map.stale_after_days == 180
    assert [(c.label, c.count) for c in view.social_map.by_topic] == [("schuldhulp", 2), ("wonen", 2), ("jeugdzorg", 1)]
    assert [(c.label, c.count) for c in view.social_map.by_region][0] == ("Zeist", 2)
    assert view.questions.platforms == ("slack", "web")
    assert [week.counts for week in view.questions.weeks] == [(5, 2)]
    [celebrated, ahead] = view.milestones
    assert (celebrated.title, celebrated.queued, celebrated.delivered) == (SEEDED_MILESTONE, 4, 3)
    assert celebrated.celebrated_on is not None and ahead.reached_on is None


async def test_questions_are_counted_per_platform_never_their_text(runtime):
    for platform, user, text in (
        ("slack", "U1", "wat is ketenregie?"), ("slack", "U2", "wie kan ik bellen over schulden?"), ("console", "kees", "help"),
    ):
        await take_turn(Incoming(platform=platform, user_id=user, text=text, vouched=True), runtime.services)
    rows = runtime.db.execute("SELECT * FROM question_counts").fetchall()
    assert [row[1:] for row in rows] == [("slack", 2)]  # the week, the platform, how many: nothing else is kept


class BrokenCounter:
    def count(self, platform: str, day: object) -> None:
        raise OSError("database is locked")


async def test_a_failed_question_count_does_not_cost_the_turn_its_reply(runtime):
    """The count ran after the turn was stored; when it failed, the user got no reply for a turn that succeeded."""
    services = replace(runtime.services, questions=BrokenCounter())
    [reply] = await take_turn(Incoming(platform="web", user_id="w1", text="wat is ketenregie?"), services)
    assert reply.entry == "begrip-ketenregie" and reply.text.startswith("Ketenregie")


def test_the_stale_count_follows_the_configured_confirmation_period(runtime, clock):
    """Regression: the label said "ouder dan zes maanden" whatever KETENBOT_CONFIRM_DAYS was."""
    seed_chain(runtime.services, clock)
    shorter = replace(runtime.services, confirm_after=timedelta(days=1))
    clock.advance(timedelta(days=2))
    view = replace(runtime, services=shorter).dashboard_view()
    assert view.social_map.stale_after_days == 1 and view.social_map.stale == view.social_map.partners
    assert "Niet bevestigd in de laatste 1 dag<" in render_dashboard(view)
