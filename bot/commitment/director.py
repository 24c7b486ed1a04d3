"""What only the chain director may do (KETENBOT_DIRECTORS or `ketenbot admin director add`): check-ins
(rhythm.py), the report (report.py), milestones (milestones.py), celebrations (celebration.py) and broadcasts
(broadcast.py). Anyone else gets a polite refusal that says who can; the shape of the commands' replies.
"""

from __future__ import annotations

from bot.messages import Option, Reply

REFUSAL = (
    "Dat kan alleen de ketenregisseur: check-ins starten, rapporten en het dashboard bekijken, mijlpalen beheren en berichten aan "
    "alle partners sturen. Wie ketenregisseur is, stelt de beheerder van ketenbot in."
)


def counted(number: int, one: str, many: str) -> str:
    """ "1 ontvanger", "3 ontvangers"."""
    return f"{number} {one if number == 1 else many}"


def reply(text: str, intent: str, options: tuple[Option, ...] = ()) -> Reply:
    return Reply(text=text, intent=intent, score=1.0, options=options)


def refuse(intent: str) -> Reply:
    return reply(REFUSAL, intent)
