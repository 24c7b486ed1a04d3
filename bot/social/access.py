"""Who may see the social map: ketenpartners only, because that is what partners consented to.

Names, phone numbers and e-mail addresses, the topics on the map, and registering on it are for someone
- the platform vouches for (`Incoming.vouched`: a configured Slack workspace or Teams tenant, the console),
- whose chat account belongs to an entry on the map (registered, linked with "koppel", or linked by the
  administrator with `ketenbot map link`),
- who redeemed a director's invitation ("uitnodiging" in the chat, or `ketenbot invite`),
- or who is a chain director.
Everyone else gets the knowledge base, and an explanation of how to become a ketenpartner.
"""

from __future__ import annotations

from enum import Enum
from functools import cached_property
from typing import TYPE_CHECKING

from bot.messages import Incoming, Reply

if TYPE_CHECKING:
    from bot.services import Services
    from bot.social.partner import Partner

NOT_A_KETENPARTNER = (
    "De sociale kaart, met namen en contactgegevens van ketenpartners, is alleen voor ketenpartners. "
    "Zo word je ketenpartner:\n"
    "- Via Slack of Teams: als de werkomgeving (workspace of tenant) van jouw organisatie aan ketenbot is "
    "gekoppeld. Dat is voor jouw organisatie nog niet zo; vraag de ketenregisseur of de beheerder van ketenbot "
    "om die koppeling.\n"
    "- Via de webchat: met een uitnodiging van de ketenregisseur. Open de link die je kreeg, of typ "
    "'uitnodiging' en de code. Sta je al op de sociale kaart via Slack of Teams? Typ daar 'koppel' en typ hier "
    "'koppel' met de code die je krijgt.\n\n"
    "Vragen over knelpunten, oplossingen, rollen en begrippen beantwoord ik gewoon."
)


class Redeemed(Enum):
    """What became of a one-time code someone typed (an invitation, or a "koppel" code)."""

    ACCEPTED = "accepted"
    REFUSED = "refused"  # wrong, used or expired
    BLOCKED = "blocked"  # too many wrong codes from this chat account


class Sender:
    """Who sent a message and what they may do: each looked up once per message, and only when first asked."""

    def __init__(self, msg: Incoming, services: Services) -> None:
        self.msg = msg
        self.identity = msg.qualified_user
        self._services = services

    @cached_property
    def partner(self) -> Partner | None:
        return self._services.partners.by_identity(self.identity)

    @cached_property
    def is_director(self) -> bool:
        return self._services.directors.is_director(self.identity)

    @cached_property
    def is_ketenpartner(self) -> bool:
        """May this sender see and search the social map, its topics, and register on it?"""
        return (
            self.msg.vouched
            or self.partner is not None
            or self._services.invitations.accepted(self.identity)
            or self.is_director
        )


def not_a_ketenpartner(intent: str) -> Reply:
    """The refusal, with how to become a ketenpartner."""
    return Reply(text=NOT_A_KETENPARTNER, intent=intent, score=1.0)
