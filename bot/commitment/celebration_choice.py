""" "geen felicitaties meer" / "wel felicitaties": a partner stops or resumes milestone celebrations; check-ins go
on either way. `mijn gegevens` shows the choice (bot/social/own_data.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.commitment.director import reply
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.state import Turn

INTENT = "celebrations"
OFF = (
    "Goed, je krijgt geen felicitaties bij mijlpalen meer. Check-ins krijg je wel. Typ 'wel felicitaties' om ze"
    " weer te krijgen."
)
ON = "Fijn, je krijgt weer felicitaties wanneer de keten een mijlpaal bereikt. Typ 'geen felicitaties meer' om ze te stoppen."
NOT_ON_MAP = "Je staat niet op de sociale kaart, dus ketenbot stuurt je geen felicitaties."
_OFF = re.compile(r"\b(geen|stop|stoppen|niet meer|uit|afmelden)\b")


def celebrations_command(turn: Turn) -> Reply:
    partner = turn.services.partners.by_identity(turn.identity)
    if partner is None or partner.id is None:
        return reply(NOT_ON_MAP, INTENT)
    wanted = _OFF.search(turn.reading.folded) is None
    turn.services.preferences.set_celebrations(partner.id, wanted)
    return reply(ON if wanted else OFF, INTENT)
