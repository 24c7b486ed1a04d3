"""Reads the YAML knowledge base, validates it and builds typed entries.

`read_knowledge` lists every problem at once (for `ketenbot kb check`); `load_knowledge` refuses to
start on any problem. Messages are Dutch: the people who edit the YAML read them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.knowledge.model import KINDS, LEVELS, Entry, KnowledgeBase, Practice, Source
from bot.language.files import Problem, load_yaml, safe_loader, yaml_problem
from bot.language.lexicon import LANGUAGE_DIR

if TYPE_CHECKING:
    from yaml.nodes import Node

# YAML is imported where a file is read, not at start-up: a start with the matcher cache reads none
# (adapters/matcher_cache.py).

SOURCES_FILE = "bronnen.yaml"
# The map of the sources' sections (bot/knowledge/section_map.py): not entries, so the loader skips it.
SECTIONS_FILE = "secties.yaml"
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)?$")
COMMON_FIELDS = ("id", "kind", "title", "summary", "text", "synonyms", "questions", "related", "source")
REQUIRED_BY_KIND = {
    "oplossing": ("parent", "number"),
    "rol": ("levels", "tasks"),
    "overzicht": ("items",),
    "voorbeeld": ("illustrates",),
}
OPTIONAL_FIELDS = ("practice", "background", "voices")
OPTIONAL_BY_KIND = {"begrip": ("example",), "thema": ("example",)}
TEXT_FIELDS = ("id", "kind", "title", "summary", "text", "parent", "example", "background")
LIST_FIELDS = ("synonyms", "questions", "related", "levels", "tasks", "items", "illustrates", "voices")
SOURCE_SHAPE = "veld 'source' moet {file: …, section: …} zijn, of een lijst daarvan"
PRACTICE_SHAPE = "veld 'practice' moet een lijst van {who: …, says: …} zijn"


class KnowledgeError(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the knowledge base: {problems[0]}")
        self.problems = problems


@dataclass
class RawEntry:
    """One entry as read, with the lines of its fields, before it becomes an Entry."""

    data: dict[str, Any]
    lines: dict[str, int]
    line: int
    file: str


def entry_files(directory: Path) -> list[Path]:
    """The YAML files that hold entries (everything except the language data in taal/)."""
    return sorted(
        path
        for path in directory.rglob("*.y*ml")
        if path.suffix in (".yaml", ".yml")
        and LANGUAGE_DIR not in path.relative_to(directory).parts[:-1]
        and path.relative_to(directory).as_posix() not in (SOURCES_FILE, SECTIONS_FILE)
    )


def read_sources(directory: Path) -> tuple[dict[str, dict[str, str]], list[Problem]]:
    """The source catalogue (bronnen.yaml): file name to title and author; empty if there is none."""
    import yaml

    path = directory / SOURCES_FILE
    if not path.is_file():
        return {}, []
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return {}, [yaml_problem(SOURCES_FILE, exc)]
    valid = isinstance(data, dict) and all(
        isinstance(v, dict) and isinstance(v.get("title"), str) and isinstance(v.get("author"), str)
        for v in data.values()
    )
    if not valid:
        return {}, [Problem(SOURCES_FILE, None, None, "verwacht per bestand 'title:' en 'author:'")]
    return data, []


def _construct(node: Node) -> Any:
    from yaml.constructor import SafeConstructor

    return SafeConstructor().construct_document(node)


def read_raw(path: Path, rel: str) -> tuple[list[RawEntry], list[Problem]]:
    import yaml
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=safe_loader())
    except UnicodeDecodeError:
        return [], [Problem(rel, None, None, "het bestand is geen UTF-8-tekst")]
    except yaml.YAMLError as exc:
        return [], [yaml_problem(rel, exc)]
    if root is None:
        return [], [Problem(rel, None, None, "het bestand is leeg")]
    if not isinstance(root, SequenceNode):
        return [], [Problem(rel, root.start_mark.line + 1, None, "verwacht een lijst van entries (regels met '- id: …')")]
    raws: list[RawEntry] = []
    problems: list[Problem] = []
    for item in root.value:
        line = item.start_mark.line + 1
        if not isinstance(item, MappingNode):
            problems.append(Problem(rel, line, None, "een entry moet velden hebben (id, kind, title, …)"))
            continue
        data: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in item.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else str(key_node)
            if key in data:
                problems.append(Problem(rel, key_node.start_mark.line + 1, None, f"veld '{key}' staat er twee keer"))
            data[key] = _construct(value_node)
            lines[key] = key_node.start_mark.line + 1
        raws.append(RawEntry(data, lines, line, rel))
    return raws, problems


def field_problems(raw: RawEntry) -> list[Problem]:
    data, entry_id = raw.data, raw.data.get("id") if isinstance(raw.data.get("id"), str) else None
    problems: list[Problem] = []

    def add(field: str | None, message: str) -> None:
        problems.append(Problem(raw.file, raw.lines.get(field or "", raw.line), entry_id, message))

    kind = data.get("kind")
    if kind not in KINDS:
        add("kind", f"onbekende kind {kind!r}; kies uit {', '.join(KINDS)}")
        kind = None
    required = COMMON_FIELDS + REQUIRED_BY_KIND.get(kind or "", ())
    allowed = set(required) | set(OPTIONAL_FIELDS) | set(OPTIONAL_BY_KIND.get(kind or "", ()))
    for field in required:
        if field not in data:
            add(None, f"verplicht veld '{field}' ontbreekt")
    for field in data:
        if field not in allowed and (kind or field not in _all_fields()):
            add(field, f"onbekend veld '{field}'" + (f" voor kind {kind}" if kind else ""))
    for field in TEXT_FIELDS:
        if field in data and (not isinstance(data[field], str) or not data[field].strip()):
            add(field, f"veld '{field}' moet een niet-lege tekst zijn")
    for field in LIST_FIELDS:
        value = data.get(field)
        if field in data and (not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value)):
            add(field, f"veld '{field}' moet een lijst van teksten zijn")
    if entry_id is not None and not ID_PATTERN.match(entry_id):
        add("id", f"id {entry_id!r} is geen geldige id (kleine letters, cijfers en '-', zonder accenten)")
    if "source" in data and not _source_list(data["source"]):
        add("source", SOURCE_SHAPE)
    if "practice" in data and not _is_records(data["practice"], {"who", "says"}):
        add("practice", PRACTICE_SHAPE)
    if kind == "oplossing":
        number = data.get("number")
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            add("number", "veld 'number' moet een positief geheel getal zijn")
        elif entry_id and isinstance(data.get("parent"), str) and entry_id != f"{data['parent']}.oplossing-{number}":
            add("id", f"id moet {data['parent']}.oplossing-{number} zijn (parent en number)")
    if kind == "rol" and isinstance(data.get("levels"), list):
        for level in data["levels"]:
            if level not in LEVELS:
                add("levels", f"onbekend niveau {level!r}; kies uit {', '.join(LEVELS)}")
    return problems


def _is_records(value: Any, keys: set[str]) -> bool:
    """A non-empty list of mappings with exactly these keys, each a non-empty text."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(r, dict) and set(r) == keys and all(isinstance(v, str) and v.strip() for v in r.values()) for r in value)
    )


