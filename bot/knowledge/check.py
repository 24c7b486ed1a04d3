"""Everything `ketenbot kb check` looks at, in one report: the entries, the language files, the section
map (every section of every source answered) and plain Dutch (B1)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.loader import read_knowledge, read_sources
from bot.knowledge.model import Entry
from bot.knowledge.plain_dutch import b1_problems, summary_statistics
from bot.knowledge.section_map import coverage_problems, read_sections
from bot.language.files import Problem
from bot.language.lexicon import lexicon_problems


@dataclass(frozen=True)
class CheckReport:
    entries: list[Entry]
    errors: list[Problem]
    warnings: list[Problem]
    # Summary sentences: how many, their average length in words, how many over the B1 maximum.
    sentences: int
    average_words: float
    long_sentences: int


def check_knowledge(directory: Path) -> CheckReport:
    entries, problems = read_knowledge(directory)
    problems += lexicon_problems(directory)
    sections, section_problems = read_sections(directory)
    sources, _ = read_sources(directory)
    problems += section_problems + coverage_problems(sections, entries, sources)
    count, average, long_sentences = summary_statistics(entries)
    return CheckReport(entries, problems, b1_problems(entries, directory), count, average, long_sentences)
