"""Reading a time of day in Dutch, for check-in rhythms: "om 9:00", "half 10", "21u", "om 3 uur 's middags".

A time that is mentioned but cannot be read, or does not exist, is a RhythmError with a Dutch message.
"""

from __future__ import annotations

import re
import unicodedata

NUMBERS = {
    word: value
    for value, word in enumerate(
        "nul een twee drie vier vijf zes zeven acht negen tien elf twaalf dertien veertien vijftien zestien zeventien"
        " achttien negentien twintig eenentwintig tweeentwintig drieentwintig".split()
    )
}
DEFAULT_HOUR, DEFAULT_MINUTE = 9, 0

UNREADABLE_TIME = "Het tijdstip '{phrase}' kan ik niet lezen. Schrijf bijvoorbeeld: om 9:00, om 14:30 of om half 10."
NO_SUCH_TIME = "Het tijdstip '{phrase}' bestaat niet. Kies een tijd van 0:00 tot en met 23:59, bijvoorbeeld: om 9:00."
ONE_TIME = "Je noemt meer dan één tijdstip. Kies er één, bijvoorbeeld: om 9:00."
WHAT_TIME = "Hoe laat precies? Schrijf de tijd erbij, bijvoorbeeld: op woensdagmiddag om 14:00 of 's avonds om 19:30."

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u2212": "-", "\u2013": "-"})
_TOKEN = re.compile(r"[0-9]+|[a-z]+|\S")
_PART_WORDS = {"ochtends": "am", "morgens": "am", "middags": "pm", "avonds": "pm", "nachts": "night"}
_PLAIN_PARTS = {"ochtend": "am", "middag": "pm", "avond": "pm", "nacht": "night"}
_HOUR_UNITS = ("uur", "u", "h")
_PERIOD_WORDS = ("week", "weken", "maand", "maanden", "dag", "dagen", "keer", "jaar")


class RhythmError(ValueError):
    """The rhythm could not be understood; the message is Dutch."""


class Tokens:
    """Words, numbers and single punctuation marks of a message, lower case and without accents."""

    def __init__(self, text: str) -> None:
        normal = unicodedata.normalize("NFKD", text)
        self.normal = "".join(ch for ch in normal if not unicodedata.combining(ch)).lower().translate(_QUOTES)
        self.plain = " ".join(re.sub(r"[^a-z0-9-]+", " ", self.normal).split())
        self.spans = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(self.normal)]

    def __len__(self) -> int:
        return len(self.spans)

    def word(self, index: int) -> str:
        return self.spans[index][0] if 0 <= index < len(self.spans) else ""

    def phrase(self, first: int, last: int) -> str:
        last = min(last, len(self.spans) - 1)
        return self.normal[self.spans[first][1]:self.spans[last][2]] if 0 <= first <= last else ""


def read_time(tokens: Tokens, day_part: str | None) -> tuple[int, int]:
    """The one time of day named; none at all means 9:00 (unless only the afternoon or night is named)."""
    times: list[tuple[int, int, str | None, int, int]] = []
    parts = {day_part} - {None}
    index = 0
    while index < len(tokens):
        start = _time_start(tokens, index)
        if start is not None:
            hour, minute, after = _clock(tokens, start, index)
            part, after = _day_part(tokens, after, english=True)
            times.append((hour, minute, part, index, after - 1))
            index = after
            continue
        part, after = _day_part(tokens, index, english=False)
        parts |= {part} - {None}
        index = max(after, index + 1)
    if len(parts) > 1:
        raise RhythmError(ONE_TIME)
    shared = next(iter(parts), None)
    moments = {_on_clock(tokens, hour, minute, part or shared, first, last) for hour, minute, part, first, last in times}
    if len(moments) > 1:
        raise RhythmError(ONE_TIME)
    if moments:
        return moments.pop()
    if shared in ("pm", "night"):
        raise RhythmError(WHAT_TIME)
    return DEFAULT_HOUR, DEFAULT_MINUTE


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word) if len(word) <= 2 else None
    return NUMBERS.get(word)


def _time_start(tokens: Tokens, index: int) -> int | None:
    """Where a time begins at this token: after "om" (not "om de 2 weken"), or a bare "9:00", "9 uur", "half 10"."""
    word, following = tokens.word(index), tokens.word(index + 1)
    if word == "om":
        if following in ("-", "+") and (_number(tokens.word(index + 2)) is not None or tokens.word(index + 2).isdigit()):
            return index + 1
        if following.isdigit() or following in ("half", "kwart"):
            return None if tokens.word(index + 2) in _PERIOD_WORDS else index + 1
        if _number(following) is not None and tokens.word(index + 2) not in _PERIOD_WORDS:
            return index + 1 if following != "een" or tokens.word(index + 2) in _HOUR_UNITS else None
        return None
    if word.isdigit() and (following in (":", "am", "pm", *_HOUR_UNITS) or following == "." and tokens.word(index + 2).isdigit()):
        return index
    if _number(word) is not None and following == "uur":
        return index
    if word == "half" and _number(following) is not None or word == "kwart" and following in ("over", "voor"):
        return index
    return None


