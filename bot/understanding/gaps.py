"""The knowledge-gap loop: what people ask that ketenbot cannot answer well, kept scrubbed and grouped into themes.

Kept are questions that got the fallback or a doubtful guess ("Bedoel je …?"), and answers marked unhelpful (👎,
or a typed "nee, dat bedoel ik niet"). Before anything is stored the question is scrubbed (bot/language/scrub.py:
no e-mail address, number or name from the social map) and cut to KEPT_CHARS. A new question joins the theme of
the most similar kept question (their words, stemmed and with synonyms resolved, overlap enough), else it starts
a theme. A reviewer sees the themes with `ketenbot gaps` (a director with "kennisvragen"), links one to an entry
(its phrasings become example questions in the local knowledge) or dismisses it. Themes go RETENTION after they
were last seen; "verwijder mij" removes someone's own kept questions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.language.dutch import fold
from bot.language.lexicon import Lexicon
from bot.language.scrub import PLACEHOLDERS, scrub

FALLBACK, UNSURE, UNHELPFUL = "fallback", "unsure", "unhelpful"
RETENTION = timedelta(days=90)
KEPT_CHARS = 300
# Share of the shorter question's words that the other must have for both to be one theme.
SAME_THEME = 0.5
# Words that start alike for this many letters count as one ("parkeren", "parkeerplaats").
SHARED_START = 6
EXAMPLES = 3
TOP_THEMES = 5


@dataclass(frozen=True)
class KeptQuestion:
    theme_id: int
    asked_at: datetime
    question: str
    terms: tuple[str, ...]
    reason: str
    guess: str | None
    score: float


@dataclass(frozen=True)
class Theme:
    id: int
    count: int
    first_seen: datetime
    last_seen: datetime
    examples: tuple[str, ...]
    guess: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "theme": self.id,
            "count": self.count,
            "first_seen": self.first_seen.isoformat(),
            "last_seen": self.last_seen.isoformat(),
            "examples": list(self.examples),
            "best_guess": self.guess,
        }


def cleaned(text: str, names: frozenset[str]) -> str:
    """The question as it may be kept: scrubbed, on one line, at most KEPT_CHARS characters."""
    kept = scrub(text, names)
    return kept if len(kept) <= KEPT_CHARS else kept[: KEPT_CHARS - 1].rsplit(" ", 1)[0] + "…"


def as_example(question: str) -> str:
    """A kept question as an example question for an entry: without the placeholders of what was scrubbed."""
    for placeholder in PLACEHOLDERS:
        question = question.replace(placeholder, " ")
    return " ".join(question.split())


def terms_of(question: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The words that say what a kept question is about: stemmed, synonyms resolved, without stop words."""
    words = fold(lexicon.rewrite_phrases(fold(as_example(question)))).split()
    skip = lexicon.stopwords | lexicon.common
    return tuple(dict.fromkeys(lexicon.term(word) for word in words if len(word) > 2 and word not in skip))


def _alike(a: str, b: str) -> bool:
    return a == b or (min(len(a), len(b)) >= SHARED_START and a[:SHARED_START] == b[:SHARED_START])


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """The share of the shorter word list that the other has (words alike at the start count)."""
    if not a or not b:
        return 0.0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    return sum(1 for word in short if any(_alike(word, other) for other in long)) / len(short)


def theme_for(terms: Sequence[str], kept: Iterable[KeptQuestion]) -> int | None:
    """The theme of the most similar kept question, if it is similar enough; None: a new theme."""
    best = max(((similarity(terms, q.terms), q.theme_id) for q in kept), default=(0.0, None))
    return best[1] if best[0] >= SAME_THEME else None


def themes(kept: Iterable[KeptQuestion]) -> list[Theme]:
    """The themes of the kept questions, the most asked first (then the most recent)."""
    grouped: dict[int, list[KeptQuestion]] = {}
    for question in kept:
        grouped.setdefault(question.theme_id, []).append(question)
    result = []
    for theme_id, questions in grouped.items():
        questions.sort(key=lambda q: q.asked_at)
        guesses = Counter(q.guess for q in questions if q.guess)
        examples = tuple(dict.fromkeys(q.question for q in reversed(questions)))[:EXAMPLES]
        guess = guesses.most_common(1)[0][0] if guesses else None
        result.append(Theme(theme_id, len(questions), questions[0].asked_at, questions[-1].asked_at, examples, guess))
    return sorted(result, key=lambda t: (-t.count, -t.last_seen.timestamp(), t.id))
