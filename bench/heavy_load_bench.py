"""Benchmark: is `ketenbot serve` still responsive while many heavy chat messages arrive at once?

Run by hand:  .venv/bin/python bench/heavy_load_bench.py [--messages 200] [--chars 4000] [--probes 300]

`ketenbot serve`'s application runs in its own process (as in chat_bench.py) on 127.0.0.1 (a free port, a throw-away database).
First /healthz alone is measured (the baseline: one request after another, `--probes` of them). Then
`--messages` web-chat sessions each open the page and, all at once, send one message of `--chars`
characters (words from the knowledge base, ending in a question); while they are answered, /healthz is
asked again and again. The goal: /healthz p99 at most 100 ms during the load. Printed: p50, p99 and max
of /healthz alone and under load, their ratio, and how long the heavy messages took (with their statuses).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

import aiohttp
from chat_bench import serve_ketenbot, start

HOST = "127.0.0.1"
GOAL_P99_MS = 100.0
PROBE_PAUSE = 0.005
KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def heavy_messages(count: int, chars: int, seed: int = 11) -> list[str]:
    """Long messages of real knowledge-base words, each ending in a question, all different."""
    words = re.findall(r"[a-zà-ÿ]{3,}", " ".join(p.read_text(encoding="utf-8") for p in KNOWLEDGE.rglob("*.yaml")).lower())
    rng = random.Random(seed)
    messages = []
    for _ in range(count):
        text = ""
        while len(text) < chars - 40:
            text += " ".join(rng.choice(words) for _ in range(12)) + ". "
        messages.append((text[: chars - 35] + " Hoe pakken we dit samen aan?")[:chars])
    return messages


# --- the clients ----------------------------------------------------------------------------------


async def health_once(session: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with session.get(url) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"/healthz answered {response.status}")
    return (time.perf_counter() - started) * 1000


async def probe(url: str, done: asyncio.Event, latencies: list[float]) -> None:
    """Ask /healthz again and again until `done`."""
    async with aiohttp.ClientSession() as session:
        while not done.is_set():
            latencies.append(await health_once(session, url))
            await asyncio.sleep(PROBE_PAUSE)


async def baseline(url: str, probes: int) -> list[float]:
    async with aiohttp.ClientSession() as session:
        for _ in range(20):
            await health_once(session, url)
        return [await health_once(session, url) for _ in range(probes)]


async def send(session: aiohttp.ClientSession, url: str, text: str) -> tuple[int, float]:
    started = time.perf_counter()
    async with session.post(url, json={"text": text}) as response:
        await response.read()
        return response.status, (time.perf_counter() - started) * 1000


async def under_load(base: str, messages: list[str]) -> tuple[list[float], list[tuple[int, float]], float]:
    sessions = [aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) for _ in messages]
    try:
        for session in sessions:  # each person opens the page first (and gets a session cookie)
            async with session.get(f"{base}/") as response:
                await response.read()
        done = asyncio.Event()
        latencies: list[float] = []
        prober = asyncio.create_task(probe(f"{base}/healthz", done, latencies))
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        answers = await asyncio.gather(*(send(s, f"{base}/api/chat", m) for s, m in zip(sessions, messages, strict=True)))
        seconds = time.perf_counter() - started
        done.set()
        await prober
        return latencies, list(answers), seconds
    finally:
        for session in sessions:
            await session.close()


def line(name: str, values: list[float]) -> str:
    return f"{name:<22} {len(values):>6} {percentile(values, 0.5):8.1f} {percentile(values, 0.99):8.1f} {max(values):8.1f}"


async def run(port: int, count: int, chars: int, probes: int) -> None:
    base = f"http://{HOST}:{port}"
    messages = heavy_messages(count, chars)
    alone = await baseline(f"{base}/healthz", probes)
    loaded, answers, seconds = await under_load(base, messages)
    statuses = Counter(status for status, _ in answers)
    print(f"{count} messages of {chars} characters at once, from {count} sessions; loopback, one server process")
    print(f"{'/healthz':<22} {'n':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    print(line("alone (baseline)", alone))
    print(line("under load", loaded))
    print(f"p99 under load / p99 alone: {percentile(loaded, 0.99) / percentile(alone, 0.99):.1f}x; "
          f"goal p99 <= {GOAL_P99_MS:.0f} ms: {'met' if percentile(loaded, 0.99) <= GOAL_P99_MS else 'NOT met'}")
    times = [ms for _, ms in answers]
    print(f"heavy messages: all answered in {seconds:.2f} s; per message p50 {percentile(times, 0.5):.0f} ms, "
          f"max {max(times):.0f} ms; statuses {dict(statuses)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--chars", type=int, default=4000)
    parser.add_argument("--probes", type=int, default=300, help="/healthz requests for the baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        process, port = start(serve_ketenbot, str(Path(tmp) / "bench.db"))
        try:
            asyncio.run(run(port, args.messages, args.chars, args.probes))
        finally:
            process.terminate()
            process.join(timeout=10)


if __name__ == "__main__":
    main()
