"""Every Dutch text of the chain director's dashboard and its access pages, kept together for review.

`{name}` marks a value filled in by the renderer (numbers and dates already in Dutch notation).
"""

from __future__ import annotations

from bot.commitment.dashboard_link import LINK_MINUTES, SESSION_HOURS

# Dates and times (see notation.py).
MOMENT = "{day} om {hour}:{minute:02d}"
WEEK = "week {number} van {year}"

PAGE = {
    "title": "Dashboard ketenregie – ketenbot",
    "heading": "Dashboard van de ketenregisseur",
    "updated": "Bijgewerkt op {moment}.",
    "skip": "Naar de inhoud",
    "nav": "Onderdelen van het dashboard",
    "sign_out": "Afmelden",
    "footer": "Alle cijfers uit de grafieken staan ook in de tabel eronder. Het dashboard past afgedrukt op A4.",
}

HEADINGS = {
    "commitment": "Commitment per organisatie",
    "respons": "Respons en doel per ronde",
    "signalen": "Vroege signalen",
    "meldingen": "Meldingen van knelpunten",
    "behoeften": "Behoeften per knelpunt",
    "sociale-kaart": "De sociale kaart",
    "vragen": "Vragen per week",
    "mijlpalen": "Mijlpalen en vieringen",
}

FIGURE = {
    "numbers": "Cijfers bij: {caption}",
    "none": "–",
    "join": " · ",
    "item": "{name} {count}",
}

NO_ROUNDS = "Er zijn nog geen check-ins gehouden. Stel een ritme in, bijvoorbeeld: check-in elke 4 weken op maandag om 9:00."

COMMITMENT = {
    "intro": (
        "Het gemiddelde commitment (1 tot 5) van de partners van elke organisatie, per ronde. "
        "Waar de lijn onderbroken is, antwoordde niemand van die organisatie."
    ),
    "caption": "Commitment per organisatie over de rondes",
    "chart_title": "Commitment van {organisation}",
    "chart_description": "Commitment van {organisation} in {answered} van {rounds} rondes: eerst {first}, laatst {last}.",
    "no_answers": "Nog geen antwoorden over commitment.",
    "organisation": "Organisatie",
}

RESPONSE = {
    "caption": "Respons per ronde",
    "chart_description": "Staafdiagram: het deel van de gevraagde partners dat antwoordde, per ronde, van {first} tot en met {last}.",
    "note": "{percent} ({answered} van {sent})",
    "nobody": "niemand gevraagd",
    "round": "Ronde",
    "sent": "Gevraagd",
    "answered": "Geantwoord",
    "rate": "Respons",
}

GOAL = {
    "caption": "Staat het doel nog? Antwoorden per ronde",
    "chart_description": "Gestapeld staafdiagram: per ronde het aantal antwoorden ja, twijfel en nee op de vraag of het gezamenlijke doel nog staat.",
    "series": ("ja", "twijfel", "nee"),
    "head": ("Ronde", "Ja", "Twijfel", "Nee"),
}

WARNINGS = {
    "none": "Geen vroege signalen.",
    "caption": "Partners met een vroeg signaal",
    "head": ("Organisatie", "Wie", "Signaal"),
    "advice": "Advies bij ‘{title}’:",
}

MELDINGEN = {
    "none": "Nog geen meldingen van knelpunten. Partners melden er een met 'ik wil een knelpunt melden'.",
    "caption": "Meldingen van partners, open eerst",
    "head": ("Gemeld op", "Organisatie", "Wat loopt vast", "Tussen", "Sinds", "Beantwoord"),
    "open": "nog niet",
    "unknown": "onbekend",
}

NEEDS = {
    "caption": "Genoemde behoeften per knelpunt in de laatste {count} rondes ({first} tot en met {last})",
    "caption_one": "Genoemde behoeften per knelpunt in de ronde van {first}",
    "chart_description": "Staafdiagram: hoe vaak partners een behoefte noemden bij elk knelpunt.",
    "none": "In de laatste rondes noemde niemand een behoefte.",
    "head": ("Knelpunt", "Keer genoemd"),
}

SOCIAL_MAP = {
    "empty": "Er staat nog niemand op de sociale kaart.",
    "partners": "Vermeldingen op de kaart",
    "stale": "Niet bevestigd in de laatste {days}",
    "day": "{n} dag",
    "days": "{n} dagen",
    "stale_value": "{count} ({percent})",
    "topic_caption": "Partners per onderwerp",
    "topic_description": "Staafdiagram: het aantal partners op de sociale kaart per onderwerp.",
    "topic_head": ("Onderwerp", "Partners"),
    "region_caption": "Partners per regio",
    "region_description": "Staafdiagram: het aantal partners op de sociale kaart per regio.",
    "region_head": ("Regio", "Partners"),
}

QUESTIONS = {
    "intro": "Alleen aantallen: het dashboard toont nooit de vragen zelf.",
    "none": "Er zijn nog geen vragen gesteld.",
    "caption": "Vragen per week per platform",
    "chart_description": "Gestapeld staafdiagram: het aantal gestelde vragen per week, per platform.",
    "week": "Week",
    "total": "Totaal",
}

PLATFORMS = {"slack": "Slack", "teams": "Teams", "web": "Webchat", "console": "Terminal"}

MILESTONES = {
    "none": "Er zijn nog geen mijlpalen.",
    "reached": "Bereikt op {day}",
    "not_reached": "Nog niet bereikt",
    "celebrated": "gevierd op {day}",
    "not_celebrated": "nog niet gevierd",
    "delivered": "{delivered} van {queued} felicitaties afgeleverd",
    "join": "; ",
}

# The pages of the access flow: a title and what to do next.
NOTICES = {
    "no_session": (
        "Log in met een link",
        "Het dashboard is alleen voor ketenregisseurs. Typ \u201cdashboard\u201d in de chat (Slack, Teams, de webchat of "
        f"de terminal) en open de link die je krijgt binnen {LINK_MINUTES} minuten. Een link werkt één keer; daarna blijf je"
        f" {SESSION_HOURS} uur aangemeld.",
    ),
    "link_refused": (
        "Deze link werkt niet meer",
        f"Een link naar het dashboard werkt één keer en {LINK_MINUTES} minuten lang. Typ \u201cdashboard\u201d in de chat voor"
        " een nieuwe link.",
    ),
    "not_director": (
        "Geen toegang",
        "Alleen ketenregisseurs kunnen het dashboard zien. Hoort dat anders? Vraag de beheerder van ketenbot je toe te voegen.",
    ),
    "other_site": (
        "Verzoek geweigerd",
        "Dit verzoek kwam niet van het dashboard zelf en is daarom niet uitgevoerd. Open het dashboard opnieuw en probeer het nog eens.",
    ),
    "signed_out": (
        "Je bent afgemeld",
        "Wil je het dashboard weer zien? Typ \u201cdashboard\u201d in de chat voor een nieuwe link.",
    ),
}
NOTICE_PAGE = {
    "retry": "Al aangemeld? Open het dashboard.",
    "opening": "Je link wordt geopend…",
    "noscript": "Om een link te openen moet JavaScript aan staan in je browser.",
}
