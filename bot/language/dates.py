"""Check-in rhythms in Dutch ("elke 4 weken op maandag om 9:00") and when the next one falls.

Times are local to Europe/Amsterdam (summer and winter time included) and stored in UTC.
A day or time that is mentioned but cannot be read is an error, never a silent default: only a rhythm
that names no weekday gets maandag, and one that names no time gets 9:00 (the reply shows both).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.language.dutch import fold
from bot.language.time_of_day import NUMBERS, RhythmError, Tokens, read_time

LOCAL = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")
DEFAULT_WEEKDAY = 0

# What the user reads when a rhythm cannot be understood.
ASK_HOW_OFTEN = "Hoe vaak? Schrijf bijvoorbeeld: check-in elke 4 weken op maandag om 9:00."
OUT_OF_RANGE = "Kies een ritme tussen elke week en elk half jaar."
TOO_OFTEN = "Vaker dan één keer per week kan niet. Kies een ritme tussen elke week en elk half jaar. Schrijf bijvoorbeeld: check-in elke 4 weken op maandag om 9:00."
WHOLE_WEEKS = "Kies een ritme in hele weken, bijvoorbeeld: elke 2 weken of elke 4 weken."
HOW_MANY = "Hoeveel {unit} bedoel je met '{count}'? Schrijf het aantal, bijvoorbeeld: elke 3 {unit}."
ONE_RHYTHM = "Je noemt meer dan één ritme. Kies er één, bijvoorbeeld: elke 2 weken op dinsdag om 10:00."
ONE_WEEKDAY = "Een ritme heeft één weekdag, en je noemt er meer ({days}). Kies er één, bijvoorbeeld: elke week op maandag om 9:00."
UNKNOWN_DAY = "Welke dag bedoel je met '{word}'? Schrijf de weekdag voluit, bijvoorbeeld: op {guess}."
DAY_OF_MONTH = "Een vaste dag van de maand (zoals de eerste maandag) kan ik niet aanhouden. Kies een ritme in weken, bijvoorbeeld: elke 4 weken op maandag om 9:00."

_NUM = "[0-9]+|" + "|".join(sorted(NUMBERS, key=len, reverse=True))
_EVERY = r"(?:elke|elk|iedere|ieder|om de)"
_UNIT = r"(week|weken|maand|maanden)"
_DAY_NAMES = "|".join(WEEKDAYS)
_COUNTED = re.compile(rf"\b{_EVERY} (?:({_NUM}) )?{_UNIT}\b")
_ADVERB = re.compile(rf"(?<![a-z0-9])(?:({_NUM})-?)?(wekelijks|maandelijks)\b")
_PER = re.compile(rf"\b(?:({_NUM}) ?(?:keer|maal|x) |eens )?per (?:({_NUM}) )?{_UNIT}\b")
_HALF_YEAR = re.compile(rf"\b(?:{_EVERY}|per) half ?jaar\b|\bhalfjaarlijks\b")
_QUARTER = re.compile(rf"\b(?:{_EVERY}|per) kwartaal\b")
_EVERY_WEEKDAY = re.compile(rf"\b(?:elke|elk|iedere|ieder) (?:{_DAY_NAMES})")
_DAILY = re.compile(rf"\b(?:dagelijks|werkdagen|{_EVERY} (?:werk)?dag|(?:{_NUM}) dagen|per dag)\b")
_YEARLY = re.compile(rf"\bjaarlijks\b|\b(?:{_EVERY}|per) (?:(?:{_NUM}) )?jaar\b")
_VAGUE_COUNT = re.compile(rf"\b{_EVERY} ([a-z0-9-]+) (weken|maanden)\b")
_MONTH_DAY = re.compile(
    rf"\b(?:eerste|tweede|derde|vierde|laatste|[1-4](?:e|ste|de)) (?:{_DAY_NAMES})|\bvan (?:de|elke|iedere) maand\b"
)
# A number of four or more digits after the month is its year ("3 januari 2027"); a shorter one is not.
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")(?:\s+(\d{4,}))?\b")
# Every 29 February falls within eight years of any day (1900 and 2100 skip one).
LEAP_CYCLE = 8
_MENTION = re.compile(rf"\b(?:elke|elk|iedere|ieder|om de|per (?:week|weken|maand|maanden|half|kwartaal|{_NUM}))\b|wekelijks|maandelijks|dagelijks")

_WEEKDAY_WORD = re.compile(rf"({_DAY_NAMES})([a-z]*)")
_DAY_SUFFIXES = {"": None, "s": None, "en": None, "ochtend": "am", "ochtends": "am", "ochtenden": "am", "morgen": "am",
                 "morgens": "am", "middag": "pm", "middags": "pm", "middagen": "pm", "avond": "pm", "avonds": "pm",
                 "avonden": "pm", "nacht": "night", "nachten": "night", "nachts": "night"}
_ABBREVIATIONS = {"ma": 0, "di": 1, "wo": 2, "do": 3, "vr": 4, "za": 5, "zo": 6}
_NOT_A_DAY = {"maand", "maandelijks"}  # spelled close to "maandag", but words of their own


@dataclass(frozen=True)
class Rhythm:
    every_weeks: int
    weekday: int
    hour: int
    minute: int

    def describe(self) -> str:
        every = "elke week" if self.every_weeks == 1 else f"elke {self.every_weeks} weken"
        return f"{every} op {WEEKDAYS[self.weekday]} om {self.hour}:{self.minute:02d}"


def parse_rhythm(text: str) -> Rhythm:
    """ "elke 2 weken op dinsdag om 10:30", "tweewekelijks op vrijdag", "elke maandag om half 10" → a Rhythm."""
    tokens = Tokens(text)
    if _MONTH_DAY.search(tokens.plain):
        raise RhythmError(DAY_OF_MONTH)
    weekday, day_part = _weekday(tokens)
    weeks = _every_weeks(tokens.plain)
    hour, minute = read_time(tokens, day_part)
    return Rhythm(weeks, DEFAULT_WEEKDAY if weekday is None else weekday, hour, minute)


def mentions_rhythm(text: str) -> bool:
    """Whether a message names how often ("elke 4 weken", "tweewekelijks", "per maand"), so it sets a rhythm."""
    return bool(_MENTION.search(Tokens(text).plain))


def _count(word: str | None) -> int:
    if not word:
        return 1
    if word.isdigit():
        return int(word) if len(word) <= 3 else 999
    return NUMBERS[word]


def _every_weeks(plain: str) -> int:
    found = [_count(m.group(1)) * (4 if m.group(2).startswith("maand") else 1) for m in _COUNTED.finditer(plain)]
    found += [_count(m.group(1)) * (4 if m.group(2) == "maandelijks" else 1) for m in _ADVERB.finditer(plain)]
    found += [_per(m) for m in _PER.finditer(plain)]
    found += [26] * len(_HALF_YEAR.findall(plain)) + [13] * len(_QUARTER.findall(plain))
    if not found and _EVERY_WEEKDAY.search(plain):
        found = [1]
    if len(set(found)) > 1:
        raise RhythmError(ONE_RHYTHM)
    if not found:
        raise RhythmError(_why_no_rhythm(plain))
    if not 1 <= found[0] <= 26:
        raise RhythmError(OUT_OF_RANGE)
    return found[0]


def _per(match: re.Match[str]) -> int:
    """ "twee keer per maand" → every 2 weeks; more than once a week or a fraction of a week is refused."""
    times = _count(match.group(1))
    period = _count(match.group(2)) * (4 if match.group(3).startswith("maand") else 1)
    if times < 1:
        raise RhythmError(OUT_OF_RANGE)
    if times > period:
        raise RhythmError(TOO_OFTEN)
    if period % times:
        raise RhythmError(WHOLE_WEEKS)
    return period // times


def _why_no_rhythm(plain: str) -> str:
    if _DAILY.search(plain):
        return TOO_OFTEN
    if _YEARLY.search(plain):
        return OUT_OF_RANGE
    vague = _VAGUE_COUNT.search(plain)
    if vague:
        return HOW_MANY.format(count=vague.group(1), unit=vague.group(2))
    return ASK_HOW_OFTEN


def _weekday(tokens: Tokens) -> tuple[int | None, str | None]:
    """The one weekday named (with a part of the day, "woensdagmiddag"); a second or unreadable one is an error."""
    days: dict[int, str | None] = {}
    for index, (word, _, _) in enumerate(tokens.spans):
        named = _WEEKDAY_WORD.fullmatch(word)
        if named and named.group(2) in _DAY_SUFFIXES:
            day = WEEKDAYS.index(named.group(1))
            days[day] = days.get(day) or _DAY_SUFFIXES[named.group(2)]
        elif named:
            raise RhythmError(UNKNOWN_DAY.format(word=word, guess=named.group(1)))
        elif word in _ABBREVIATIONS and tokens.word(index - 1) == "op":
            days.setdefault(_ABBREVIATIONS[word], None)
        elif len(word) >= 5 and word.isalpha() and word not in _NOT_A_DAY:
            close = difflib.get_close_matches(word, WEEKDAYS, n=1, cutoff=0.8)
            if close:
                raise RhythmError(UNKNOWN_DAY.format(word=word, guess=close[0]))
    if len(days) > 1:
        raise RhythmError(ONE_WEEKDAY.format(days=" en ".join(WEEKDAYS[d] for d in days)))
    for day, part in days.items():
        return day, part
    return None, None


def next_occurrence(rhythm: Rhythm, after: datetime) -> datetime:
    """The first moment on the rhythm's weekday and time, strictly after `after` (in UTC)."""
    local = after.astimezone(LOCAL)
    days = (rhythm.weekday - local.weekday()) % 7
    candidate_day = local.date() + timedelta(days=days)
    candidate = datetime.combine(candidate_day, time(rhythm.hour, rhythm.minute), LOCAL)
    if candidate <= local:
        candidate = datetime.combine(candidate_day + timedelta(weeks=1), time(rhythm.hour, rhythm.minute), LOCAL)
    return candidate.astimezone(UTC)


