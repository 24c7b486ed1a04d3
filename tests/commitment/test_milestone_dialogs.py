"""Milestone dialogs as a director types them: celebrating once, reading yes and no, two directors at once,
exact titles, unknown milestones, bad input, and the reminder-days setting."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from adapters.wiring import build_runtime
from bot.language.dutch import read_yes_no
from bot.social.partner import Partner
from tests.chat import Conversation
from tests.social.test_registration import REGISTRATION, partners

pytestmark = pytest.mark.both_databases

DIRECTOR = "regisseur"
OTHER_DIRECTOR = "tweede-regisseur"
PARTNERS = 6
QUEUED = f"Het bericht staat klaar voor {PARTNERS} ontvangers en wordt nu verstuurd."
CANCELLED = "Prima, er is niets verstuurd."
NOT_A_CLEAR_YES = "Dat is geen duidelijk ja, dus ik heb nog niets verstuurd."
SETTLED_AT = "maandag 23 november 2026 om 10:00"  # the clock fixture, in Dutch time


def give_partners(services) -> None:
    for n in range(PARTNERS):
        services.partners.save(Partner(name=f"P{n}", organisation="Org", topics=("x",), identities=(f"slack:U{n}",)), consent_text="ja")


@pytest.fixture
def chain(runtime, settings):
    give_partners(runtime.services)
    runtime.services.directors.add(f"console:{DIRECTOR}")
    runtime.services.directors.add(f"console:{OTHER_DIRECTOR}")
    return runtime


def count(runtime, table: str) -> int:
    return runtime.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


async def reached(director: Conversation, *titles: str) -> None:
    for title in titles:
        await director.say(f"nieuwe mijlpaal: {title}")
        assert (await director.say(f"mijlpaal bereikt: {title}")).text.startswith(f"Gefeliciteerd! '{title}'")


# 1. Celebrating once


async def test_a_milestone_is_celebrated_once_only(chain, clock):
    director = Conversation(chain.services, user=DIRECTOR)
    await reached(director, "Pilot gestart")
    await director.say("vier Pilot gestart")
    assert (await director.say("ja")).text.startswith(QUEUED)
    clock.advance(timedelta(days=2))
    reply = await director.say("vier Pilot gestart")
    assert reply.text == (
        f"'Pilot gestart' is al gevierd: het bericht is op {SETTLED_AT} klaargezet voor alle partners. Ik stuur het niet"
        " nog een keer. Typ 'voortgang' om te zien hoeveel berichten zijn bezorgd."
    )
    assert not reply.options
    # Nothing is waiting for a yes: a "ja" now is an ordinary message, not a second broadcast.
    await director.say("ja")
    assert count(chain, "broadcasts") == 1
    assert count(chain, "outbox") == PARTNERS
    assert "- Pilot gestart: gevierd" in (await director.say("mijlpalen")).text


# 2. Reading yes and no


@pytest.mark.parametrize(
    "answer",
    ["doe maar niet", "nee", "liever niet", "toch maar niet", "stop", "annuleer", "wacht even", "ja, nee, wacht", "Ja... of toch niet"],
)
async def test_no_after_the_preview_sends_nothing(chain, answer):
    director = Conversation(chain.services, user=DIRECTOR)
    await reached(director, "Pilot gestart")
    await director.say("vier Pilot gestart")
    assert (await director.say(answer)).text == CANCELLED
    assert count(chain, "outbox") == 0
    assert count(chain, "broadcasts") == 0
    assert "- Pilot gestart: bereikt" in (await director.say("mijlpalen")).text


@pytest.mark.parametrize(
    "answer", ["ja, maar eerst even de tekst aanpassen", "ja maar", "Ja, als de gemeente akkoord is", "ok, eerst nog even checken"]
)
async def test_a_yes_with_a_condition_is_asked_again_and_sends_nothing(chain, answer):
    director = Conversation(chain.services, user=DIRECTOR)
    await reached(director, "Pilot gestart")
    await director.say("vier Pilot gestart")
    reply = await director.say(answer)
    assert reply.text.startswith(NOT_A_CLEAR_YES)
    assert "typ 'ja' om het bericht zo te versturen, of 'nee' om niets te versturen" in reply.text
    assert [o.value for o in reply.options] == ["ja", "nee"]
    assert count(chain, "outbox") == 0
    assert (await director.say("ja")).text.startswith(QUEUED)
    assert count(chain, "outbox") == PARTNERS


@pytest.mark.parametrize("answer", ["ja", "Ja!", "ja graag", "verstuur maar", "doe maar", "ja, stuur maar", "akkoord"])
async def test_a_clear_yes_sends(chain, answer):
    director = Conversation(chain.services, user=DIRECTOR)
    await reached(director, "Pilot gestart")
    await director.say("vier Pilot gestart")
    assert (await director.say(answer)).text.startswith(QUEUED)
    assert count(chain, "outbox") == PARTNERS


async def test_a_conditional_yes_to_the_consent_question_publishes_nothing(runtime, settings):
    chat = Conversation(runtime.services, user="carla")
    for text in REGISTRATION[:-1]:
        await chat.say(text)
    assert (await chat.say("ja, maar eerst mijn telefoonnummer aanpassen")).text == "Typ 'ja' of 'nee'."
    assert partners(settings.database) == []
    assert (await chat.say("toch maar niet")).text == "Prima, ik heb niets bewaard."
    assert partners(settings.database) == []


async def test_a_no_anywhere_keeps_a_partner_on_the_map(runtime, settings):
    chat = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    await chat.say("verwijder mij")
    assert (await chat.say("ja, nee, wacht")).text == "Prima, je blijft op de sociale kaart staan."
    assert len(partners(settings.database)) == 1


@given(before=st.text(max_size=40), after=st.text(max_size=40), no=st.sampled_from(["niet", "nee", "stop", "annuleer", "wacht"]))
def test_a_negation_anywhere_is_never_a_yes(before, after, no):
    from bot.language.dutch import fold

    assert read_yes_no(fold(f"ja {before} {no} {after}")) is False


# 3. Two directors at once


async def test_two_directors_confirming_at_once_send_one_broadcast(chain):
    first = Conversation(chain.services, user=DIRECTOR)
    second = Conversation(chain.services, user=OTHER_DIRECTOR)
    await reached(first, "Pilot gestart")
    assert "Versturen?" in (await first.say("vier Pilot gestart")).text
    assert "Versturen?" in (await second.say("vier Pilot gestart")).text
    assert (await first.say("ja")).text.startswith(QUEUED)
    reply = await second.say("ja")
    assert reply.text == (
        f"Een andere ketenregisseur heeft 'Pilot gestart' intussen al klaargezet voor alle partners ({SETTLED_AT})."
        " Ik heb het bericht niet nog een keer verstuurd. Typ 'voortgang' om te zien hoeveel berichten zijn bezorgd."
    )
    assert count(chain, "broadcasts") == 1
    assert count(chain, "outbox") == PARTNERS


async def test_two_processes_on_one_database_queue_one_broadcast(chain, settings, clock, matcher):
    """The guard is the database's: a second process (its own connection) cannot celebrate again."""
    other = build_runtime(settings, clock=clock, matcher=matcher)
    try:
        first = Conversation(chain.services, user=DIRECTOR)
        second = Conversation(other.services, platform="slack", user="UREGISSEUR")
        other.services.directors.add("slack:UREGISSEUR")
        await reached(first, "Pilot gestart")
        await first.say("vier Pilot gestart")
        await second.say("vier Pilot gestart")
        assert (await second.say("ja")).text.startswith(QUEUED)
        assert (await first.say("ja")).text.startswith("Een andere ketenregisseur heeft 'Pilot gestart' intussen al")
    finally:
        other.close()
    assert count(chain, "broadcasts") == 1
    assert count(chain, "outbox") == PARTNERS


