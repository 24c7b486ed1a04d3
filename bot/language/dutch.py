"""Dutch text handling for the matcher: folding, tokens and stems.

Folding makes cliënt, cliént, Client and CLIENT one word; stems make knelpunten and knelpunt one word.
The classic Snowball (Porter) Dutch stemmer is used: the newer one strips the ge- prefix and turns
"gegevens" into "geven", which hurts more than it helps here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_NON_WORD = re.compile(r"[^a-z0-9]+")
_POSSESSIVE_S = re.compile(r"(?<=[a-z])['’`´]s\b")
_APOSTROPHES = re.compile(r"['’`´]")
_STEMMER = snowballstemmer.stemmer("dutch_porter")
MAX_TOKENS = 200


def fold(text: str) -> str:
    """Lower case, no diacritics, only letters and digits separated by single spaces."""
    return _folded(text)


def _folded(text: str) -> str:
    if text.isascii():
        # Nothing to decompose (most texts; an import of 100 000 partners folds every field).
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = _POSSESSIVE_S.sub("", text)
    text = _APOSTROPHES.sub("", text)
    return _NON_WORD.sub(" ", text).strip()


def fold_pieces(text: str) -> list[tuple[str, str]]:
    """Each whitespace-separated piece of a text as typed, with its folded form ("" for "?" or an emoji; "s
    hertogenbosch" for "'s-Hertogenbosch"). Joining the folded pieces that are not empty gives `fold(text)`:
    a message is folded once, this way, and its typed spelling stays at hand (bot/understanding/reading.py)."""
    return [(piece, _folded(piece)) for piece in text.split()]


def words(text: str) -> list[str]:
    """The folded words of a text, at most MAX_TOKENS (a question is never longer than that)."""
    return fold(text).split()[:MAX_TOKENS]


# Derivations that name the same thing as their base word: complexiteit ~ complex, dakloosheid ~ dakloos.
_DERIVATIONS = ("iteit", "heid")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in _DERIVATIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 5:
            word = word[: -len(suffix)]
            break
    return _STEMMER.stemWord(word)


_YES = re.compile(r"^(ja|jazeker|jawel|yes|ok|oke|okay|akkoord|graag|prima|klopt|goed|zeker|doe maar|verstuur|versturen)\b")
_NO = re.compile(r"^(nee|neen|no|niet|liever niet|nope|stop|annuleer)\b")


def yes_or_no(folded: str) -> bool | None:
    """True for a Dutch yes ("ja", "akkoord", …), False for a no, None when it is neither."""
    if _NO.match(folded):
        return False
    if _YES.match(folded):
        return True
    return None


# A no anywhere outweighs a yes: "doe maar niet", "ja, nee, wacht", "toch maar niet".
_NEGATION = re.compile(
    r"\b(nee|neen|no|nope|niet|liever niet|stop|stoppen|annuleer\w*|afbreken|cancel|wacht\w*|laat maar|nog niet)\b"
)
# "maar" after a verb softens a yes ("stuur maar", "doe maar"); anywhere else it opens a condition.
_SOFTENED = re.compile(r"\b(doe|stuur|verstuur|ga|gaan|zet|gooi|plaats|bewaar|publiceer|verwijder|mag|kan) maar\b")
_CONDITION = re.compile(r"\b(maar|eerst|als|mits|tenzij|behalve|zodra|wanneer|indien|nadat|voordat|pas|straks|later)\b")


def read_yes_no(folded: str) -> bool | None:
    """True for a clear yes, False for a no anywhere in the answer, None for a yes with a condition or neither."""
    if _NEGATION.search(folded):
        return False
    answer = yes_or_no(folded)
    if answer and _CONDITION.search(_SOFTENED.sub("", folded)):
        return None
    return answer


# How a Dutch question starts: "wat is ketenregie", "wie kan ik bellen …", "hoe werkt …".
_QUESTION_START = re.compile(
    r"^(wat|wie|waar|waarom|waarmee|waarover|waarvoor|wanneer|hoe|hoeveel|hoelang|welke?|kan|kun|kunt|mag|is|zijn)\b"
)


def looks_like_question(text: str) -> bool:
    """Phrased as a question: words ending with "?" (a lone "?" is no question), or a question word first."""
    stripped = text.strip()
    if stripped.endswith("?") and any(char.isalnum() for char in stripped):
        return True
    return bool(_QUESTION_START.match(fold(stripped[:200])))


def one_of(*parts: str) -> str:
    """Choices as Dutch lists them: "a", "a of b", "a, b of c"."""
    return ", ".join(parts[:-1]) + " of " + parts[-1] if len(parts) > 1 else parts[0]
