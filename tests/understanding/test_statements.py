"""Statements and situations, as practitioners type them: a vented problem in chat or regional spelling
("nie", "ff", "mn") lands where the same line in standard Dutch lands."""

from __future__ import annotations

import pytest

from bot.config import bundled_knowledge_dir
from bot.language.lexicon import load_lexicon
from tests.chat import Conversation


@pytest.mark.parametrize(
    ("typed", "standard"),
    [
        ("de achterban gaat nie mee", "de achterban gaat niet mee"),
        ("mn collegas vertrouwen die partners nie", "mijn collega vertrouwen die partners niet"),
        ("we hebben ff geen geld voor de samenwerking", "we hebben even geen geld voor de samenwerking"),
    ],
)
async def test_a_statement_in_chat_spelling_was_declined(runtime, typed, standard):
    said = await Conversation(runtime.services).say(typed)
    written = await Conversation(runtime.services).say(standard)
    assert said.intent == written.intent == "knowledge"
    assert said.entry == written.entry
    assert said.text == written.text  # the same answer, not a "Bedoel je …?" in its place


def test_chat_spelling_is_written_out_word_by_word():
    lexicon = load_lexicon(bundled_knowledge_dir())
    assert lexicon.standard("ze doen nie mee idd") == "ze doen niet mee inderdaad"
    # A word that merely contains a chat form stays as it is.
    assert lexicon.standard("niemand niet") == "niemand niet"


async def test_a_case_whose_last_sentence_asks_is_read_for_that_question_too(runtime):
    reply = await Conversation(runtime.services).say(
        "Bewoners in onze buurt moeten voor elke vraag bij een andere instantie aankloppen. "
        "Hoe zorg je voor één plek waar ze met alles terechtkunnen?"
    )
    assert reply.entry == "begrip-een-loket"


@pytest.mark.parametrize(
    ("said", "knelpunt"),
    [
        # A complaint that others still do not know whom to call, or that the contact of the project is gone: were
        # searched on the social map as if the speaker asked for someone (heldout2 to heldout10, sixteen times).
        ("mijn collegas weten nog steeds niet wie ze bij de GGD moeten bellen", "knelpunt-8"),
        ("het contact met de woningcorporatie is na de pilot weer verwaterd", "knelpunt-9"),
        ("toen het project liep hadden we wekelijks contact met de kredietbank, nu niks meer", "knelpunt-9"),
        ("mijn collegas hebben geen flauw idee wie ze bij de GGD moeten bellen", "knelpunt-8"),
        ("onze sociale kaart is hopeloos verouderd, ik weet niet wie ik moet hebben", "knelpunt-8"),
    ],
)
async def test_a_complaint_about_not_knowing_whom_to_call_is_no_contact_search(runtime, said, knelpunt):
    reply = await Conversation(runtime.services).say(said)
    assert reply.intent == "knowledge"
    assert reply.entry == knelpunt or reply.entry.startswith(knelpunt + ".")


@pytest.mark.parametrize("said", ["ik weet niet wie ik moet bellen over schulden in Zeist", "graag contact met de schuldhulp in Houten"])
async def test_asking_for_someone_is_still_a_contact_search(runtime, said):
    assert (await Conversation(runtime.services).say(said)).intent == "contact"
