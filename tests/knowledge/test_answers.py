"""What a user reads about an entry with several sources, practice lines and general background
(a small knowledge base of its own, so the wording is fixed)."""

from __future__ import annotations

import pytest

from adapters.wiring import build_runtime
from bot.config import Settings
from tests.chat import Conversation
from tests.conftest import FIXTURES


@pytest.fixture
def plain(fresh_db, clock):
    runtime = build_runtime(Settings(db_path=fresh_db, knowledge_dir=FIXTURES / "kb_plain"), clock=clock)
    yield runtime
    runtime.close()


async def test_bron_lists_every_source_with_its_section(plain):
    chat = Conversation(plain.services)
    reply = await chat.say("redenen voor ketenregie")
    assert reply.text.startswith("Redenen om voor ketenregie te kiezen")
    reply = await chat.say("bron")
    assert reply.text.endswith(
        "Bronnen:\n"
        "- Ruimte voor regie (ministerie van BZK), 3 Waar kunt u ketenregie voor inzetten?\n"
        "- Knelpunten oplossen (Hogeschool Utrecht), Knelpunt 1"
    )


async def test_meer_ends_with_what_practitioners_said_under_its_own_heading(plain):
    chat = Conversation(plain.services)
    await chat.say("we hebben geen tijd voor het project")
    reply = await chat.say("meer")
    assert reply.text.endswith("Uit de praktijk:\n- Iemand uit de praktijk: Je moet kiezen tussen je eigen klanten en het project.")


async def test_general_background_is_labelled_as_not_from_the_sources_in_the_first_answer(plain):
    reply = await Conversation(plain.services).say("de aandacht verslapt")
    assert "Algemene achtergrond (dit staat niet in de bronnen): Algemene kennis uit de wet." in reply.text
    assert reply.text.index("Vraag opnieuw om commitment") < reply.text.index("Algemene achtergrond")


async def test_voorbeeld_on_a_knelpunt_without_examples_shows_the_practice_lines(plain):
    chat = Conversation(plain.services)
    await chat.say("we hebben geen tijd voor het project")
    reply = await chat.say("heb je een voorbeeld?")
    assert reply.text.startswith("Voorbeelden bij Knelpunt 6: De waan van de dag wint\n\nUit de praktijk:")


async def test_voorbeeld_where_there_is_none_says_so(plain):
    chat = Conversation(plain.services)
    await chat.say("de aandacht verslapt")
    reply = await chat.say("voorbeeld")
    assert "Bij 'De aandacht verslapt' heb ik geen voorbeeld uit de praktijk." in reply.text


async def test_voorbeeld_without_an_open_topic_asks_what_about(plain):
    reply = await Conversation(plain.services).say("heb je een voorbeeld?")
    assert reply.text == "Waarvan wil je een voorbeeld? Vraag bijvoorbeeld 'heb je een voorbeeld van ketenregie?'."
