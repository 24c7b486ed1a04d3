"""General replies: help, thanks, who am I, the honest fallback (off-topic, or a social-domain question the knowledge
does not hold), the privacy warning and the apology after an error."""

from __future__ import annotations

from bot.knowledge.answers import entry_value
from bot.messages import Option, Reply

HELP_TEXT = """Hoi! Ik ben ketenbot, de assistent voor ketenpartners in het sociaal domein.

Wat je mij kunt vragen:
- Knelpunten en oplossingen in ketensamenwerking, bijvoorbeeld "we vertrouwen elkaar niet" of "de achterban gaat niet mee".
- Wat een begrip betekent, zoals "wat is ketenregie?" of "wat is een warme overdracht?".
- Welke rollen er zijn in ketenregie en wat ze doen, zoals "wat doet de ketenregisseur?".
- Wie je kunt bellen, zoals "wie kan ik bellen over schuldhulp in Zeist?".
- Jezelf aanmelden op de sociale kaart: typ "aanmelden". Je gegevens inzien of wijzigen: "mijn gegevens". Uitschrijven: "verwijder mij".
- Ben je ketenregisseur? "check-in elke 4 weken op maandag om 9:00", "check-in nu", "rapport", "nieuwe mijlpaal: …", "mijlpaal bereikt: …", "vier …", "uitnodiging" (een ketenpartner uitnodigen voor de webchat), "kennisvragen" (wat ketenbot niet goed kon beantwoorden) en "kennis herladen".

Deel nooit gegevens van cliënten in de chat."""

FALLBACK_TEXT = """Daar kan ik je helaas niet mee helpen: dat valt buiten wat ik weet. Ik ken de knelpunten en oplossingen in ketensamenwerking, de rollen in ketenregie, de begrippen uit het begrippenkader en de sociale kaart van ketenpartners.

Probeer bijvoorbeeld "welke knelpunten zijn er?", "wat is ketenregie?" of "wie kan ik bellen over schulden?". Typ "help" voor alles wat ik kan."""

OUTSIDE_KNOWLEDGE_TEXT = "Dat staat niet in mijn kennis. Ik ken de knelpunten en oplossingen in ketensamenwerking, de rollen in ketenregie en de begrippen uit het begrippenkader, maar geen bedragen, termijnen, formulieren of regels van instanties."
MAP_OFFER_TEXT = "Iemand op de sociale kaart weet het misschien. Zal ik daar zoeken naar iemand die dit weet? Typ 1 of kies de knop."

# The button that searches the social map for the words of a question the knowledge does not hold.
MAP_SEARCH_PREFIX = "contact:"
MAP_SEARCH_LABEL = "Zoek iemand op de sociale kaart"
# The words kept in the button's value (a folded question, never the typed text), at most this many characters.
MAP_SEARCH_CHARS = 200

PRIVACY_WARNING = """Let op: je bericht lijkt een burgerservicenummer (BSN) of een IBAN te bevatten. Deel geen gegevens van cliënten in de chat. Ik heb je bericht niet bewaard en er niets mee gedaan.

Stel je vraag opnieuw zonder persoonsgegevens van cliënten."""

TOO_MANY_MESSAGES = "Je stuurt te veel berichten kort na elkaar. Wacht even en probeer het over een minuut opnieuw."

THANKS_TEXT = "Graag gedaan! Vraag gerust verder als je nog iets wilt weten."

WHOAMI_TEXT = """Je id op dit platform is: {identity}

Wil je ketenregisseur worden? Dan zet de beheerder dit id in KETENBOT_DIRECTORS, of voegt het toe met 'ketenbot admin director add {identity}'."""

APOLOGY_TEXT = "Sorry, er ging bij mij iets mis. Je bericht is niet verloren gegaan; probeer het zo nog eens."

START_OPTIONS = (
    Option("Overzicht van de knelpunten", entry_value("overzicht-knelpunten")),
    Option("Overzicht van de rollen", entry_value("overzicht-rollen")),
    Option("Wat is ketenregie?", entry_value("begrip-ketenregie")),
)


START_HINT = "Typ een nummer om te beginnen:"


def _with_start_options(text: str) -> str:
    numbered = [f"{n}. {option.label}" for n, option in enumerate(START_OPTIONS, start=1)]
    return "\n".join([text, "", START_HINT, *numbered])


def help_reply() -> Reply:
    return Reply(text=_with_start_options(HELP_TEXT), options=START_OPTIONS, intent="help", score=1.0)


def fallback_reply(score: float, alternatives: tuple[tuple[str, float], ...] = ()) -> Reply:
    return Reply(
        text=_with_start_options(FALLBACK_TEXT),
        options=START_OPTIONS,
        intent="fallback",
        score=score,
        alternatives=alternatives,
    )


def outside_knowledge_reply(
    asked: str, score: float, alternatives: tuple[tuple[str, float], ...] = (), *, offer_map: bool = True
) -> Reply:
    """A social-domain question the knowledge does not hold: said honestly, with (for a ketenpartner) the offer
    to search the social map for someone who knows. `asked` is the folded sentence that asks; the button
    searches the map for it."""
    if not offer_map:
        return Reply(text=OUTSIDE_KNOWLEDGE_TEXT, intent="fallback", score=score, alternatives=alternatives)
    value = MAP_SEARCH_PREFIX + asked[:MAP_SEARCH_CHARS].rsplit(" ", 1)[0] if len(asked) > MAP_SEARCH_CHARS else MAP_SEARCH_PREFIX + asked
    return Reply(
        text=f"{OUTSIDE_KNOWLEDGE_TEXT}\n\n{MAP_OFFER_TEXT}",
        options=(Option(MAP_SEARCH_LABEL, value),),
        intent="fallback",
        score=score,
        alternatives=alternatives,
    )


def thanks_reply() -> Reply:
    return Reply(text=THANKS_TEXT, intent="thanks", score=1.0)


def whoami_reply(identity: str) -> Reply:
    """The sender's own id as written in KETENBOT_DIRECTORS (`platform:id`)."""
    return Reply(text=WHOAMI_TEXT.format(identity=identity), intent="whoami", score=1.0)


def privacy_reply() -> Reply:
    return Reply(text=PRIVACY_WARNING, intent="privacy", score=1.0)


def too_many_messages_reply() -> Reply:
    return Reply(text=TOO_MANY_MESSAGES, intent="limited", score=1.0)


def apology_reply() -> Reply:
    return Reply(text=APOLOGY_TEXT, intent="error", score=0.0)
