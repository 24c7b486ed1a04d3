"""Who to contact: the topic and place of a question, and the people on the social map for it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.language.lexicon import Lexicon
from bot.messages import Card, CardField, Reply
from bot.social.partner import Hit, dutch_date

if TYPE_CHECKING:
    from bot.services import PartnerDirectory
    from bot.understanding.reading import Reading

RESULTS = 5
# Contact searches per person per hour: enough to find colleagues, too few to copy the map.
SEARCHES_PER_HOUR = 30
# A place after "in", also one that is on no list ("in Oud-Beijerland", "in 's-Hertogenbosch"); at the end.
_IN_PLACE = re.compile(r"\b(?:in|uit|rond|regio|gemeente|omgeving)\s+((?:s\s)?[a-z][a-z]+(?:\s[a-z]+)?)\s*$")

FOUND_INTRO = "Deze ketenpartners kun je benaderen over {topic}{where}:"
NAMED_INTRO = "Dit staat er op de sociale kaart over {names}:"
PLACES_JOINED = " of "
ELSEWHERE_INTRO = "In {place} vond ik niemand voor {topic}. Wel elders:"
NOTHING_FOUND = "Ik vond niemand op de sociale kaart voor {topic}{where}."
SUGGEST_TOPICS = "Onderwerpen die wel op de kaart staan: {topics}."
NO_TOPIC = "Waarover zoek je iemand? Vraag bijvoorbeeld: 'wie kan ik bellen over schuldhulp in Zeist?'"
EMPTY_MAP = "Er staat nog niemand op de sociale kaart. Meld je als eerste aan met 'aanmelden'."
STALE_NOTE = "mogelijk verouderd: niet bevestigd sinds {date}"
REGISTER_HINT = "Sta je zelf nog niet op de kaart? Typ 'aanmelden'."
TOO_MANY_SEARCHES = (
    "Je hebt het afgelopen uur al {limit} keer iemand op de sociale kaart gezocht; meer kan niet binnen een uur. "
    "Probeer het over een tijdje opnieuw. Vragen over knelpunten, rollen en begrippen kun je gewoon blijven stellen."
)


def topic_and_place(reading: Reading, lexicon: Lexicon, directory: PartnerDirectory) -> tuple[list[str], list[str]]:
    """Split a contact question into topic words and the places it names (none, one or several).

    A place is a word of a region on the map, a Dutch place name, or whatever follows a final "in";
    place words never count as topic words. `directory` is the map as it stands for this message (its `view()`).
    """
    folded = reading.folded
    drop = lexicon.stopwords | lexicon.contact_words
    places = [w for w in dict.fromkeys(folded.split()) if directory.is_place(w)]
    explicit = _IN_PLACE.search(folded)
    if explicit:
        named = " ".join(w for w in explicit.group(1).split() if w not in lexicon.contact_words and w not in lexicon.stopwords or w == "s")
        if named.strip("s "):
            # The fuller spelling wins: "s hertogenbosch" over "hertogenbosch".
            places = [p for p in places if p not in named.split()] + [named]
    place_words = {w for place in places for w in place.split()}
    topic = [w for w in lexicon.rewrite_phrases(folded).split() if w not in drop and w not in place_words]
    return topic, places


def _spelled(place: str, reading: Reading) -> str:
    """The place as the user wrote it ("'s-Hertogenbosch"), capitalised when typed in lower case."""
    typed = reading.spelling_of(place)
    if typed is None:
        return place.title()
    return typed.title() if typed.islower() else typed


def _describe(hit: Hit) -> list[str]:
    partner = hit.partner
    who = f"{partner.name}, {partner.role} bij {partner.organisation}" if partner.role else f"{partner.name}, {partner.organisation}"
    if partner.region:
        who += f" ({partner.region})"
    reach = " · ".join(part for part in (f"tel. {partner.phone}" if partner.phone else "", partner.email) if part)
    lines = [who, f"   Onderwerpen: {'; '.join(partner.topics)}"]
    if reach:
        lines.append(f"   {reach}")
    if hit.stale and partner.confirmed_at:
        lines.append(f"   ({STALE_NOTE.format(date=dutch_date(partner.confirmed_at))})")
    return lines


def contact_reply(reading: Reading, lexicon: Lexicon, directory: PartnerDirectory) -> Reply:
    """The partners for a contact question; `directory` is the map as it stands for this message (`view()`)."""
    topic_words, places = topic_and_place(reading, lexicon, directory)
    if not topic_words:
        return Reply(text=NO_TOPIC, intent="contact", score=1.0)
    topic = " ".join(topic_words)
    hits = directory.search(topic_words, places, limit=RESULTS)
    results = tuple(
        {"name": h.partner.name, "organisation": h.partner.organisation, "role": h.partner.role,
         "region": h.partner.region, "phone": h.partner.phone, "email": h.partner.email}
        for h in hits
    )
    place = PLACES_JOINED.join(_spelled(p, reading) for p in places)
    where = f" in {place}" if place else ""
    if not hits:
        nearest = directory.nearest_topics(topic_words)
        lines = [NOTHING_FOUND.format(topic=topic, where=where)]
        lines.append(SUGGEST_TOPICS.format(topics=", ".join(nearest)) if nearest else EMPTY_MAP)
        return Reply(text="\n".join(lines), intent="contact", score=1.0)
    lines = [_intro(hits, topic_words, topic, place), ""]
    for number, hit in enumerate(hits, start=1):
        first, *rest = _describe(hit)
        lines += [f"{number}. {first}", *rest]
    lines += ["", REGISTER_HINT]
    card = Card(
        title=lines[0],
        fields=tuple(CardField(h.partner.name, "\n".join(_describe(h)[1:]).replace("   ", "")) for h in hits),
    )
    return Reply(text="\n".join(lines), card=card, intent="contact", score=1.0, results=results)


def _intro(hits: list[Hit], topic_words: list[str], topic: str, place: str) -> str:
    if place and not any(h.in_region for h in hits):
        return ELSEWHERE_INTRO.format(place=place, topic=topic)
    named = [h for h in hits if h.name_words & set(topic_words)]
    if named and set(topic_words) <= {w for hit in named for w in hit.name_words}:
        return NAMED_INTRO.format(names=PLACES_JOINED.join(h.partner.name for h in named))
    return FOUND_INTRO.format(topic=topic, where=f" in {place}" if place else "")
