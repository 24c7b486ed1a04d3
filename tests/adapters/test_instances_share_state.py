"""Two `ketenbot serve` applications on one database, as two instances behind a load balancer: a Slack retry that
lands on the other instance is not answered again, and a dialog goes on wherever its next message lands. On
PostgreSQL (the set-up for several instances), and on SQLite alike."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.adapters.test_slack import SECRET, event, post, signed_headers

pytestmark = pytest.mark.both_databases


@pytest.fixture
async def instances(serve, slack_api, settings):
    shared = replace(settings, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack_api.api_url)
    return [await serve(shared), await serve(shared)]


async def say(server, text: str, event_id: str, **headers: str) -> None:
    body = event(text, event_id=event_id)
    status, _ = await post(server, body, {**signed_headers(body), **headers})
    assert status == 200


async def test_a_slack_retry_on_the_other_instance_is_not_answered_twice(instances, slack_api):
    first, second = instances
    await say(first, "wat is een convenant", "EvA1")
    await slack_api.wait_for("chat.postMessage")
    await say(second, "wat is een convenant", "EvA1", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    await say(second, "wat is borging", "EvA2")
    calls = await slack_api.wait_for("chat.postMessage", count=2)
    assert [("convenant" in c.body["text"].lower(), "borging" in c.body["text"].lower()) for c in calls] == [(True, False), (False, True)]


async def test_a_dialog_goes_on_on_whichever_instance_the_next_message_lands(instances, slack_api):
    first, second = instances
    questions = []
    for n, (server, text) in enumerate([(first, "ik wil me aanmelden"), (second, "Anouk de Vries"), (first, "Schuldhulp Zeist")], 1):
        await say(server, text, f"EvB{n}")  # as a person types: the next line after the answer
        questions.append((await slack_api.wait_for("chat.postMessage", count=n))[-1].body["text"])
    assert "Wat is je naam?" in questions[0]
    assert "Bij welke organisatie werk je?" in questions[1]
    assert "Wat is je functie of rol?" in questions[2]