def _clock(tokens: Tokens, index: int, first: int) -> tuple[int, int, int]:
    """(hour, minute, index after the time) for the time starting at token `index`."""
    word = tokens.word(index)
    if word in ("-", "+"):
        _, _, after = _clock(tokens, index + 1, first)
        raise RhythmError(NO_SUCH_TIME.format(phrase=tokens.phrase(first, after - 1)))
    relative = _relative(tokens, index, first)
    if relative is not None:
        return relative
    hour = _number(word)
    if hour is None or word == "half":
        raise RhythmError(UNREADABLE_TIME.format(phrase=tokens.phrase(first, index + 1)))
    minute, after = 0, index + 1
    if tokens.word(after) in (":", "."):
        digits = tokens.word(after + 1)
        if digits.isdigit() and len(digits) == 2:
            minute, after = int(digits), after + 2
        elif digits.isdigit() or tokens.word(after) == ":":
            raise RhythmError(UNREADABLE_TIME.format(phrase=tokens.phrase(first, after + 1)))
    elif tokens.word(after) in _HOUR_UNITS or _two_digits(tokens, after):
        after += tokens.word(after) in _HOUR_UNITS
        if _two_digits(tokens, after):
            minute, after = int(tokens.word(after)), after + 1
    if tokens.word(after) in _HOUR_UNITS:
        after += 1
    if tokens.word(after) == ":" or tokens.word(after) == "." and tokens.word(after + 1).isdigit():
        raise RhythmError(UNREADABLE_TIME.format(phrase=tokens.phrase(first, after + 1)))
    return hour, minute, after


def _two_digits(tokens: Tokens, index: int) -> bool:
    word = tokens.word(index)
    return word.isdigit() and len(word) == 2 and tokens.word(index + 1) not in _PERIOD_WORDS


def _relative(tokens: Tokens, index: int, first: int) -> tuple[int, int, int] | None:
    """ "half 10" → 9:30, "kwart over 9" → 9:15, "tien voor half 3" → 2:20."""
    word = tokens.word(index)
    minutes = 15 if word == "kwart" else _number(word)
    direction = tokens.word(index + 1)
    if word == "half":
        minutes, direction, anchor_at = 0, "over", index
    elif minutes is not None and 1 <= minutes <= 29 and direction in ("over", "voor"):
        anchor_at = index + 2
    else:
        return None
    half = tokens.word(anchor_at) == "half"
    hour = _number(tokens.word(anchor_at + half))
    if hour is None:
        if word in ("half", "kwart"):
            raise RhythmError(UNREADABLE_TIME.format(phrase=tokens.phrase(first, anchor_at + half)))
        return None
    if hour > 24 or half and hour == 0:
        raise RhythmError(NO_SUCH_TIME.format(phrase=tokens.phrase(first, anchor_at + half)))
    total = (hour * 60 - 30 * half + (minutes if direction == "over" else -minutes)) % (24 * 60)
    after = anchor_at + half + 1
    return total // 60, total % 60, after + (tokens.word(after) == "uur")


def _day_part(tokens: Tokens, index: int, *, english: bool) -> tuple[str | None, int]:
    """ "'s middags", "smiddags", "in de avond" (and, right after a time, "pm") → a part of the day."""
    word, following = tokens.word(index), tokens.word(index + 1)
    if english and word in ("am", "pm"):
        return word, index + 1
    if english and word in ("a", "p") and following == "." and tokens.word(index + 2) == "m":
        return word + "m", index + 3 + (tokens.word(index + 3) == ".")
    if word == "'" and following == "s":
        index, word, following = index + 1, following, tokens.word(index + 2)
    if word == "s" and following in _PART_WORDS:
        return _PART_WORDS[following], index + 2
    if word.startswith("s") and word[1:] in _PART_WORDS:
        return _PART_WORDS[word[1:]], index + 1
    if word == "de" and following in _PLAIN_PARTS:
        return _PLAIN_PARTS[following], index + 2
    return None, index


def _on_clock(tokens: Tokens, hour: int, minute: int, part: str | None, first: int, last: int) -> tuple[int, int]:
    """Apply the part of the day ("om 3 uur 's middags" is 15:00) and check the time exists."""
    if not (0 <= hour <= 23 and 0 <= minute <= 59) or part in ("am", "night") and hour > 12:
        raise RhythmError(NO_SUCH_TIME.format(phrase=tokens.phrase(first, last)))
    if part == "pm" and 1 <= hour <= 11 or part == "night" and 7 <= hour <= 11:
        hour += 12
    elif part in ("am", "night") and hour == 12:
        hour = 0
    return hour, minute
