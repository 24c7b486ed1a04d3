"""Benchmark: a celebration to many recipients through the outbox, against fake platforms on loopback.

Run by hand:  .venv/bin/python bench/broadcast_bench.py [--recipients 10000]
Reports the time and rate at which the outbox delivers to the fake Slack Web API and the fake Bot
Framework connector, beside a plain baseline in the same run (the same number of bare sequential POSTs to
the same fake, no outbox, no SDK) and the rate the real platforms publish as their limits.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from adapters import delivery
from adapters.delivery import deliver_due
from adapters.slack.app import build_client
from adapters.slack.sender import SlackSender
from adapters.wiring import build_runtime
from bot.config import Settings
from bot.messages import Reply, to_payload
from tests.fakes.slack_api import FakeSlack

# Published limits (per second): Slack posts about one message per second per channel, and opening a new
# direct-message conversation (conversations.open, tier 3) about 50 per minute; Teams allows a bot 50
# requests per second across all conversations.
SLACK_OPEN_PER_SECOND = 50 / 60
TEAMS_PER_SECOND = 50.0


async def run(slack: int, teams: int, *, known_channels: bool = True, latency: float = 0.0) -> float:
    """Seconds to deliver a broadcast to `slack` Slack and `teams` Teams recipients through the outbox."""
    from aiohttp import web

    from adapters.teams.app import setup_teams
    from tests.commitment.test_delivery import teams_reference
    from tests.fakes.bf_connector import FakeConnector

    fake = await FakeSlack().start()
    connector = await FakeConnector().start()
    fake.latency = connector.latency = latency
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(db_path=Path(tmp) / "b.db", slack_bot_token="xoxb-bench", slack_signing_secret="s", slack_api_url=fake.api_url,
                            teams_emulator=True)
        runtime = build_runtime(settings)
        for n in range(slack):
            if known_channels:
                runtime.addresses.remember(f"slack:U{n}", "slack", {"channel": f"D{n}"})
        for n in range(teams):
            runtime.addresses.remember(f"teams:29:t{n}", "teams", teams_reference(connector.service_url, n))
        outbox = runtime.outbox
        broadcast = outbox.new_broadcast("bench", "web:regisseur")
        message = to_payload(Reply(text="Mijlpaal bereikt!", intent="celebrate"))
        items = [(f"s:{n}", f"slack:U{n}", message) for n in range(slack)] + [(f"t:{n}", f"teams:29:t{n}", message) for n in range(teams)]
        outbox.enqueue(items, broadcast_id=broadcast)
        senders = [SlackSender(build_client(settings, retries=False), runtime.addresses), setup_teams(web.Application(), runtime, settings)]
        start = time.perf_counter()
        while await deliver_due(outbox, senders, batch=200):
            pass
        seconds = time.perf_counter() - start
        assert outbox.progress(broadcast)["sent"] == slack + teams
        assert len(fake.of("chat.postMessage")) == slack and len(connector.activities) == teams
        runtime.close()
    await fake.close()
    await connector.close()
    return seconds


async def baseline_run(recipients: int) -> float:
    """Bare sequential chat.postMessage POSTs to the fake Slack: the ceiling of this machine and fake."""
    import aiohttp

    fake = await FakeSlack().start()
    async with aiohttp.ClientSession() as session:
        start = time.perf_counter()
        for n in range(recipients):
            async with session.post(fake.api_url + "chat.postMessage", json={"channel": f"D{n}", "text": "Mijlpaal bereikt!"}) as response:
                await response.read()
        seconds = time.perf_counter() - start
    await fake.close()
    return seconds


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--latency-ms", type=float, default=0.0, help="also run with this round trip on both fakes")
    args = parser.parse_args()
    n = args.recipients
    baseline = await baseline_run(n)
    print(f"{'baseline: bare POSTs':28} {n} messages in {baseline:6.1f} s = {n / baseline:7.1f} msg/s")
    slack_seconds = 0.0
    for label, known in (("Slack, DM channels known", True), ("Slack, DMs opened first", False)):
        seconds = await run(n, 0, known_channels=known)
        slack_seconds = slack_seconds or seconds
        print(f"{label:28} {n} messages in {seconds:6.1f} s = {n / seconds:7.1f} msg/s  ({seconds / baseline:.1f}x the baseline's time)")
    teams_seconds = await run(0, n)
    print(f"{'Teams (Bot Framework)':28} {n} messages in {teams_seconds:6.1f} s = {n / teams_seconds:7.1f} msg/s"
          f"  ({teams_seconds / baseline:.1f}x the baseline's time, {n / teams_seconds / TEAMS_PER_SECOND:.1f}x the published 50/s)")
    half = n // 2
    mixed = await run(half, half)
    one_after_other = (slack_seconds + teams_seconds) / 2
    print(f"{'half Slack, half Teams':28} {2 * half} messages in {mixed:6.1f} s  (one platform after the other: ~{one_after_other:.1f} s)")
    if args.latency_ms:
        latency = args.latency_ms / 1000
        small = min(n, 1000)
        for in_flight in (1, delivery.IN_FLIGHT):
            delivery.IN_FLIGHT = in_flight
            seconds = await run(small // 2, small // 2, latency=latency)
            print(f"{args.latency_ms:.0f} ms round trip, {in_flight} under way per platform: {small} messages (half each) in {seconds:5.1f} s = {small / seconds:6.1f} msg/s")
    print(f"published: Slack conversations.open ~{SLACK_OPEN_PER_SECOND:.2f}/s (tier 3), Teams {TEAMS_PER_SECOND:.0f} req/s per bot")
    print(f"at published limits {n} first-time Slack DMs take {n / SLACK_OPEN_PER_SECOND / 60:.0f} min; on Teams {n / TEAMS_PER_SECOND:.0f} s")


if __name__ == "__main__":
    asyncio.run(main())
