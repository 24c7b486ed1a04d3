"""👍/👎 under every answer on Slack (buttons, the real Slack adapter against the fake Slack Web API) and on Teams
(Adaptive Card actions through the fake Bot Framework connector), both over HTTP on loopback. The web chat's are
tested in the browser (tests/adapters/test_web_chat_browser.py)."""

from __future__ import annotations

import json

from adapters.server import RUNTIME
from bot.config import Settings
from tests.adapters import test_teams as teams
from tests.adapters.test_slack import SECRET, click, event, post, signed_headers

QUESTION = "wat doet de ketenregisseur?"


def buttons(blocks: list[dict]) -> dict[str, str]:
    return {e["text"]["text"]: e["value"] for b in blocks if b["type"] == "actions" for e in b["elements"]}


async def test_slack_answer_has_thumbs_and_thumbs_down_keeps_the_question(serve, slack_api, fresh_db):
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack_api.api_url)
    server = await serve(settings)
    body = event(QUESTION)
    assert (await post(server, body, signed_headers(body)))[0] == 200
    [answer] = await slack_api.wait_for("chat.postMessage")
    assert "Had je hier iets aan?" in answer.body["text"]
    offered = buttons(answer.body["blocks"])
    assert offered["👍"] == "feedback:up:rol-ketenregisseur"
    assert offered["👎"] == "feedback:down:rol-ketenregisseur"

    body = click(offered["👎"], action_id="ketenbot_option_9")
    assert (await post(server, body, signed_headers(body, content_type="application/x-www-form-urlencoded")))[0] == 200
    _, reply = await slack_api.wait_for("chat.postMessage", count=2)
    assert reply.body["text"].startswith("Jammer. Dank je voor het laten weten")
    assert all(value.startswith("entry:") for value in buttons(reply.body["blocks"]).values())
    [kept] = server.app[RUNTIME].services.gaps.kept()
    assert (kept.question, kept.reason, kept.guess) == (QUESTION, "unhelpful", "rol-ketenregisseur")


async def test_teams_answer_has_thumbs_as_card_actions_and_thumbs_up_thanks(serve, bf_connector, fresh_db):
    server = await serve(Settings(db_path=fresh_db, teams_emulator=True, teams_tenants=frozenset({teams.TENANT})))
    sent = await teams.say(server, bf_connector, teams.activity(bf_connector.service_url, QUESTION))
    assert "Had je hier iets aan?" in sent["text"]
    actions = {action["title"]: action["data"] for action in teams.card_of(sent)["actions"]}
    assert actions["👍"] == {"value": "feedback:up:rol-ketenregisseur"}

    thanked = await teams.say(server, bf_connector, teams.activity(bf_connector.service_url, value=actions["👍"], number=2))
    assert thanked["text"] == "Fijn, dank je wel!"
    assert server.app[RUNTIME].services.gaps.kept() == []

    sorry = await teams.say(server, bf_connector, teams.activity(bf_connector.service_url, value=actions["👎"], number=3))
    assert sorry["text"].startswith("Jammer.")
    [kept] = server.app[RUNTIME].services.gaps.kept()
    assert (kept.reason, kept.guess) == ("unhelpful", "rol-ketenregisseur")
    assert json.dumps(teams.card_of(sorry)).count("entry:") >= 1
