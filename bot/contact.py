"""Who to contact: the topic and place of a question, and the people on the social map for it."""

from __future__ import annotations

import re

from bot.dutch import fold, words
from bot.lexicon import Lexicon
from bot.messages import Card, CardField, Reply
from bot.partner import Hit, dutch_date
from bot.services import PartnerDirectory

RESULTS = 5
_IN_PLACE = re.compile(r"\b(?:in|uit|rond|regio|gemeente|omgeving)\s+([a-z][a-z]+(?:\s[a-z]+)?)\s*$")

FOUND_INTRO = "Deze ketenpartners kun je benaderen over {topic}{where}:"
ELSEWHERE_INTRO = "In {place} vond ik niemand voor {topic}. Wel elders:"
NOTHING_FOUND = "Ik vond niemand op de sociale kaart voor {topic}{where}."
SUGGEST_TOPICS = "Onderwerpen die wel op de kaart staan: {topics}."
NO_TOPIC = "Waarover zoek je iemand? Vraag bijvoorbeeld: 'wie kan ik bellen over schuldhulp in Zeist?'"
EMPTY_MAP = "Er staat nog niemand op de sociale kaart. Meld je als eerste aan met 'aanmelden'."
STALE_NOTE = "mogelijk verouderd: niet bevestigd sinds {date}"
REGISTER_HINT = "Sta je zelf nog niet op de kaart? Typ 'aanmelden'."


def topic_and_place(text: str, lexicon: Lexicon, directory: PartnerDirectory) -> tuple[list[str], str | None]:
    """Split a contact question into topic words and an optional place."""
    folded = fold(text)
    place = directory.place_in(folded)
    explicit = _IN_PLACE.search(folded)
    if place is None and explicit:
        place = explicit.group(1)
    drop = lexicon.stopwords | lexicon.contact_words
    place_words = set(words(place or ""))
    topic = [w for w in lexicon.rewrite_phrases(folded).split() if w not in drop and w not in place_words]
    return topic, place


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


def contact_reply(text: str, lexicon: Lexicon, directory: PartnerDirectory) -> Reply:
    topic_words, place = topic_and_place(text, lexicon, directory)
    if not topic_words:
        return Reply(text=NO_TOPIC, intent="contact", score=1.0)
    topic = " ".join(topic_words)
    hits = directory.search(topic_words, place, limit=RESULTS)
    results = tuple(
        {"name": h.partner.name, "organisation": h.partner.organisation, "role": h.partner.role,
         "region": h.partner.region, "phone": h.partner.phone, "email": h.partner.email}
        for h in hits
    )
    where = f" in {place.title()}" if place else ""
    if not hits:
        nearest = directory.nearest_topics(topic_words)
        lines = [NOTHING_FOUND.format(topic=topic, where=where)]
        lines.append(SUGGEST_TOPICS.format(topics=", ".join(nearest)) if nearest else EMPTY_MAP)
        return Reply(text="\n".join(lines), intent="contact", score=1.0)
    intro = (
        ELSEWHERE_INTRO.format(place=place.title(), topic=topic)
        if place and not any(h.in_region for h in hits)
        else FOUND_INTRO.format(topic=topic, where=where)
    )
    lines = [intro, ""]
    for number, hit in enumerate(hits, start=1):
        first, *rest = _describe(hit)
        lines += [f"{number}. {first}", *rest]
    lines += ["", REGISTER_HINT]
    card = Card(
        title=intro,
        fields=tuple(CardField(h.partner.name, "\n".join(_describe(h)[1:]).replace("   ", "")) for h in hits),
    )
    return Reply(text="\n".join(lines), card=card, intent="contact", score=1.0, results=results)
