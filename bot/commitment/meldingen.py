""" "meldingen": the chain director reads the knelpunt reports partners sent (bot/social/knelpunt_report.py) and
answers one with "antwoord 3: …"; the answer reaches the reporter on their own platform through the outbox."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.commitment import outbox_keys
from bot.commitment.director import reply
from bot.language.dates import local_date
from bot.messages import Reply, to_payload

if TYPE_CHECKING:
    from bot.state import Turn

INTENT = "meldingen"
NONE = "Er zijn nog geen meldingen van knelpunten."
HEADING = "Meldingen van knelpunten (open eerst, nieuwste bovenaan):"
LINE = "#{id} · {day} · {who}: {stuck} (tussen: {between}; sinds: {since}) — {state}"
OPEN = "nog niet beantwoord"
ANSWERED = "beantwoord op {day}"
HINT = "Typ 'antwoord 3: je antwoord' om melding #3 te beantwoorden; het antwoord gaat naar de melder."
UNKNOWN = "Er is geen melding #{id}. Typ 'meldingen' voor de lijst."
ALREADY = "Melding #{id} is al beantwoord. Typ 'meldingen' voor de lijst."
EMPTY_ANSWER = "Typ je antwoord na de dubbele punt, bijvoorbeeld: antwoord {id}: we bespreken het in het ketenoverleg."
SENT = "Je antwoord op melding #{id} staat klaar voor de melder en wordt op diens eigen platform bezorgd."
TO_REPORTER = "Antwoord van de ketenregisseur op je melding van {day} ('{stuck}'):\n\n{answer}"
_ANSWER = re.compile(r"^\s*(?:beantwoord|antwoord)(?:\s+op)?(?:\s+melding)?\s*#?(\d{1,9})\s*:?\s*(.*)$", re.IGNORECASE | re.DOTALL)


def meldingen_command(turn: Turn) -> Reply:
    """The list, or an answer to one report ("antwoord 3: …")."""
    found = _ANSWER.match(turn.msg.text or "")
    if found:
        return _answer(turn, int(found.group(1)), " ".join(found.group(2).split()))
    reports = turn.services.knelpunt_reports.recent()
    if not reports:
        return reply(NONE, INTENT)
    lines = [HEADING]
    for r in reports:
        state = ANSWERED.format(day=_day(r.answered_at)) if r.answered_at else OPEN
        who = f"{r.organisation} ({r.reporter})" if r.organisation else r.reporter
        lines.append(LINE.format(id=r.id, day=_day(r.created_at), who=who, stuck=r.stuck, between=r.between,
                                 since=r.since, state=state))
    return reply("\n".join([*lines, "", HINT]), INTENT)


def _day(moment) -> str:
    return local_date(moment).rsplit(" om ", 1)[0]


def _answer(turn: Turn, report_id: int, text: str) -> Reply:
    reports = turn.services.knelpunt_reports
    report = reports.get(report_id)
    if report is None:
        return reply(UNKNOWN.format(id=report_id), INTENT)
    if not text:
        return reply(EMPTY_ANSWER.format(id=report_id), INTENT)
    message = Reply(text=TO_REPORTER.format(day=_day(report.created_at), stuck=report.stuck, answer=text), intent=INTENT)
    answered = reports.answer(report_id, text, by=turn.identity, key=outbox_keys.knelpunt_answer(report_id),
                              payload=to_payload(message))
    return reply((SENT if answered else ALREADY).format(id=report_id), INTENT)
