"""The director's milestones: recording one (with a date), marking one reached, and the list."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.commitment.director import reply
from bot.commitment.model import Milestone
from bot.language.dates import LOCAL, MONTHS, parse_until
from bot.language.dutch import fold
from bot.messages import Reply
from bot.understanding import intents

if TYPE_CHECKING:
    from bot.services import Services
    from bot.state import Turn

MILESTONE_ADDED = "Mijlpaal vastgelegd: {title}{date}. Bereikt? Typ 'mijlpaal bereikt: {title}'. Vieren: 'vier {title}'."
MILESTONE_REACHED = "Gefeliciteerd! '{title}' staat als bereikt genoteerd. Typ 'vier {title}' om het met alle partners te delen."
WHICH_MEANT = "Ik weet niet zeker welke mijlpaal je bedoelt met '{words}', dus ik heb nog niets gedaan. Deze mijlpalen zijn er:"
REACHED_HOWTO = "Welke bedoel je? Typ 'mijlpaal bereikt:' en de titel precies zoals hierboven."
TITLE_MISSING = "Een mijlpaal heeft een titel nodig. Bijvoorbeeld: 'nieuwe mijlpaal: 100 gezinnen geholpen op 1 maart 2027'."
DATE_IMPOSSIBLE = "De datum '{date}' bestaat niet, dus ik heb de mijlpaal niet vastgelegd. Controleer de datum en probeer het opnieuw."
DATE_IN_PAST = " Let op: {date} ligt in het verleden."
MILESTONE_EXISTS = "Er is al een mijlpaal '{title}'. Typ 'mijlpalen' voor de lijst."
MILESTONE_LIST_EMPTY = "Er zijn nog geen mijlpalen. Leg er een vast met: 'nieuwe mijlpaal: 100 gezinnen geholpen op 1 maart 2027: toelichting'."
MILESTONE_HOWTO = "Leg een mijlpaal vast met: 'nieuwe mijlpaal: titel op 1 maart 2027: toelichting'."
_DATE_PART = re.compile(r"\s+(?:op|per|voor)\s+(\d{1,2}\s+\w+(?:\s+\d{4})?)\s*", re.IGNORECASE)


def milestone_command(turn: Turn) -> Reply:
    services = turn.services
    action, words = intents.milestone_action(turn.msg.text.strip())
    if action == intents.REACHED:
        return _mark_reached(words, services)
    if action == intents.ADD:
        return _add(words, services)
    milestones = services.milestones.all()
    if not milestones:
        return reply(MILESTONE_LIST_EMPTY, "milestone")
    lines = ["Mijlpalen:"] + [_line(m) for m in milestones] + ["", MILESTONE_HOWTO]
    return reply("\n".join(lines), "milestone")


def _mark_reached(words: str, services: Services) -> Reply:
    milestone = services.milestones.find_exact(words)
    if milestone is None:
        milestones = services.milestones.all()
        if not milestones:
            return reply(MILESTONE_LIST_EMPTY, "milestone")
        lines = [WHICH_MEANT.format(words=shown(words)), *numbered(milestones), "", REACHED_HOWTO]
        return reply("\n".join(lines), "milestone")
    services.milestones.mark_reached(milestone.id)
    return reply(MILESTONE_REACHED.format(title=milestone.title), "milestone")


def shown(words: str) -> str:
    """What the user typed, short enough to repeat back."""
    return words if len(words) <= 80 else words[:79] + "…"


def numbered(milestones: list[Milestone]) -> list[str]:
    return [f"{n}. {m.title}" for n, m in enumerate(milestones, start=1)]


def _line(milestone: Milestone) -> str:
    state = "gevierd" if milestone.celebrated_at else "bereikt" if milestone.reached_at else "nog niet bereikt"
    date = f" ({milestone.due_on})" if milestone.due_on else ""
    return f"- {milestone.title}{date}: {state}"


def _add(rest: str, services: Services) -> Reply:
    title, _, description = rest.partition(": ")
    due_on, past = "", ""
    date = _DATE_PART.search(title)
    if date and _names_a_month(date.group(1)):
        moment = parse_until(date.group(1), services.clock.now())
        if moment is None:
            return reply(DATE_IMPOSSIBLE.format(date=date.group(1)), "milestone")
        due = moment.astimezone(LOCAL).date()
        due_on = due.isoformat()
        title = title[: date.start()]
        if due < services.clock.now().astimezone(LOCAL).date():
            past = DATE_IN_PAST.format(date=date.group(1))
    title = title.strip(" :")
    if not fold(title):
        return reply(TITLE_MISSING, "milestone")
    existing = services.milestones.find_exact(title)
    if existing is not None:
        return reply(MILESTONE_EXISTS.format(title=existing.title), "milestone")
    milestone = services.milestones.add(title, due_on=due_on, description=description.strip())
    shown = f" (gepland {milestone.due_on})" if milestone.due_on else ""
    return reply(MILESTONE_ADDED.format(title=milestone.title, date=shown) + past, "milestone")


def _names_a_month(words: str) -> bool:
    """ "1 maart 2027" is meant as a date, "12 partners" is not."""
    parts = fold(words).split()
    return len(parts) > 1 and parts[1] in MONTHS
