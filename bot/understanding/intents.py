"""Every rule that decides what a message asks for, in one place.

1. The patterns people can edit (knowledge/taal/intenties.yaml) give the intent of a request to the bot
   (bot/language/lexicon.py applies them; the matcher asks them first).
2. `interpret`: the rules that need the database, on top of the matcher's understanding: "wie … in Utrecht?"
   asks for a contact, "vier <a milestone>" for a celebration.
3. Which intents only a chain director may use (`DIRECTOR_INTENTS`).
4. What an intent's message asks for exactly: show, change or confirm one's own data; set a check-in rhythm,
   start one now or see it; record a milestone, mark it reached or list them; which milestone to celebrate.
The handlers then read their arguments (a field, a date, a title) from the message themselves.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.language.dates import mentions_rhythm
from bot.understanding.matcher import OFFTOPIC, Understanding

if TYPE_CHECKING:
    from bot.services import Services
    from bot.social.access import Sender
    from bot.understanding.reading import Reading

# A contact question with less domain evidence than this is checked against the social map before it is searched.
CONTACT_EVIDENCE = 0.5

DIRECTOR_INTENTS = ("checkin", "report", "milestone", "celebrate", "progress", "dashboard", "meldingen", "approval", "reload", "gaps")

# Own data ("register" intent): what the partner wants done with their entry.
CONFIRM, CHANGE, SHOW, REGISTER = "confirm", "change", "show", "register"
_CONFIRM = re.compile(r"\b(kloppen|klopt (nog|alles)|bevestig\w*|nog actueel)\b")
_CHANGE = re.compile(r"\b(wijzig\w*|verander\w*|aanpassen|pas|update|corrigeer\w*|klopt niet|nieuwe?)\b")
_SHOW = re.compile(r"\b(mijn gegevens|inzage|inzien|bekijk\w*|wat (weet|staat|bewaar\w*)|welke gegevens|gegevens van mij)\b")

# Check-ins ("checkin" intent, a director): a rhythm, one now, or how it stands.
RHYTHM, NOW, STATUS = "rhythm", "now", "status"
_NOW = re.compile(r"\b(nu|start|starten|stuur|versturen|begin|meteen)\b")

# Milestones ("milestone" intent): mark one reached, record one, or the list.
REACHED, ADD, LIST = "reached", "add", "list"
_ADD = re.compile(
    r"^(?:nieuwe mijlpaal|mijlpaal toevoegen|mijlpaal vastleggen)\s*:?\s*(.+)$|^mijlpaal\s*:\s*(.+)$", re.IGNORECASE
)
_REACHED = re.compile(r"^mijlpa+l bereikt\s*:?\s*(.+)$|^(.+?)\s+is bereikt$", re.IGNORECASE)
# Celebrations ("celebrate" intent): the words after "vier".
_CELEBRATE = re.compile(r"^(?:laten we )?vier(?:en)?\s+(?:de |het |onze )?(?:mijlpaal\s*:?\s*)?(.+)$", re.IGNORECASE)


def interpret(reading: Reading, services: Services, *, sender: Sender | None = None) -> Understanding:
    """The matcher's understanding with the rules that need the database: "wie … in Utrecht?" asks for a
    contact, "vier <a milestone>" for a celebration. Unless the sender is a ketenpartner only the list of Dutch
    places counts, so the answer does not tell an outsider which places are on the social map. Without a
    sender (`ketenbot eval`) the message counts as a ketenpartner's who is no director."""
    understanding = reading.understanding
    assert understanding is not None, "the door understands every reading (bot/core.py read_message)"
    # Only a ketenpartner's question is held against the map: what the map holds must not show in an outsider's reply.
    if understanding.intent == "contact" and _may_see_map(sender) and not _about_the_domain(reading, services, understanding):
        # "de printer doet het niet, wie moet ik bellen": no one on the social map is for that.
        return Understanding("fallback", 0.0, scope=OFFTOPIC, evidence=understanding.evidence)
    if understanding.intent in ("knowledge", "fallback"):
        if _asks_who_in_a_place(reading, services, map_places=_may_see_map(sender)):
            return Understanding("contact", 1.0)
        folded = reading.folded
        # "vier de start van de pilot": celebrating a milestone that exists, not the number four.
        if folded.startswith("vier ") and services.milestones.find(folded.removeprefix("vier ")) is not None:
            return Understanding("celebrate", 1.0)
        # For a director "vier X" is always a celebration, also of a milestone that does not exist (yet).
        if (folded == "vier" or folded.startswith("vier ")) and sender is not None and sender.is_director:
            return Understanding("celebrate", 1.0)
    return understanding


def _may_see_map(sender: Sender | None) -> bool:
    return sender is None or sender.is_ketenpartner


def _about_the_domain(reading: Reading, services: Services, understanding: Understanding) -> bool:
    """Whether a contact question is the social domain's: its words carry domain evidence, it names a place,
    someone on the social map is for its topic, or the map has no one yet."""
    if understanding.evidence >= CONTACT_EVIDENCE:
        return True
    lexicon, view = services.matcher.lexicon, services.directory.view()
    words = [w for w in reading.folded.split() if w not in lexicon.stopwords and w not in lexicon.contact_words]
    if lexicon.place_in(reading.folded) or any(view.is_place(w) for w in words):
        return True
    # On a map without anyone yet the contact reply says so: that is what the asker needs to know.
    return not words or bool(view.search(words, limit=1)) or not view.nearest_topics(words, limit=1)


def _asks_who_in_a_place(reading: Reading, services: Services, *, map_places: bool) -> bool:
    """A sentence that starts with "wie" and names a place, in the list of Dutch places or on the map."""
    asking = [sentence for sentence in reading.sentences if sentence.startswith("wie ")]
    if any(services.matcher.lexicon.place_in(sentence) for sentence in asking):
        return True
    if not asking or not map_places:
        return False
    view = services.directory.view()
    return any(view.place_in(sentence) for sentence in asking)


def own_data_action(folded: str) -> str:
    """CONFIRM ("mijn gegevens kloppen"), CHANGE ("wijzig mijn telefoonnummer"), SHOW ("mijn gegevens") or
    REGISTER (anything else the register intent covers: "aanmelden")."""
    if _CONFIRM.search(folded):
        return CONFIRM
    if _CHANGE.search(folded):
        return CHANGE
    if _SHOW.search(folded):
        return SHOW
    return REGISTER


def checkin_action(text: str, folded: str) -> str:
    """RHYTHM ("check-in elke 4 weken op maandag"), NOW ("check-in nu") or STATUS ("check-in")."""
    if mentions_rhythm(text):
        return RHYTHM
    return NOW if _NOW.search(folded) else STATUS


def milestone_action(text: str) -> tuple[str, str]:
    """(REACHED, the title) for "mijlpaal bereikt: …", (ADD, the rest) for "nieuwe mijlpaal: …", else (LIST, "")."""
    reached = _REACHED.match(text)
    if reached:
        return REACHED, (reached.group(1) or reached.group(2)).strip()
    added = _ADD.match(text)
    if added:
        return ADD, added.group(1) or added.group(2)
    return LIST, ""


def celebrates(text: str) -> bool:
    """ "vier …", "laten we … vieren": a message that names what to celebrate."""
    return _CELEBRATE.match(text) is not None


def celebrated_words(text: str) -> str:
    """What "vier …" names ("de start van de pilot"), or "" when it names nothing."""
    found = _CELEBRATE.match(text)
    return found.group(1).strip() if found else ""
