"""Cases told in several sentences, then a question: the sentence that asks says what is asked."""

from __future__ import annotations

import pytest

from social_map.transfer import import_partners
from tests.chat import Conversation
from tests.conftest import DATA


@pytest.fixture
def chat(runtime):
    import_partners(runtime.services.partners, DATA / "contact_partners.csv")
    return Conversation(runtime.services)


async def test_a_case_that_mentions_wie_ik_moet_bellen_was_a_contact_search(chat):
    reply = await chat.say(
        "Ik werk als vrijwilliger bij de voedselbank. Vaak weet ik niet wie ik moet bellen als iemand ook schulden heeft. "
        "Elke organisatie werkt weer anders. Is er een overzicht van wie wat doet in de keten?"
    )
    assert reply.intent == "knowledge"
    assert not reply.results  # no list of people from the social map


async def test_a_case_that_ends_asking_for_someone_is_a_contact_search(chat):
    reply = await chat.say(
        "Ik ben wijkcoach in Zeist. Een gezin loopt vast met de huur. Het wijkteam kan er weinig mee. Wie kan ik bellen over schuldhulpverlening in Zeist?"
    )
    assert reply.intent == "contact"
    assert "Anouk de Vries" in reply.text


async def test_a_request_then_kan_dat_keeps_the_request(chat):
    reply = await chat.say("Hoi ketenbot. Ik wil me aanmelden op de sociale kaart. Kan dat?")
    assert reply.intent == "register"
