"""A partner's side of a check-in: three questions, "later", "sla over", "ik ben weg tot …", and advice.

The open check-in lives in the database (not in the conversation), so it can be answered on any
platform and after a restart. Its first question only takes ja / twijfel / nee, so someone who ignores
it can chat on as usual.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.commitment import CheckinRequest
from bot.dutch import fold
from bot.messages import Incoming, Option, Reply, to_payload
from bot.schedule import local_date, parse_until
from bot.services import Services

QUESTION_GOAL = "Check-in van de ketenregisseur.\n\n1/3: Staat ons gezamenlijke doel nog voor je? Antwoord met ja, twijfel of nee."
QUESTION_COMMITMENT = "2/3: Hoe groot is je commitment aan de samenwerking nu, van 1 (klein) tot 5 (groot)?"
QUESTION_NEED = "3/3: Wat heb je nodig, of wat staat je in de weg? Typ het in een paar woorden, of 'niets'."
CHECKIN_HINT = "Typ 'later' om het morgen te doen, 'sla over' om deze keer over te slaan, of 'ik ben weg tot 3 januari'."
REMINDER_PREFIX = "Herinnering: je check-in staat nog open."
THANKS = "Dank je wel voor je check-in! De ketenregisseur ziet de antwoorden in het rapport."
ADVICE_INTRO = "Wat je noemt lijkt op knelpunt {number}: {title}. Wat kan helpen:"
ADVICE_HINT = "Typ 'knelpunt {number}' om alle oplossingen te zien."
LATER = "Prima, ik vraag het je morgen nog eens."
SKIPPED = "Goed, deze check-in slaan we over."
AWAY = "Fijn dat je het laat weten. Tot {date} stuur ik je geen check-ins."
AWAY_UNKNOWN_DATE = "Tot wanneer ben je weg? Schrijf bijvoorbeeld: ik ben weg tot 3 januari."
ASK_COMMITMENT_AGAIN = "Kies een getal van 1 tot en met 5."
GOALS = {"ja": "ja", "twijfel": "twijfel", "nee": "nee"}
NOTHING = re.compile(r"^(niets|niks|nee|geen|nvt|alles goed|niets nodig)$")
_LATER = re.compile(r"^(later|straks|morgen|nu niet|een andere keer)$")
_SKIP = re.compile(r"^(sla over|overslaan|skip|deze keer niet)$")
_AWAY = re.compile(r"\b(weg|afwezig|vakantie|met verlof|ziek) (tot|t m|tm|totenmet)\b|\bben (weg|afwezig|er niet)\b")
_GOAL = re.compile(r"^(ja|twijfel|nee|jazeker|ik twijfel|weet niet|misschien)$")
ADVICE_SOLUTIONS = 3


def goal_question() -> Reply:
    options = tuple(Option(label, f"checkin:goal:{value}", numbered=False) for label, value in
                    (("Ja", "ja"), ("Twijfel", "twijfel"), ("Nee", "nee")))
    extra = (Option("Later", "checkin:later", numbered=False), Option("Sla over", "checkin:skip", numbered=False))
    return Reply(text=f"{QUESTION_GOAL}\n\n{CHECKIN_HINT}", options=options + extra, intent="checkin", score=1.0)


def reminder() -> Reply:
    question = goal_question()
    return Reply(text=f"{REMINDER_PREFIX}\n\n{question.text}", options=question.options, intent="checkin", score=1.0)


def _commitment_question() -> Reply:
    options = tuple(Option(str(n), f"checkin:commitment:{n}", numbered=False) for n in range(1, 6))
    return Reply(text=QUESTION_COMMITMENT, options=options, intent="checkin", score=1.0)


def _reply(text: str) -> Reply:
    return Reply(text=text, intent="checkin", score=1.0)


def answer(msg: Incoming, services: Services) -> Reply | None:
    """Handle a message as a check-in answer, or return None when it is not one."""
    request = services.checkins.open_for(msg.qualified_user)
    if request is None:
        return None
    value = msg.action or ""
    folded = fold(msg.text[:300]) if not value else ""
    if value == "checkin:later" or _LATER.match(folded):
        return _postpone(request, services)
    if value == "checkin:skip" or _SKIP.match(folded):
        services.checkins.record(request.id, status="skipped")
        return _reply(SKIPPED)
    if _AWAY.search(folded):
        return _away(msg, request, services, folded)
    if request.goal is None:
        goal = value.removeprefix("checkin:goal:") if value.startswith("checkin:goal:") else _goal_of(folded)
        if goal is None:
            return None
        services.checkins.record(request.id, goal=goal)
        return _commitment_question()
    if request.commitment is None:
        digits = value.removeprefix("checkin:commitment:") if value.startswith("checkin:commitment:") else folded
        if digits.isdigit() and 1 <= int(digits) <= 5:
            services.checkins.record(request.id, commitment=int(digits))
            return _reply(QUESTION_NEED)
        if value or folded.isdigit():
            return _commitment_question_again()
        return None
    if value:
        return None
    return _need(msg.text[:1000].strip(), request, services)


def _goal_of(folded: str) -> str | None:
    if not _GOAL.match(folded):
        return None
    if folded in ("ja", "jazeker"):
        return "ja"
    if folded == "nee":
        return "nee"
    return "twijfel"


def _commitment_question_again() -> Reply:
    question = _commitment_question()
    return Reply(text=f"{ASK_COMMITMENT_AGAIN}\n\n{question.text}", options=question.options, intent="checkin", score=1.0)


def _postpone(request: CheckinRequest, services: Services) -> Reply:
    tomorrow = services.clock.now() + timedelta(days=1)
    services.outbox.enqueue(
        [(f"checkin-later:{request.id}:{tomorrow.date().isoformat()}", request.identity, to_payload(reminder()))], not_before=tomorrow
    )
    return _reply(LATER)


def _away(msg: Incoming, request: CheckinRequest, services: Services, folded: str) -> Reply:
    until = parse_until(folded, services.clock.now())
    if until is None:
        return _reply(AWAY_UNKNOWN_DATE)
    services.checkins.set_away(msg.qualified_user, until)
    services.checkins.record(request.id, status="skipped")
    return _reply(AWAY.format(date=local_date(until).rsplit(" om ", 1)[0]))


def _need(text: str, request: CheckinRequest, services: Services) -> Reply:
    if NOTHING.match(fold(text)):
        services.checkins.record(request.id, need="", status="answered")
        return _reply(THANKS)
    knelpunt = advice_knelpunt(text, services)
    services.checkins.record(request.id, need=text, knelpunt=knelpunt, status="answered")
    if knelpunt is None:
        return _reply(THANKS)
    entry = services.knowledge.get(knelpunt)
    number = knelpunt.split("-")[-1]
    solutions = services.knowledge.solutions(knelpunt)[:ADVICE_SOLUTIONS]
    lines = [THANKS, "", ADVICE_INTRO.format(number=number, title=entry.title)]
    lines += [f"- {s.title}: {s.summary}" for s in solutions]
    lines += ["", ADVICE_HINT.format(number=number)]
    return Reply(text="\n".join(lines), intent="checkin", entry=knelpunt, score=1.0)


def advice_knelpunt(text: str, services: Services) -> str | None:
    """The knelpunt an open answer is about (a matched solution counts for its knelpunt)."""
    for candidate in services.matcher.rank(text, limit=5):
        entry = services.knowledge.get(candidate.entry_id)
        if candidate.score < 0.3:
            return None
        if entry.kind == "knelpunt":
            return entry.id
        if entry.kind == "oplossing" and entry.parent:
            return entry.parent
    return None
