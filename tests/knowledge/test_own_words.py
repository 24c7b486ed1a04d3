"""The knowledge base is written in its own words: no run of seven words is taken over from the sources.

The sources live beside the project in ../shared/sources (as in CI); without them this test is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.language.dutch import fold

SOURCES = Path(__file__).resolve().parents[3] / "shared" / "sources"
RUN = 7


@pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is not beside the project")
def test_no_sentence_is_copied_from_the_sources(knowledge):
    words = " ".join(fold(p.read_text(encoding="utf-8", errors="ignore")) for p in SOURCES.glob("*.txt")).split()
    runs = {tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1)}
    copied = []
    for entry in knowledge:
        texts = {field: getattr(entry, field) or "" for field in ("summary", "text", "example", "background")}
        texts.update({f"tasks[{n}]": task for n, task in enumerate(entry.tasks)})
        texts.update({f"practice[{n}]": line.says for n, line in enumerate(entry.practice)})
        for field, text in texts.items():
            own = fold(text).split()
            shared = [" ".join(own[i : i + RUN]) for i in range(len(own) - RUN + 1) if tuple(own[i : i + RUN]) in runs]
            if shared:
                copied.append(f"{entry.id}.{field}: {shared[0]}")
    assert copied == []
