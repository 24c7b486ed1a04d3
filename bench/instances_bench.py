"""Benchmark: a celebration to many Slack recipients and POST /api/chat at many clients, through real `ketenbot
serve` processes on SQLite (one instance) and on PostgreSQL (one and two instances), in the same run.

Run by hand:  PYTHONPATH=. .venv/bin/python bench/instances_bench.py --postgres URL [--recipients 10000]
                  [--clients 50] [--requests 1000]
The broadcast goes to the fake Slack Web API on loopback (tests/fakes/slack_api.py); its baseline is the same
number of bare sequential POSTs to the same fake. The chat's baseline is an aiohttp app with a fixed reply
(bench/chat_bench.py). With two instances the chat clients are spread over both; the broadcast is delivered by
the one that holds the scheduler.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from adapters.wiring import build_runtime
from bench import databases
from bench.broadcast_bench import baseline_run
from bench.chat_bench import HOST, Result, sample_reply, serve_ceiling, start
from bench.chat_bench import client as chat_client
from bot.messages import Reply, to_payload
from tests.commitment.test_broadcast_restart import free_port
from tests.fakes.slack_api import FakeSlack

ROOT = Path(__file__).resolve().parents[1]


def launch(target: Path | str, api_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENBOT_", "SLACK_", "MICROSOFT_", "DATABASE_"))}
    env.update(SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET="geheim", SLACK_API_URL=api_url, KETENBOT_TICK_SECONDS="1",
               PYTHONPATH=str(ROOT), KETENBOT_LOG_LEVEL="ERROR",
               # Each client is a user at an address of its own (a header only: the rate limits are per address).
               KETENBOT_TRUSTED_PROXIES="127.0.0.1")
    env["DATABASE_URL" if isinstance(target, str) else "KETENBOT_DB"] = str(target)
    return subprocess.Popen([sys.executable, "-m", "adapters.cli", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
            return json.loads(response.read())["database"] == "ok"
    except OSError:
        return False


async def wait_healthy(port: int) -> None:
    for _ in range(600):
        if await asyncio.to_thread(healthy, port):
            return
        await asyncio.sleep(0.1)
    raise RuntimeError(f"ketenbot on port {port} did not start")


async def broadcast(target: Path | str, fake: FakeSlack, recipients: int) -> float:
    """Seconds from queueing a celebration to `recipients` (DM channels known) until the fake has them all."""
    with build_runtime(databases.settings_for(target)) as runtime:
        for n in range(recipients):
            runtime.addresses.remember(f"slack:U{n}", "slack", {"channel": f"D{n}"})
        outbox = runtime.outbox
        seen = len(fake.calls)
        message = to_payload(Reply(text="Mijlpaal bereikt!", intent="celebrate"))
        started = time.perf_counter()
        with runtime.db.transaction():
            number = outbox.new_broadcast("bench", "web:regisseur")
            outbox.enqueue([(f"b:{number}:{n}", f"slack:U{n}", message) for n in range(recipients)], broadcast_id=number)
    posted = 0
    while posted < recipients:  # polled: the fake's wait_until would scan every call at every call
        await asyncio.sleep(0.02)
        new, seen = fake.calls[seen:], len(fake.calls)
        posted += sum(call.method == "chat.postMessage" for call in new)
    return time.perf_counter() - started


def forwarded(n: int) -> dict[str, str]:
    """The client's own address as the trusted proxy (loopback) reports it: documentation addresses, never contacted."""
    return {"X-Forwarded-For": f"198.51.100.{n % 250 + 1}" if n < 250 else f"203.0.113.{n % 250 + 1}"}


async def chat(urls: list[str], clients: int, requests: int) -> Result:
    for n, url in enumerate(urls):
        await chat_client(url, 20, 0, [], forwarded(1000 + n))
    per_client = max(1, requests // clients)
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(chat_client(urls[n % len(urls)], per_client, n, latencies, forwarded(n)) for n in range(clients)))
    return Result(clients, per_client * clients, time.perf_counter() - started, latencies)


def line(label: str, seconds: float, recipients: int, baseline: float, talk: Result, ceiling: Result) -> str:
    return (f"{label:26} | {recipients / seconds:8.0f} msg/s {seconds / baseline:5.1f}x | {talk.per_second:6.0f} msg/s"
            f" p50 {talk.percentile(0.5):6.1f} p99 {talk.percentile(0.99):7.1f} ms {talk.per_second / ceiling.per_second:6.1%}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000)
    databases.add_argument(parser)
    args = parser.parse_args()
    setups = [("SQLite, 1 instance", "sqlite", 1)]
    if args.postgres:
        setups += [("PostgreSQL, 1 instance", "postgres", 1), ("PostgreSQL, 2 instances", "postgres", 2)]
    baseline = await baseline_run(args.recipients)
    fake = await FakeSlack().start()
    print(f"broadcast to {args.recipients} Slack recipients; baseline: bare POSTs {args.recipients / baseline:.0f} msg/s")
    print(f"chat: {args.requests} messages at {args.clients} clients; baseline: a fixed reply")
    print(f"{'':26} | {'broadcast':>14} {'/base':>6} | chat")
    with tempfile.TemporaryDirectory() as tmp:
        for label, kind, count in setups:
            with databases.database(kind, Path(tmp), args.postgres) as target, ExitStack() as stack:
                build_runtime(databases.settings_for(target)).close()  # migrated once, before the instances start
                ports = [free_port() for _ in range(count)]
                for port in ports:
                    process = launch(target, fake.api_url, port)
                    stack.callback(lambda p=process: (p.terminate(), p.wait(20)))
                for port in ports:
                    await wait_healthy(port)
                seconds = await broadcast(target, fake, args.recipients)
                urls = [f"http://{HOST}:{port}/api/chat" for port in ports]
                talk = await chat(urls, args.clients, args.requests)
                reply = await sample_reply(urls[0])
                ceiling_process, ceiling_port = start(serve_ceiling, reply)
                stack.callback(lambda p=ceiling_process: (p.terminate(), p.join(10)))
                ceiling = await chat([f"http://{HOST}:{ceiling_port}/api/chat"], args.clients, args.requests)
                print(line(label, seconds, args.recipients, baseline, talk, ceiling), flush=True)
    await fake.close()


if __name__ == "__main__":
    asyncio.run(main())
