"""Two real `ketenbot serve` processes on one PostgreSQL, with the fake Slack and the fake Bot Framework connector
on loopback. A check-in round falls due and a celebration is queued, both for several hundred partners; halfway,
the instance that holds the scheduler is killed (SIGKILL). The other takes over: every Slack partner has the
check-in once and the celebration once; on Teams the README's rule applies (a message under way at the kill is
sent again with the note, and the director's count says how many). The check-in round is started once."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from adapters.delivery import DOUBT_NOTE, IN_FLIGHT
from adapters.wiring import build_runtime
from bot.commitment import broadcast, checkin
from bot.config import Settings
from bot.language.dates import parse_rhythm
from tests.commitment.test_broadcast_restart import PARTNERS, ROOT, director_messages, free_port, prepare
from tests.conftest import fetch

CHECKIN_TEXT = checkin.goal_question().text.split("\n")[0]


def start_server(url: str, api_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENBOT_", "SLACK_", "MICROSOFT_", "DATABASE_"))}
    env.update(
        DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="geheim", SLACK_API_URL=api_url,
        KETENBOT_TICK_SECONDS="1", KETENBOT_TEAMS_EMULATOR="1", PYTHONPATH=str(ROOT),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def health(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return json.loads(response.read())
    except OSError:
        return None


async def wait_for_health(port: int, check, timeout: float = 60) -> dict:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        status = await asyncio.to_thread(health, port)
        if status is not None and check(status):
            return status
        await asyncio.sleep(0.2)
    raise AssertionError(f"instance on port {port} not as expected within {timeout}s: {status}")


@pytest.fixture
def servers():
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def texts_by_recipient(slack) -> dict[str, Counter[str]]:
    kinds: dict[str, Counter[str]] = {}
    for call in slack.of("chat.postMessage"):
        kind = "checkin" if call.body["text"].startswith(CHECKIN_TEXT) else "celebration"
        kinds.setdefault(call.body["channel"], Counter())[kind] += 1
    return kinds


async def test_two_instances_killed_halfway_send_each_partner_the_checkin_and_celebration_once(
    postgres_database, servers, slack_api, bf_connector
):
    url, slack, connector = postgres_database, slack_api, bf_connector
    await prepare(url, connector.service_url)
    with build_runtime(Settings(database_url=url)) as runtime:
        due = datetime.now(UTC) - timedelta(minutes=1)
        runtime.services.checkins.set_schedule(parse_rhythm("elke 4 weken op maandag"), due, reminder_days=3, by="slack:UREGISSEUR")
    # Halfway through the 2 × 300 messages (Slack 400, Teams 200), answers are held back, so that messages are
    # under way on both platforms when the holder is killed.
    slack.hold_after(200)
    connector.hold_after(100)
    ports = [free_port(), free_port()]
    servers.extend(start_server(url, slack.api_url, port) for port in ports)
    statuses = [await wait_for_health(port, lambda s: s["database"] == "ok") for port in ports]
    assert statuses[0]["instance"] != statuses[1]["instance"]
    await slack.wait_for("chat.postMessage", count=201, timeout=120)
    await connector.wait_for("/activities", count=101, timeout=120)
    holders = [i for i, port in enumerate(ports) if (await wait_for_health(port, lambda s: True))["scheduler"]]
    assert len(holders) == 1
    holder, other = holders[0], 1 - holders[0]
    servers[holder].send_signal(signal.SIGKILL)
    await asyncio.to_thread(servers[holder].wait, 10)
    slack.release()
    connector.release()
    await wait_for_health(ports[other], lambda s: s["scheduler"], timeout=60)
    await slack.wait_until(lambda: director_messages(slack), 1, timeout=180)

    kinds = texts_by_recipient(slack)
    kinds.pop("D0UREGISSEUR")
    assert len(kinds) == 200 and all(counts == {"checkin": 1, "celebration": 1} for counts in kinds.values())
    teams: dict[str, Counter[str]] = {}
    noted = set()
    for call in connector.matching("/activities"):
        conversation = call.path.split("/")[3]
        kind = "checkin" if call.body["text"].startswith(CHECKIN_TEXT) else "celebration"
        teams.setdefault(conversation, Counter())[kind] += 1
        if call.body["text"].endswith(DOUBT_NOTE):
            noted.add((conversation, kind))
    assert len(teams) == 100 and all(set(counts) == {"checkin", "celebration"} for counts in teams.values())
    twice = {(conversation, kind) for conversation, counts in teams.items() for kind, n in counts.items() if n > 1}
    assert twice <= noted and len(noted) <= IN_FLIGHT and all(n <= 2 for counts in teams.values() for n in counts.values())
    noted_celebrations = sum(1 for _, kind in noted if kind == "celebration")
    who = "1 ontvanger krijgt" if noted_celebrations == 1 else f"{noted_celebrations} ontvangers krijgen"
    final = f"Klaar met versturen van '300 gezinnen geholpen': {PARTNERS} bezorgd, 0 mislukt."
    assert director_messages(slack) == [final + (broadcast.MAYBE_TWICE.format(who=who) if noted_celebrations else "")]
    assert fetch(url, "SELECT COUNT(*) FROM checkin_cycles") == [(1,)]
