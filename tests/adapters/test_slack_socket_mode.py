"""Slack over Socket Mode: `ketenbot serve` opens a websocket to the fake Slack on loopback (the URL
comes from apps.connections.open), acknowledges every envelope and answers through the Web API."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time

import aiohttp
import pytest

from bot.config import Settings
from tests.adapters.test_slack import FORM, SECRET, post, signed_headers
from tests.slack_payloads import action_payload, command_payload, event_payload, submission_payload

APP_TOKEN = "xapp-1-test"


@pytest.fixture
async def socket_server(serve, slack_api, fresh_db):
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_app_token=APP_TOKEN, slack_api_url=slack_api.api_url)
    return await serve(settings)


async def health(server) -> dict:
    async with aiohttp.ClientSession() as session, session.get(server.make_url("/healthz")) as response:
        return await response.json()


async def test_connects_with_the_app_token_and_answers_a_direct_message(socket_server, slack_api, knowledge):
    [opened] = await slack_api.wait_for("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {APP_TOKEN}"
    await slack_api.send_envelope("events_api", event_payload("wat is ketenregie?"), "env-1")
    [call] = await slack_api.wait_for("chat.postMessage")
    assert call.body["channel"] == "D123"
    assert knowledge.get("begrip-ketenregie").summary in call.body["text"]
    assert call.headers["Authorization"] == "Bearer xoxb-test"
    assert (await slack_api.ack("env-1"))["envelope_id"] == "env-1"
    assert (await health(socket_server))["slack_socket"] == "connected"


async def test_a_redelivered_envelope_is_answered_once(socket_server, slack_api):
    payload = event_payload("wat is een convenant", event_id="EvS1")
    await slack_api.send_envelope("events_api", payload, "env-1")
    await slack_api.wait_for("chat.postMessage")
    await slack_api.send_envelope("events_api", payload, "env-2", retry_attempt=1)
    await slack_api.send_envelope("events_api", event_payload("wat is borging", event_id="EvS2"), "env-3")
    await slack_api.wait_for("chat.postMessage", count=2)
    for envelope in ("env-1", "env-2", "env-3"):
        await slack_api.ack(envelope)
    assert [("convenant" in c.body["text"].lower(), "borging" in c.body["text"].lower()) for c in slack_api.of("chat.postMessage")] == [
        (True, False), (False, True)]


async def test_button_and_slash_command_over_the_socket(socket_server, slack_api, knowledge):
    await slack_api.send_envelope("interactive", action_payload("entry:begrip-keten"), "env-b")
    [call] = await slack_api.wait_for("chat.postMessage")
    assert knowledge.get("begrip-keten").summary in call.body["text"]
    await slack_api.send_envelope("slash_commands", command_payload("wat is een warme overdracht", slack_api.url("/respond/1")), "env-c")
    [response] = await slack_api.wait_for("response_url")
    assert knowledge.get("begrip-warme-overdracht").summary in response.body["text"]
    assert [(await slack_api.ack(e))["envelope_id"] for e in ("env-b", "env-c")] == ["env-b", "env-c"]


async def test_form_errors_travel_back_in_the_acknowledgement(socket_server, slack_api, fresh_db):
    await slack_api.send_envelope("interactive", submission_payload({**FORM, "email": "geen-email"}, consent=True), "env-f")
    answer = (await slack_api.ack("env-f"))["payload"]
    assert answer["response_action"] == "errors"
    assert answer["errors"]["email"].startswith("Dat is geen geldig e-mailadres")
    assert sqlite3.connect(fresh_db).execute("SELECT COUNT(*) FROM partners").fetchone() == (0,)


async def test_unsigned_http_requests_are_refused_in_socket_mode(socket_server, slack_api):
    await slack_api.wait_for("socket")
    body = json.dumps(event_payload("wat is ketenregie", event_id="EvS3"))
    status, _ = await post(socket_server, body, {"Content-Type": "application/json"})
    assert status == 401
    # Signed with an empty key: must not pass for a valid signature when no secret is set.
    timestamp = str(int(time.time()))
    digest = hmac.new(b"", f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    forged = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}", "Content-Type": "application/json"}
    status, _ = await post(socket_server, body, forged)
    assert status == 401
    assert slack_api.of("chat.postMessage") == []


async def test_with_a_signing_secret_http_still_takes_signed_requests(serve, slack_api, fresh_db):
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_app_token=APP_TOKEN,
                        slack_signing_secret=SECRET, slack_api_url=slack_api.api_url)
    server = await serve(settings)
    body = json.dumps(event_payload("wat is borging", event_id="EvS4"))
    assert (await post(server, body, {"Content-Type": "application/json"}))[0] == 401
    assert (await post(server, body, signed_headers(body)))[0] == 200
    [call] = await slack_api.wait_for("chat.postMessage")
    assert "borging" in call.body["text"].lower()


async def test_serving_starts_while_slack_cannot_be_reached(serve, fresh_db, unused_tcp_port):
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_app_token=APP_TOKEN,
                        slack_api_url=f"http://127.0.0.1:{unused_tcp_port}/api/")
    server = await serve(settings)
    status = await health(server)
    assert status["status"] == "ok"
    assert status["slack_socket"] == "connecting"
    async with aiohttp.ClientSession() as session:
        async with session.post(server.make_url("/api/chat"), json={"text": "wat is ketenregie?"}) as response:
            assert response.status == 200
