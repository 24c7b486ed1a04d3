"""The section map (knowledge/secties.yaml): every heading of every source, with the entries that answer it.

`ketenbot kb check` uses it to report sections that no entry covers. What counts as a heading is
explained at the top of the file itself, for the people who keep it up to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from bot.knowledge.loader import SECTIONS_FILE
from bot.knowledge.model import Entry
from bot.language.files import Problem, safe_loader, yaml_problem

SHAPE = "verwacht per bronbestand een lijst van {heading: …, entries: [id, …]}"


@dataclass(frozen=True)
class Section:
    file: str
    heading: str
    entries: tuple[str, ...]
    line: int


def _section(file: str, node: object) -> Section | None:
    if not isinstance(node, MappingNode):
        return None
    data = SafeConstructor().construct_document(node)
    heading, ids = data.get("heading"), data.get("entries")
    if set(data) != {"heading", "entries"} or not isinstance(heading, str) or not heading.strip():
        return None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        return None
    return Section(file, heading.strip(), tuple(ids), node.start_mark.line + 1)


def read_sections(directory: Path) -> tuple[list[Section], list[Problem]]:
    """The sections in the map, or none if the folder has no map (an overlay need not have one)."""
    path = directory / SECTIONS_FILE
    if not path.is_file():
        return [], []
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"), Loader=safe_loader())
    except yaml.YAMLError as exc:
        return [], [yaml_problem(SECTIONS_FILE, exc)]
    if not isinstance(root, MappingNode):
        return [], [Problem(SECTIONS_FILE, None, None, SHAPE)]
    sections: list[Section] = []
    problems: list[Problem] = []
    for key, value in root.value:
        file = key.value if isinstance(key, ScalarNode) else str(key)
        items = value.value if isinstance(value, SequenceNode) else [value]
        for item in items:
            section = _section(file, item)
            if section is None:
                problems.append(Problem(SECTIONS_FILE, item.start_mark.line + 1, None, SHAPE))
            else:
                sections.append(section)
    return sections, problems


def coverage_problems(sections: list[Section], entries: list[Entry], sources: dict[str, object]) -> list[Problem]:
    """Sections no entry covers, ids that do not exist, entries that do not cite the section's source."""
    if not sections:
        return []
    by_id = {entry.id: entry for entry in entries}
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()

    def add(section: Section, message: str, entry_id: str | None = None) -> None:
        problems.append(Problem(SECTIONS_FILE, section.line, entry_id, message))

    for section in sections:
        where = f"'{section.heading}' ({section.file})"
        if (section.file, section.heading) in seen:
            add(section, f"sectie {where} staat er twee keer in")
        seen.add((section.file, section.heading))
        if sources and section.file not in sources:
            add(section, f"bron '{section.file}' staat niet in bronnen.yaml")
        if not section.entries:
            add(section, f"sectie {where} wordt door geen entry beantwoord")
        for entry_id in section.entries:
            entry = by_id.get(entry_id)
            if entry is None:
                add(section, f"sectie {where} verwijst naar onbekende id '{entry_id}'", entry_id)
            elif section.file not in {source.file for source in entry.sources}:
                add(section, f"entry noemt bron '{section.file}' niet, maar staat bij sectie {where}", entry_id)
    mapped = {section.file for section in sections}
    for file in sources:
        if file not in mapped:
            problems.append(Problem(SECTIONS_FILE, None, None, f"bron '{file}' heeft geen secties in {SECTIONS_FILE}"))
    return problems
