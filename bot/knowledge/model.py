"""Typed knowledge-base entries (knelpunten, oplossingen, rollen, begrippen, thema's, voorbeelden, overzichten)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

KINDS = ("knelpunt", "oplossing", "rol", "begrip", "thema", "voorbeeld", "overzicht")
LEVELS = ("traject", "keten", "netwerk", "beleid")


@dataclass(frozen=True)
class Source:
    file: str
    section: str


@dataclass(frozen=True)
class Practice:
    """A line "uit de praktijk": what someone in the field said, in our own words, and who in general terms."""

    who: str
    says: str


@dataclass(frozen=True, kw_only=True)
class Entry:
    id: str
    kind: str
    title: str
    summary: str
    text: str
    synonyms: tuple[str, ...]
    questions: tuple[str, ...]
    related: tuple[str, ...]
    sources: tuple[Source, ...]
    parent: str | None = None
    number: int | None = None
    levels: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    example: str | None = None
    items: tuple[str, ...] = ()
    # A voorbeeld entry names the entries it is an example of.
    illustrates: tuple[str, ...] = ()
    practice: tuple[Practice, ...] = ()
    # How people in the field put this problem in a chat, in everyday words: read for meaning only
    # (bot/understanding/meaning.py), never shown and never matched word for word.
    voices: tuple[str, ...] = ()
    # General background that no source gives; always shown with a label that says so.
    background: str | None = None
    file: str = ""
    line: int = 0
    # The line of each field's key in the file, for messages that point at a field.
    field_lines: tuple[tuple[str, int], ...] = ()

    @property
    def source(self) -> Source:
        """The first (main) source."""
        return self.sources[0]

    def line_of(self, field: str) -> int:
        return dict(self.field_lines).get(field, self.line)


class KnowledgeBase:
    """All entries, by id, in file order."""

    def __init__(self, entries: list[Entry], sources: dict[str, dict[str, str]] | None = None) -> None:
        self._entries = {entry.id: entry for entry in entries}
        self._sources = sources or {}
        self._solutions: dict[str, list[Entry]] = {}
        self._examples: dict[str, list[Entry]] = {}
        for entry in entries:
            if entry.kind == "oplossing" and entry.parent:
                self._solutions.setdefault(entry.parent, []).append(entry)
            for topic in entry.illustrates:
                self._examples.setdefault(topic, []).append(entry)
        for solutions in self._solutions.values():
            solutions.sort(key=lambda e: e.number or 0)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def get(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    def solutions(self, knelpunt_id: str) -> list[Entry]:
        """The numbered solutions of one knelpunt, in order."""
        return list(self._solutions.get(knelpunt_id, ()))

    def examples(self, entry_id: str) -> list[Entry]:
        """The voorbeeld entries that illustrate this entry, in file order."""
        return list(self._examples.get(entry_id, ()))

    def of_kind(self, kind: str) -> list[Entry]:
        return [entry for entry in self._entries.values() if entry.kind == kind]

    def source_label(self, source: Source) -> str:
        """A readable reference: title and author from bronnen.yaml, then the section."""
        known = self._sources.get(source.file)
        name = f"{known['title']} ({known['author']})" if known else source.file
        return f"{name}, {source.section}"
