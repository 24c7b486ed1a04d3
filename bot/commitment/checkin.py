"""A partner's side of a check-in: three questions, "later", "sla over", "ik ben weg tot …", and advice.

The open check-in lives in the database (not in the conversation), so it can be answered on any
platform and after a restart. An answer always goes to the first unanswered question, and every
question or reminder asks exactly that one. Its first question only takes ja / twijfel / nee (or 1-3),
so someone who ignores it can chat on as usual; later on, a clear question to ketenbot ("wat is
ketenregie?") is still answered as a question.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.commitment import outbox_keys
from bot.commitment.model import CheckinRequest
from bot.language.dates import LOCAL, MONTHS, local_date, parse_until
from bot.language.dutch import fold
from bot.messages import Incoming, Option, Reply, to_payload
from bot.understanding.matcher import ANSWER_THRESHOLD
from bot.understanding.reading import READ_CHARS, Reading

if TYPE_CHECKING:
    from bot.services import Services

QUESTION_GOAL = "Check-in van de ketenregisseur.\n\n1/3: Staat ons gezamenlijke doel nog voor je? Antwoord met ja, twijfel of nee."
QUESTION_COMMITMENT = "2/3: Hoe groot is je commitment aan de samenwerking nu, van 1 (klein) tot 5 (groot)?"
QUESTION_NEED = "3/3: Wat heb je nodig, of wat staat je in de weg? Typ het in een paar woorden, of 'niets'."
# Said once, in a partner's first check-in (AVG: who sees the answers and how long they are kept).
PRIVACY_NOTE = (
    "Goed om te weten: je antwoorden ziet alleen de ketenregisseur, in het rapport en op het dashboard. Ze worden"
    " na {period} verwijderd."
)
CHECKIN_HINT = "Typ 'later' om het morgen te doen, 'sla over' om deze keer over te slaan, of 'ik ben weg tot 3 januari'."
REMINDER_PREFIX = "Herinnering: je check-in staat nog open."
THANKS = "Dank je wel voor je check-in! De ketenregisseur ziet de antwoorden in het rapport."
ADVICE_INTRO = "Wat je noemt lijkt op knelpunt {number}: {title}. Wat kan helpen:"
ADVICE_HINT = "Typ 'knelpunt {number}' om alle oplossingen te zien."
LATER = "Prima, ik vraag het je morgen nog eens."
SKIPPED = "Goed, deze check-in slaan we over."
SKIPPED_LAST = "Goed, die vraag slaan we over. Je andere antwoorden zijn bewaard; de ketenregisseur ziet ze in het rapport."
AWAY = "Fijn dat je het laat weten. Tot {date} stuur ik je geen check-ins."
AWAY_INCLUSIVE = "Fijn dat je het laat weten. Tot en met {date} stuur ik je geen check-ins."
AWAY_UNKNOWN_DATE = "Tot wanneer ben je weg? Schrijf bijvoorbeeld: ik ben weg tot 3 januari."
AWAY_PAST = "Die datum is al voorbij. Tot wanneer ben je weg? Noem een datum in de toekomst, bijvoorbeeld: ik ben weg tot 3 januari."
ASK_COMMITMENT_AGAIN = "Kies een getal van 1 tot en met 5."
CLOSED_ALREADY = "Deze check-in is al afgerond of verlopen; je hoeft er niets meer voor te doen."
GOAL_LABELS = (("Ja", "ja"), ("Twijfel", "twijfel"), ("Nee", "nee"))
NUMBER_WORDS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5}
NOTHING = re.compile(r"^(niets|niks|nee|geen|nvt|alles goed|niets nodig)$")
_LATER = re.compile(r"^(later|straks|morgen|nu niet|een andere keer)$")
_SKIP = re.compile(r"^(sla over|overslaan|skip|deze keer niet)$")
_GOAL = re.compile(r"^(ja|twijfel|nee|jazeker|ik twijfel|weet niet|misschien|1|2|3)$")
_COMMITMENT = re.compile(r"^\s*([1-5])\s*[.!]?\s*$")
_AWAY_WORD = r"(weg|afwezig|op vakantie|met vakantie|vakantie|met verlof|verlof|ziek|er niet)"
_UNTIL = r"(tot en met|tot|t m|tm|totenmet)"
_AWAY_UNTIL = re.compile(rf"\b{_AWAY_WORD} {_UNTIL}\b")  # "ik ben weg tot 3 januari"
_UNTIL_AWAY = re.compile(rf"\b{_UNTIL}\b.*\b{_AWAY_WORD}\b")  # "tot en met 5 januari met vakantie"
_AWAY_SHORT = re.compile(rf"^(ik )?ben {_AWAY_WORD}( ({_UNTIL}|vanaf|volgende|deze|de komende|even|een)\b.*)?$")
_INCLUSIVE = re.compile(r"\b(tot en met|t m|tm|totenmet)\b")
_A_DATE = re.compile(r"\b\d{1,2} (" + "|".join(MONTHS) + r")\b")
ADVICE_SOLUTIONS = 3


def retention_period(days: int) -> str:
    """730 → "2 jaar", 365 → "1 jaar", 90 → "90 dagen"."""
    if days % 365 == 0:
        return f"{days // 365} jaar"
    return "1 dag" if days == 1 else f"{days} dagen"


def first_goal_question(retention_days: int) -> Reply:
    """The goal question as a partner's first check-in asks it: with who sees the answers and for how long."""
    question = goal_question()
    note = PRIVACY_NOTE.format(period=retention_period(retention_days))
    return replace(question, text=f"{question.text}\n\n{note}")


