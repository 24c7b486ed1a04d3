"""Plain Dutch (taalniveau B1) in the knowledge base: warnings for `ketenbot kb check`.

How a sentence is counted: a summary is cut after '.', '?' or '!' when white space and a capital
letter, digit, quote or '(' follow; a colon or semicolon does not end a sentence. A word is every
piece between spaces that holds a letter or digit, so 'ketenpartner-overleg' is one word, '–' none.
Only summaries are held to the length rule (at most 25 words a sentence, 14 on average over all
summaries): they are what a user reads first. Document talk and unexplained English terms are
looked for in everything a user can read: summary, tasks, example, text, practice lines, background.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from bot.config import bundled_knowledge_dir
from bot.knowledge.model import Entry
from bot.language.dutch import fold
from bot.language.files import Problem, load_yaml
from bot.language.lexicon import LANGUAGE_DIR, READABILITY_FILE

MAX_WORDS = 25
MAX_AVERAGE = 14.0
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9À-Ý\"'‘“(])")
_WORD = re.compile(r"[^\W_]", re.UNICODE)
SHOWN_FIELDS = ("summary", "tasks", "example", "text", "practice", "background")


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """Each sentence of a text with the number of words that come before it."""
    before = 0
    for sentence in _SENTENCE_END.split(text.strip()):
        if sentence:
            yield before, sentence
            before += len(sentence.split())


def word_count(sentence: str) -> int:
    return sum(1 for piece in sentence.split() if _WORD.search(piece))


def summary_statistics(entries: list[Entry]) -> tuple[int, float, int]:
    """Number of summary sentences, their average length in words, and how many run over MAX_WORDS."""
    lengths = [word_count(s) for entry in entries for _, s in sentences(entry.summary)]
    average = sum(lengths) / len(lengths) if lengths else 0.0
    return len(lengths), average, sum(1 for n in lengths if n > MAX_WORDS)


def _shown(entry: Entry) -> Iterator[tuple[str, str]]:
    """What a user can read of an entry, field by field, in the order it is shown."""
    for field in SHOWN_FIELDS:
        if field == "tasks":
            yield from ((field, task) for task in entry.tasks)
        elif field == "practice":
            yield from ((field, f"{line.who}: {line.says}") for line in entry.practice)
        elif getattr(entry, field):
            yield field, getattr(entry, field)


def _word_lines(lines: list[str], key_line: int) -> list[int]:
    """The file line of each word of the value whose key is on `key_line` (1-based)."""
    if not 0 < key_line <= len(lines):
        return []
    first = lines[key_line - 1]
    indent = len(first) - len(first.lstrip())
    after_key = first.split(":", 1)[1] if ":" in first else ""
    result = [key_line for token in after_key.split() if not token.startswith((">", "|"))]
    for number in range(key_line + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        result += [number] * len(line.split())
    return result


def _language_file(directory: Path) -> Path:
    own = directory / LANGUAGE_DIR / READABILITY_FILE
    return own if own.is_file() else bundled_knowledge_dir() / LANGUAGE_DIR / READABILITY_FILE


def _word_lists(directory: Path) -> tuple[list[str], list[str]]:
    path = _language_file(directory)
    data = load_yaml(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return list(data.get("documentwoorden", [])), list(data.get("engelse_termen", []))


def _explained(entry: Entry, term: str) -> tuple[str, bool] | None:
    """Where an English term is first used in an entry, and whether it is explained there."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE)
    for field, text in _shown(entry):
        found = pattern.search(text)
        if found:
            before, after = text[: found.start()], text[found.end():]
            defined = field == "summary" and pattern.search(entry.title) is not None
            # "caseload (…)", "T-shaped professionals (…)": the explanation follows the term or its noun;
            # "het effect (de outcome)": the term follows its explanation.
            explained = re.match(r"\s*[\w-]*['’\"]?\s?\(", after) or re.search(r"\((?:de |het |een )?['‘\"]?$", before)
            return field, defined or bool(explained)
    return None


def b1_problems(entries: list[Entry], directory: Path) -> list[Problem]:
    """Warnings: long summary sentences, document talk, English terms not explained at first use."""
    document_words, english = _word_lists(directory)
    document = re.compile(r"\b(" + "|".join(re.escape(fold(w)) for w in document_words) + r")\b") if document_words else None
    problems: list[Problem] = []
    files: dict[str, list[str]] = {}

    def warn(entry: Entry, field: str, message: str, word: int = 0) -> None:
        if entry.file not in files:
            path = directory / entry.file
            files[entry.file] = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
        lines = _word_lines(files[entry.file], entry.line_of(field))
        line = lines[min(word, len(lines) - 1)] if lines else entry.line_of(field)
        problems.append(Problem(entry.file, line, entry.id, message, warning=True))

    for entry in entries:
        for before, sentence in sentences(entry.summary):
            if word_count(sentence) > MAX_WORDS:
                warn(entry, "summary", f"zin van {word_count(sentence)} woorden (B1: hoogstens {MAX_WORDS}): '{sentence}'", before)
        for field, text in _shown(entry):
            found = document.search(fold(text)) if document else None
            if found:
                warn(entry, field, f"{field} praat over het document ('{found.group(1)}'); dat doet de bronregel")
        for term in english:
            use = _explained(entry, term)
            if use and not use[1]:
                warn(entry, use[0], f"Engelse term '{term}' zonder uitleg waar hij voor het eerst staat ({use[0]})")
    count, average, _ = summary_statistics(entries)
    if count and average > MAX_AVERAGE:
        shown = f"{average:.1f}".replace(".", ",")
        message = f"samenvattingen hebben gemiddeld {shown} woorden per zin (B1: hoogstens {MAX_AVERAGE:.0f})"
        problems.append(Problem("samenvattingen", None, None, message, warning=True))
    return problems
