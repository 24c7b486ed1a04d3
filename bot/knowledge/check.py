"""Everything `ketenbot kb check` looks at, in one report: the entries (of the base and any local knowledge read
after it), the language files, the section map (every section of every source answered), plain Dutch (B1), and,
given the source texts, own words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.layers import read_layers
from bot.knowledge.model import Entry
from bot.knowledge.own_words import copied_problems, read_source_texts, source_runs
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


def check_knowledge(folders: Path | Sequence[Path], *, source_texts: Path | None = None) -> CheckReport:
    """Check a knowledge base, or a base (the first folder) with the local knowledge read after it."""
    folders = [folders] if isinstance(folders, Path) else list(folders)
    base = folders[0]
    entries, sources, problems = read_layers(folders)
    problems += lexicon_problems(base)
    sections, section_problems = read_sections(base)
    # The section map is about the bundled sources: it is checked against the base alone, so that an overlay's own
    # documents and overrides do not count as gaps in it.
    base_entries, base_sources, _ = read_layers([base]) if len(folders) > 1 else (entries, sources, [])
    problems += section_problems + coverage_problems(sections, base_entries, base_sources)
    if source_texts is not None:
        problems += copied_problems(entries, source_runs(read_source_texts(source_texts)))
    count, average, long_sentences = summary_statistics(entries)
    warnings = [p for p in problems if p.warning] + b1_problems(entries, base)
    return CheckReport(entries, [p for p in problems if not p.warning], warnings, count, average, long_sentences)
