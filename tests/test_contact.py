"""Who to contact: topic and place from the question, synonyms, region first, stale and hidden entries."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from social_map.transfer import import_partners
from tests.chat import Conversation
from tests.conftest import FIXTURES


@pytest.fixture
def mapped(runtime):
    import_partners(runtime.services.partners, FIXTURES / "partners" / "goed.csv")
    return runtime


async def ask(runtime, text):
    return await Conversation(runtime.services, user="vrager").say(text)


async def test_who_to_call_about_debts_in_zeist(mapped):
    reply = await ask(mapped, "wie kan ik bellen over schuldhulp in Zeist?")
    assert reply.intent == "contact"
    assert reply.results[0]["name"] == "Anouk de Vries"
    assert reply.text.startswith("Deze ketenpartners kun je benaderen over schuldhulp in Zeist:")
    assert "tel. 030-6921234 · anouk@schuldhulp-zeist.nl" in reply.text


async def test_region_is_preferred(mapped):
    reply = await ask(mapped, "contactpersoon schuldhulpverlening in Utrecht")
    assert [r["name"] for r in reply.results][:2] == ["Esra Yilmaz", "Anouk de Vries"]


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("ken jij iemand bij het wijkteam?", "Bram Jansen"),
        ("wie weet iets van dak- en thuislozen", "Carla Smit"),
        ("contactpersoon ggz", "Dirk Bakker"),
        ("ik zoek iemand voor schulden", "Anouk de Vries"),
        ("wie kan mij helpen met schuldhulpverlning", "Anouk de Vries"),
    ],
)
async def test_synonyms_typos_and_phrasings(mapped, question, name):
    reply = await ask(mapped, question)
    assert reply.intent == "contact"
    assert name in [r["name"] for r in reply.results[:3]]


async def test_nothing_found_suggests_topics_that_exist(mapped):
    reply = await ask(mapped, "wie kan ik bellen over eenzaam")
    assert reply.intent == "contact"
    reply = await ask(mapped, "contactpersoon paardrijden")
    assert reply.results == ()
    assert reply.text.startswith("Ik vond niemand op de sociale kaart voor paardrijden.")
    assert "Onderwerpen die wel op de kaart staan:" in reply.text


async def test_elsewhere_when_no_one_in_the_asked_place(mapped):
    reply = await ask(mapped, "wie kan ik mailen over ggz in Zeist")
    assert reply.text.startswith("In Zeist vond ik niemand voor ggz. Wel elders:")
    assert reply.results[0]["name"] == "Dirk Bakker"


async def test_who_question_about_a_place_on_the_map_is_a_contact_question(mapped):
    reply = await ask(mapped, "wie doet er iets met mantelzorg in Zeist")
    assert reply.intent == "contact"
    assert reply.results[0]["name"] == "Bram Jansen"


async def test_who_question_about_any_dutch_place_is_a_contact_question(runtime):
    # Hilversum is on no one's entry: the list of Dutch places still tells a who-question apart.
    reply = await ask(runtime, "Wie is bij de gemeente Hilversum verantwoordelijk voor het armoedebeleid? Ik wil een afspraak.")
    assert reply.intent == "contact"
    general = await ask(runtime, "wie is verantwoordelijk voor de regie in de keten?")
    assert general.intent == "knowledge"


async def test_empty_map_says_so(runtime):
    reply = await ask(runtime, "contactpersoon schulden")
    assert "Er staat nog niemand op de sociale kaart" in reply.text


async def test_old_entries_are_marked_and_unanswered_ones_hidden(mapped, clock):
    registry = mapped.services.partners
    clock.advance(timedelta(days=200))
    reply = await ask(mapped, "contactpersoon ggz")
    assert "(mogelijk verouderd: niet bevestigd sinds 23 november 2026)" in reply.text
    due = registry.due_for_reminder(max_age=timedelta(days=180), interval=timedelta(days=14), max_reminders=2)
    assert len(due) == 5
    for partner in due:
        registry.record_reminder(partner.id)
    assert registry.due_for_reminder(max_age=timedelta(days=180), interval=timedelta(days=14), max_reminders=2) == []
    clock.advance(timedelta(days=15))
    second = registry.due_for_reminder(max_age=timedelta(days=180), interval=timedelta(days=14), max_reminders=2)
    assert len(second) == 5
    dirk = registry.by_email("dirk@ggzcentraal.nl")
    for partner in second:
        registry.record_reminder(partner.id)
    registry.save(replace(dirk, identities=("slack:UDIRK",)), consent_text=None)
    registry.confirm("slack:UDIRK")
    clock.advance(timedelta(days=15))
    hidden_ids = registry.hide_unanswered(max_reminders=2, grace=timedelta(days=14))
    assert len(hidden_ids) == 4 and dirk.id not in hidden_ids
    assert {p.name for p in registry.hidden()} == {"Anouk de Vries", "Bram Jansen", "Carla Smit", "Esra Yilmaz"}
    reply = await ask(mapped, "contactpersoon schuldhulpverlening")
    assert reply.results == ()
    assert registry.count() == 5
    reply = await ask(mapped, "contactpersoon ggz")
    assert reply.results[0]["name"] == "Dirk Bakker"
    assert "mogelijk verouderd" not in reply.text
