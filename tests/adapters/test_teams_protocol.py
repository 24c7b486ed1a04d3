"""The Bot Framework protocol as Microsoft's own clients use it, driven with activities shaped as Teams sends
them (tests/teams_activities.py). Every body that reaches the fake connector is checked against Microsoft's
microsoft-agents-activity models (tests/fakes/bf_connector.py)."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest
from microsoft_agents.activity import ExpectedReplies

from adapters.server import RUNTIME
from bot.config import Settings
from bot.messages import Reply, to_payload
from tests.teams_activities import (
    ANOUK,
    BOT,
    CHANNEL,
    PERSONAL_ANOUK,
    TENANT,
    card_submit,
    channel_mention,
    personal_message,
)


@pytest.fixture
def settings(fresh_db) -> Settings:
    return Settings(db_path=fresh_db, teams_emulator=True, teams_tenants=frozenset({TENANT}))


async def send(server, body: Any) -> aiohttp.ClientResponse:
    async with aiohttp.ClientSession() as session:
        async with session.post(server.make_url("/api/messages"), json=body) as response:
            await response.read()
            return response


async def test_a_personal_reply_answers_the_message_and_keeps_the_tenant(serve, bf_connector, knowledge):
    server = await serve()
    body = personal_message(bf_connector.service_url, "wat is ketenregie?", number=7)
    assert (await send(server, body)).status == 201
    [call] = await bf_connector.wait_for("/activities")
    assert call.path == f"/v3/conversations/{PERSONAL_ANOUK}/activities/{body['id']}"
    assert call.body["replyToId"] == body["id"]
    assert call.body["conversation"] == {"conversationType": "personal", "id": PERSONAL_ANOUK, "tenantId": TENANT}
    assert call.body["recipient"]["id"] == ANOUK["id"] and call.body["from"]["id"] == BOT["id"]
    assert knowledge.get("begrip-ketenregie").summary in call.body["text"]


async def test_a_channel_reply_goes_to_the_thread_with_the_tenant(serve, bf_connector, knowledge):
    server = await serve()
    body = channel_mention(bf_connector.service_url, "wat is ketenregie?", number=3)
    assert (await send(server, body)).status == 201
    [call] = await bf_connector.wait_for("/activities")
    assert call.body["conversation"]["id"] == f"{CHANNEL};messageid={body['id']}"
    assert call.body["conversation"]["tenantId"] == TENANT
    assert knowledge.get("begrip-ketenregie").summary in call.body["text"]


async def test_expect_replies_returns_the_replies_and_posts_nothing(serve, bf_connector, knowledge):
    server = await serve()
    body = {**personal_message(bf_connector.service_url, "wat is ketenregie?"), "deliveryMode": "expectReplies"}
    async with aiohttp.ClientSession() as session:
        async with session.post(server.make_url("/api/messages"), json=body) as response:
            assert response.status == 200
            answer = await response.json()
    replies = ExpectedReplies.model_validate(answer).activities
    assert len(replies) == 1
    assert knowledge.get("begrip-ketenregie").summary in replies[0].text
    assert answer["activities"][0]["conversation"]["tenantId"] == TENANT
    assert answer["activities"][0]["replyToId"] == body["id"]
    assert bf_connector.calls == []
    # The turn counted: the follow-up "meer" continues the topic it opened.
    more = {**personal_message(bf_connector.service_url, "meer", number=2), "deliveryMode": "expectReplies"}
    async with aiohttp.ClientSession() as session:
        async with session.post(server.make_url("/api/messages"), json=more) as response:
            [reply] = (await response.json())["activities"]
    assert reply["text"] != replies[0].text and bf_connector.calls == []


async def test_a_card_submit_is_answered_in_the_same_conversation(serve, bf_connector, knowledge):
    server = await serve()
    assert (await send(server, personal_message(bf_connector.service_url, "help"))).status == 201
    [card_call] = await bf_connector.wait_for("/activities")
    (attachment,) = card_call.body["attachments"]
    [button] = [a for a in attachment["content"]["actions"] if a["title"] == "Wat is ketenregie?"]
    click = card_submit(bf_connector.service_url, button["data"], number=2, reply_to="activity-1")
    assert (await send(server, click)).status == 201
    calls = await bf_connector.wait_for("/activities", count=2)
    answer = calls[-1].body
    assert knowledge.get("begrip-ketenregie").summary in answer["text"]
    assert answer["conversation"]["id"] == PERSONAL_ANOUK and answer["conversation"]["tenantId"] == TENANT
    assert answer["replyToId"] == click["id"]


@pytest.mark.parametrize("missing", ["conversation", "from", "serviceUrl"])
async def test_an_activity_without_conversation_or_sender_is_a_bad_request(serve, bf_connector, caplog, missing):
    server = await serve()
    body = personal_message(bf_connector.service_url, "wat is ketenregie?")
    del body[missing]
    with caplog.at_level(logging.INFO):
        response = await send(server, body)
    assert response.status == 400
    assert bf_connector.calls == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_a_proactive_message_is_a_new_activity_with_the_tenant(serve, bf_connector):
    server = await serve()
    assert (await send(server, personal_message(bf_connector.service_url, "hallo"))).status == 201
    await bf_connector.wait_for("/activities")
    outbox = server.app[RUNTIME].outbox
    outbox.enqueue([("proactief:1", f"teams:{ANOUK['id']}", to_payload(Reply(text="Mijlpaal bereikt!", intent="celebrate")))])
    calls = await bf_connector.wait_for("/activities", count=2)
    proactive = calls[-1]
    assert proactive.path == f"/v3/conversations/{PERSONAL_ANOUK}/activities"
    assert "replyToId" not in proactive.body
    assert proactive.body["text"] == "Mijlpaal bereikt!"
    assert proactive.body["conversation"]["tenantId"] == TENANT
    assert proactive.body["recipient"]["id"] == ANOUK["id"]