def goal_question() -> Reply:
    options = tuple(Option(label, f"checkin:goal:{value}") for label, value in GOAL_LABELS)
    numbered = "\n".join(f"{n}. {label}" for n, (label, _) in enumerate(GOAL_LABELS, start=1))
    extra = (Option("Later", "checkin:later", numbered=False), Option("Sla over", "checkin:skip", numbered=False))
    return Reply(text=f"{QUESTION_GOAL}\n{numbered}\n\n{CHECKIN_HINT}", options=options + extra, intent="checkin", score=1.0)


def _commitment_question() -> Reply:
    # The options are the numbers themselves, so typing the number is the answer; no extra numbering.
    options = tuple(Option(str(n), f"checkin:commitment:{n}", numbered=False) for n in range(1, 6))
    return Reply(text=QUESTION_COMMITMENT, options=options, intent="checkin", score=1.0)


def current_question(request: CheckinRequest) -> Reply:
    """The first question of this check-in that has no answer yet."""
    if request.goal is None:
        return goal_question()
    if request.commitment is None:
        return _commitment_question()
    return _reply(QUESTION_NEED)


def reminder(request: CheckinRequest | None = None) -> Reply:
    """A reminder that asks the first unanswered question (the first question for a fresh check-in)."""
    question = current_question(request) if request is not None else goal_question()
    hint = "" if CHECKIN_HINT in question.text else f"\n\n{CHECKIN_HINT}"
    return Reply(text=f"{REMINDER_PREFIX}\n\n{question.text}{hint}", options=question.options, intent="checkin", score=1.0)


def _reply(text: str) -> Reply:
    return Reply(text=text, intent="checkin", score=1.0)


def answer(msg: Incoming, reading: Reading, services: Services) -> Reply | None:
    """Handle a message as a check-in answer or an announced absence, or return None when it is neither."""
    request = services.checkins.open_for(msg.qualified_user)
    value = msg.action or ""
    text = msg.text[:READ_CHARS].strip()
    folded = reading.folded if not value else ""
    if request is None:
        if value.startswith("checkin:"):
            return _reply(CLOSED_ALREADY)
        if folded and not text.endswith("?") and _announces_away(folded, open_checkin=False):
            if services.partners.by_identity(msg.qualified_user) is not None:
                return _away(msg, None, services, folded)
        return None
    if value == "checkin:later" or _LATER.match(folded):
        return _postpone(request, services)
    if value == "checkin:skip" or _SKIP.match(folded):
        return _skip(request, services)
    if folded and _announces_away(folded, open_checkin=True):
        return _away(msg, request, services, folded)
    if value and not value.startswith("checkin:"):
        return None
    if request.goal is None:
        return _goal(value, folded, request, services)
    if request.commitment is None:
        return _commitment(value, text, reading, request, services)
    if value or _asks_the_bot(text, reading):
        return current_question(request) if value else None
    return _need(text, reading, request, services)


def _goal(value: str, folded: str, request: CheckinRequest, services: Services) -> Reply | None:
    goal = value.removeprefix("checkin:goal:") if value.startswith("checkin:goal:") else _goal_of(folded)
    if goal not in ("ja", "twijfel", "nee"):
        # A button of a later question (from an older message) gets the question that is open now.
        return goal_question() if value else None
    _record(request, services, goal=goal)
    return _commitment_question()


def _commitment(value: str, text: str, reading: Reading, request: CheckinRequest, services: Services) -> Reply | None:
    if value:
        score = commitment_of(value.removeprefix("checkin:commitment:")) if value.startswith("checkin:commitment:") else None
    else:
        score = commitment_of(text, reading.folded)
        if score is None and _asks_the_bot(text, reading):
            return None
    if score is None:
        return _commitment_question_again()
    _record(request, services, commitment=score)
    return _reply(QUESTION_NEED)


