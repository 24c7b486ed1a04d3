"""Invitations: a director makes one ("uitnodiging"), someone in the web chat redeems it ("uitnodiging K7Q2-M9XD",
or by opening the link) and is a ketenpartner from then on.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.language.dates import local_date
from bot.messages import Reply
from bot.social.access import Redeemed

if TYPE_CHECKING:
    from bot.services import Services
    from bot.state import Turn

# Long enough to reach someone by mail over a weekend, short enough that a forgotten link soon stops working.
INVITATION_DAYS = 7
MIN_DAYS, MAX_DAYS = 1, 30
LINK_FRAGMENT = "#uitnodiging="
# What follows "uitnodiging" (or "uitnodigingscode", "code:") is the code; "nieuwe uitnodiging" has none.
_CODE_AFTER = re.compile(r"^(?:nieuwe |maak (?:een )?)?uitnodiging(?:s ?code)?\b[\s:=-]*(.*)$", re.IGNORECASE)

ISSUED = (
    "Uitnodiging gemaakt. Stuur deze link naar de persoon die je uitnodigt:\n{link}\n\n"
    "Of geef de code {code}; die typt diegene in de webchat als 'uitnodiging {code}'. "
    "De uitnodiging werkt één keer en is geldig tot {until}. Wie hem gebruikt, kan de sociale kaart zien en "
    "zich aanmelden; stuur hem dus alleen naar een ketenpartner."
)
ONLY_DIRECTORS = (
    "Uitnodigingen maakt de ketenregisseur. Heb je er een gekregen? Open de link, of typ 'uitnodiging' met de code, "
    "bijvoorbeeld 'uitnodiging K7Q2-M9XD'."
)
ACCEPTED = (
    "Welkom! Je bent nu ketenpartner in deze chat: je kunt de sociale kaart gebruiken, bijvoorbeeld met 'wie kan ik "
    "bellen over schuldhulp in Zeist?', en je aanmelden met 'aanmelden'."
)
ALREADY = "Je bent al ketenpartner; je hebt geen uitnodiging nodig. De code is niet gebruikt, dus die werkt nog voor iemand anders."
REFUSED = (
    "Deze uitnodiging klopt niet, is al gebruikt of is verlopen. Controleer de code, of vraag de ketenregisseur om "
    "een nieuwe uitnodiging."
)
TOO_MANY_CODES = (
    "Je hebt te vaak een verkeerde code getypt. Probeer het over een kwartier opnieuw, met de code of de link die je kreeg."
)


def link_for(code: str, services: Services) -> str:
    """The address that redeems the invitation in the web chat; the code is in the fragment, so it never
    reaches a server log, and a link preview cannot use it up."""
    return f"{services.public_url}/{LINK_FRAGMENT}{code}"


def issue(created_by: str, services: Services, *, days: int = INVITATION_DAYS) -> str:
    """A new invitation, as the text the director reads."""
    code, expires = services.invitations.issue(created_by, valid_for=timedelta(days=days))
    return ISSUED.format(link=link_for(code, services), code=code, until=local_date(expires))


def _reply(text: str) -> Reply:
    return Reply(text=text, intent="invite", score=1.0)


def invite(turn: Turn) -> Reply:
    """ "uitnodiging": a director gets a new one; "uitnodiging <code>": redeem it."""
    found = _CODE_AFTER.match(turn.reading.text.strip())
    typed = found.group(1) if found else ""
    if not typed:
        if not turn.sender.is_director:
            return _reply(ONLY_DIRECTORS)
        return _reply(issue(turn.identity, turn.services))
    if turn.sender.is_ketenpartner:
        return _reply(ALREADY)
    outcome = turn.services.invitations.redeem(turn.identity, typed[:40])
    if outcome is Redeemed.ACCEPTED:
        return _reply(ACCEPTED)
    return _reply(TOO_MANY_CODES if outcome is Redeemed.BLOCKED else REFUSED)