def test_a_failed_celebration_leaves_the_milestone_uncelebrated(chain):
    store = chain.services.milestones
    milestone = store.add("Pilot gestart")
    store.mark_reached(milestone.id)
    unwritable = {"text": object()}  # cannot be stored as JSON: the write fails halfway
    with pytest.raises(TypeError):
        store.celebrate(milestone.id, created_by="console:regisseur", messages=[("slack:U0", unwritable)])
    assert store.get(milestone.id).celebrated_at is None
    assert count(chain, "broadcasts") == 0
    assert count(chain, "outbox") == 0
    assert store.celebrate(milestone.id, created_by="console:regisseur", messages=[("slack:U0", {"text": "x"})])
    assert store.celebrate(milestone.id, created_by="console:regisseur", messages=[("slack:U0", {"text": "x"})]) is None
    assert count(chain, "outbox") == 1


# 4. Exact titles


@pytest.mark.parametrize("typed", ["200 gezinnen geholpen", "rapport 2026", "100 gezinnen", "Rapport 2025"])
async def test_a_near_title_marks_nothing_and_lists_the_milestones(chain, typed):
    director = Conversation(chain.services, user=DIRECTOR)
    await director.say("nieuwe mijlpaal: 100 gezinnen geholpen")
    await director.say("nieuwe mijlpaal: Rapport 2025 af")
    reply = await director.say(f"mijlpaal bereikt: {typed}")
    assert reply.text == (
        f"Ik weet niet zeker welke mijlpaal je bedoelt met '{typed}', dus ik heb nog niets gedaan. Deze mijlpalen zijn er:\n"
        "1. 100 gezinnen geholpen\n2. Rapport 2025 af\n\n"
        "Welke bedoel je? Typ 'mijlpaal bereikt:' en de titel precies zoals hierboven."
    )
    assert chain.db.execute("SELECT COUNT(*) FROM milestones WHERE reached_at IS NOT NULL").fetchone() == (0,)


