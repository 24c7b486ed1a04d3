"""The matcher understands Dutch as professionals type it: typos, accents, compounds, synonyms.

These utterances are our own, not the development set's.
"""

from __future__ import annotations

import pytest

from bot.dutch import fold
from bot.matcher import ANSWER_THRESHOLD


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("wat betekend ketenreggie", "begrip-ketenregie"),
        ("Wat is een CLIËNT?", "begrip-client"),
        ("wat is een cliént", "begrip-client"),
        ("wat is een ervarings deskundige", "begrip-ervaringsdeskundige"),
        ("uitleg persoons gebonden budget", "begrip-pgb"),
        ("wat houdt warme overdracht in", "begrip-warme-overdracht"),
        ("privacy staat alles in de weg", "knelpunt-4"),
        ("we krijgen het niet eens over wat we willen bereiken", "knelpunt-1|knelpunt-3.oplossing-3"),
        ("er is geen geld voor de uitvoering van het plan", "knelpunt-5"),
        ("wat is de taak van de financier", "rol-financier"),
        ("welke rollen onderscheid je bij ketenregie", "overzicht-rollen"),
        ("geef me alle knelpunten", "overzicht-knelpunten"),
    ],
)
def test_understands(matcher, question, entry):
    understanding = matcher.understand(question)
    assert understanding.intent == "knowledge"
    assert understanding.entry_id in entry.split("|")
    assert understanding.score >= ANSWER_THRESHOLD


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        ("wie kan ik bellen voor schulden", "contact"),
        ("ken jij iemand bij het wijkteam?", "contact"),
        ("contactpersoon ggz", "contact"),
        ("wie is de cliënt van de samenwerking", "knowledge"),
        ("ik wil me aanmelden", "register"),
        ("wijzig mijn telefoonnummer", "register"),
        ("mijn gegevens", "register"),
        ("schrijf mij uit", "unregister"),
        ("verwijder mij van de sociale kaart", "unregister"),
        ("start een check-in", "checkin"),
        ("vier de mijlpaal", "celebrate"),
        ("hoe vieren we kleine successen", "knowledge"),
        ("hoi", "help"),
        ("", "help"),
        ("kun je een mop vertellen", "fallback"),
    ],
)
def test_intent_before_knowledge(matcher, question, intent):
    assert matcher.understand(question).intent == intent


def test_folding_treats_accent_variants_as_one_word():
    assert fold("Cliënt") == fold("cliént") == fold("CLIENT") == "client"
    assert fold("  collega's,  T-shaped!! ") == "collega t shaped"


def test_rare_words_weigh_more_than_common_ones(matcher):
    index = matcher.index
    assert index.weight(index.query_terms("convenant")[0]) > index.weight(index.query_terms("samenwerking")[0])


def test_separable_verbs_are_joined(matcher):
    assert matcher.index.query_terms("partners haken af") == matcher.index.query_terms("partners afhaken")


def test_alternatives_are_ranked_best_first(matcher):
    candidates = matcher.understand("hoe bouwen we vertrouwen op").candidates
    scores = [c.score for c in candidates]
    assert scores == sorted(scores, reverse=True)
    assert len(candidates) >= 3
