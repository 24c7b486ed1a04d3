"""Slack end to end: signed requests to `ketenbot serve`, Web API calls to a fake Slack on loopback."""

from __future__ import annotations

import json
import sqlite3
import time
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_sdk.signature import SignatureVerifier

from adapters.slack.render import render_blocks
from bot.config import Settings
from bot.messages import Card, Option, Reply
from tests.slack_payloads import action_payload, command_payload, event_payload, submission_payload

SECRET = "geheim-ondertekengeheim"



@pytest.fixture
async def slack_server(serve, slack_api, fresh_db):
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack_api.api_url)
    return await serve(settings)


def signed_headers(body: str, *, secret: str = SECRET, age: int = 0, content_type: str = "application/json") -> dict[str, str]:
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature, "Content-Type": content_type}


async def post(server, body: str, headers: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.post(server.make_url("/slack/events"), data=body, headers=headers) as response:
        return response.status, await response.text()


def event(text: str, *, kind: str = "message", event_id: str = "Ev1", channel: str = "D123", user: str = "U123") -> str:
    return json.dumps(event_payload(text, kind=kind, event_id=event_id, channel=channel, user=user))


async def test_url_verification(slack_server):
    body = json.dumps({"type": "url_verification", "challenge": "uitdaging", "token": "x"})
    status, text = await post(slack_server, body, signed_headers(body))
    assert status == 200
    assert "uitdaging" in text


async def test_direct_message_is_answered(slack_server, slack_api, knowledge):
    body = event("wat is ketenregie?")
    status, _ = await post(slack_server, body, signed_headers(body))
    assert status == 200
    [call] = await slack_api.wait_for("chat.postMessage")
    assert call.body["channel"] == "D123"
    assert knowledge.get("begrip-ketenregie").summary in call.body["text"]
    assert call.body["blocks"][0]["type"] == "section"
    assert call.headers["Authorization"] == "Bearer xoxb-test"


async def test_mention_is_answered_in_a_thread(slack_server, slack_api):
    body = event("<@UKETENBOT> we vertrouwen elkaar niet", kind="app_mention", channel="C999", event_id="Ev2")
    status, _ = await post(slack_server, body, signed_headers(body))
    assert status == 200
    [call] = await slack_api.wait_for("chat.postMessage")
    assert call.body["channel"] == "C999"
    assert call.body["thread_ts"] == "1700000000.000100"
    assert "Ketenpartners vertrouwen elkaar niet" in call.body["text"]


async def test_retried_event_is_answered_once(slack_server, slack_api):
    body = event("wat is een convenant", event_id="Ev3")
    await post(slack_server, body, signed_headers(body))
    await slack_api.wait_for("chat.postMessage")
    retry_headers = {**signed_headers(body), "X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    status, _ = await post(slack_server, body, retry_headers)
    assert status == 200
    other = event("wat is borging", event_id="Ev4")
    await post(slack_server, other, signed_headers(other))
    calls = await slack_api.wait_for("chat.postMessage", count=2)
    assert [("convenant" in c.body["text"].lower(), "borging" in c.body["text"].lower()) for c in calls] == [(True, False), (False, True)]


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Slack-Signature": "v0=deadbeef", "X-Slack-Request-Timestamp": str(int(time.time())), "Content-Type": "application/json"},
        "stale",
        "missing",
        "wrong-secret",
    ],
)
async def test_bad_stale_or_missing_signature_is_401(slack_server, slack_api, headers):
    body = event("wat is ketenregie", event_id="Ev5")
    if headers == "stale":
        headers = signed_headers(body, age=6 * 60)
    elif headers == "missing":
        headers = {"Content-Type": "application/json"}
    elif headers == "wrong-secret":
        headers = signed_headers(body, secret="iets-anders")
    status, _ = await post(slack_server, body, headers)
    assert status == 401
    assert slack_api.of("chat.postMessage") == []


async def test_slash_command_is_answered(slack_server, slack_api, knowledge):
    form = urlencode(command_payload("wat is een warme overdracht", slack_api.url("/respond/1")))
    status, _ = await post(slack_server, form, signed_headers(form, content_type="application/x-www-form-urlencoded"))
    assert status == 200
    [call] = await slack_api.wait_for("response_url")
    assert knowledge.get("begrip-warme-overdracht").summary in call.body["text"]


def click(value: str, action_id: str = "ketenbot_option_0") -> str:
    return urlencode({"payload": json.dumps(action_payload(value, action_id))})


async def test_button_click_is_answered(slack_server, slack_api, knowledge):
    body = click("entry:begrip-keten")
    status, _ = await post(slack_server, body, signed_headers(body, content_type="application/x-www-form-urlencoded"))
    assert status == 200
    [call] = await slack_api.wait_for("chat.postMessage")
    assert knowledge.get("begrip-keten").summary in call.body["text"]


async def test_rate_limit_is_waited_out(slack_server, slack_api):
    slack_api.fail_next("chat.postMessage", 1, retry_after=1)
    body = event("wat is een convenant", event_id="Ev6")
    await post(slack_server, body, signed_headers(body))
    [call] = await slack_api.wait_for("chat.postMessage")
    assert [c.method for c in slack_api.calls if c.method.startswith("chat.postMessage")] == ["chat.postMessage:429", "chat.postMessage"]
    assert "convenant" in call.body["text"].lower()


