"""Local knowledge: the knowledge base read from several folders, the base first and then each overlay in turn.

A chain adds its own knowledge in an overlay folder without touching the bundled one. An overlay holds YAML files
like the base (and may have its own bronnen.yaml for its own documents); taal/ and secties.yaml are read from the
base only. Each item of an overlay file is one of:
- a new entry, whole, with an id that no earlier folder has ("ons convenant");
- a whole entry with `override: true`: it replaces the entry of that id, which must exist and keep its kind;
- `extend: ID` with `questions:` and/or `synonyms:`: example questions or synonyms added to an existing entry,
  leaving everything a user reads of it as it is (what `ketenbot gaps link` writes).
The whole is then checked as one knowledge base: unknown ids, solutions out of order, sources not in a catalogue.
An overlay's problems name its files by their full path, so that it is clear which folder is meant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.knowledge.loader import (
    SECTIONS_FILE,
    KnowledgeError,
    RawEntry,
    entry_files,
    field_problems,
    read_knowledge,
    read_raw,
    read_sources,
    to_entry,
    whole_problems,
)
from bot.knowledge.model import Entry, KnowledgeBase
from bot.language.files import Problem
from bot.language.lexicon import LANGUAGE_DIR

OVERRIDE = "override"
EXTEND = "extend"
# What an extension may add: words that help understanding, nothing a user reads.
EXTENSION_FIELDS = ("questions", "synonyms")
EXTENSION_SHAPE = "'extend: ID' mag alleen 'questions:' en 'synonyms:' hebben, elk een lijst van teksten"


@dataclass(frozen=True)
class Extension:
    """`extend: ID`: questions and synonyms to add to an entry of an earlier folder."""

    target: str
    questions: tuple[str, ...]
    synonyms: tuple[str, ...]
    file: str
    line: int


def label(folder: Path) -> str:
    """How problems and entries name an overlay folder: by its full path."""
    return str(folder.absolute())


def read_layers(folders: Sequence[Path]) -> tuple[list[Entry], dict[str, dict[str, str]], list[Problem]]:
    """The merged entries (in the base's order, new ones after), the merged source catalogue, and every problem."""
    base, *overlays = folders
    if not overlays:
        entries, problems = read_knowledge(base)
        return entries, read_sources(base)[0], problems
    merged_list, problems = read_knowledge(base)
    merged = {entry.id: entry for entry in merged_list}
    sources = dict(read_sources(base)[0])
    for folder in overlays:
        problems += _overlay(folder, merged, sources)
    entries = list(merged.values())
    # The base was checked on its own above: of the whole, only what the overlays brought in is reported.
    checked = {(entry.id, entry.file) for entry in merged_list}
    problems += [p for p in whole_problems(entries, sources) if (p.entry_id, p.file) not in checked]
    return entries, sources, problems


def load_layers(folders: Sequence[Path]) -> KnowledgeBase:
    """The merged knowledge base; KnowledgeError with every problem if there is any."""
    entries, sources, problems = read_layers(folders)
    if problems:
        raise KnowledgeError(problems)
    return KnowledgeBase(entries, sources)


def _overlay(folder: Path, merged: dict[str, Entry], sources: dict[str, dict[str, str]]) -> list[Problem]:
    """Apply one overlay folder to `merged` and `sources` (in place); its problems."""
    name = label(folder)
    if not folder.is_dir():
        return [Problem(name, None, None, "map bestaat niet")]
    problems: list[Problem] = [
        Problem(f"{name}/{ignored}", None, None, "wordt in een map met lokale kennis niet gelezen (alleen in de basis)", warning=True)
        for ignored in (LANGUAGE_DIR, SECTIONS_FILE)
        if (folder / ignored).exists()
    ]
    own_sources, source_problems = read_sources(folder)
    problems += [replace(p, file=f"{name}/{p.file}") for p in source_problems]
    sources.update(own_sources)
    if not entry_files(folder):
        problems.append(Problem(name, None, None, "geen YAML-bestanden gevonden"))
    earlier = dict(merged)
    added: dict[str, Entry] = {}
    extensions: list[Extension] = []
    for path in entry_files(folder):
        raws, file_problems = read_raw(path, f"{name}/{path.relative_to(folder).as_posix()}")
        problems += file_problems
        for raw in raws:
            if EXTEND in raw.data:
                extension, found = _extension(raw)
                problems += found
                extensions += [extension] if extension else []
                continue
            entry, found = _entry(raw, earlier, added)
            problems += found
            if entry is not None:
                added[entry.id] = entry
                merged[entry.id] = entry
    for extension in extensions:
        problems += _extend(merged, extension)
    return problems


def _entry(raw: RawEntry, earlier: dict[str, Entry], added: dict[str, Entry]) -> tuple[Entry | None, list[Problem]]:
    """A new entry or a replacement of an earlier one; None with the problems when it cannot be used."""
    override = raw.data.get(OVERRIDE, False)
    data = {key: value for key, value in raw.data.items() if key != OVERRIDE}
    found = field_problems(RawEntry(data, raw.lines, raw.line, raw.file))
    entry_id = data.get("id") if isinstance(data.get("id"), str) else None

    def problem(message: str) -> tuple[None, list[Problem]]:
        return None, [*found, Problem(raw.file, raw.lines.get(OVERRIDE, raw.line), entry_id, message)]

    if override is not True and OVERRIDE in raw.data:
        return problem("'override' moet 'true' zijn (of weg)")
    if found or entry_id is None:
        return None, found
    if entry_id in added:
        other = added[entry_id]
        return problem(f"dubbele id; staat ook in {other.file}:{other.line}")
    original = earlier.get(entry_id)
    if override and original is None:
        return problem("'override: true' maar geen eerdere map heeft deze id; laat 'override' weg voor een nieuwe entry")
    if not override and original is not None:
        return problem(
            f"id bestaat al in {original.file}:{original.line}; zet 'override: true' om die entry te vervangen, "
            "of gebruik 'extend:' om alleen vragen of synoniemen toe te voegen"
        )
    if original is not None and original.kind != data["kind"]:
        return problem(f"een vervanging moet dezelfde kind hebben als het origineel ({original.kind})")
    return to_entry(RawEntry(data, raw.lines, raw.line, raw.file)), []


def _texts(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(v.strip() for v in value)
    return None


def _extension(raw: RawEntry) -> tuple[Extension | None, list[Problem]]:
    target = raw.data.get(EXTEND)
    target_id = target if isinstance(target, str) else None
    questions, synonyms = (_texts(raw.data.get(field)) for field in EXTENSION_FIELDS)
    unknown = set(raw.data) - {EXTEND, *EXTENSION_FIELDS}
    if target_id is None or questions is None or synonyms is None or unknown or not (questions or synonyms):
        return None, [Problem(raw.file, raw.line, target_id, EXTENSION_SHAPE)]
    return Extension(target_id, questions, synonyms, raw.file, raw.line), []


def _extend(merged: dict[str, Entry], extension: Extension) -> list[Problem]:
    entry = merged.get(extension.target)
    if entry is None:
        return [Problem(extension.file, extension.line, extension.target, f"extend verwijst naar onbekende id '{extension.target}'")]
    merged[entry.id] = replace(
        entry,
        questions=tuple(dict.fromkeys((*entry.questions, *extension.questions))),
        synonyms=tuple(dict.fromkeys((*entry.synonyms, *extension.synonyms))),
    )
    return []


# Where `ketenbot gaps link` writes the example questions it adds, in the folder of local knowledge.
LINKED_FILE = "gekoppelde-vragen.yaml"
LINKED_HEADER = (
    "# Voorbeeldvragen die 'ketenbot gaps link' aan entries heeft toegevoegd: vragen die mensen stelden en die\n"
    "# ketenbot eerst niet goed beantwoordde. Aanpassen mag; 'kennis herladen' neemt het in gebruik.\n"
)


def add_questions(folder: Path, entry_id: str, questions: Sequence[str]) -> Path:
    """Add example questions to an entry in the local knowledge (an `extend:` item in LINKED_FILE, merged with one
    for the same entry that is there already); the file written."""
    import yaml  # only here: answering a question never writes YAML, and loading PyYAML costs start-up time

    path = folder / LINKED_FILE
    items = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    items = items if isinstance(items, list) else []
    item = next((i for i in items if isinstance(i, dict) and i.get(EXTEND) == entry_id), None)
    if item is None:
        item = {EXTEND: entry_id, "questions": []}
        items.append(item)
    item["questions"] = list(dict.fromkeys([*(item.get("questions") or []), *questions]))
    folder.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(items, allow_unicode=True, sort_keys=False, width=120)
    path.write_text(LINKED_HEADER + text, encoding="utf-8")
    return path
