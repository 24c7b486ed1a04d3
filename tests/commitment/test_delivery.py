"""The outbox delivered through a fake Slack and a fake Bot Framework connector on loopback: once each,
rate limits waited out, and a message in doubt (a crash or a 5xx during the call) settled without
sending it twice where the platform can tell, and with a note where it cannot."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from adapters.delivery import DOUBT_NOTE, deliver_due, recover
from adapters.slack.app import build_client
from adapters.slack.sender import SlackSender
from bot.messages import Reply, to_payload

pytestmark = pytest.mark.both_databases

RECIPIENTS = 300



@pytest.fixture
def sender(runtime, slack_api, settings):
    settings = replace(settings, slack_bot_token="xoxb-test", slack_signing_secret="s", slack_api_url=slack_api.api_url)
    return SlackSender(build_client(settings, retries=False), runtime.addresses)


def queue_broadcast(runtime, count: int = RECIPIENTS) -> int:
    outbox = runtime.outbox
    broadcast = outbox.new_broadcast("Mijlpaal", "slack:UREGISSEUR")
    message = to_payload(Reply(text="Mijlpaal bereikt!", intent="celebrate"))
    outbox.enqueue([(f"broadcast:{broadcast}:slack:U{n}", f"slack:U{n}", message) for n in range(count)], broadcast_id=broadcast)
    return broadcast


async def deliver_all(runtime, *senders) -> None:
    """Deliver until nothing is waiting; the injected clock jumps to the end of each wait."""
    outbox = runtime.outbox
    while await deliver_due(outbox, list(senders)) or outbox.next_due() is not None:
        due = outbox.next_due()
        if due is not None and due > runtime.services.clock.now():
            runtime.services.clock.advance(due - runtime.services.clock.now())


async def test_broadcast_reaches_every_recipient_exactly_once(runtime, sender, slack_api):
    broadcast = queue_broadcast(runtime)
    assert runtime.outbox.enqueue([(f"broadcast:{broadcast}:slack:U1", "slack:U1", {"text": "nog eens"})]) == 0
    slack_api.fail_next("chat.postMessage", 3, retry_after=1)
    await deliver_all(runtime, sender)
    counts = Counter(slack_api.delivered_to())
    assert len(counts) == RECIPIENTS and set(counts.values()) == {1}
    assert len(slack_api.of("chat.postMessage:429")) == 3
    assert runtime.outbox.progress(broadcast) == {"pending": 0, "sending": 0, "sent": RECIPIENTS, "failed": 0, "waiting": 0}
    first = slack_api.of("chat.postMessage")[0].body
    assert first["metadata"]["event_payload"]["key"].startswith(f"broadcast:{broadcast}:slack:U")


async def test_messages_in_flight_at_a_crash_are_not_sent_twice(runtime, sender, slack_api):
    outbox = runtime.outbox
    queue_broadcast(runtime, 20)
    claimed = outbox.claim(("slack",), 10)
    for delivery in claimed[:6]:  # sent, but the process died before it could note that
        outbox.attempting(delivery.id)
        await sender.send(delivery)
    outbox.attempting(claimed[6].id)  # died just before the request went out
    assert recover(outbox) == 10
    await deliver_all(runtime, sender)
    counts = Counter(slack_api.delivered_to())
    assert len(counts) == 20 and set(counts.values()) == {1}
    # Only the seven in doubt were looked up; the three claimed but never tried were simply sent.
    assert len(slack_api.of("conversations.history")) == 7


async def test_a_slack_5xx_after_the_message_arrived_does_not_post_it_twice(runtime, sender, slack_api):
    broadcast = queue_broadcast(runtime, 5)
    slack_api.accept_then_fail_next("chat.postMessage", 2)
    await deliver_all(runtime, sender)
    counts = Counter(slack_api.delivered_to())
    assert len(counts) == 5 and set(counts.values()) == {1}
    assert runtime.outbox.progress(broadcast)["sent"] == 5
    assert runtime.outbox.maybe_twice(broadcast) == 0


@pytest.mark.parametrize(("status", "error"), [(200, "missing_scope"), (405, "Method Not Allowed")])
async def test_an_in_doubt_slack_message_whose_lookup_fails_three_times_is_resent_with_the_note(
    runtime, sender, slack_api, caplog, status, error
):
    """Before: a failing conversations.history kept the message in doubt forever, retried every round."""
    broadcast = queue_broadcast(runtime, 1)
    [delivery] = runtime.outbox.claim(("slack",), 10)
    runtime.outbox.attempting(delivery.id)  # the process died during the call
    recover(runtime.outbox)
    slack_api.refuse_next("conversations.history", 10, status=status, error=error)
    await deliver_all(runtime, sender)
    assert len(slack_api.of(f"conversations.history:{error}")) == 3
    [post] = slack_api.of("chat.postMessage")
    assert post.body["text"].endswith(DOUBT_NOTE)
    assert runtime.outbox.progress(broadcast)["sent"] == 1
    assert runtime.outbox.maybe_twice(broadcast) == 1
    why = [r.getMessage() for r in caplog.records if "could not ask slack whether it arrived" in r.getMessage()]
    assert len(why) == 1 and ("missing_scope" if status == 200 else "HTTP 405") in why[0]


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


async def test_teams_broadcast_through_the_fake_connector(serve, bf_connector, settings):
    from adapters.server import RUNTIME, SCHEDULER
    from adapters.teams.sender import TeamsSender

    server = await serve(replace(settings, teams_emulator=True))
    runtime = server.app[RUNTIME]
    assert any(isinstance(s, TeamsSender) for s in server.app[SCHEDULER].senders)
    for n in range(40):
        runtime.addresses.remember(f"teams:29:t{n}", "teams", teams_reference(bf_connector.service_url, n))
    message = to_payload(Reply(text="Mijlpaal bereikt!", intent="celebrate"))
    # The one ketenbot never met in Teams comes first, so it is settled before the others are sent.
    items = [("b:teams:onbekend", "teams:29:nooit", message)] + [(f"b:teams:{n}", f"teams:29:t{n}", message) for n in range(40)]
    bf_connector.fail_next(2, retry_after=0)
    runtime.outbox.enqueue(items)  # wakes the server's scheduler, which delivers
    await bf_connector.wait_for("/activities", count=40)
    sent = [c.path.split("/")[3] for c in bf_connector.matching("/activities")]
    assert sorted(sent) == sorted(f"a:conv-{n}" for n in range(40))
    assert [c.status for c in bf_connector.calls[:2]] == [429, 429]
    assert bf_connector.activities[0]["text"] == "Mijlpaal bereikt!"
    # Someone ketenbot knows nothing about in Teams cannot be written to personally: the message waits.
    waiting = runtime.db.execute("SELECT identity, error FROM outbox WHERE status = 'waiting'").fetchall()
    assert waiting == [("teams:29:nooit", "no Teams address: never wrote to ketenbot nor was added to a team with it")]


@pytest.fixture
def teams_sender(runtime, settings):
    from aiohttp import web

    from adapters.teams.app import setup_teams

    return setup_teams(web.Application(), runtime, replace(settings, teams_emulator=True))


def queue_teams_broadcast(runtime, service_url: str, count: int) -> int:
    outbox = runtime.outbox
    for n in range(count):
        runtime.addresses.remember(f"teams:29:t{n}", "teams", teams_reference(service_url, n))
    broadcast = outbox.new_broadcast("Mijlpaal", "slack:UREGISSEUR")
    message = to_payload(Reply(text="Mijlpaal bereikt!", intent="celebrate"))
    outbox.enqueue([(f"broadcast:{broadcast}:teams:{n}", f"teams:29:t{n}", message) for n in range(count)], broadcast_id=broadcast)
    return broadcast


async def test_a_teams_5xx_is_sent_again_with_a_note_and_counted(runtime, teams_sender, bf_connector):
    from adapters.delivery import announce_finished

    broadcast = queue_teams_broadcast(runtime, bf_connector.service_url, 5)
    bf_connector.accept_then_fail_next(1)  # the connector took the first message, then answered 502
    await deliver_all(runtime, teams_sender)
    texts = [(c.path.split("/")[3], c.body["text"]) for c in bf_connector.matching("/activities")]
    assert texts[0] == ("a:conv-0", "Mijlpaal bereikt!")
    assert ("a:conv-0", f"Mijlpaal bereikt!\n\n{DOUBT_NOTE}") in texts
    assert Counter(conversation for conversation, _ in texts) == {"a:conv-0": 2, **{f"a:conv-{n}": 1 for n in range(1, 5)}}
    assert runtime.outbox.maybe_twice(broadcast) == 1
    announce_finished(runtime.outbox, runtime.outbox.open_broadcasts())
    [done] = runtime.outbox.take_for("slack:UREGISSEUR")
    assert done.payload["text"].startswith(
        "Klaar met versturen van 'Mijlpaal': 5 bezorgd, 0 mislukt. 1 ontvanger krijgt het bericht mogelijk twee keer"
    )


async def test_a_teams_recipient_who_blocked_the_bot_is_not_retried(runtime, teams_sender, bf_connector):
    from aiohttp import web

    broadcast = queue_teams_broadcast(runtime, bf_connector.service_url, 3)

    async def blocked(request: web.Request) -> web.Response:
        return web.json_response({"error": {"code": "ConversationBlockedByUser", "message": "User blocked the conversation with the bot."}}, status=403)

    blocked_service = web.Application()
    blocked_service.router.add_post("/v3/conversations/{c}/activities", blocked)  # a new activity: no id in the URL
    from aiohttp.test_utils import TestServer

    server = TestServer(blocked_service, host="127.0.0.1", port=None)
    await server.start_server()
    try:
        runtime.addresses.remember("teams:29:t1", "teams", teams_reference(str(server.make_url("/")), 1))
        await deliver_all(runtime, teams_sender)
    finally:
        await server.close()
    assert runtime.outbox.progress(broadcast) == {"pending": 0, "sending": 0, "sent": 2, "failed": 1, "waiting": 0}
    assert runtime.db.execute("SELECT attempts, error FROM outbox WHERE identity = 'teams:29:t1'").fetchone() == (1, "HTTP 403")


async def test_an_unreachable_connector_pauses_its_batch_and_slack_goes_on(runtime, sender, teams_sender, slack_api):
    from tests.commitment.test_broadcast_restart import free_port

    closed = f"http://127.0.0.1:{free_port()}/"  # nothing listens here: the request never left
    queue_teams_broadcast(runtime, closed, 5)
    queue_broadcast(runtime, 5)
    await deliver_due(runtime.outbox, [teams_sender, sender])
    assert len(slack_api.delivered_to()) == 5
    teams = runtime.db.execute("SELECT status, in_doubt, error FROM outbox WHERE platform = 'teams'").fetchall()
    # One connection attempt failed; the other four wait with it instead of each failing in turn.
    assert teams == [("pending", 0, "connector not reachable")] * 5


async def test_a_platform_that_hangs_does_not_hold_up_the_other(runtime, sender, teams_sender, slack_api, bf_connector):
    import asyncio

    bf_connector.hold_after(0)  # Teams takes every message and answers none, until released
    queue_teams_broadcast(runtime, bf_connector.service_url, 5)
    queue_broadcast(runtime, 120)  # more than two batches
    delivering = asyncio.create_task(deliver_due(runtime.outbox, [teams_sender, sender]))
    await slack_api.wait_for("chat.postMessage", count=120)
    assert not delivering.done()
    bf_connector.release()
    await delivering
    assert len(bf_connector.activities) == 5
    assert runtime.db.execute("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").fetchone() == (125,)
