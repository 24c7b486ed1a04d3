"""Confidence bands: answer, "Bedoel je …?", or an honest fallback; plus help and greetings."""

from __future__ import annotations

import pytest

from tests.chat import Conversation


@pytest.mark.parametrize("question", ["de gemeente", "beleid"])
async def test_vague_question_gets_bedoel_je_with_three_options(runtime, matcher, question):
    top = matcher.understand(question)
    assert top.intent == "knowledge" and top.ambiguous
    chat = Conversation(runtime.services)
    reply = await chat.say(question)
    assert reply.text.startswith("Ik weet niet zeker wat je bedoelt. Bedoel je een van deze?")
    numbered = [o for o in reply.options if o.numbered]
    assert len(numbered) == 3
    chosen = await chat.say("2")
    assert chosen.entry == numbered[1].value.removeprefix("entry:")


@pytest.mark.parametrize(
    "question",
    ["wat is een hypotheek", "recept voor erwtensoep", "wie wint het WK voetbal", "hoe laat vertrekt de trein naar Gouda"],
)
async def test_out_of_domain_is_declined_honestly(runtime, question):
    reply = await Conversation(runtime.services).say(question)
    assert reply.intent == "fallback"
    assert "valt buiten wat ik weet" in reply.text
    assert "wat is ketenregie?" in reply.text


@pytest.mark.parametrize("greeting", ["hallo", "Goedemorgen!", "wat kun je allemaal?", "help"])
async def test_help_explains_what_ketenbot_does(runtime, greeting):
    reply = await Conversation(runtime.services).say(greeting)
    assert reply.intent == "help"
    assert "Wat je mij kunt vragen" in reply.text


async def test_greeting_before_a_question_still_answers_it(runtime):
    reply = await Conversation(runtime.services).say("hoi, wat is een convenant?")
    assert reply.entry == "begrip-convenant"


async def test_start_options_are_numbered_after_help(runtime):
    chat = Conversation(runtime.services)
    await chat.say("help")
    reply = await chat.say("1")
    assert reply.entry == "overzicht-knelpunten"
    reply = await chat.say("9")
    assert reply.entry == "knelpunt-9"


async def test_explicit_reference_opens_solution(runtime):
    reply = await Conversation(runtime.services).say("knelpunt 5 oplossing 3")
    assert reply.entry == "knelpunt-5.oplossing-3"
