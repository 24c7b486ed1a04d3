"""Benchmark: the matcher against a plain rapidfuzz baseline on a labelled question file.

Run by hand:  .venv/bin/python bench/matcher_bench.py ../shared/eval/dev_questions.yaml [--rounds 20]
Reports, for both in the same run: entry top-1 accuracy on knowledge questions, intent accuracy,
median and p99 time per question, and memory held by the built index (tracemalloc).
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from rapidfuzz import fuzz, process

from adapters.wiring import build_matcher
from bot.config import Settings
from bot.understanding.evaluation import LabelledQuestion, load_questions

BASELINE_CUTOFF = 60


def build_baseline(settings: Settings) -> Callable[[str], tuple[str, str | None]]:
    """rapidfuzz process.extractOne over every example phrasing; below the cutoff it declines."""
    knowledge = build_matcher(settings).knowledge
    phrasings = [(q, entry.id) for entry in knowledge for q in entry.questions]
    choices = [q for q, _ in phrasings]

    def understand(text: str) -> tuple[str, str | None]:
        found = process.extractOne(text, choices, scorer=fuzz.WRatio, processor=str.lower)
        if not found or found[1] < BASELINE_CUTOFF:
            return "fallback", None
        return "knowledge", phrasings[found[2]][1]

    return understand


def measure(
    name: str, understand: Callable[[str], tuple[str, str | None]], questions: list[LabelledQuestion], rounds: int
) -> dict[str, float]:
    timings: list[float] = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter_ns()
            understand(question.q)
            timings.append((time.perf_counter_ns() - start) / 1e6)
    knowledge = [q for q in questions if q.accept]
    results = {q.q: understand(q.q) for q in questions}
    timings.sort()
    return {
        "name": name,
        "intent": sum(results[q.q][0] in q.intents for q in questions) / len(questions),
        "top1": sum(results[q.q][1] in q.accept for q in knowledge) / len(knowledge),
        "median_ms": statistics.median(timings),
        "p99_ms": timings[int(len(timings) * 0.99) - 1],
    }


def built_memory(build: Callable[[], object]) -> tuple[float, object]:
    tracemalloc.start()
    built = build()
    current, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current / 1e6, built


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    settings = Settings()
    questions = load_questions(args.file)
    matcher_mb, matcher = built_memory(lambda: build_matcher(settings))
    # The sentence encoder and the entries' vectors, loaded ahead as a server does (bot/understanding/meaning.py).
    meaning_mb, _ = built_memory(matcher.meaning.warm_up)
    baseline_mb, baseline = built_memory(lambda: build_baseline(settings))

    def ours(text: str) -> tuple[str, str | None]:
        understanding = matcher.understand(text)
        return understanding.intent, understanding.entry_id

    by_meaning = [q for q in questions if matcher.understand(q.q).signals is not None]
    by_words = [q for q in questions if q not in by_meaning]
    rows = [
        {**measure("ketenbot matcher", ours, questions, args.rounds), "memory_mb": matcher_mb + meaning_mb},
        {**measure("baseline extractOne", baseline, questions, args.rounds), "memory_mb": baseline_mb},
    ]
    print(f"{len(questions)} questions x {args.rounds} rounds, {args.file}")
    print(f"{'':22} {'intent':>7} {'top-1':>7} {'median':>9} {'p99':>9} {'memory':>9}")
    for row in rows:
        print(
            f"{row['name']:22} {row['intent']:7.1%} {row['top1']:7.1%} {row['median_ms']:7.3f}ms"
            f" {row['p99_ms']:7.3f}ms {row['memory_mb']:7.1f}MB"
        )
    print(f"time ratio (matcher/baseline, median): {rows[0]['median_ms'] / rows[1]['median_ms']:.2f}")
    print(f"memory: matcher {matcher_mb:.1f}MB, meaning (encoder and entry vectors) {meaning_mb:.1f}MB")
    for name, part in ((f"by words alone ({len(by_words)})", by_words), (f"weighed by meaning ({len(by_meaning)})", by_meaning)):
        if part:
            timing = measure(name, ours, part, args.rounds)
            print(f"  {name:28} median {timing['median_ms']:7.3f}ms  p99 {timing['p99_ms']:7.3f}ms")


if __name__ == "__main__":
    main()
