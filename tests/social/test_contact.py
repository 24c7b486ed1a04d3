"""Who to contact: topic and place from the question, synonyms, region first, stale and hidden entries."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from social_map.transfer import import_partners
from tests.chat import Conversation
from tests.conftest import FIXTURES

pytestmark = pytest.mark.both_databases


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
    registry, freshness = mapped.services.partners, mapped.services.freshness
    clock.advance(timedelta(days=200))
    reply = await ask(mapped, "contactpersoon ggz")
    assert "(mogelijk verouderd: niet bevestigd sinds 23 november 2026)" in reply.text
    due = freshness.due_for_reminder(max_age=timedelta(days=180), interval=timedelta(days=14), max_reminders=2)
    assert len(due) == 5

    def ask_each(partners):
        return freshness.queue_prompts([(p, (f"vraag:{p.id}:{p.reminders_sent}", f"console:{p.id}", {"text": "?"})) for p in partners])

    assert ask_each(due) == 5
    assert freshness.due_for_reminder(max_age=timedelta(days=180), interval=timedelta(days=14), max_reminders=2) == []
    clock.advance(timedelta(days=15))
    second = freshness.due_for_reminder(max_age=timedelta(days=180), interval=timedelta(days=14), max_reminders=2)
    assert len(second) == 5
    dirk = registry.by_email("dirk@ggzcentraal.nl")
    assert ask_each(second) == 5
    registry.save(replace(dirk, identities=("slack:UDIRK",)), consent_text=None)
    registry.confirm("slack:UDIRK")
    clock.advance(timedelta(days=15))
    hidden_ids = freshness.hide_unanswered(max_reminders=2, grace=timedelta(days=14))
    assert len(hidden_ids) == 4 and dirk.id not in hidden_ids
    assert {p.name for p in freshness.hidden()} == {"Anouk de Vries", "Bram Jansen", "Carla Smit", "Esra Yilmaz"}
    reply = await ask(mapped, "contactpersoon schuldhulpverlening")
    assert reply.results == ()
    assert registry.count() == 5
    reply = await ask(mapped, "contactpersoon ggz")
    assert reply.results[0]["name"] == "Dirk Bakker"
    assert "mogelijk verouderd" not in reply.text


@pytest.fixture
def regions(runtime):
    import_partners(runtime.services.partners, FIXTURES / "partners" / "regio.csv")
    return runtime


def names(reply):
    return [r["name"] for r in reply.results]


async def test_generic_region_words_are_no_place(regions):
    reply = await ask(regions, "wie kan ik bellen over schuldhulp in de regio Utrecht")
    assert reply.text.startswith("Deze ketenpartners kun je benaderen over schuldhulp in Utrecht:")
    assert names(reply)[0] == "Mila Bos"
    assert "Sara Kok" not in names(reply)
    reply = await ask(regions, "wie kan ik bellen over eenzaamheid in het midden van het land")
    assert reply.text.startswith("Deze ketenpartners kun je benaderen over eenzaamheid:")
    assert names(reply) == ["Sara Kok"]


async def test_several_places_and_no_place_as_topic_word(regions):
    reply = await ask(regions, "wie kan ik bellen over schuldhulp in Nieuwegein of Zeist")
    assert reply.text.startswith("Deze ketenpartners kun je benaderen over schuldhulp in Nieuwegein of Zeist:")
    assert set(names(reply)[:2]) == {"Pim de Wit", "Lotte Mol"}
    # Noor's organisation is called "Taalhuis Zeist", but she knows nothing about debts.
    assert "Noor Dekker" not in names(reply)


async def test_place_not_on_the_map_says_nobody_there(regions):
    reply = await ask(regions, "wie kan ik bellen over schuldhulp in 's-Hertogenbosch")
    assert reply.text.startswith("In 's-Hertogenbosch vond ik niemand voor schuldhulp. Wel elders:")
    assert "Noor Dekker" not in names(reply) and "Mila Bos" in names(reply)


async def test_partner_found_by_full_name_or_surname(regions):
    reply = await ask(regions, "wat is het telefoonnummer van Pim de Wit")
    assert reply.intent == "contact"
    assert names(reply) == ["Pim de Wit"]
    assert reply.text.startswith("Dit staat er op de sociale kaart over Pim de Wit:")
    assert "tel. 030-1110004" in reply.text
    reply = await ask(regions, "telefoonnummer van Dekker")
    assert names(reply) == ["Noor Dekker"]


@pytest.mark.parametrize(
    ("question", "name"),
    [("wie kan ik bellen over schludhulp", "Pim de Wit"), ("wie kan ik bellen over eenzaamhied", "Sara Kok")],
)
async def test_topic_typos_are_forgiven_alike(regions, question, name):
    reply = await ask(regions, question)
    assert reply.text.startswith("Deze ketenpartners kun je benaderen over")
    assert name in names(reply)


async def test_helping_with_a_topic_finds_who_fits(regions):
    reply = await ask(regions, "wie kan helpen met laaggeletterdheid")
    assert reply.intent == "contact"
    assert names(reply) == ["Noor Dekker"]


async def test_stale_entry_comes_after_fresh_one(regions, clock):
    registry = regions.services.partners
    clock.advance(timedelta(days=200))
    pim = registry.by_email("pim@schuldhulp-nieuwegein.nl")
    registry.save(replace(pim, phone="030-1110044"), consent_text=None)
    reply = await ask(regions, "wie kan ik bellen over schuldhulp in Nieuwegein")
    assert names(reply)[:2] == ["Pim de Wit", "Lotte Mol"]
    lotte = reply.text.split("2. Lotte Mol")[1]
    assert "(mogelijk verouderd: niet bevestigd sinds 23 november 2026)" in lotte


async def test_topic_shared_by_thousands_still_puts_the_freshest_first(runtime, clock, tmp_path):
    # More partners share the topic than social_map/search.py sorts (FEW_MATCHES): they are found by walking the
    # entries from the newest, and the order must not change with it.
    from social_map.search import FEW_MATCHES

    source = tmp_path / "veel.csv"
    rows = [f"Partner {n},Armoedepunt {n},consulent,armoede,Zeist,p{n}@voorbeeld.nl," for n in range(FEW_MATCHES + 200)]
    source.write_text("name,organisation,role,topics,region,email,phone\n" + "\n".join(rows) + "\n", encoding="utf-8")
    registry = runtime.services.partners
    import_partners(registry, source)
    clock.advance(timedelta(days=200))
    early = registry.by_email("p3@voorbeeld.nl")
    registry.save(replace(early, phone="030-1110055"), consent_text=None)
    reply = await ask(runtime, "wie kan ik bellen over armoede")
    last = FEW_MATCHES + 199
    assert names(reply) == ["Partner 3", f"Partner {last}", f"Partner {last - 1}", f"Partner {last - 2}", f"Partner {last - 3}"]
    assert "mogelijk verouderd" not in reply.text.split("2. ")[0]
    assert "mogelijk verouderd" in reply.text.split("2. ")[1]
