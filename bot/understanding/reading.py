"""One reading of a message, made once at the door (bot/core.py) and used by everything after it.

Understanding looks at READ_CHARS characters of a message: all of a short one, the start and (mostly) the end
of a long one, where people put their question. The privacy check reads the whole message, before this.
The text is folded once, piece by piece (bot/language/dutch.py `fold_pieces`), so the typed spelling of every
word stays at hand ("'s-Hertogenbosch" for the place "s hertogenbosch"); the words, the sentences and the one
that asks, and the numbers are derived from those pieces, never by folding again. The matcher's understanding
(intent, candidates) is added on the worker thread, where the CPU-heavy part runs; anything that needs the
database (the sender's roles, the places on the map) is looked up later, on the event loop, once and only
when asked (bot/social/access.py `Sender`, the directory's `view()`).

Issue 14 adds to this reading what understanding needs next, each a property computed once from the pieces:
the sentence that asks (`asking`), the form of the message (`asks`: a question, or a statement such as a vented
problem) and negation (`negated`). Stems, synonyms, compound parts and typos are resolved by the term index
(bot/understanding/term_index.py `query_terms`) against the knowledge's own vocabulary, once per message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

from bot.language.dutch import MAX_TOKENS, fold_pieces

if TYPE_CHECKING:
    from bot.understanding.matcher import Understanding

# The one length understanding reads of a message; its cost grows with the length, and a question is rarely longer.
READ_CHARS = 1000
# Of a longer message it reads the start and, mostly, the end, where people put their question.
HEAD_SHARE = 0.3
_SENTENCE_END = (".", "?", "!")
_NUMBER = re.compile(r"^\d+$")
# A sentence that starts with a question word (or an inverted verb) asks, also without a question mark.
_QUESTION_START = re.compile(
    r"^(wat|wie|waar\w*|waarom|wanneer|hoe|hoeveel|hoelang|welke?|kan|kun|kunt|kunnen|mag|mogen|moet|moeten|"
    r"is|zijn|heb|hebben|heeft|hebt|bestaat|klopt|geldt|weet|weten|wordt|worden|zou|zouden|snap|begrijp)\b"
    # A request for information: "ik zoek het formulier voor …", "ik vraag me af of …".
    r"|^(ik zoek|ik ben op zoek naar|wij zoeken|we zoeken|ik (vraag|vroeg) (me|mij) af|ik wil (graag )?weten|ik zou (graag )?willen weten)\b"
    # A question word after a preposition: "binnen hoeveel dagen …", "bij wie kan ik …", "met welke partners …".
    r"|^(binnen|na|voor|met|bij|van|op|aan|door|tot|sinds|vanaf) (hoeveel|welke?|wie|wat|wanneer|hoelang)\b"
    # A request: "geef me alle knelpunten", "noem eens drie oplossingen", "leg uit wat ketenregie is".
    r"|^(geef|toon|noem|vertel|leg|som|help)\b"
)
# A question inside a sentence, after a comma or "en/maar/dus": "…, hoe los ik dat op".
_SUBJECT = r"(?:ik|je|jij|u|we|wij|ze|zij|hij|die|dat|het|men|jullie)"
_CLAUSE_QUESTION = re.compile(
    r"(?:[,;:]\s*|\b(?:en|maar|dus)\s+)(?:hoe|wat|wie|waar|waarom|wanneer|welke|hoeveel|hoelang)\s+"
    r"(?:kan|kun|kunt|moet|moeten|los|doe|doen|pak|krijg|maak|zorg|ik|je|jij|u|we|wij|is|zijn|kost|kosten|\w+ " + _SUBJECT + r")\b"
    # An inverted verb after a comma: "…, kan die daar zelf een regeling voor treffen".
    r"|[,;:]\s*(?:kan|kun|kunt|mag|moet|is|zijn|heb|heeft|weet|wil|wordt|klopt)\s+" + _SUBJECT + r"\b"
    # A question for a thing after a comma: "…, wat is de beslistermijn", "…, hoeveel krijgt ze dan".
    r"|[,;:]\s*(?:wat|wie|welke|hoe|waar|wanneer|hoeveel|hoelang)\s+(?:is|zijn|was|waren|wordt|worden|lang|hoog|veel|zit|zat|gaat|krijgt|krijgen|kost|kosten|duurt|geldt)\b"
)
_NEGATION = re.compile(r"\b(niet|geen|nooit|niemand|niets|niks|nergens|nauwelijks|amper|zonder|nie)\b")


def excerpt(text: str, limit: int = READ_CHARS) -> str:
    """The part of a long message that understanding reads: its start and its end, cut between words."""
    if len(text) <= limit:
        return text
    head = text[: int(limit * HEAD_SHARE)].rsplit(" ", 1)[0]
    tail = text[len(text) - (limit - len(head) - 1) :].split(" ", 1)[-1]
    return f"{head}\n{tail}"


@dataclass(frozen=True)
class Reading:
    """A message's text as understanding sees it. `pieces` are the whitespace-separated pieces of `text`, each
    as typed and folded; `understanding` is the matcher's, once it has read it (None for a click)."""

    text: str
    pieces: tuple[tuple[str, str], ...]
    understanding: Understanding | None = field(default=None, compare=False)

    @cached_property
    def folded(self) -> str:
        """The text folded (lower case, no accents or punctuation): what the rules and the matcher read."""
        return " ".join(folded for _, folded in self.pieces if folded)

    @cached_property
    def words(self) -> tuple[str, ...]:
        """The folded words, at most MAX_TOKENS."""
        return tuple(self.folded.split()[:MAX_TOKENS])

    @cached_property
    def sentences(self) -> tuple[str, ...]:
        """The folded sentences: a sentence ends with a piece that ends with '.', '?' or '!'."""
        return tuple(" ".join(f for _, f in sentence if f) for sentence in self._sentence_pieces)

    @cached_property
    def _sentence_pieces(self) -> tuple[tuple[tuple[str, str], ...], ...]:
        sentences: list[tuple[tuple[str, str], ...]] = []
        current: list[tuple[str, str]] = []
        for piece in self.pieces:
            current.append(piece)
            if piece[0].endswith(_SENTENCE_END):
                sentences.append(tuple(current))
                current = []
        if current:
            sentences.append(tuple(current))
        return tuple(sentences)

    @cached_property
    def question(self) -> str | None:
        """In a message of several sentences, the (last) one that asks, folded; None for a single sentence."""
        sentences = self._sentence_pieces
        if len(sentences) < 2:
            return None
        asking = [i for i, sentence in enumerate(sentences) if sentence[-1][0].endswith("?")]
        return self.sentences[(asking or [len(sentences) - 1])[-1]]

    @cached_property
    def asking(self) -> str:
        """The sentence that asks, folded: the last one with a question mark, else the last that starts with a
        question word, else the last sentence (all of a message of one sentence)."""
        sentences = self._sentence_pieces
        if len(sentences) < 2:
            return self.folded
        marked = [i for i, sentence in enumerate(sentences) if sentence[-1][0].endswith("?")]
        worded = [i for i, sentence in enumerate(self.sentences) if _QUESTION_START.match(sentence)]
        return self.sentences[(marked or worded or [len(sentences) - 1])[-1]]

    @cached_property
    def question_text(self) -> str | None:
        """The sentence that asks in a message of several (`question`), as typed; None for a single sentence."""
        if self.question is None:
            return None
        return next(" ".join(typed for typed, _ in pieces) for pieces, folded in zip(self._sentence_pieces, self.sentences, strict=True) if folded == self.question)

    @cached_property
    def asks(self) -> bool:
        """Whether the message is a question, by its form: a question mark, a sentence that starts with a
        question word, or a question clause ("…, hoe los ik dat op"). Otherwise it is a statement: a situation
        described or a problem vented ("de gemeente luistert gewoon niet")."""
        if any(typed.endswith("?") for typed, _ in self.pieces):
            return True
        return any(_QUESTION_START.match(sentence) for sentence in self.sentences) or bool(_CLAUSE_QUESTION.search(self.text.lower()))

    @cached_property
    def negated(self) -> bool:
        """Whether the message says something is not so ("niet", "geen", "nooit", chat spelling "nie" too)."""
        return negates(self.folded)

    @property
    def terms(self) -> tuple[str, ...]:
        """The terms the matcher searched the knowledge base with (empty before it has read the message)."""
        return self.understanding.terms if self.understanding is not None else ()

    @cached_property
    def numbers(self) -> tuple[str, ...]:
        """The numbers in the message, as written digits ("koppel 123456", "3")."""
        return tuple(word for word in self.folded.split() if _NUMBER.match(word))

    def spelling_of(self, folded: str) -> str | None:
        """How the user typed a piece whose folded form is `folded` ("'s-Hertogenbosch"), punctuation around it
        left out; None when no single piece folds to it."""
        for typed, piece in self.pieces:
            if piece == folded:
                return typed.strip("?!.,;:()\"")
        return None

    def understood(self, understanding: Understanding) -> Reading:
        return replace(self, understanding=understanding)


def negates(folded: str) -> bool:
    """Whether a folded text says something is not so: "niet", "geen", "nooit", "niemand", "nie" …"""
    return bool(_NEGATION.search(folded))


def read(text: str) -> Reading:
    """The reading of a message's text: what understanding reads of it, folded once."""
    part = excerpt(text)
    return Reading(part, tuple(fold_pieces(part)))
