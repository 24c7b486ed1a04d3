"""KETENBOT_MAP_APPROVAL=1: new self-registrations wait for a director ("goedkeuren 7" / "afwijzen 7", or the
buttons on Slack and Teams). The scheduler tells every director about each waiting entry once (the outbox's key
per entry and director); the decision and the message to the registrant are stored in one transaction."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.commitment import outbox_keys
from bot.commitment.director import refuse, reply
from bot.messages import Option, Reply, to_payload
from bot.social.registration import partner_draft, summary

if TYPE_CHECKING:
    from bot.services import Services
    from bot.state import Turn

INTENT = "approval"
APPROVE, REJECT = "goedkeuren", "afwijzen"
REQUEST = (
    "Nieuwe aanmelding voor de sociale kaart (#{id}); die wacht op goedkeuring voordat anderen haar vinden:\n{summary}"
    "\n\nTyp 'goedkeuren {id}' of 'afwijzen {id}', of gebruik de knoppen."
)
APPROVED = "Goedgekeurd: {name} ({organisation}) staat nu op de sociale kaart en krijgt daar bericht van."
REJECTED = "Afgewezen: {name} ({organisation}) komt niet op de sociale kaart en krijgt daar bericht van."
DECIDED_ALREADY = "Over aanmelding #{id} is al besloten."
UNKNOWN = "Er is geen aanmelding #{id}. Typ 'aanmeldingen' voor de aanmeldingen die op goedkeuring wachten."
WAITING = "Deze aanmeldingen voor de sociale kaart wachten op goedkeuring:\n{lines}\n\nTyp 'goedkeuren 7' of 'afwijzen 7' (met het nummer)."
WAITING_LINE = "#{id} {name} ({organisation})"
NONE_WAITING = "Er wachten geen aanmeldingen op goedkeuring."
NOT_ON = (
    "Aanmeldingen voor de sociale kaart wachten niet op goedkeuring: ze staan er meteen op. De beheerder zet"
    " goedkeuring aan met KETENBOT_MAP_APPROVAL=1."
)
TO_REGISTRANT = {
    True: "Goed nieuws: de ketenregisseur heeft je aanmelding goedgekeurd. Andere ketenpartners vinden je nu op de sociale kaart.",
    False: (
        "De ketenregisseur heeft je aanmelding voor de sociale kaart afgewezen; anderen vinden je er niet. Typ"
        " 'verwijder mij' om je gegevens te laten verwijderen, of neem contact op met de ketenregisseur."
    ),
}
# Buttons for the first few waiting entries; the rest are typed ("goedkeuren 12").
MAX_BUTTONS = 5
_DECISION = re.compile(rf"^\s*({APPROVE}|{REJECT})\s+(?:aanmelding\s+)?#?(\d{{1,9}})\s*$", re.IGNORECASE)


def is_decision(value: str) -> bool:
    """A button's value (or typed text) that decides on an entry: "goedkeuren 7"."""
    return _DECISION.match(value) is not None


def _request(partner) -> Reply:
    options = (Option("Goedkeuren", f"{APPROVE} {partner.id}", numbered=False),
               Option("Afwijzen", f"{REJECT} {partner.id}", numbered=False))
    return Reply(text=REQUEST.format(id=partner.id, summary=summary(partner_draft(partner))), options=options,
                 intent=INTENT, score=1.0)


def announce(services: Services) -> int:
    """Queue, once per entry and director, the request to decide on every waiting entry."""
    directors = [identity for identity, _ in services.directors.listed()]
    items = []
    for partner_id in services.approvals.waiting():
        partner = services.partners.get(partner_id)
        if partner is not None:
            payload = to_payload(_request(partner))
            items += [(outbox_keys.approval_request(partner_id, director), director, payload) for director in directors]
    return services.approvals.notify(items) if items else 0


def _waiting(services: Services) -> Reply:
    """ "aanmeldingen": the entries that wait for a director's decision, oldest first, each with its buttons."""
    waiting = [p for p in (services.partners.get(i) for i in services.approvals.waiting()) if p is not None]
    if not waiting:
        return reply(NONE_WAITING if services.map_approval else NOT_ON, INTENT)
    lines = "\n".join(WAITING_LINE.format(id=p.id, name=p.name, organisation=p.organisation) for p in waiting)
    options = tuple(
        option for p in waiting[:MAX_BUTTONS]
        for option in (Option(f"Goedkeuren #{p.id}", f"{APPROVE} {p.id}", numbered=False), Option(f"Afwijzen #{p.id}", f"{REJECT} {p.id}", numbered=False))
    )
    return Reply(text=WAITING.format(lines=lines), options=options, intent=INTENT, score=1.0)


def decide_command(turn: Turn) -> Reply:
    """ "goedkeuren 7" / "afwijzen 7", typed or a button: only a director decides; "aanmeldingen" lists the
    waiting ones."""
    if not turn.sender.is_director:
        return refuse(INTENT)
    found = _DECISION.match(turn.msg.action or turn.msg.text or "")
    if found is None:
        return _waiting(turn.services)
    approved, partner_id = found.group(1).lower() == APPROVE, int(found.group(2))
    services = turn.services
    partner = services.partners.get(partner_id)
    if partner is None or not partner.identities:
        return reply(UNKNOWN.format(id=partner_id), INTENT)
    # The registrant hears it where they registered (a self-registration has exactly that one identity).
    notice = (outbox_keys.approval_decided(partner_id), partner.identities[0],
              to_payload(Reply(text=TO_REGISTRANT[approved], intent=INTENT)))
    if not services.approvals.decide(partner_id, approved, by=turn.identity, notice=notice):
        return reply(DECIDED_ALREADY.format(id=partner_id), INTENT)
    return reply((APPROVED if approved else REJECTED).format(name=partner.name, organisation=partner.organisation), INTENT)
