"""Follow-ups in one conversation: numbers, 'oplossing N', 'meer', 'bron', 'terug', buttons, restarts."""

from __future__ import annotations

from datetime import timedelta

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


async def test_follow_up_survives_a_restart(settings, clock):
    first = build_runtime(settings, clock=clock)
    await Conversation(first.services).say("we vertrouwen elkaar niet")
    first.close()
    second = build_runtime(settings, clock=clock)
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