def submission(values: dict[str, str], consent: bool) -> str:
    return urlencode({"payload": json.dumps(submission_payload(values, consent))})


FORM = {"name": "Anouk de Vries", "organisation": "Schuldhulp Zeist", "role": "schuldhulpverlener",
        "topics": "schulden; budgetcoaching", "region": "Zeist", "email": "anouk@voorbeeld.nl", "phone": "0612345678"}


async def test_registration_as_a_modal(slack_server, slack_api, fresh_db):
    body = event("aanmelden", event_id="Ev7")
    await post(slack_server, body, signed_headers(body))
    [message] = await slack_api.wait_for("chat.postMessage")
    form_button = message.body["blocks"][-1]["elements"][-1]
    assert form_button["action_id"] == "ketenbot_register_form"
    body = click("form", action_id="ketenbot_register_form")
    await post(slack_server, body, signed_headers(body, content_type="application/x-www-form-urlencoded"))
    [opened] = await slack_api.wait_for("views.open")
    assert opened.body["trigger_id"] == "trigger-1"
    assert opened.body["view"]["callback_id"] == "ketenbot_register"

    bad = submission({**FORM, "email": "geen-email"}, consent=False)
    status, text = await post(slack_server, bad, signed_headers(bad, content_type="application/x-www-form-urlencoded"))
    answer = json.loads(text)
    assert status == 200 and answer["response_action"] == "errors"
    assert answer["errors"]["email"].startswith("Dat is geen geldig e-mailadres")
    assert "toestemming" in answer["errors"]["consent"]
    assert sqlite3.connect(fresh_db).execute("SELECT COUNT(*) FROM partners").fetchone() == (0,)

    good = submission(FORM, consent=True)
    status, text = await post(slack_server, good, signed_headers(good, content_type="application/x-www-form-urlencoded"))
    assert status == 200 and "errors" not in text
    rows = sqlite3.connect(fresh_db).execute("SELECT name, phone, consent_text FROM partners").fetchall()
    assert rows[0][:2] == ("Anouk de Vries", "06-12345678") and rows[0][2].startswith("Ik geef toestemming")
    identity = sqlite3.connect(fresh_db).execute("SELECT identity FROM identities").fetchone()
    assert identity == ("slack:U123",)
    confirmation = await slack_api.wait_for("chat.postMessage", count=2)
    assert "Je staat nu op de sociale kaart" in confirmation[-1].body["text"]


def test_block_kit_rendering_is_stable():
    reply = Reply(
        text="Knelpunt 3: <vertrouwen> & meer",
        options=(Option("Eerste oplossing", "entry:knelpunt-3.oplossing-1"), Option("Meer", "more", numbered=False)),
        card=Card(title="Knelpunt 3", footer="Bron: HU"),
        intent="knowledge",
    )
    assert render_blocks(reply) == [
        {"type": "section", "text": {"type": "plain_text", "text": "Knelpunt 3: &lt;vertrouwen&gt; &amp; meer", "emoji": True}},
        {"type": "context", "elements": [{"type": "plain_text", "text": "Bron: HU", "emoji": True}]},
        {"type": "actions", "elements": [
            {"type": "button", "action_id": "ketenbot_option_0", "text": {"type": "plain_text", "text": "1. Eerste oplossing", "emoji": True},
             "value": "entry:knelpunt-3.oplossing-1"},
            {"type": "button", "action_id": "ketenbot_option_1", "text": {"type": "plain_text", "text": "Meer", "emoji": True}, "value": "more"},
        ]},
    ]


def test_manifest_subscribes_to_what_the_app_handles():
    from pathlib import Path

    manifest = json.loads((Path(__file__).resolve().parents[2] / "adapters" / "slack" / "manifest.json").read_text())
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert manifest["features"]["slash_commands"][0]["command"] == "/keten"
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert {"chat:write", "commands", "im:history", "app_mentions:read"} <= set(manifest["oauth_config"]["scopes"]["bot"])


async def test_unreadable_requests_get_401_or_400_not_500(slack_server, slack_api):
    body = event("wat is ketenregie", event_id="Ev9")
    status, _ = await post(slack_server, body, {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00",
                                                "Content-Type": "application/json"})
    assert status == 401
    for raw, content_type in [("geen json", "application/json"), ("[1]", "application/json"),
                              ("payload=geenjson", "application/x-www-form-urlencoded")]:
        status, text = await post(slack_server, raw, signed_headers(raw, content_type=content_type))
        assert status == 400, raw
        assert text == "Dit Slack-verzoek kon niet worden gelezen."
    assert slack_api.of("chat.postMessage") == []


@pytest.mark.parametrize("timestamp", ["9" * 400, "²", "0" * 5000, "١٢٣", "-1", "1e9"])
async def test_unsigned_request_with_an_odd_timestamp_is_401_not_500(slack_server, slack_api, timestamp):
    """Regression: a timestamp header of 400 nines, '²' or 5 000 zeros got a 500 instead of 401."""
    body = event("wat is ketenregie", event_id="Ev10")
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=00", "Content-Type": "application/json"}
    status, text = await post(slack_server, body, headers)
    assert (status, text) == (401, "Ontbrekende of ongeldige Slack-handtekening.")
    assert slack_api.of("chat.postMessage") == []
