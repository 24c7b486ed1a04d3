"""The outbox delivered through a fake Slack on loopback: once each, rate limits waited out, and a
crash with messages in flight settled without sending anything twice."""

from __future__ import annotations

from collections import Counter

import pytest

from adapters.delivery import deliver_due, recover
from adapters.slack.app import build_client
from adapters.slack.sender import SlackSender
from bot.config import Settings
from bot.messages import Reply, to_payload

RECIPIENTS = 300



@pytest.fixture
def sender(runtime, slack_api, fresh_db):
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret="s", slack_api_url=slack_api.api_url)
    return SlackSender(build_client(settings), runtime.addresses)


def queue_broadcast(runtime, count: int = RECIPIENTS) -> int:
    outbox = runtime.outbox
    broadcast = outbox.new_broadcast("Mijlpaal", "slack:UREGISSEUR")
    message = to_payload(Reply(text="Mijlpaal bereikt!", intent="celebrate"))
    outbox.enqueue([(f"broadcast:{broadcast}:slack:U{n}", f"slack:U{n}", message) for n in range(count)], broadcast_id=broadcast)
    return broadcast


async def deliver_all(runtime, sender) -> None:
    while await deliver_due(runtime.outbox, [sender]):
        pass


async def test_broadcast_reaches_every_recipient_exactly_once(runtime, sender, slack_api):
    broadcast = queue_broadcast(runtime)
    assert runtime.outbox.enqueue([(f"broadcast:{broadcast}:slack:U1", "slack:U1", {"text": "nog eens"})]) == 0
    slack_api.fail_next("chat.postMessage", 3, retry_after=1)
    await deliver_all(runtime, sender)
    counts = Counter(slack_api.delivered_to())
    assert len(counts) == RECIPIENTS and set(counts.values()) == {1}
    assert len(slack_api.of("chat.postMessage:429")) == 3
    assert runtime.outbox.progress(broadcast) == {"pending": 0, "sending": 0, "sent": RECIPIENTS, "failed": 0}
    first = slack_api.of("chat.postMessage")[0].body
    assert first["metadata"]["event_payload"]["key"].startswith(f"broadcast:{broadcast}:slack:U")


async def test_messages_in_flight_at_a_crash_are_not_sent_twice(runtime, sender, slack_api):
    queue_broadcast(runtime, 20)
    in_flight = runtime.outbox.claim(("slack",), 10)
    for delivery in in_flight[:6]:  # these reached Slack just before the process died
        await sender.send(delivery)
    assert await recover(runtime.outbox, [sender]) == 10
    await deliver_all(runtime, sender)
    counts = Counter(slack_api.delivered_to())
    assert len(counts) == 20 and set(counts.values()) == {1}


async def test_director_hears_the_final_count(runtime, sender, slack_api):
    from adapters.delivery import announce_finished

    broadcast = queue_broadcast(runtime, 5)
    await deliver_all(runtime, sender)
    announce_finished(runtime.outbox, runtime.outbox.open_broadcasts())
    announce_finished(runtime.outbox, runtime.outbox.open_broadcasts())
    await deliver_all(runtime, sender)
    done = [c.body["text"] for c in slack_api.of("chat.postMessage") if c.body["channel"] == "D0UREGISSEUR"]
    assert done == ["Klaar met versturen van 'Mijlpaal': 5 bezorgd, 0 mislukt."]
    assert broadcast not in runtime.outbox.open_broadcasts()


def teams_reference(service_url: str, n: int) -> dict:
    return {
        "activityId": f"act-{n}",
        "user": {"id": f"29:t{n}", "name": f"Teams {n}"},
        "bot": {"id": "28:ketenbot", "name": "ketenbot"},
        "conversation": {"id": f"a:conv-{n}", "conversationType": "personal"},
        "channelId": "msteams",
        "serviceUrl": service_url,
    }


async def test_teams_broadcast_through_the_fake_connector(serve, bf_connector):
    from adapters.server import RUNTIME, SCHEDULER
    from adapters.teams.sender import TeamsSender

    server = await serve()
    runtime = server.app[RUNTIME]
    [teams] = [s for s in server.app[SCHEDULER].senders if isinstance(s, TeamsSender)]
    for n in range(40):
        runtime.addresses.remember(f"teams:29:t{n}", "teams", teams_reference(bf_connector.service_url, n))
    message = to_payload(Reply(text="Mijlpaal bereikt!", intent="celebrate"))
    items = [(f"b:teams:{n}", f"teams:29:t{n}", message) for n in range(40)] + [("b:teams:onbekend", "teams:29:nooit", message)]
    runtime.outbox.enqueue(items)
    bf_connector.fail_next(2, retry_after=0)
    while await deliver_due(runtime.outbox, [teams]):
        pass
    sent = [c.path.split("/")[3] for c in bf_connector.matching("/activities")]
    assert sorted(sent) == sorted(f"a:conv-{n}" for n in range(40))
    assert [c.status for c in bf_connector.calls[:2]] == [429, 429]
    assert bf_connector.activities[0]["text"] == "Mijlpaal bereikt!"
    failed = runtime.db.execute("SELECT identity, error FROM outbox WHERE status = 'failed'").fetchall()
    assert failed == [("teams:29:nooit", "no Teams conversation")]
