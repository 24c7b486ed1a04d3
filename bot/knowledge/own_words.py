"""Own words: no run of seven words in what a user reads of an entry is taken over from the source texts.

The source texts are not part of the package; `ketenbot kb check --bronnen MAP` compares against the .txt files in
that folder (the test suite against ../shared/sources). The same check holds for the base and for local knowledge.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from bot.knowledge.model import Entry
from bot.language.dutch import fold
from bot.language.files import Problem

RUN = 7


def source_runs(texts: Iterable[str], run: int = RUN) -> set[tuple[str, ...]]:
    """Every run of `run` words of the source texts, folded."""
    words = " ".join(fold(text) for text in texts).split()
    return {tuple(words[i : i + run]) for i in range(len(words) - run + 1)}


def read_source_texts(folder: Path) -> list[str]:
    return [path.read_text(encoding="utf-8", errors="ignore") for path in sorted(folder.glob("*.txt"))]


def _own_texts(entry: Entry) -> Iterator[tuple[str, str]]:
    """Every text of an entry written in its own words, by field (the practice lines by number)."""
    for field in ("summary", "text", "example", "background"):
        text = getattr(entry, field)
        if text:
            yield field, text
    yield from ((f"tasks[{n}]", task) for n, task in enumerate(entry.tasks))
    yield from ((f"practice[{n}]", line.says) for n, line in enumerate(entry.practice))


def copied_problems(entries: Iterable[Entry], runs: set[tuple[str, ...]], run: int = RUN) -> list[Problem]:
    """An error for every field that takes over `run` words in a row from the sources, with the first such run."""
    problems = []
    for entry in entries:
        for field, text in _own_texts(entry):
            own = fold(text).split()
            shared = next((own[i : i + run] for i in range(len(own) - run + 1) if tuple(own[i : i + run]) in runs), None)
            if shared:
                where = entry.line_of(field.split("[")[0])
                message = f"{field} neemt {run} woorden letterlijk over uit de bronnen: '{' '.join(shared)}'; schrijf het in eigen woorden"
                problems.append(Problem(entry.file, where, entry.id, message))
    return problems
