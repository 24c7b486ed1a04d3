"""Check-in rhythms as a director types them: what is understood, and the Dutch error for what is not.

A time or day that is mentioned but cannot be read is refused; only a rhythm that names none gets the
default (maandag, 9:00), and the reply says so."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.cli import main
from bot.language.dates import Rhythm, RhythmError, mentions_rhythm, parse_rhythm
from tests.chat import Conversation

DIRECTOR = "regisseur"


@pytest.fixture
def director(runtime):
    runtime.services.directors.add(f"console:{DIRECTOR}")
    return Conversation(runtime.services, user=DIRECTOR)


@pytest.mark.parametrize(
    ("text", "understood"),
    [
        ("elke 4 weken op maandag om 9:00", "elke 4 weken op maandag om 9:00"),
        ("elke maandag om 9:00", "elke week op maandag om 9:00"),
        ("iedere vrijdagochtend om 8.30", "elke week op vrijdag om 8:30"),
        ("elke zeven weken op dinsdag", "elke 7 weken op dinsdag om 9:00"),
        ("elke twaalf weken", "elke 12 weken op maandag om 9:00"),
        ("elke negen weken", "elke 9 weken op maandag om 9:00"),
        ("om de tien weken", "elke 10 weken op maandag om 9:00"),
        ("elke elf weken op donderdag om 14:00", "elke 11 weken op donderdag om 14:00"),
        ("elke acht weken", "elke 8 weken op maandag om 9:00"),
        ("tweewekelijks op vrijdag om 10:00", "elke 2 weken op vrijdag om 10:00"),
        ("2-wekelijks op vrijdag om 10:00", "elke 2 weken op vrijdag om 10:00"),
        ("wekelijks", "elke week op maandag om 9:00"),
        ("maandelijks op maandag", "elke 4 weken op maandag om 9:00"),
        ("elke maand", "elke 4 weken op maandag om 9:00"),
        ("tweemaandelijks op woensdag", "elke 8 weken op woensdag om 9:00"),
        ("twee keer per maand op dinsdag", "elke 2 weken op dinsdag om 9:00"),
        ("een keer per week", "elke week op maandag om 9:00"),
        ("elk half jaar", "elke 26 weken op maandag om 9:00"),
        ("elke week om half 10", "elke week op maandag om 9:30"),
        ("elke week om 21u", "elke week op maandag om 21:00"),
        ("elke week om 21u30", "elke week op maandag om 21:30"),
        ("elke week om 9 uur", "elke week op maandag om 9:00"),
        ("elke week om negen uur", "elke week op maandag om 9:00"),
        ("elke week om kwart over 9", "elke week op maandag om 9:15"),
        ("elke week om kwart voor 10", "elke week op maandag om 9:45"),
        ("elke week om 9:00 pm", "elke week op maandag om 21:00"),
        ("elke week om 9 uur 's avonds", "elke week op maandag om 21:00"),
        ("elke week op woensdagmiddag om 15:00", "elke week op woensdag om 15:00"),
        ("elke week op woensdagmiddag om 3 uur", "elke week op woensdag om 15:00"),
        ("elke week op wo om 11:15", "elke week op woensdag om 11:15"),
        ("elke week om 12 am", "elke week op maandag om 0:00"),
        ("elke 2 weken om de partners te spreken", "elke 2 weken op maandag om 9:00"),
    ],
)
def test_rhythms_that_are_understood(text, understood):
    assert parse_rhythm(text).describe() == understood


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("check-in", "Hoe vaak? Schrijf bijvoorbeeld: check-in elke 4 weken op maandag om 9:00."),
        ("elke 30 weken", "Kies een ritme tussen elke week en elk half jaar."),
        ("elke zeven maanden", "Kies een ritme tussen elke week en elk half jaar."),
        ("elke dag om 9:00", "Vaker dan één keer per week kan niet."),
        ("2x per week", "Vaker dan één keer per week kan niet."),
        ("3 keer per maand", "Kies een ritme in hele weken"),
        ("elke paar weken", "Hoeveel weken bedoel je met 'paar'?"),
        ("elke 2 weken en elke maand", "Je noemt meer dan één ritme."),
        ("elke eerste maandag van de maand", "Een vaste dag van de maand (zoals de eerste maandag) kan ik niet aanhouden."),
        ("elke week om 9:5", "Het tijdstip 'om 9:5' kan ik niet lezen."),
        ("elke week om 9.5", "Het tijdstip 'om 9.5' kan ik niet lezen."),
        ("elke week om 0930", "Het tijdstip 'om 0930' kan ik niet lezen."),
        ("elke week om 9:00:00", "Het tijdstip 'om 9:00:00' kan ik niet lezen."),
        ("elke week om half", "Het tijdstip 'om half' kan ik niet lezen."),
        ("elke week om -1:00", "Het tijdstip 'om -1:00' bestaat niet."),
        ("elke week om 24:00", "Het tijdstip 'om 24:00' bestaat niet."),
        ("elke week om 9:60", "Het tijdstip 'om 9:60' bestaat niet."),
        ("elke week om 15:00 am", "Het tijdstip 'om 15:00 am' bestaat niet."),
        ("elke week om 9:00 en om 14:00", "Je noemt meer dan één tijdstip."),
        ("elke week op woensdagmiddag", "Hoe laat precies? Schrijf de tijd erbij"),
        ("elke week op maandag en donderdag", "Een ritme heeft één weekdag, en je noemt er meer (maandag en donderdag)."),
        ("elke week op maandg om 9:00", "Welke dag bedoel je met 'maandg'? Schrijf de weekdag voluit, bijvoorbeeld: op maandag."),
        ("elke week op donderdagse middag", "Welke dag bedoel je met 'donderdagse'?"),
    ],
)
def test_rhythms_that_are_refused_in_dutch(text, error):
    with pytest.raises(RhythmError) as refused:
        parse_rhythm(text)
    assert str(refused.value).startswith(error)


async def test_elke_maandag_is_every_week_in_the_chat(director):
    reply = await director.say("check-in elke maandag om 9:00")
    assert reply.text.startswith("Afgesproken: check-in elke week op maandag om 9:00 (Nederlandse tijd).")


async def test_unreadable_time_in_the_chat_is_refused_not_defaulted(director, runtime):
    reply = await director.say("check-in elke week om half tien")
    assert reply.text.startswith("Afgesproken: check-in elke week op maandag om 9:30")
    reply = await director.say("check-in elke week om 9:5")
    assert reply.text == "Het tijdstip 'om 9:5' kan ik niet lezen. Schrijf bijvoorbeeld: om 9:00, om 14:30 of om half 10."
    assert runtime.services.checkins.schedule().rhythm.describe() == "elke week op maandag om 9:30"


async def test_two_weekdays_in_the_chat_are_refused(director, runtime):
    reply = await director.say("check-in elke week op maandag en donderdag om 9:00")
    assert reply.text == (
        "Een ritme heeft één weekdag, en je noemt er meer (maandag en donderdag). "
        "Kies er één, bijvoorbeeld: elke week op maandag om 9:00."
    )
    assert runtime.services.checkins.schedule() is None


async def test_the_default_day_and_time_are_stated_when_none_is_named(director):
    reply = await director.say("check-in elke 2 weken")
    assert reply.text.startswith("Afgesproken: check-in elke 2 weken op maandag om 9:00")


def test_cli_schedule_understands_tweewekelijks_and_refuses_bad_times(capsys, monkeypatch, fresh_db):
    monkeypatch.setenv("KETENBOT_DB", str(fresh_db))
    assert main(["checkin", "schedule", "tweewekelijks op vrijdag om 10:00"]) == 0
    assert "Check-in elke 2 weken op vrijdag om 10:00" in capsys.readouterr().out
    assert main(["checkin", "schedule", "elke week op woensdag om 21u"]) == 0
    assert "Check-in elke week op woensdag om 21:00" in capsys.readouterr().out
    assert main(["checkin", "schedule", "elke week om -1:00"]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == "Het tijdstip 'om -1:00' bestaat niet. Kies een tijd van 0:00 tot en met 23:59, bijvoorbeeld: om 9:00."
    assert captured.out == ""
    assert main(["checkin", "status"]) == 0
    assert "Check-in elke week op woensdag om 21:00" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("text", "sets_rhythm"),
    [
        ("check-in elke 4 weken", True),
        ("check-in tweewekelijks op vrijdag om 10:00", True),
        ("check-in wekelijks", True),
        ("check-in maandelijks op maandag", True),
        ("check-in twee keer per maand", True),
        ("check-in nu", False),
        ("check-in", False),
    ],
)
def test_mentions_rhythm(text, sets_rhythm):
    assert mentions_rhythm(text) is sets_rhythm


@given(
    st.integers(min_value=1, max_value=26),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=23),
    st.integers(min_value=0, max_value=59),
)
def test_what_the_bot_says_back_reads_as_the_same_rhythm(weeks, weekday, hour, minute):
    rhythm = Rhythm(weeks, weekday, hour, minute)
    assert parse_rhythm("check-in " + rhythm.describe()) == rhythm


VOCABULARY = (
    "om de elke iedere week weken maand maanden half kwart over voor uur u 9 21 0 12 99 00 30 5 : . - + ' s "
    "middags smiddags am pm op maandag woensdagmiddag wo en een twee twaalf keer per x wekelijks tweewekelijks "
    "maandelijks dagelijks jaar kwartaal eerste van 1e dagen , 0930 999999999 ٣ é"
).split()


@given(st.lists(st.sampled_from(VOCABULARY), max_size=10))
def test_rhythm_words_in_any_order_give_a_rhythm_or_a_dutch_error(words):
    try:
        rhythm = parse_rhythm(" ".join(words))
    except RhythmError as error:
        assert str(error)
    else:
        assert 1 <= rhythm.every_weeks <= 26 and 0 <= rhythm.weekday <= 6
        assert 0 <= rhythm.hour <= 23 and 0 <= rhythm.minute <= 59
