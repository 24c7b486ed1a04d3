"""Benchmark: the web chat's POST /api/chat against an aiohttp app that answers with a fixed JSON reply.

Run by hand:  .venv/bin/python bench/chat_bench.py [--requests 1000] [--clients 1,10,50]
Each server runs in its own process on 127.0.0.1 (a free port, a throw-away database); the clients run
here, each with its own cookie jar (its own conversation), sending questions one after another. For each
number of concurrent clients it prints messages per second and p50/p99 latency for ketenbot and for the
ceiling (same requests, no bot behind them), and ketenbot's throughput as a share of the ceiling's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import multiprocessing
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

HOST = "127.0.0.1"
WARMUP_REQUESTS = 20
# A mix of what people type: questions, a number, a follow-up word, a contact question, help.
# Messages per session before a benchmark user starts a new one (under the 30 a minute per person).
SESSION_MESSAGES = 25
MESSAGES = (
    "wat is ketenregie",
    "we vertrouwen elkaar niet",
    "2",
    "meer",
    "wat doet de ketenregisseur?",
    "de achterban gaat niet mee",
    # A vented line that words alone do not settle: weighed by meaning (bot/understanding/meaning.py).
    "zodra er een crisis is, ligt ons project weer op de plank",
    "wie kan ik bellen over schulden?",
    "help",
)


@dataclass(frozen=True)
class Result:
    clients: int
    requests: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


# --- the two servers, each in a child process ---------------------------------------------------------


async def _run_until_stopped(app: web.Application, ports: Any) -> None:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, HOST, 0)
    await site.start()
    ports.put(runner.addresses[0][1])
    try:
        await asyncio.Event().wait()  # until the parent terminates this process
    finally:
        await runner.cleanup()


def ceiling_app(reply: bytes) -> web.Application:
    """The ceiling: read the request, answer with a fixed reply of realistic size."""

    async def chat(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(body=reply, content_type="application/json")

    app = web.Application()
    app.router.add_post("/api/chat", chat)
    return app


def serve_ketenbot(ports: Any, db_path: str) -> None:
    from adapters.server import create_app
    from bot.config import Settings

    logging.basicConfig(level=logging.ERROR)
    # Loopback is the trusted proxy, so each benchmark user has the rate limits of its own address.
    proxies = Settings.from_env({"KETENBOT_TRUSTED_PROXIES": HOST}).trusted_proxies
    asyncio.run(_run_until_stopped(create_app(Settings(db_path=Path(db_path), trusted_proxies=proxies)), ports))


def serve_ceiling(ports: Any, reply: bytes) -> None:
    logging.basicConfig(level=logging.ERROR)
    asyncio.run(_run_until_stopped(ceiling_app(reply), ports))


def start(target: Any, *args: Any) -> tuple[multiprocessing.Process, int]:
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    process = context.Process(target=target, args=(ports, *args), daemon=True)
    process.start()
    return process, ports.get(timeout=60)


# --- the clients ----------------------------------------------------------------------------------


async def client(url: str, count: int, offset: int, latencies: list[float], headers: dict[str, str] | None = None) -> None:
    """One user typing `count` messages one after another. The rate limits (adapters/rate_limits.py: 30 messages
    a minute per person, 300 a minute per address) would refuse a single user's hundreds of messages, so every
    SESSION_MESSAGES messages the user starts a new session (a new cookie jar, so a new web identity) from another
    address, which the server's trusted proxy (loopback) reports in X-Forwarded-For."""
    sent = 0
    while sent < count:
        jar = aiohttp.CookieJar(unsafe=True)  # unsafe: accept the cookie from an IP address
        forwarded = headers or {"X-Forwarded-For": _address(offset * 1000 + sent)}
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            for n in range(sent, min(count, sent + SESSION_MESSAGES)):
                payload = {"text": MESSAGES[(offset + n) % len(MESSAGES)]}
                started = time.perf_counter()
                async with session.post(url, json=payload, headers=forwarded) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"POST /api/chat answered {response.status}")
                latencies.append((time.perf_counter() - started) * 1000)
        sent = min(count, sent + SESSION_MESSAGES)


def _address(n: int) -> str:
    """A documentation address (never contacted) for the n-th session."""
    return f"198.51.100.{n // SESSION_MESSAGES % 250 + 1}" if n // SESSION_MESSAGES % 500 < 250 else f"203.0.113.{n // SESSION_MESSAGES % 250 + 1}"


async def measure(url: str, clients: int, requests: int) -> Result:
    await client(url, WARMUP_REQUESTS, 0, [])
    per_client = max(1, requests // clients)
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(client(url, per_client, n, latencies) for n in range(clients)))
    return Result(clients, per_client * clients, time.perf_counter() - started, latencies)


async def sample_reply(url: str) -> bytes:
    async with aiohttp.ClientSession() as session, session.post(url, json={"text": MESSAGES[0]}) as response:
        return json.dumps(await response.json()).encode()


def report(ketenbot: Result, ceiling: Result) -> str:
    return (
        f"{ketenbot.clients:>7} | {ketenbot.per_second:8.0f} {ketenbot.percentile(0.5):7.1f} "
        f"{ketenbot.percentile(0.99):7.1f} | {ceiling.per_second:8.0f} {ceiling.percentile(0.5):7.1f} "
        f"{ceiling.percentile(0.99):7.1f} | {ketenbot.per_second / ceiling.per_second:6.1%}"
    )


async def run(levels: list[int], requests: int, ketenbot_url: str, ceiling_url: str) -> None:
    print(
        f"{requests} messages per level (after {WARMUP_REQUESTS} warm-up), loopback, one server process each"
    )
    print("clients |     ketenbot: msg/s  p50 ms  p99 ms |      ceiling: msg/s  p50 ms  p99 ms |  ratio")
    for clients in levels:
        ketenbot = await measure(ketenbot_url, clients, requests)
        ceiling = await measure(ceiling_url, clients, requests)
        print(report(ketenbot, ceiling))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="messages per concurrency level")
    parser.add_argument("--clients", default="1,10,50", help="concurrency levels, comma-separated")
    args = parser.parse_args()
    levels = [int(part) for part in args.clients.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        ketenbot, ketenbot_port = start(serve_ketenbot, str(Path(tmp) / "bench.db"))
        ketenbot_url = f"http://{HOST}:{ketenbot_port}/api/chat"
        reply = asyncio.run(sample_reply(ketenbot_url))
        ceiling, ceiling_port = start(serve_ceiling, reply)
        try:
            asyncio.run(run(levels, args.requests, ketenbot_url, f"http://{HOST}:{ceiling_port}/api/chat"))
        finally:
            for process in (ketenbot, ceiling):
                process.terminate()
                process.join(timeout=10)


if __name__ == "__main__":
    main()
