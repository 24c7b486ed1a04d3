"""Follow-ups in one conversation: numbers, 'oplossing N', 'meer', 'bron', 'terug', buttons, restarts."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.wiring import build_runtime
from tests.chat import Conversation


async def test_knelpunt_lists_its_solutions_and_a_number_opens_one(runtime, knowledge):
    chat = Conversation(runtime.services)
    reply = await chat.say("we vertrouwen elkaar niet")
    assert reply.entry == "knelpunt-3"
    for solution in knowledge.solutions("knelpunt-3"):
        assert f"{solution.number}. {solution.title}" in reply.text
    reply = await chat.say("2")
    assert reply.entry == "knelpunt-3.oplossing-2"
    assert knowledge.get("knelpunt-3.oplossing-2").summary in reply.text


async def test_oplossing_n_meer_bron_and_terug(runtime, knowledge):
    chat = Conversation(runtime.services)
    await chat.say("de achterban gaat niet mee")
    reply = await chat.say("oplossing 3")
    assert reply.entry == "knelpunt-8.oplossing-3"
    reply = await chat.say("meer")
    assert knowledge.get("knelpunt-8.oplossing-3").text in reply.text
    reply = await chat.say("bron")
    assert "Naar succesvolle ketensamenwerking" in reply.text
    reply = await chat.say("terug")
    assert reply.entry == "knelpunt-8"
    assert "Oplossingen:" in reply.text


async def test_number_out_of_range_is_explained(runtime):
    chat = Conversation(runtime.services)
    await chat.say("we vertrouwen elkaar niet")
    reply = await chat.say("42")
    assert "Nummer 42 staat niet in de lijst" in reply.text
    reply = await chat.say("1")
    assert reply.entry == "knelpunt-3.oplossing-1"


async def test_follow_up_without_a_topic_says_so(runtime):
    reply = await Conversation(runtime.services).say("meer")
    assert "Er staat nog geen onderwerp open" in reply.text


async def test_button_value_opens_entry(runtime, knowledge):
    chat = Conversation(runtime.services, platform="slack", user="U1")
    reply = await chat.click("entry:begrip-warme-overdracht")
    assert reply.entry == "begrip-warme-overdracht"
    assert knowledge.get("begrip-warme-overdracht").summary in reply.text


async def test_definition_shows_example_related_terms_and_source(runtime, knowledge):
    reply = await Conversation(runtime.services).say("wat is ketenregie?")
    entry = knowledge.get("begrip-ketenregie")
    assert reply.entry == "begrip-ketenregie"
    assert entry.summary in reply.text
    assert "Voorbeeld: " in reply.text
    assert "Zie ook:" in reply.text and knowledge.get(entry.related[0]).title in reply.text
    assert "Bron: Ruimte voor regie" in reply.text


async def test_role_shows_level_and_tasks(runtime, knowledge):
    reply = await Conversation(runtime.services).say("wat doet de ketenregisseur eigenlijk")
    role = knowledge.get("rol-ketenregisseur")
    assert reply.entry == "rol-ketenregisseur"
    assert "Werkt op: ketenniveau" in reply.text
    assert all(task in reply.text for task in role.tasks)


async def test_follow_up_survives_a_restart(settings, clock, matcher):
    first = build_runtime(settings, clock=clock, matcher=matcher)
    await Conversation(first.services).say("we vertrouwen elkaar niet")
    first.close()
    second = build_runtime(settings, clock=clock, matcher=matcher)
    reply = await Conversation(second.services).say("4")
    second.close()
    assert reply.entry == "knelpunt-3.oplossing-4"


async def test_state_expires(runtime, clock):
    chat = Conversation(runtime.services)
    await chat.say("we vertrouwen elkaar niet")
    clock.advance(timedelta(hours=2))
    reply = await chat.say("meer")
    assert "Er staat nog geen onderwerp open" in reply.text


async def test_conversations_of_two_users_are_separate(runtime):
    anouk = Conversation(runtime.services, user="anouk")
    bram = Conversation(runtime.services, user="bram")
    await anouk.say("we vertrouwen elkaar niet")
    await bram.say("de achterban gaat niet mee")
    assert (await anouk.say("1")).entry == "knelpunt-3.oplossing-1"
    assert (await bram.say("1")).entry == "knelpunt-8.oplossing-1"


# --- examples from practice ('voorbeeld') ------------------------------------------------------------------


async def test_voorbeeld_after_a_definition_lists_the_examples_and_a_number_opens_one(runtime, knowledge):
    chat = Conversation(runtime.services)
    reply = await chat.say("wat is ketenregie?")
    assert "'voorbeeld' voor een voorbeeld uit de praktijk" in reply.text
    assert ("Voorbeeld", "example") in [(o.label, o.value) for o in reply.options]
    reply = await chat.say("heb je een voorbeeld?")
    assert reply.text.startswith("Voorbeelden bij Ketenregie")
    assert "1. Inburgering in Heerenveen" in reply.text and "2. De IND en het beroep van asielzoekers" in reply.text
    reply = await chat.say("1")
    assert reply.entry == "voorbeeld-heerenveen"
    assert reply.text.startswith("Voorbeeld uit de praktijk: Inburgering in Heerenveen")
    assert "Bron: Ruimte voor regie" in reply.text
    reply = await chat.say("terug")
    assert reply.entry == "begrip-ketenregie"


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("Heb je een voorbeeld van doelvervlechting?", "voorbeeld-zorgboerderij"),
        ("geef eens een voorbeeld van een pgb", "voorbeeld-portemonnee-van-de-patient"),
        ("Is er een praktijkvoorbeeld van context verkennen?", "voorbeeld-oosterhout"),
        ("kun je een voorbeeld geven van vraaggericht werken", "begrip-vraagsturing"),
        ("voorbeelden van een eenvoudige en een complexe keten?", "begrip-ketencomplexiteit"),
    ],
)
async def test_a_direct_question_for_an_example_names_its_subject(runtime, question, entry):
    reply = await Conversation(runtime.services).say(question)
    assert reply.entry == entry
    if entry.startswith("voorbeeld-"):
        assert reply.text.startswith("Voorbeeld uit de praktijk: ")
    else:
        assert reply.text.startswith("Voorbeelden bij ")


async def test_the_one_example_of_a_subject_is_shown_at_once_and_terug_goes_to_the_subject(runtime):
    chat = Conversation(runtime.services)
    reply = await chat.say("heb je een voorbeeld van doelvervlechting?")
    assert "De dagopvang voor mensen met een verstandelijke beperking had te weinig plaats." in reply.text
    reply = await chat.say("terug")
    assert reply.entry == "begrip-doelvervlechting"


async def test_an_example_asked_for_a_subject_without_one_says_so_and_answers_the_subject(runtime):
    reply = await Conversation(runtime.services).say("geef een voorbeeld van hoe je kosten en baten inschat")
    assert reply.entry == "knelpunt-5.oplossing-2"
    assert reply.text.startswith("Bij 'Maak een inschatting van de kosten en baten' heb ik geen voorbeeld uit de praktijk.")


async def test_voorbeeld_while_reading_an_example_offers_what_it_is_an_example_of(runtime):
    chat = Conversation(runtime.services)
    await chat.say("vertel eens over het drama in Roermond")
    reply = await chat.say("voorbeeld")
    assert reply.text.startswith("Dit is zelf een voorbeeld uit de praktijk. Het hoort bij:\n1. Ketencomplexiteit")
    reply = await chat.say("1")
    assert reply.entry == "begrip-ketencomplexiteit"


async def test_the_voorbeeld_button_works_like_typing_it(runtime):
    chat = Conversation(runtime.services, platform="slack", user="U7")
    await chat.say("wat is doelvervlechting")
    reply = await chat.click("example")
    assert reply.entry == "voorbeeld-zorgboerderij"


# --- practice lines and several sources ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "command", "knelpunt"),
    [
        # Under 'meer' the practitioner's quote, in own words, follows the explanation ...
        ("partners willen geen gegevens delen", "meer", "knelpunt-4"),
        # ... and it is what 'voorbeeld' shows for a knelpunt without a longer example.
        ("we vertrouwen elkaar niet", "voorbeeld", "knelpunt-3"),
    ],
)
async def test_a_knelpunt_shows_what_a_practitioner_said(runtime, knowledge, question, command, knelpunt):
    chat = Conversation(runtime.services)
    await chat.say(question)
    reply = await chat.say(command)
    line = knowledge.get(knelpunt).practice[0]
    assert reply.text.endswith(f"Uit de praktijk:\n- Iemand uit de sociaal-financiële praktijk: {line.says}")


async def test_bron_names_every_source_of_an_entry_with_its_section(runtime):
    chat = Conversation(runtime.services)
    await chat.say("met welke partners ga je aan tafel?")
    reply = await chat.say("bron")
    assert "Bronnen:\n- Ruimte voor regie" in reply.text
    assert "\n- Naar succesvolle ketensamenwerking: knelpunten oplossen! (" in reply.text
    assert "Knelpunt 1, oplossing 2: Betrek een brede groep ketenpartners" in reply.text
    assert "\n- Waar een schakel ontbreekt, is de keten stuk (Peter Paul J. Doodkorte" in reply.text


async def test_background_that_no_source_gives_is_labelled_in_the_answer(runtime):
    reply = await Conversation(runtime.services).say("wat is de AVG?")
    assert reply.entry == "begrip-avg"
    assert "Algemene achtergrond (dit staat niet in de bronnen): AVG staat voor Algemene verordening gegevensbescherming" in reply.text


async def test_an_example_of_an_unknown_subject_is_answered_as_a_question(runtime):
    """Regression: "heb je een voorbeeld van …" with a subject ketenbot does not know crashed the turn."""
    from tests.chat import Conversation

    reply = await Conversation(runtime.services).say("heb je een voorbeeld van een fietsenstalling?")
    assert reply.intent in ("fallback", "knowledge")
    assert "Er ging iets mis" not in reply.text


@pytest.mark.parametrize("followup", ["meer", "bron"])
async def test_a_number_after_meer_or_bron_said_no_topic_was_open(runtime, knowledge, followup):
    chat = Conversation(runtime.services)
    await chat.say("we vertrouwen elkaar niet")
    await chat.say(followup)
    reply = await chat.say("2")
    assert "Er staat nog geen onderwerp open" not in reply.text
    assert reply.entry == "knelpunt-3.oplossing-2"
    assert knowledge.get("knelpunt-3.oplossing-2").summary in reply.text


async def test_a_number_after_meer_on_a_solution_opens_its_zie_ook(runtime, knowledge):
    chat = Conversation(runtime.services)
    first = await chat.click("entry:knelpunt-3.oplossing-3")
    await chat.say("meer")
    reply = await chat.say("1")
    listed = first.text.split("Zie ook:")[1].splitlines()[1]
    assert listed == f"1. {knowledge.get(reply.entry).title}"


async def test_zie_ook_listed_the_same_title_twice_or_the_answers_own_title(runtime, knowledge):
    reply = await Conversation(runtime.services).click("entry:rol-ketenregisseur")
    listing = reply.text.split("Zie ook:")[1].split("\n\n")[0].splitlines()[1:]
    titles = [line.split(". ", 1)[1] for line in listing]
    assert titles.count("Wijs een ketenregisseur aan") == 1
    for entry in knowledge:
        reply = await Conversation(runtime.services).click(f"entry:{entry.id}")
        if "Zie ook:" not in reply.text:
            continue
        listing = reply.text.split("Zie ook:")[1].split("\n\n")[0].splitlines()[1:]
        titles = [line.split(". ", 1)[1] for line in listing]
        assert len(titles) == len(set(titles)), entry.id
        assert entry.title not in titles, entry.id
