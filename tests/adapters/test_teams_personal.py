"""Personal messages (check-ins, reminders, confirmation prompts) reach a Teams user only in their own 1:1
conversation with ketenbot: started for them when there is none, waiting when it cannot be started, and
never posted in a channel. Driven over real HTTP with activities shaped as Teams sends them."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from adapters.delivery import deliver_due
from adapters.server import RUNTIME, SCHEDULER
from bot.config import Settings
from bot.messages import Reply, to_payload
from bot.social.partner import Partner
from tests.fakes.bf_connector import CONVERSATIONS, FakeConnector
from tests.teams_activities import (
    ANOUK,
    BOT,
    BRAM,
    CHANNEL,
    PERSONAL_ANOUK,
    TEAM,
    TENANT,
    channel_mention,
    installed_in_team,
    installed_personally,
    member_added,
    personal_message,
)

ANOUK_ID, BRAM_ID = f"teams:{ANOUK['id']}", f"teams:{BRAM['id']}"
CHECKIN = "Check-in van de ketenregisseur.\n\n1/3: Staat ons gezamenlijke doel nog voor je?"


@pytest.fixture
def settings(fresh_db) -> Settings:
    # Anouk is the chain director; Bram is a partner on the social map.
    return Settings(db_path=fresh_db, teams_emulator=True, teams_tenants=frozenset({TENANT}),
                    directors=frozenset({ANOUK_ID}))


@pytest.fixture
async def server(serve):
    server = await serve()
    server.app[RUNTIME].services.partners.save(
        Partner(name="Bram Jansen", organisation="Wijkteam Zeist", topics=("wijkteam",), identities=(BRAM_ID,)), consent_text="ja"
    )
    return server


async def post(server, body: dict[str, Any]) -> int:
    async with aiohttp.ClientSession() as session:
        async with session.post(server.make_url("/api/messages"), json=body) as response:
            return response.status


async def say(server, connector: FakeConnector, body: dict[str, Any]) -> dict[str, Any]:
    """Post a message and return the reply the bot sent for it."""
    before = len(connector.activities)
    assert await post(server, body) == 201
    await connector.wait_for("/activities", count=before + 1)
    return connector.activities[before]


def in_a_channel(connector: FakeConnector) -> list[str]:
    return [call.path for call in connector.calls if TEAM in call.path or CHANNEL in call.path]


async def test_a_member_added_by_another_member_gets_their_check_in_in_a_conversation_started_for_them(server, bf_connector):
    """Anna adds Bram to the team. His check-in went to the team channel, addressed to Anna."""
    assert await post(server, member_added(bf_connector.service_url, BRAM, by=ANOUK)) == 201
    assert bf_connector.calls == []  # nobody is greeted in the team's channel
    reply = await say(server, bf_connector, personal_message(bf_connector.service_url, "check-in nu", number=2))
    assert reply["text"] == "De check-in is verstuurd naar 1 ketenpartner."

    [created] = await bf_connector.wait_until(lambda: bf_connector.created, 1, timeout=10)
    assert created["isGroup"] is False
    assert [member["id"] for member in created["members"]] == [BRAM["id"]]
    assert created["bot"]["id"] == BOT["id"]
    assert created["tenantId"] == TENANT and created["channelData"] == {"tenant": {"id": TENANT}}
    calls = await bf_connector.wait_for("/v3/conversations/a:created-1/activities")
    [checkin] = [call.body for call in calls]
    assert checkin["text"].startswith(CHECKIN)
    assert checkin["recipient"]["id"] == BRAM["id"]
    assert checkin["conversation"] == {"conversationType": "personal", "id": "a:created-1", "tenantId": TENANT}
    assert "replyToId" not in checkin
    assert in_a_channel(bf_connector) == []

    # Bram answers in that conversation; the next check-in question follows there, nothing else is started.
    answer = personal_message(bf_connector.service_url, "ja", number=3, sender=BRAM, conversation="a:created-1")
    assert (await say(server, bf_connector, answer))["text"].startswith("2/3")
    assert len(bf_connector.created) == 1
    address = server.app[RUNTIME].addresses.lookup(BRAM_ID)
    assert address["conversation"]["id"] == "a:created-1" and address["user"]["id"] == BRAM["id"]


async def test_a_member_added_by_someone_else_gets_their_own_address_not_the_senders(server, bf_connector):
    assert await post(server, member_added(bf_connector.service_url, BRAM, by=ANOUK)) == 201
    addresses = server.app[RUNTIME].addresses
    bram = addresses.lookup(BRAM_ID)
    assert bram["user"] == {"id": BRAM["id"], "aadObjectId": BRAM["aadObjectId"]}
    assert bram["tenantId"] == TENANT and "conversation" not in bram
    assert addresses.lookup(ANOUK_ID) is None  # Anouk only sent the event; it says nothing about reaching her


async def test_a_mention_in_a_channel_is_never_the_address_for_personal_messages(server, bf_connector):
    # Bram's first words to ketenbot are in a channel: a check-in still goes to a 1:1 conversation.
    mention = channel_mention(bf_connector.service_url, "wat is ketenregie?", sender=BRAM)
    await say(server, bf_connector, mention)
    outbox = server.app[RUNTIME].outbox
    outbox.enqueue([("herinnering:1", BRAM_ID, to_payload(Reply(text="Kloppen je gegevens nog?", intent="register")))])
    [call] = await bf_connector.wait_for("/v3/conversations/a:created-1/activities")
    assert call.body["text"] == "Kloppen je gegevens nog?"
    # His personal conversation stays his address when he mentions ketenbot in a channel again.
    await say(server, bf_connector, channel_mention(bf_connector.service_url, "wat is een knelpunt?", number=2, sender=BRAM))
    outbox.enqueue([("herinnering:2", BRAM_ID, to_payload(Reply(text="Nog een vraag.", intent="register")))])
    calls = await bf_connector.wait_for("/v3/conversations/a:created-1/activities", count=2)
    assert calls[-1].body["text"] == "Nog een vraag."
    assert len(bf_connector.created) == 1
    in_channel = [call.body["text"] for call in bf_connector.matching(CHANNEL)]
    assert len(in_channel) == 2 and not {"Kloppen je gegevens nog?", "Nog een vraag."} & set(in_channel)


async def test_when_no_personal_conversation_can_be_started_the_check_in_waits_and_the_director_hears_it(server, bf_connector):
    runtime = server.app[RUNTIME]
    scheduler = server.app[SCHEDULER]
    await scheduler.stop()  # delivered step by step below
    assert await post(server, member_added(bf_connector.service_url, BRAM, by=ANOUK)) == 201
    bf_connector.refuse_conversations(403)  # the app is not installed for Bram
    await say(server, bf_connector, personal_message(bf_connector.service_url, "check-in nu", number=2))
    await deliver_due(runtime.outbox, scheduler.senders)
    assert [call.status for call in bf_connector.calls if call.path == CONVERSATIONS] == [403]
    assert runtime.db.execute("SELECT status FROM outbox WHERE identity = ?", (BRAM_ID,)).fetchall() == [("waiting",)]
    progress = await say(server, bf_connector, personal_message(bf_connector.service_url, "voortgang", number=3))
    assert "Bij 1 ketenpartner wacht het bericht nog: ketenbot kan daar (nog) geen persoonlijk gesprek beginnen." in progress["text"]

    # Bram installs ketenbot himself and writes to it: the check-in follows in his personal chat.
    bf_connector.refuse_conversations(None)
    await say(server, bf_connector, personal_message(bf_connector.service_url, "wat is ketenregie?", number=4, sender=BRAM,
                                                     conversation="a:1personal-bram"))
    await deliver_due(runtime.outbox, scheduler.senders)
    [checkin] = [a for a in bf_connector.activities if a["text"].startswith(CHECKIN)]
    assert checkin["conversation"]["id"] == "a:1personal-bram" and checkin["recipient"]["id"] == BRAM["id"]
    assert bf_connector.created == [] and in_a_channel(bf_connector) == []


async def test_an_address_an_older_version_stored_with_the_team_channel_is_not_used(server, bf_connector):
    """What older versions stored for Bram after Anna added him: Anna as the user, the team as the conversation."""
    runtime = server.app[RUNTIME]
    runtime.addresses.remember(BRAM_ID, "teams", {
        "user": {"id": ANOUK["id"]}, "bot": BOT, "channelId": "msteams", "serviceUrl": bf_connector.service_url,
        "conversation": {"id": TEAM, "conversationType": "channel", "isGroup": True},
    })
    await server.app[SCHEDULER].stop()  # delivered below
    runtime.outbox.enqueue([("checkin:oud", BRAM_ID, to_payload(Reply(text="Hoe gaat het?", intent="checkin")))])
    await deliver_due(runtime.outbox, server.app[SCHEDULER].senders)
    assert in_a_channel(bf_connector) == [] and bf_connector.activities == []
    # Without the tenant nothing can be started either: it waits for Bram's own activity.
    assert runtime.db.execute("SELECT status FROM outbox WHERE identity = ?", (BRAM_ID,)).fetchone() == ("waiting",)


async def test_installing_ketenbot_in_a_team_greets_the_team_and_configured_channels_get_celebrations(serve, bf_connector, fresh_db):
    custom = Settings(db_path=fresh_db, teams_emulator=True, teams_tenants=frozenset({TENANT}),
                      broadcast_channels=(f"teams:{TEAM}",))
    server = await serve(custom)
    runtime = server.app[RUNTIME]
    await server.app[SCHEDULER].stop()
    assert await post(server, installed_in_team(bf_connector.service_url, by=ANOUK)) == 201
    [welcome] = bf_connector.activities
    assert welcome["text"].startswith("Hoi! Ik ben ketenbot") and welcome["conversation"]["id"] == TEAM
    # A celebration to the configured channel and to Anouk, who installed ketenbot there.
    message = to_payload(Reply(text="Mijlpaal bereikt: 100 gezinnen!", intent="celebrate"))
    broadcast = runtime.outbox.new_broadcast("100 gezinnen", ANOUK_ID)
    runtime.outbox.enqueue([(f"b:{TEAM}", f"teams:{TEAM}", message), ("b:anouk", ANOUK_ID, message)], broadcast_id=broadcast)
    await deliver_due(runtime.outbox, server.app[SCHEDULER].senders)
    posts = {call.path: call.body for call in bf_connector.matching("/activities")[1:]}
    assert set(posts) == {f"/v3/conversations/{TEAM}/activities", "/v3/conversations/a:created-1/activities"}
    assert posts[f"/v3/conversations/{TEAM}/activities"]["conversation"]["tenantId"] == TENANT
    assert posts["/v3/conversations/a:created-1/activities"]["recipient"]["id"] == ANOUK["id"]
    assert runtime.outbox.progress(broadcast)["sent"] == 2


async def test_installing_ketenbot_personally_greets_there_and_makes_that_the_address(server, bf_connector):
    assert await post(server, installed_personally(bf_connector.service_url, by=ANOUK)) == 201
    [welcome] = bf_connector.activities
    assert welcome["conversation"]["id"] == PERSONAL_ANOUK and welcome["conversation"]["tenantId"] == TENANT
    server.app[RUNTIME].outbox.enqueue([("p:1", ANOUK_ID, to_payload(Reply(text="Een bericht voor jou.", intent="checkin")))])
    call = (await bf_connector.wait_for(f"/v3/conversations/{PERSONAL_ANOUK}/activities", count=2))[-1]
    assert call.body["text"] == "Een bericht voor jou." and bf_connector.created == []
