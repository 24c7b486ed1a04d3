"""The knowledge-gap loop as people use it: questions ketenbot could not answer, 👎 and "nee, dat bedoel ik niet",
kept scrubbed and grouped into themes; `ketenbot gaps`, `gaps link`, `gaps dismiss`, "kennisvragen", retention and
"verwijder mij"."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.console import ask_lines
from adapters.wiring import build_runtime
from bot.clock import FixedClock
from bot.config import Settings
from bot.social.partner import Partner
from tests.chat import Conversation

UNKNOWN = [
    "waar kan ik parkeren bij het gemeentehuis?",
    "is er parkeergelegenheid bij het gemeentehuis? mail jan.jansen@example.nl of bel 06-12345678",
    "mag ik mijn auto kwijt op het parkeerterrein van het gemeentehuis",
]
NEXT = "kan ik bij het gemeentehuis mijn auto parkeren"
ENTRY = "thema-faciliteiten"


def gaps_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    assert main(["gaps", "--json", *argv]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def database_bytes(db: Path) -> bytes:
    """The database file and its write-ahead log, as they lie on disk."""
    return b"".join(path.read_bytes() for path in (db, Path(f"{db}-wal")) if path.exists())


async def test_three_unknown_questions_become_one_theme_and_gaps_link_answers_the_next(tmp_path, clock, matcher, capsys, monkeypatch):
    settings = Settings(db_path=tmp_path / "ketenbot.db")
    monkeypatch.setenv("KETENBOT_DB", str(settings.db_path))
    with build_runtime(settings, clock=clock, matcher=matcher) as runtime:
        for n, question in enumerate(UNKNOWN):
            reply = await Conversation(runtime.services, user=f"vrager{n}").say(question)
            assert reply.intent == "fallback"
    [theme] = gaps_json(capsys)
    assert theme["count"] == 3
    assert theme["examples"][0] == "mag ik mijn auto kwijt op het parkeerterrein van het gemeentehuis"
    assert "[e-mail]" in theme["examples"][1] and "[nummer]" in theme["examples"][1]
    stored = database_bytes(settings.db_path)
    assert b"parkeerterrein" in stored
    for secret in (b"jan.jansen", b"example.nl", b"12345678", b"06-1234"):
        assert secret not in stored

    assert main(["gaps", "link", str(theme["theme"]), ENTRY]) == 0
    assert f"Thema {theme['theme']} gekoppeld aan {ENTRY}: 3" in capsys.readouterr().out
    assert gaps_json(capsys) == []
    # A new start reads the local knowledge beside the database, where `gaps link` wrote.
    with build_runtime(settings, clock=clock) as runtime:
        reply = await Conversation(runtime.services).say(NEXT)
    assert reply.entry == ENTRY
    assert reply.intent == "knowledge"


async def test_a_name_from_the_social_map_is_scrubbed(runtime):
    partner = Partner(name="Anouk Bakker", organisation="Gemeente Zeist", role="regisseur", topics=("schulden",),
                      region="Zeist", email="anouk@zeist.nl", identities=("console:anouk",))
    runtime.services.partners.save(partner, consent_text="ja")
    await Conversation(runtime.services).say("heeft Anouk al iets gezegd over de parkeerplaatsen bij de bieb?")
    [kept] = runtime.services.gaps.kept()
    assert kept.question == "heeft [naam] al iets gezegd over de parkeerplaatsen bij de bieb?"


@pytest.mark.both_databases
async def test_a_name_put_on_the_map_after_a_kept_question_is_scrubbed_too(runtime):
    """The names are read once per change of the map, not for every kept question (every partner was read)."""
    chat = Conversation(runtime.services)
    await chat.say("heeft iemand al iets gezegd over de parkeerplaatsen bij de bieb?")
    partner = Partner(name="Anouk Bakker-Smit", organisation="Gemeente Zeist", role="regisseur", topics=("schulden",),
                      region="Zeist", email="anouk@zeist.nl", identities=("console:anouk",))
    runtime.services.partners.save(partner, consent_text="ja")
    await chat.say("heeft Smit al iets gezegd over de fietsenstalling bij de bieb?")
    assert [kept.question for kept in runtime.services.gaps.kept()][-1] == (
        "heeft [naam] al iets gezegd over de fietsenstalling bij de bieb?")


async def test_thumbs_down_keeps_the_question_and_offers_the_alternatives(runtime):
    chat = Conversation(runtime.services)
    answer = await chat.say("wat is ketenregie? groet, iemand@example.nl")
    assert answer.text.endswith("Had je hier iets aan?")
    down = next(option for option in answer.options if option.label == "👎")
    assert [o.label for o in answer.options if not o.numbered][-2:] == ["👍", "👎"]
    reply = await chat.click(down.value)
    assert reply.text.startswith("Jammer. Dank je voor het laten weten")
    assert reply.options and all(o.value.startswith("entry:") and o.value != f"entry:{answer.entry}" for o in reply.options)
    [kept] = runtime.services.gaps.kept()
    assert (kept.reason, kept.guess) == ("unhelpful", answer.entry)
    assert kept.question == "wat is ketenregie? groet, [e-mail]"
    # A second click on the same answer is thanked, not counted again.
    assert (await chat.click(down.value)).text == "Dank je voor het laten weten."
    assert len(runtime.services.gaps.kept()) == 1


async def test_thumbs_up_is_thanked_and_keeps_nothing(runtime):
    chat = Conversation(runtime.services)
    answer = await chat.say("wat is ketenregie?")
    up = next(option for option in answer.options if option.label == "👍")
    assert (await chat.click(up.value)).text == "Fijn, dank je wel!"
    assert runtime.services.gaps.kept() == []


async def test_typed_nee_dat_bedoel_ik_niet_counts_as_thumbs_down(runtime):
    chat = Conversation(runtime.services)
    answer = await chat.say("wat doet de ketenregisseur?")
    reply = await chat.say("nee, dat bedoel ik niet")
    assert reply.text.startswith("Jammer.")
    assert "1. " in reply.text
    [kept] = runtime.services.gaps.kept()
    assert (kept.reason, kept.guess) == ("unhelpful", answer.entry)
    # The alternatives can be chosen by number.
    chosen = await chat.say("1")
    assert chosen.entry == reply.options[0].value.removeprefix("entry:")


async def test_nee_dat_bedoel_ik_niet_without_an_answer_asks_what_was_meant(runtime):
    reply = await Conversation(runtime.services).say("nee, dat bedoel ik niet")
    assert reply.text == "Waar ging het om? Stel je vraag gerust in andere woorden."
    assert runtime.services.gaps.kept() == []


async def test_a_director_gets_the_top_five_with_kennisvragen(settings, clock, matcher):
    director_settings = Settings(db_path=settings.db_path, directors=frozenset({"console:regisseur"}))
    with build_runtime(director_settings, clock=clock, matcher=matcher) as runtime:
        for n, question in enumerate(UNKNOWN):
            await Conversation(runtime.services, user=f"vrager{n}").say(question)
        others = ["hoe laat gaat het zwembad open?", "waar staat de fietsenstalling?", "wanneer is de kerstborrel?",
                  "wie zet de koffie in de kantine?", "hoe werkt de lift bij de ingang?"]
        for question in others:
            await Conversation(runtime.services, user="vrager").say(question)
        reply = await Conversation(runtime.services, user="regisseur").say("kennisvragen")
        assert reply.text.startswith("Vragen die ketenbot niet goed kon beantwoorden (de 5 meest gestelde):")
        assert reply.text.count("Thema ") == 5
        assert "3× gevraagd" in reply.text.split("Thema ")[1]
        refused = await Conversation(runtime.services, user="iemand").say("kennisvragen")
        assert "Thema" not in refused.text


async def test_gaps_dismiss_removes_a_theme(runtime, capsys, monkeypatch, settings):
    monkeypatch.setenv("KETENBOT_DB", str(settings.db_path))
    await Conversation(runtime.services).say(UNKNOWN[0])
    [theme] = gaps_json(capsys)
    assert main(["gaps", "dismiss", str(theme["theme"])]) == 0
    assert capsys.readouterr().out == f"Thema {theme['theme']} is weggehaald.\n"
    assert gaps_json(capsys) == []
    assert main(["gaps", "dismiss", str(theme["theme"])]) == 1
    assert "bestaat niet" in capsys.readouterr().err


async def test_gaps_link_refuses_an_unknown_entry(runtime, capsys, monkeypatch, settings):
    monkeypatch.setenv("KETENBOT_DB", str(settings.db_path))
    await Conversation(runtime.services).say(UNKNOWN[0])
    [theme] = gaps_json(capsys)
    assert main(["gaps", "link", str(theme["theme"]), "begrip-bestaat-niet"]) == 1
    assert "Er is geen entry 'begrip-bestaat-niet'" in capsys.readouterr().err
    assert len(gaps_json(capsys)) == 1


async def test_themes_are_purged_ninety_days_after_they_were_last_seen(settings, clock, matcher):
    with build_runtime(settings, clock=clock, matcher=matcher) as runtime:
        await Conversation(runtime.services).say(UNKNOWN[0])
    later = FixedClock(clock.now() + timedelta(days=89))
    with build_runtime(settings, clock=later, matcher=matcher) as runtime:
        assert len(runtime.services.gaps.kept()) == 1
    much_later = FixedClock(clock.now() + timedelta(days=91))
    with build_runtime(settings, clock=much_later, matcher=matcher) as runtime:
        assert runtime.services.gaps.kept() == []


async def test_gaps_days_shows_only_recent_themes(settings, clock, matcher):
    with build_runtime(settings, clock=clock, matcher=matcher) as runtime:
        await Conversation(runtime.services).say(UNKNOWN[0])
        assert len(runtime.services.gaps.kept(since=clock.now() - timedelta(days=1))) == 1
        assert runtime.services.gaps.kept(since=clock.now() + timedelta(days=1)) == []


async def test_verwijder_mij_removes_ones_own_feedback(runtime):
    mine, other = Conversation(runtime.services, user="ik"), Conversation(runtime.services, user="ander")
    await mine.say(UNKNOWN[0])
    await other.say(UNKNOWN[2])
    reply = await mine.say("verwijder mij")
    assert reply.text == "Je staat niet op de sociale kaart. Wat ik van jouw vragen en feedback bewaarde, is verwijderd."
    [left] = runtime.services.gaps.kept()
    assert left.question == UNKNOWN[2]


async def test_thumbs_down_on_a_suggestion_chosen_by_number_keeps_the_question_not_the_number(runtime):
    chat = Conversation(runtime.services)
    suggestions = await chat.say("wat doet een ketenregisseur mail me op iemand@example.nl")
    assert suggestions.text.startswith("Ik weet niet zeker wat je bedoelt.")
    chosen = await chat.say("1")
    down = next(option for option in chosen.options if option.label == "👎")
    await chat.click(down.value)
    unsure, unhelpful = runtime.services.gaps.kept()
    assert (unsure.reason, unhelpful.reason) == ("unsure", "unhelpful")
    assert unhelpful.question == unsure.question == "wat doet een ketenregisseur mail me op [e-mail]"
    assert unhelpful.guess == chosen.entry
    assert unsure.theme_id == unhelpful.theme_id


async def test_gaps_link_then_kennis_herladen_answers_the_next_question_without_a_restart(tmp_path, clock, matcher, capsys, monkeypatch):
    settings = Settings(db_path=tmp_path / "ketenbot.db", directors=frozenset({"console:regisseur"}))
    monkeypatch.setenv("KETENBOT_DB", str(settings.db_path))
    with build_runtime(settings, clock=clock, matcher=matcher) as runtime:
        for question in UNKNOWN:
            await Conversation(runtime.services).say(question)
        [theme] = gaps_json(capsys)
        assert main(["gaps", "link", str(theme["theme"]), ENTRY]) == 0
        director = Conversation(runtime.services, user="regisseur")
        assert (await director.say(NEXT)).intent == "fallback"
        assert (await director.say("kennis herladen")).text.startswith("De kennis is opnieuw geladen:")
        assert (await director.say(NEXT)).entry == ENTRY


async def test_a_forged_thumbs_down_value_stores_no_free_text(runtime):
    chat = Conversation(runtime.services)
    answer = await chat.say("wat is ketenregie?")
    await chat.click("feedback:down:mail mij op iemand@example.nl")
    [kept] = runtime.services.gaps.kept()
    assert kept.guess == answer.entry


async def test_a_partner_who_deletes_themselves_loses_their_kept_questions_too(runtime):
    partner = Partner(name="Bram Smit", organisation="Welzijn Zeist", topics=("welzijn",), region="Zeist",
                      email="bram@welzijn.example", identities=("console:tester",))
    runtime.services.partners.save(partner, consent_text="ja")
    chat = Conversation(runtime.services)
    await chat.say(UNKNOWN[0])
    await Conversation(runtime.services, user="ander").say(UNKNOWN[2])
    await chat.say("verwijder mij")
    assert (await chat.say("ja")).text == "Je gegevens zijn definitief verwijderd van de sociale kaart."
    assert [kept.question for kept in runtime.services.gaps.kept()] == [UNKNOWN[2]]


async def test_the_terminal_names_the_buttons_and_a_typed_thumbs_down_presses_it(runtime, capsys, monkeypatch, settings):
    """The terminal showed "Had je hier iets aan?" with nothing to press: it now names the buttons, to be typed."""
    monkeypatch.setenv("KETENBOT_DB", str(settings.db_path))
    out = io.StringIO()
    await ask_lines(["wat is ketenregie\n", "👎\n"], runtime.services, out, user="kees", as_json=False)
    answer, thumbs_down = out.getvalue().split("Had je hier iets aan?", 1)
    assert "'👍' of '👎' om te kiezen." in thumbs_down
    assert "Jammer. Dank je voor het laten weten" in thumbs_down
    [theme] = gaps_json(capsys)
    assert theme["examples"] == ["wat is ketenregie"]


@pytest.mark.both_databases
async def test_a_nul_character_typed_is_dropped_at_the_door(runtime):
    """Regression: a kept question with a NUL character failed on PostgreSQL (which stores no NUL in text), so
    the turn crashed there and only there."""
    reply = await Conversation(runtime.services).say("hoe maak ik een\x00 ovenschotel met\x00 prei")
    assert reply.text
    [kept] = runtime.services.gaps.kept()
    assert kept.question == "hoe maak ik een ovenschotel met prei"