async def test_case_accents_and_punctuation_do_not_matter(chain):
    director = Conversation(chain.services, user=DIRECTOR)
    await director.say("nieuwe mijlpaal: Cliëntenraad betrokken")
    await director.say("nieuwe mijlpaal: Rapport 2025 af")
    assert (await director.say("mijlpaal bereikt: clientenraad BETROKKEN!")).text.startswith("Gefeliciteerd! 'Cliëntenraad betrokken'")
    assert (await director.say("mijlpaal bereikt: rapport 2025, af")).text.startswith("Gefeliciteerd! 'Rapport 2025 af'")
    assert "Mijlpaal bereikt: Cliëntenraad betrokken!" in (await director.say("vier clientenraad betrokken")).text


async def test_celebrating_a_near_title_names_the_milestones_instead(chain):
    director = Conversation(chain.services, user=DIRECTOR)
    await reached(director, "100 gezinnen geholpen")
    reply = await director.say("vier de 200 gezinnen geholpen")
    assert reply.text.startswith("Ik ken geen mijlpaal '200 gezinnen geholpen'.")
    assert "1. 100 gezinnen geholpen" in reply.text
    assert count(chain, "outbox") == 0


# 5. Unknown milestones and a bare "vier"


async def test_celebrating_an_unknown_milestone_lists_the_ones_ready(chain):
    director = Conversation(chain.services, user=DIRECTOR)
    await reached(director, "Pilot gestart", "Convenant getekend")
    await director.say("nieuwe mijlpaal: 100 gezinnen geholpen")  # not reached: not offered
    await director.say("vier Pilot gestart")
    await director.say("ja")  # celebrated: not offered
    reply = await director.say("vier de jubileumviering")
    assert reply.text == (
        "Ik ken geen mijlpaal 'jubileumviering'. Deze mijlpalen zijn bereikt en nog niet gevierd."
        " Typ het nummer, of 'vier' en de titel:\n1. Convenant getekend"
    )
    assert [o.label for o in reply.options] == ["Convenant getekend"]
    reply = await director.say("1")
    assert "Mijlpaal bereikt: Convenant getekend!" in reply.text
    assert (await director.say("ja")).text.startswith(QUEUED)
    assert count(chain, "broadcasts") == 2


async def test_asking_to_celebrate_without_a_title_asks_which(chain):
    director = Conversation(chain.services, user=DIRECTOR)
    assert (await director.say("mijlpaal vieren")).text == (
        "Er is geen bereikte mijlpaal die nog gevierd kan worden. Typ 'mijlpalen' voor de lijst."
    )
    await reached(director, "Pilot gestart", "Convenant getekend")
    reply = await director.say("mijlpaal vieren")
    assert reply.text == "Welke mijlpaal wil je vieren? Typ het nummer, of 'vier' en de titel:\n1. Pilot gestart\n2. Convenant getekend"
    assert (await director.say("7")).text == "Kies een nummer van 1 tot 2."
    assert "Mijlpaal bereikt: Convenant getekend!" in (await director.click("2")).text
    assert (await director.say("nee")).text == CANCELLED
    await director.say("mijlpaal vieren")
    assert (await director.say("iets anders")).text == "Je hebt geen mijlpaal gekozen, dus ik heb niets gedaan. Typ 'mijlpalen' voor de lijst."
    assert count(chain, "outbox") == 0


