"""A celebration to several hundred partners through a real `ketenbot serve` process, against a fake
Slack and a fake Bot Framework connector that answer some calls with 429.

- Killed (SIGKILL) twice, each time with a message under way: once while Slack had taken a message
  but not yet answered, once while the connector had. After the restart every Slack partner has the
  message exactly once (Slack is asked). The Teams partner whose message was under way gets it a second
  time with a note (with several under way at once, each of them); the Bot Framework cannot be asked,
  see adapters/teams/sender.py. The director's final count says so. Every other Teams partner has it
  exactly once.
- Stopped (SIGTERM, as a deploy does) with a message under way: that message is finished first, so
  after the restart every partner on both platforms has it exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from adapters.delivery import DOUBT_NOTE, IN_FLIGHT
from adapters.wiring import build_runtime
from bot.commitment import broadcast
from bot.config import Settings
from bot.social.partner import Partner
from tests.chat import Conversation
from tests.commitment.test_delivery import teams_reference
from tests.fakes.bf_connector import FakeConnector
from tests.fakes.slack_api import FakeSlack

SLACK_PARTNERS = 200
TEAMS_PARTNERS = 100
PARTNERS = SLACK_PARTNERS + TEAMS_PARTNERS
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def launch():
    """Start `ketenbot serve` processes; any still running at the end of the test are killed."""
    started: list[subprocess.Popen[bytes]] = []

    def start(db: Path, api_url: str) -> subprocess.Popen[bytes]:
        started.append(start_server(db, api_url))
        return started[-1]

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def start_server(db: Path, api_url: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENBOT_", "SLACK_", "MICROSOFT_"))}
    env.update(
        KETENBOT_DB=str(db), SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="geheim", SLACK_API_URL=api_url,
        KETENBOT_TICK_SECONDS="1", KETENBOT_TEAMS_EMULATOR="1", PYTHONPATH=str(ROOT),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "--port", str(free_port())],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


async def prepare(db: Path | str, service_url: str) -> None:
    """The partners, the Teams addresses and a confirmed celebration, in the SQLite file or PostgreSQL URL `db`."""
    runtime = build_runtime(Settings(db_path=db) if isinstance(db, Path) else Settings(database_url=db))
    registry = runtime.services.partners
    slack = [f"slack:U{n:03d}" for n in range(SLACK_PARTNERS)]
    teams = [f"teams:29:t{n:03d}" for n in range(TEAMS_PARTNERS)]
    registry.save_many(
        [Partner(name=f"Partner {i}", organisation="Org", topics=("schulden",), identities=(i,)) for i in slack + teams],
        consent_text="test",
    )
    for n, identity in enumerate(teams):
        runtime.addresses.remember(identity, "teams", teams_reference(service_url, n))
    runtime.services.directors.add("slack:UREGISSEUR")
    director = Conversation(runtime.services, platform="slack", user="UREGISSEUR")
    await director.say("mijlpaal: 300 gezinnen geholpen")
    await director.say("mijlpaal bereikt: 300 gezinnen geholpen")
    await director.say("vier 300 gezinnen geholpen")
    assert (await director.say("ja")).text.startswith(f"Het bericht staat klaar voor {PARTNERS} ontvangers")
    runtime.close()


def director_messages(slack: FakeSlack) -> list[str]:
    return [call.body["text"] for call in slack.of("chat.postMessage") if call.body["channel"] == "D0UREGISSEUR"]


def teams_counts(connector: FakeConnector) -> Counter[str]:
    return Counter(call.path.split("/")[3] for call in connector.matching("/activities"))


async def finish(launch, db: Path, slack: FakeSlack) -> None:
    """Run a server until the director has the final count (sent once every partner's message is sent)."""
    server = launch(db, slack.api_url)
    await slack.wait_until(lambda: director_messages(slack), 1, timeout=120)
    server.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(server.wait, 20) == 0


async def test_killed_twice_with_a_message_under_way_each_partner_has_it_once(tmp_path, launch, slack_api, bf_connector):
    db, slack, connector = tmp_path / "omroep.db", slack_api, bf_connector
    await prepare(db, connector.service_url)
    slack.fail_next("chat.postMessage", 2, retry_after=1)
    connector.fail_next(2, retry_after=1)
    # 1. Slack has the 67th message and has not answered yet: kill. (Teams is held too, early, so that it
    #    cannot finish while Slack is still on its way; its messages under way are in doubt as well.)
    slack.hold_after(66)
    connector.hold_after(10)
    server = launch(db, slack.api_url)
    await slack.wait_for("chat.postMessage", count=67, timeout=60)
    server.send_signal(signal.SIGKILL)
    await asyncio.to_thread(server.wait, 10)
    slack.release()
    connector.release()
    # 2. The connector has a Teams message and has not answered yet: kill.
    under_way = len(connector.activities) + 20
    connector.hold_after(under_way)
    server = launch(db, slack.api_url)
    await connector.wait_for("/activities", count=under_way + 1, timeout=60)
    server.send_signal(signal.SIGKILL)
    await asyncio.to_thread(server.wait, 10)
    connector.release()
    held = connector.matching("/activities")[under_way].path.split("/")[3]
    # 3. Start again and let it finish.
    await finish(launch, db, slack)
    counts = Counter(slack.delivered_to())
    assert counts.pop("D0UREGISSEUR") == 1
    assert len(counts) == SLACK_PARTNERS and set(counts.values()) == {1}
    teams = teams_counts(connector)
    assert len(teams) == TEAMS_PARTNERS
    # The Teams messages under way at each kill (at most IN_FLIGHT each time) were sent again with the
    # note; those that had reached the connector arrived twice. The director is told how many.
    noted = {c.path.split("/")[3] for c in connector.matching("/activities") if c.body["text"].endswith(DOUBT_NOTE)}
    twice = {conversation for conversation, count in teams.items() if count == 2}
    assert held in twice and twice <= noted and len(noted) <= 2 * IN_FLIGHT and set(teams.values()) <= {1, 2}
    who = "1 ontvanger krijgt" if len(noted) == 1 else f"{len(noted)} ontvangers krijgen"
    assert director_messages(slack) == [
        f"Klaar met versturen van '300 gezinnen geholpen': {PARTNERS} bezorgd, 0 mislukt." + broadcast.MAYBE_TWICE.format(who=who)
    ]


async def test_stopped_with_a_message_under_way_each_partner_has_it_once(tmp_path, launch, slack_api, bf_connector):
    db, slack, connector = tmp_path / "omroep.db", slack_api, bf_connector
    await prepare(db, connector.service_url)
    connector.hold_after(20)
    server = launch(db, slack.api_url)
    await connector.wait_for("/activities", count=21, timeout=60)
    server.send_signal(signal.SIGTERM)
    connector.release()  # the answer arrives while the server is stopping
    assert await asyncio.to_thread(server.wait, 20) == 0
    assert left_in_doubt(db) == 0
    await finish(launch, db, slack)
    counts = Counter(slack.delivered_to())
    assert counts.pop("D0UREGISSEUR") == 1
    assert len(counts) == SLACK_PARTNERS and set(counts.values()) == {1}
    teams = teams_counts(connector)
    assert len(teams) == TEAMS_PARTNERS and set(teams.values()) == {1}
    assert director_messages(slack) == [f"Klaar met versturen van '300 gezinnen geholpen': {PARTNERS} bezorgd, 0 mislukt."]


def left_in_doubt(db: Path) -> int:
    with build_runtime(Settings(db_path=db)) as runtime:
        return runtime.db.execute("SELECT COUNT(*) FROM outbox WHERE in_doubt = 1 OR status = 'sending'").fetchone()[0]
