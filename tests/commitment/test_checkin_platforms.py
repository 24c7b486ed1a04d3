"""A check-in cycle end to end over real HTTP: scheduled by the director in Slack, sent once to partners
on Slack, Teams and the web chat, answered with buttons and text, reminded once, and reported."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import pytest

from adapters.server import RUNTIME, SCHEDULER
from adapters.web.session import session_id_of
from bot.config import Settings
from bot.social.partner import Partner
from tests.adapters.test_slack import SECRET, click, event, post, signed_headers
from tests.adapters.test_teams import USER_ID, activity
from tests.adapters.test_teams import post as teams_post


@pytest.fixture
async def chain(serve, slack_api, bf_connector, fresh_db):
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                        slack_api_url=slack_api.api_url, directors=frozenset({"slack:UREGISSEUR"}), teams_emulator=True)
    server = await serve(settings)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(server.make_url("/")) as page:
            assert page.status == 200
        token = next(c.value for c in browser.cookie_jar if c.key == "ketenbot_session")
        registry = server.app[RUNTIME].services.partners
        for name, identity in (("Anouk", "slack:UANOUK"), ("Bram", f"teams:{USER_ID}"), ("Carla", f"web:{session_id_of(token)}")):
            registry.save(Partner(name=name, organisation=f"Org {name}", topics=("schulden",), identities=(identity,)), consent_text="ja")
        # Bram has written to ketenbot in Teams before, so there is a conversation to write in.
        assert await teams_post(server, activity(bf_connector.service_url, "hallo")) == 201
        yield server, browser


async def slack_say(server, text: str, event_id: str, user: str) -> None:
    body = event(text, event_id=event_id, channel=f"D{user}", user=user)
    status, _ = await post(server, body, signed_headers(body))
    assert status == 200


async def web_ack(browser, server, ids: list[int]) -> int:
    async with browser.post(server.make_url("/api/inbox/ack"), json={"ids": ids}) as response:
        assert response.status == 200
        return (await response.json())["acknowledged"]


async def web(browser, server, path: str, payload: dict | None = None) -> list[dict]:
    method = browser.post if payload is not None else browser.get
    async with method(server.make_url(path), json=payload) as response:
        assert response.status == 200
        return (await response.json())["replies"]


async def test_cycle_on_three_platforms(chain, slack_api, bf_connector, clock):
    server, browser = chain
    scheduler = server.app[SCHEDULER]
    await slack_say(server, "check-in elke week op maandag om 9:00", "Ev1", "UREGISSEUR")
    [confirmation] = await slack_api.wait_for("chat.postMessage")
    assert "Afgesproken: check-in elke week op maandag om 9:00" in confirmation.body["text"]

    clock.advance(timedelta(days=7))
    await scheduler.round()
    await scheduler.round()
    checkins = [c for c in slack_api.of("chat.postMessage") if c.body["channel"] == "D0UANOUK"]
    assert len(checkins) == 1 and checkins[0].body["text"].startswith("Check-in van de ketenregisseur.")
    buttons = [e["value"] for b in checkins[0].body["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons[:3] == ["checkin:goal:ja", "checkin:goal:twijfel", "checkin:goal:nee"]
    teams_checkins = [a for a in bf_connector.activities if a.get("text", "").startswith("Check-in van de ketenregisseur.")]
    assert len(teams_checkins) == 1
    [web_checkin] = await web(browser, server, "/api/inbox")
    assert web_checkin["text"].startswith("Check-in van de ketenregisseur.")
    assert await web(browser, server, "/api/inbox") == [web_checkin]  # kept until the page acknowledges it
    assert await web_ack(browser, server, [web_checkin["id"]]) == 1
    assert await web(browser, server, "/api/inbox") == []

    # Slack: a button, then text.
    body = click("checkin:goal:ja").replace("U123", "UANOUK").replace("D123", "D0UANOUK")
    status, _ = await post(server, body, signed_headers(body, content_type="application/x-www-form-urlencoded"))
    assert status == 200
    await slack_say(server, "4", "Ev2", "UANOUK")
    await slack_say(server, "we hebben te weinig tijd en capaciteit", "Ev3", "UANOUK")
    answers = await slack_api.wait_for("chat.postMessage", count=5)
    assert answers[-1].body["text"].startswith("Dank je wel voor je check-in!")
    # Teams: text answers.
    for number, text in enumerate(["twijfel", "3", "niets"], start=10):
        assert await teams_post(server, activity(bf_connector.service_url, text, number=number)) == 201
    await bf_connector.wait_for("/activities", count=5)
    assert bf_connector.activities[-1]["text"].startswith("Dank je wel voor je check-in!")
    # The web partner does not answer and is reminded once.
    clock.advance(timedelta(days=3))
    await scheduler.round()
    await scheduler.round()
    [reminder] = await web(browser, server, "/api/inbox")
    assert reminder["text"].startswith("Herinnering: je check-in staat nog open.")
    assert await web_ack(browser, server, [reminder["id"]]) == 1
    clock.advance(timedelta(days=2))
    await scheduler.round()
    assert await web(browser, server, "/api/inbox") == []
    assert [c for c in slack_api.of("chat.postMessage") if c.body["text"].startswith("Herinnering")] == []

    await slack_say(server, "rapport", "Ev4", "UREGISSEUR")
    report = (await slack_api.wait_for("chat.postMessage", count=6))[-1].body["text"]
    assert "2 van 3 (67%), gemiddeld commitment 3,5" in report
    assert "Org Anouk: 4,0" in report
    assert "• we hebben te weinig tijd en capaciteit" in report