def _source_list(value: Any) -> list[dict[str, str]]:
    """The sources of an entry: one {file, section} mapping or a list of them; empty if malformed."""
    records = [value] if isinstance(value, dict) else value
    return records if _is_records(records, {"file", "section"}) else []


def _all_fields() -> set[str]:
    fields = set(COMMON_FIELDS) | set(OPTIONAL_FIELDS)
    for extra in (*REQUIRED_BY_KIND.values(), *OPTIONAL_BY_KIND.values()):
        fields.update(extra)
    return fields


def to_entry(raw: RawEntry) -> Entry:
    data = raw.data
    return Entry(
        id=data["id"],
        kind=data["kind"],
        title=data["title"].strip(),
        summary=data["summary"].strip(),
        text=data["text"].strip(),
        synonyms=tuple(data["synonyms"]),
        questions=tuple(data["questions"]),
        related=tuple(data["related"]),
        sources=tuple(Source(**record) for record in _source_list(data["source"])),
        parent=data.get("parent"),
        number=data.get("number"),
        levels=tuple(data.get("levels", ())),
        tasks=tuple(data.get("tasks", ())),
        example=(data.get("example") or "").strip() or None,
        items=tuple(data.get("items", ())),
        illustrates=tuple(data.get("illustrates", ())),
        practice=tuple(Practice(**record) for record in data.get("practice", ())),
        voices=tuple(data.get("voices", ())),
        background=(data.get("background") or "").strip() or None,
        file=raw.file,
        line=raw.line,
        field_lines=tuple(raw.lines.items()),
    )