def following(rhythm: Rhythm, due: datetime) -> datetime:
    """The occurrence `every_weeks` after a due moment (same local wall-clock time)."""
    local = due.astimezone(LOCAL)
    day = local.date() + timedelta(weeks=rhythm.every_weeks)
    return datetime.combine(day, time(rhythm.hour, rhythm.minute), LOCAL).astimezone(UTC)


def parse_until(text: str, today: datetime) -> datetime | None:
    """ "ik ben weg tot 3 januari" → the start of that day (its next occurrence: "29 februari" is the next
    29 February), in UTC. None when there is no date, or the day or the year cannot be read."""
    found = _DATE.search(fold(text))
    if not found:
        return None
    day, month = int(found.group(1)), MONTHS.index(found.group(2)) + 1
    local_today = today.astimezone(LOCAL)
    if found.group(3):
        # "1 januari 99999999999999999999" is no year; it must not quietly become next year.
        year = int(found.group(3)) if len(found.group(3)) == 4 else 0
        years = range(year, year + 1) if year else range(0)
    else:
        years = range(local_today.year, local_today.year + LEAP_CYCLE + 1)
    for year in years:
        try:
            candidate = datetime(year, month, day, tzinfo=LOCAL)
        except ValueError:  # 29 februari in a year without one, 31 april, year 0
            continue
        if found.group(3) or candidate.date() >= local_today.date():
            return candidate.astimezone(UTC)
    return None


def local_date(moment: datetime) -> str:
    local = moment.astimezone(LOCAL)
    return f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} om {local.hour}:{local.minute:02d}"
