"""Linking another chat account to one's own entry: "koppel" gives a one-time code, "koppel 123456" on the
other platform links that account."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.messages import Reply
from bot.social.access import Redeemed
from bot.social.registration import reply

if TYPE_CHECKING:
    from bot.state import Turn

CODE_DIGITS = 6
LINK_CODE_ISSUED = (
    "Je koppelcode is {code}. Typ op het andere platform 'koppel {code}'; dan hoort dat account ook bij jouw "
    "aanmelding. De code werkt één keer en is 15 minuten geldig. Geef hem aan niemand anders."
)
LINK_NOT_REGISTERED = (
    "Je staat met dit account nog niet op de sociale kaart. Sta je er wel op via een ander platform? "
    "Typ daar 'koppel' en typ hier 'koppel' met de code die je krijgt. Anders typ je 'aanmelden'."
)
LINK_DONE = "Gekoppeld: dit account hoort nu bij je aanmelding op de sociale kaart ({name}, {organisation})."
LINK_REFUSED = "Deze koppelcode klopt niet of is verlopen; er is niets gekoppeld. Vraag op je andere platform met 'koppel' een nieuwe code."
LINK_ALREADY = (
    "Dit account hoort al bij een aanmelding op de sociale kaart; er is niets gekoppeld. "
    "Typ 'mijn gegevens' om te zien wat er over je staat."
)
LINK_CODE_FORMAT = "Een koppelcode bestaat uit 6 cijfers, bijvoorbeeld 'koppel 123456'."
LINK_BLOCKED = (
    "Je hebt te vaak een verkeerde code getypt, dus ik koppel nu even niets, ook niet met een goede code. "
    "Probeer het over een kwartier opnieuw."
)


def _reply(text: str) -> Reply:
    return reply(text, intent="link")


def link(turn: Turn) -> Reply:
    """"koppel": a one-time code for this entry; "koppel 123456" on another platform: link that account."""
    digits = "".join(ch for ch in turn.reading.folded if ch.isdigit())
    if not digits:
        code = turn.services.links.issue(turn.identity)
        return _reply(LINK_NOT_REGISTERED if code is None else LINK_CODE_ISSUED.format(code=code))
    if len(digits) != CODE_DIGITS:
        return _reply(LINK_CODE_FORMAT)
    if turn.sender.partner is not None:
        return _reply(LINK_ALREADY)
    outcome = turn.services.links.redeem(turn.identity, digits)
    partner = turn.services.partners.by_identity(turn.identity)
    if outcome is not Redeemed.ACCEPTED or partner is None:
        return _reply(LINK_BLOCKED if outcome is Redeemed.BLOCKED else LINK_REFUSED)
    return _reply(LINK_DONE.format(name=partner.name, organisation=partner.organisation))