def cross_problems(entries: list[Entry]) -> list[Problem]:
    problems: list[Problem] = []
    first_seen: dict[str, Entry] = {}
    for entry in entries:
        if entry.id in first_seen:
            other = first_seen[entry.id]
            problems.append(
                Problem(entry.file, entry.line, entry.id, f"dubbele id; staat ook in {other.file}:{other.line}")
            )
        else:
            first_seen[entry.id] = entry
    for entry in entries:
        for field, targets in (("related", entry.related), ("items", entry.items), ("illustrates", entry.illustrates)):
            for target in targets:
                if target not in first_seen:
                    problems.append(Problem(entry.file, entry.line, entry.id, f"{field} verwijst naar onbekende id '{target}'"))
        if entry.kind == "oplossing" and entry.parent:
            parent = first_seen.get(entry.parent)
            if parent is None or parent.kind != "knelpunt":
                problems.append(Problem(entry.file, entry.line, entry.id, f"parent '{entry.parent}' is geen bekend knelpunt"))
    expected: dict[str, int] = {}
    for entry in entries:
        if entry.kind != "oplossing" or not entry.parent or entry.number is None:
            continue
        want = expected.get(entry.parent, 1)
        if entry.number != want:
            problems.append(
                Problem(
                    entry.file,
                    entry.line,
                    entry.id,
                    f"oplossingen niet op volgorde: oplossing-{entry.number} waar oplossing-{want} verwacht werd",
                )
            )
        expected[entry.parent] = max(want, entry.number) + 1
    return problems


def read_folder(directory: Path, label: str | None = None) -> tuple[list[Entry], list[Problem]]:
    """The entries of one folder's files that could be read, and the problems of each file on its own. Files are
    named relative to the folder, or below `label` when given (an overlay's files by their full path)."""
    if not directory.is_dir():
        return [], [Problem(str(directory), None, None, "map bestaat niet")]
    entries: list[Entry] = []
    problems: list[Problem] = []
    files = entry_files(directory)
    if not files:
        problems.append(Problem(str(directory), None, None, "geen YAML-bestanden gevonden"))
    for path in files:
        rel = path.relative_to(directory).as_posix()
        raws, file_problems = read_raw(path, f"{label}/{rel}" if label else rel)
        problems.extend(file_problems)
        for raw in raws:
            found = field_problems(raw)
            problems.extend(found)
            if not found:
                entries.append(to_entry(raw))
    return entries, problems


def whole_problems(entries: list[Entry], sources: dict[str, dict[str, str]]) -> list[Problem]:
    """What only the knowledge base as a whole shows: duplicate and unknown ids, solutions out of order, and
    sources that are not in the catalogue (when there is one)."""
    problems = cross_problems(entries)
    if sources:
        for entry in entries:
            for source in entry.sources:
                if source.file not in sources:
                    problems.append(
                        Problem(entry.file, entry.line_of("source"), entry.id, f"bron '{source.file}' staat niet in {SOURCES_FILE}")
                    )
    return problems


def read_knowledge(directory: Path) -> tuple[list[Entry], list[Problem]]:
    """Every entry that could be read, and every problem found, across all files of one folder."""
    entries, problems = read_folder(directory)
    if not directory.is_dir():
        return entries, problems
    sources, source_problems = read_sources(directory)
    return entries, problems + whole_problems(entries, sources) + source_problems


def load_knowledge(directory: Path) -> KnowledgeBase:
    """Load and validate; raise KnowledgeError listing every problem if there is any."""
    entries, problems = read_knowledge(directory)
    if problems:
        raise KnowledgeError(problems)
    sources, _ = read_sources(directory)
    return KnowledgeBase(entries, sources)
