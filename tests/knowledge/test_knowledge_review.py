"""The knowledge base is checked against its sources: every entry has a review record in
docs/kennisreview.yaml whose quoted passages really occur in the source files, and the section map
(knowledge/secties.yaml) names real headings of the sources, all of them.

The sources live beside the project in ../shared/sources (as in CI); without them the tests that read
them are skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from bot.config import bundled_knowledge_dir
from bot.knowledge.section_map import read_sections
from bot.language.dutch import fold

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT.parent / "shared" / "sources"
REVIEW = ROOT / "docs" / "kennisreview.yaml"
VERDICTS = {"getrouw", "aangepast", "nieuw"}
needs_sources = pytest.mark.skipif(not SOURCES.is_dir(), reason="../shared/sources is not beside the project")


def records() -> dict[str, dict]:
    data = yaml.safe_load(REVIEW.read_text(encoding="utf-8"))
    ids = [record["id"] for record in data]
    assert len(ids) == len(set(ids)), "an entry has two review records"
    return {record["id"]: record for record in data}


def source_text(name: str) -> str:
    return " ".join((SOURCES / name).read_text(encoding="utf-8").split())


def test_every_entry_has_one_review_record_and_no_record_is_stale(knowledge):
    reviewed = records()
    assert sorted(entry.id for entry in knowledge if entry.id not in reviewed) == []
    assert sorted(entry_id for entry_id in reviewed if entry_id not in knowledge) == []


def test_every_record_has_a_verdict_a_change_note_and_a_passage_for_each_source_the_entry_cites(knowledge):
    reviewed = records()
    for entry in knowledge:
        record = reviewed[entry.id]
        assert record["verdict"] in VERDICTS, entry.id
        assert str(record["changed"]).strip(), entry.id
        quoted = {source["file"] for source in record["sources"] if source["quotes"]}
        assert quoted == {source.file for source in entry.sources}, entry.id


@needs_sources
def test_every_quoted_passage_occurs_in_its_source_file():
    missing = [
        f"{entry_id} {source['file']}: {quote!r}"
        for entry_id, record in records().items()
        for source in record["sources"]
        for quote in source["quotes"]
        if " ".join(quote.split()) not in source_text(source["file"])
    ]
    assert missing == []


def heading_words(heading: str) -> list[str]:
    """The words of a heading as the source has it: the part after ' › ', without a note in brackets."""
    last = heading.split(" › ")[-1]
    if last.endswith(")") and not last.endswith("(s) vormen"):
        last = re.sub(r"\s*\([^()]*\)$", "", last)
    return fold(last).split()


def folded_source(name: str) -> str:
    # Words broken over two lines by the PDF ("keten- regisseur") are joined again.
    text = re.sub(r"(\w)-\s+(\w)", r"\1\2", (SOURCES / name).read_text(encoding="utf-8"))
    return f" {fold(text)} "


@needs_sources
def test_every_heading_in_the_section_map_occurs_in_its_source():
    sections, problems = read_sections(bundled_knowledge_dir())
    assert problems == []
    absent = []
    for section in sections:
        words, text = heading_words(section.heading), folded_source(section.file)
        # The PDF extraction sometimes mangles a chapter's number and first word ("7 OWeIke …").
        found = f" {' '.join(words)} " in text or any(f"{' '.join(words[k:])} " in text for k in (1, 2) if len(words) - k >= 2)
        if not found:
            absent.append(f"{section.file}: {section.heading}")
    assert absent == []


@needs_sources
def test_every_numbered_section_of_the_sources_is_in_the_section_map():
    sections, _ = read_sections(bundled_knowledge_dir())
    mapped = [(s.file, " ".join(heading_words(s.heading))) for s in sections]
    numbered = re.compile(r"^\s*(\d\.\d+\.?\s+\S.*)$")
    # A heading may run on to the next line, so the line need only be the start of a mapped heading.
    missing = [
        f"{path.name}: {found.group(1)}"
        for path in SOURCES.glob("*.txt")
        for line in path.read_text(encoding="utf-8").splitlines()
        if (found := numbered.match(line))
        and not any(file == path.name and heading.startswith(fold(found.group(1))) for file, heading in mapped)
    ]
    assert missing == []


def test_every_knelpunt_and_oplossing_has_its_own_heading_in_the_section_map(knowledge):
    sections, _ = read_sections(bundled_knowledge_dir())
    covered = {entry_id for section in sections if section.file.startswith("003_") for entry_id in section.entries}
    required = {e.id for e in knowledge if e.kind in ("knelpunt", "oplossing")}
    assert required - covered == set()
