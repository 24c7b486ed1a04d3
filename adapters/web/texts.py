"""Every Dutch string of the web chat, kept together so wording can be reviewed in one place.

The page's own words are filled into static/index.html; the script's messages reach it as data attributes.
"""

from __future__ import annotations

PAGE = {
    "title": "ketenbot",
    "tagline": "De assistent voor ketenpartners in het sociaal domein",
    "intro": (
        "Hoi! Ik ben ketenbot. Vraag me naar knelpunten en oplossingen in ketensamenwerking, "
        'begrippen zoals "wat is ketenregie?", de rollen in ketenregie of wie je kunt bellen. '
        'Typ "help" voor alles wat ik kan.\n\n'
        "Deel nooit gegevens van cliënten in de chat."
    ),
    "input_label": "Je vraag",
    "placeholder": "Stel je vraag…",
    "send": "Verstuur",
    "options_label": "Kies een antwoord",
    "error_network": "Er ging iets mis met de verbinding. Probeer het zo nog eens.",
    "error_unknown": "Er ging iets mis. Probeer het zo nog eens.",
    "noscript": "Deze chat werkt alleen als JavaScript aan staat in je browser.",
    "invitation_shown": "Ik open mijn uitnodiging.",
}

ERRORS = {
    "not_json": 'Stuur je bericht als JSON, bijvoorbeeld {"text": "wat is ketenregie?"}.',
    "bad_json": "Ik kon je bericht niet lezen: het is geen geldige JSON.",
    "bad_shape": 'Stuur een object met "text" (je vraag) of "action" (een gekozen knop), niet allebei.',
    "bad_characters": "Je bericht bevat tekens die ik niet kan lezen.",
    "empty": "Je bericht is leeg. Typ eerst een vraag.",
    "text_too_long": "Je bericht is te lang: gebruik hooguit {limit} tekens.",
    "body_too_large": "Je bericht is te groot om te verwerken.",
    "bad_action": "Die keuze ken ik niet. Stel je vraag gewoon in tekst.",
    "bad_ack": 'Stuur een object met "ids": een lijst van hooguit {limit} berichtnummers.',
}

# Answers for routes and methods the server does not have, on every route (see errors.py).
HTTP_ERRORS = {
    404: "Deze pagina bestaat niet. De chat staat op /.",
    405: "Dit adres bestaat, maar niet voor deze manier van opvragen ({method}).",
}
