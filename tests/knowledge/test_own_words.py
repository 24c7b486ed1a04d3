"""The knowledge base is written in its own words: no run of seven words is taken over from the sources.

The sources live beside the project in ../shared/sources (as in CI); without them this test is skipped.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.knowledge.own_words import copied_problems, read_source_texts, source_runs

SOURCES = Path(__file__).resolve().parents[3] / "shared" / "sources"
needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is not beside the project")


@needs_sources
def test_no_sentence_is_copied_from_the_sources(knowledge):
    assert [str(problem) for problem in copied_problems(knowledge, source_runs(read_source_texts(SOURCES)))] == []


def test_a_copied_run_of_seven_words_is_an_error_with_field_and_line(knowledge):
    entry = knowledge.get("begrip-ketenregie")
    runs = source_runs(["Een bron zegt: de partners werken samen aan een plan voor de cliënt."])
    copied = replace(entry, text="Zo gaat het: de partners werken samen aan een plan voor iedereen.")
    problems = copied_problems([copied], runs)
    assert [p.entry_id for p in problems] == ["begrip-ketenregie"]
    assert problems[0].line == entry.line_of("text")
    assert "text neemt 7 woorden letterlijk over uit de bronnen: 'de partners werken samen aan een plan'" in problems[0].message