@pytest.mark.parametrize("typed", ["vier jubileumviering", "vier"])
async def test_a_directors_vier_without_a_known_milestone_offers_the_ready_ones(chain, typed):
    director = Conversation(chain.services, user=DIRECTOR)
    await reached(director, "Pilot gestart")
    reply = await director.say(typed)
    assert reply.intent == "celebrate"
    assert "1. Pilot gestart" in reply.text


async def test_vier_stays_a_knowledge_question_for_others(chain):
    partner = Conversation(chain.services, platform="slack", user="U1")
    assert (await partner.say("hoe vier je successen")).intent == "knowledge"


# 6. Bad milestone input


@pytest.mark.parametrize("typed", ["nieuwe mijlpaal: :", "nieuwe mijlpaal: ...", "mijlpaal: : toelichting zonder titel"])
async def test_a_milestone_without_a_title_is_refused(chain, typed):
    director = Conversation(chain.services, user=DIRECTOR)
    reply = await director.say(typed)
    assert reply.text == "Een mijlpaal heeft een titel nodig. Bijvoorbeeld: 'nieuwe mijlpaal: 100 gezinnen geholpen op 1 maart 2027'."
    assert count(chain, "milestones") == 0


@pytest.mark.parametrize("date", ["30 februari 2027", "31 april", "0 maart 2027", "31 juni 2027"])
async def test_an_impossible_date_is_refused(chain, date):
    director = Conversation(chain.services, user=DIRECTOR)
    reply = await director.say(f"nieuwe mijlpaal: Rapport af op {date}")
    assert reply.text == (
        f"De datum '{date}' bestaat niet, dus ik heb de mijlpaal niet vastgelegd. Controleer de datum en probeer het opnieuw."
    )
    assert count(chain, "milestones") == 0


async def test_a_date_in_the_past_is_recorded_with_a_note(chain):
    director = Conversation(chain.services, user=DIRECTOR)
    reply = await director.say("nieuwe mijlpaal: Kick-off op 1 maart 2025")
    assert reply.text.startswith("Mijlpaal vastgelegd: Kick-off (gepland 2025-03-01).")
    assert reply.text.endswith("Let op: 1 maart 2025 ligt in het verleden.")
    assert "verleden" not in (await director.say("nieuwe mijlpaal: Evaluatie op 1 maart 2027")).text
    assert chain.db.execute("SELECT title, due_on FROM milestones ORDER BY id").fetchall() == [
        ("Kick-off", "2025-03-01"), ("Evaluatie", "2027-03-01"),
    ]


async def test_the_same_title_twice_is_refused(chain):
    director = Conversation(chain.services, user=DIRECTOR)
    await director.say("nieuwe mijlpaal: Rapport 2025 af")
    assert (await director.say("nieuwe mijlpaal: rapport 2025 af")).text == "Er is al een mijlpaal 'Rapport 2025 af'. Typ 'mijlpalen' voor de lijst."
    assert count(chain, "milestones") == 1


# 7. The reminder-days setting


async def test_the_chat_uses_the_current_reminder_days_when_the_rhythm_changes(settings, clock, matcher):
    for days in (3, 5):
        runtime = build_runtime(replace(settings, reminder_days=days), clock=clock, matcher=matcher)
        try:
            runtime.services.directors.add(f"console:{DIRECTOR}")
            reply = await Conversation(runtime.services, user=DIRECTOR).say("check-in elke 4 weken op maandag om 9:00")
            assert f"Wie na {days} dagen niet heeft geantwoord, krijgt één herinnering." in reply.text
            assert runtime.services.checkins.schedule().reminder_days == days
        finally:
            runtime.close()


# Nothing a director types breaks the milestone commands.

_PIECES = st.sampled_from(
    ["nieuwe mijlpaal", "mijlpaal bereikt", "mijlpaal", "vier", "vier de", ":", ": ", " op ", " per ", "1", "31", "99",
     " maart", " februari", " 2027", " 0000", "_", "-", "é", "ja", "nee", "niet", "maar", "2", " ", "\n"]
)


@hypothesis_settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.lists(_PIECES | st.text(max_size=8), max_size=8).map("".join), min_size=1, max_size=4))
def test_milestone_commands_never_crash(chain, texts):
    director = Conversation(chain.services, user=DIRECTOR)
    for text in texts:
        reply = asyncio.run(director.say(text))
        assert reply.text.strip()
