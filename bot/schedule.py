"""Check-in rhythms in Dutch ("elke 4 weken op maandag om 9:00") and when the next one falls.

Times are local to Europe/Amsterdam (summer and winter time included) and stored in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.dutch import fold

LOCAL = ZoneInfo("Europe/Amsterdam")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
NUMBERS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "acht": 8}
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december")

_EVERY = re.compile(r"\b(?:elke|iedere|om de)\s+(?:(\d{1,2}|een|twee|drie|vier|vijf|zes|acht)\s+)?(week|weken|maand|maanden)\b")
_DAY = re.compile(r"\b(?:op\s+)?(" + "|".join(WEEKDAYS) + r")\b")
_TIME = re.compile(r"\bom\s+(\d{1,2})(?:[:.u ](\d{2}))?(?:\s*uur)?\b")
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")(?:\s+(\d{4}))?\b")


class RhythmError(ValueError):
    """The rhythm could not be understood; the message is Dutch."""


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
    folded = fold(text.replace(":", " ").replace(".", " "))
    every = _EVERY.search(fold(text))
    if not every:
        raise RhythmError("Hoe vaak? Schrijf bijvoorbeeld: check-in elke 4 weken op maandag om 9:00.")
    count = every.group(1)
    number = int(count) if count and count.isdigit() else NUMBERS.get(count or "", 1)
    weeks = number * 4 if every.group(2).startswith("maand") else number
    if not 1 <= weeks <= 26:
        raise RhythmError("Kies een ritme tussen elke week en elk half jaar.")
    day = _DAY.search(folded)
    weekday = WEEKDAYS.index(day.group(1)) if day else 0
    moment = _TIME.search(text.lower())
    hour, minute = (int(moment.group(1)), int(moment.group(2) or 0)) if moment else (9, 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise RhythmError("Dat tijdstip bestaat niet. Schrijf bijvoorbeeld: om 9:00.")
    return Rhythm(weeks, weekday, hour, minute)


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
    """ "ik ben weg tot 3 januari" → the start of that day (next occurrence of it), in UTC."""
    found = _DATE.search(fold(text))
    if not found:
        return None
    day, month = int(found.group(1)), MONTHS.index(found.group(2)) + 1
    local_today = today.astimezone(LOCAL)
    year = int(found.group(3)) if found.group(3) else local_today.year
    try:
        candidate = datetime(year, month, day, tzinfo=LOCAL)
    except ValueError:
        return None
    if not found.group(3) and candidate.date() < local_today.date():
        candidate = candidate.replace(year=year + 1)
    return candidate.astimezone(UTC)


def local_date(moment: datetime) -> str:
    local = moment.astimezone(LOCAL)
    return f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year} om {local.hour}:{local.minute:02d}"
