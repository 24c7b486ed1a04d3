"""A celebration to several hundred partners survives `kill -9` of `ketenbot serve` halfway: after a
restart every Slack partner has it exactly once (Slack is asked for the message that was in flight), and
every Teams partner has it, at most one of them twice (the Bot Framework cannot be asked; see sender)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections import Counter
from pathlib import Path

from adapters.wiring import build_runtime
from bot.config import Settings
from bot.partner import Partner
from tests.chat import Conversation
from tests.fakes.bf_connector import FakeConnector
from tests.fakes.slack_api import FakeSlack
from tests.test_delivery import teams_reference

SLACK_PARTNERS = 200
TEAMS_PARTNERS = 100
PARTNERS = SLACK_PARTNERS + TEAMS_PARTNERS
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db: Path, api_url: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENBOT_", "SLACK_", "MICROSOFT_"))}
    env.update(
        KETENBOT_DB=str(db), SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="geheim", SLACK_API_URL=api_url,
        KETENBOT_TICK_SECONDS="1", PYTHONPATH=str(ROOT),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "--port", str(free_port())],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )


async def prepare(db: Path, service_url: str) -> None:
    runtime = build_runtime(Settings(db_path=db))
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


async def test_sigkill_halfway_then_restart_delivers_each_once(tmp_path):
    db = tmp_path / "omroep.db"
    fake = await FakeSlack().start()
    connector = await FakeConnector().start()
    await prepare(db, connector.service_url)
    fake.fail_next("chat.postMessage", 2, retry_after=1)
    connector.fail_next(2, retry_after=1)
    first = start_server(db, fake.api_url)
    try:
        await fake.wait_for("chat.postMessage", count=SLACK_PARTNERS // 3, timeout=60)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert len(fake.of("chat.postMessage")) + len(connector.activities) < PARTNERS
        second = start_server(db, fake.api_url)
        try:
            # The director's final count is only sent once every partner's message is marked sent.
            await fake.wait_for("chat.postMessage", count=SLACK_PARTNERS + 1, timeout=120)
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=20)
    finally:
        if first.poll() is None:
            first.kill()
        await fake.close()
        await connector.close()
    slack = Counter(fake.delivered_to())
    assert slack.pop("D0UREGISSEUR") == 1
    assert len(slack) == SLACK_PARTNERS and set(slack.values()) == {1}
    teams = Counter(call.path.split("/")[3] for call in connector.matching("/activities"))
    assert len(teams) == TEAMS_PARTNERS
    assert sum(teams.values()) - TEAMS_PARTNERS <= 1
