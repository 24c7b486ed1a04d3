"""Scrubbing a question before it is kept (the knowledge-gap loop): no e-mail address, no phone number or other
long number (a BSN, an IBAN's digits), no web address, and no name from the social map.

Each is replaced by a placeholder in brackets, so a reviewer still sees that something stood there. Numbers are
read generously: any run of six or more digits, also with spaces, dots, dashes, slashes or a leading + between
them, counts. A name counts word by word (a first name alone too), compared folded; particles such as "van" and
"de" are not names on their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.language.dutch import fold
from bot.language.privacy import normalise

EMAIL = "[e-mail]"
NUMBER = "[nummer]"
LINK = "[link]"
NAME = "[naam]"
PLACEHOLDERS = (EMAIL, NUMBER, LINK, NAME)

# Only the start of a message is scrubbed and kept: a kept question is at most a few hundred characters, and the
# patterns below take time that grows faster than the text (a long run of letters is tried as an e-mail address
# from every position), so a message of 100 000 characters must not be scrubbed whole.
SCRUB_CHARS = 2000

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
# Six digits or more, with separators between them: phone numbers (06-12345678, +31 6 1234 5678, 030 123 45 67),
# BSNs, account numbers. A letter right before the digits (an IBAN's "NL91ABNA") does not stop it.
_NUMBER = re.compile(r"\+?\d(?:[\s./()-]{0,3}\d){5,}")
# Words of a name that are no name on their own.
_PARTICLES = frozenset("van de der den het ter ten te in op aan la le du da di el al von zu mc".split())
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def name_words(names: Iterable[str]) -> frozenset[str]:
    """The folded words of people's names that scrubbing removes (two letters or more, no particles)."""
    # A double name counts whole and by its parts ("Berg-Smit", "Berg", "Smit").
    words = {fold(part) for name in names for word in _WORD.findall(name) for part in (word, *re.split(r"['’-]", word))}
    return frozenset(word for word in words if len(word) >= 2 and word not in _PARTICLES)


def scrub(text: str, names: frozenset[str] = frozenset()) -> str:
    """The start of the text (SCRUB_CHARS, ending at a whole word) without e-mail addresses, web addresses, long
    numbers and the given name words."""
    plain = normalise(_start(text))
    plain = _EMAIL.sub(EMAIL, plain)
    plain = _LINK.sub(LINK, plain)
    plain = _NUMBER.sub(NUMBER, plain)
    if names:
        plain = _WORD.sub(lambda word: NAME if fold(word.group()) in names else word.group(), plain)
    return " ".join(plain.split())


def _start(text: str) -> str:
    """At most SCRUB_CHARS characters, without the word cut in two at the end (half an address or number could
    slip past the patterns)."""
    if len(text) <= SCRUB_CHARS:
        return text
    head = text[:SCRUB_CHARS]
    return head.rsplit(None, 1)[0] if len(head.split(None, 1)) > 1 else ""
