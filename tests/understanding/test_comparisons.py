"""Comparison questions ("wat is het verschil tussen X en Y") answer about both sides, as a user reads it."""

from __future__ import annotations

from tests.chat import Conversation


async def test_verschil_tussen_ketenregie_en_ketenmanagement_got_only_the_ketenregie_definition(runtime, knowledge):
    reply = await Conversation(runtime.services).say("wat is het verschil tussen ketenregie en ketenmanagement")
    # The knowledge base treats them as one term (ketenmanagement is a synonym of ketenregie): it says so.
    assert "ketenmanagement" in knowledge.get("begrip-ketenregie").synonyms
    assert reply.text.startswith("In mijn kennis zijn ketenregie en ketenmanagement hetzelfde begrip.")
    assert reply.entry == "begrip-ketenregie"
    assert knowledge.get("begrip-ketenregie").summary in reply.text


async def test_two_different_terms_are_shown_side_by_side_and_a_number_opens_one(runtime, knowledge):
    chat = Conversation(runtime.services)
    reply = await chat.say("Wat is het verschil tussen een procesindicator en een prestatie-indicator?")
    assert knowledge.get("begrip-procesindicator").summary in reply.text
    assert knowledge.get("begrip-prestatie-indicator").summary in reply.text
    assert "hetzelfde begrip" not in reply.text
    reply = await chat.say("2")
    assert reply.entry == "begrip-prestatie-indicator"


async def test_a_side_the_knowledge_does_not_hold_is_named(runtime, knowledge):
    reply = await Conversation(runtime.services).say("wat is het verschil tussen ketenregie en blockchain?")
    assert reply.text.startswith("'blockchain' staat niet in mijn kennis.")
    assert knowledge.get("begrip-ketenregie").summary in reply.text


async def test_an_entry_that_explains_the_difference_itself_is_answered_without_claiming_sameness(runtime):
    reply = await Conversation(runtime.services).say("wat is het verschil tussen een keten en een netwerk")
    assert reply.entry == "begrip-keten"
    assert "hetzelfde begrip" not in reply.text