def commitment_of(text: str, folded: str | None = None) -> int | None:
    """A whole number from 1 to 5, as a digit or a Dutch word ("drie", "één"); anything else is None. `folded` is
    the text folded, when the caller has it."""
    digit = _COMMITMENT.match(text)
    if digit:
        return int(digit.group(1))
    if re.search(r"[-−\d]", text):  # "-een", "3 of 4": not one whole number from 1 to 5
        return None
    return NUMBER_WORDS.get((fold(text) if folded is None else folded).removesuffix(" keer"))


def _goal_of(folded: str) -> str | None:
    if not _GOAL.match(folded):
        return None
    if folded in ("ja", "jazeker", "1"):
        return "ja"
    if folded in ("nee", "3"):
        return "nee"
    return "twijfel"


def _asks_the_bot(text: str, reading: Reading) -> bool:
    """A clear question to ketenbot itself: it ends with "?" and the matcher is sure what it is about."""
    understanding = reading.understanding
    if not text.endswith("?") or understanding is None:
        return False
    if understanding.intent == "knowledge":
        top = understanding.candidates[0] if understanding.candidates else None
        return top is not None and top.score >= ANSWER_THRESHOLD and not understanding.ambiguous
    return understanding.intent not in ("fallback", "checkin")


def _record(request: CheckinRequest, services: Services, **answers: str | int) -> None:
    """Store one answer; a reminder still waiting in the outbox will ask the question that is now next."""
    after = replace(request, **answers)
    services.checkins.record(request.id, reminder=to_payload(reminder(after)), **answers)


def _commitment_question_again() -> Reply:
    question = _commitment_question()
    return Reply(text=f"{ASK_COMMITMENT_AGAIN}\n\n{question.text}\n\n{CHECKIN_HINT}", options=question.options,
                 intent="checkin", score=1.0)


def _postpone(request: CheckinRequest, services: Services) -> Reply:
    tomorrow = services.clock.now() + timedelta(days=1)
    services.outbox.enqueue(
        [(outbox_keys.later(request.id, tomorrow.date()), request.identity, to_payload(reminder(request)))],
        not_before=tomorrow,
    )
    return _reply(LATER)


def _closing(request: CheckinRequest) -> dict[str, str]:
    """How a check-in ends that is not finished: with goal and commitment given, those answers count."""
    if request.goal is not None and request.commitment is not None:
        return {"need": "", "status": "answered"}
    return {"status": "skipped"}


def _skip(request: CheckinRequest, services: Services) -> Reply:
    closing = _closing(request)
    services.checkins.record(request.id, **closing)
    return _reply(SKIPPED_LAST if closing["status"] == "answered" else SKIPPED)


def _announces_away(folded: str, *, open_checkin: bool) -> bool:
    """ "ik ben weg tot 3 januari", "tot en met 5 januari met vakantie"; without an open check-in only
    with a date, so a sentence that merely contains "weg" or "tot" is not taken for an absence."""
    dated = _A_DATE.search(folded) is not None
    if _AWAY_UNTIL.search(folded) or _AWAY_SHORT.match(folded):
        return open_checkin or dated
    return dated and _UNTIL_AWAY.search(folded) is not None


def _away(msg: Incoming, request: CheckinRequest | None, services: Services, folded: str) -> Reply:
    inclusive = _INCLUSIVE.search(folded) is not None
    try:
        until = last_day = parse_until(folded, services.clock.now())
        if until is not None and inclusive:
            until = (until.astimezone(LOCAL) + timedelta(days=1)).astimezone(until.tzinfo)
    except (OverflowError, ValueError):  # "1 januari 0001", "t/m 31 december 9999"
        until = None
    if until is None or last_day is None:
        return _reply(AWAY_UNKNOWN_DATE)
    if until <= services.clock.now():
        return _reply(AWAY_PAST)
    partner = services.partners.by_identity(msg.qualified_user)
    identities = [msg.qualified_user, *(partner.identities if partner else ())]
    if request is None:
        services.checkins.announce_away(identities, until)
    else:
        services.checkins.announce_away([*identities, request.identity], until, request_id=request.id, **_closing(request))
    date = local_date(last_day).rsplit(" om ", 1)[0]
    return _reply((AWAY_INCLUSIVE if inclusive else AWAY).format(date=date))


def _need(text: str, reading: Reading, request: CheckinRequest, services: Services) -> Reply:
    if NOTHING.match(reading.folded):
        services.checkins.record(request.id, need="", status="answered")
        return _reply(THANKS)
    knelpunt = advice_knelpunt(reading.folded, services)
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


def advice_knelpunt(folded: str, services: Services) -> str | None:
    """The knelpunt an open answer (folded) is about (a matched solution counts for its knelpunt)."""
    for candidate in services.matcher.rank(folded, limit=5):
        entry = services.knowledge.get(candidate.entry_id)
        if candidate.score < 0.3:
            return None
        if entry.kind == "knelpunt":
            return entry.id
        if entry.kind == "oplossing" and entry.parent:
            return entry.parent
    return None
