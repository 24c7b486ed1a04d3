"""Check-in answers as partners type them: every answer goes to the question that was asked, reminders
resume where the partner stopped, old rounds close, absences are announced (also in advance), skipping
keeps what was answered, and the check-in's choices are numbered."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from adapters.console import chat
from bot.commitment import scheduler
from bot.language.dates import parse_rhythm
from bot.messages import from_payload
from bot.social.partner import Partner
from tests.chat import Conversation
from tests.commitment import test_checkins
from tests.commitment.test_checkins import DIRECTOR

pytestmark = pytest.mark.both_databases

ASK_AGAIN = "Kies een getal van 1 tot en met 5."
partners = test_checkins.partners  # the fixture: four partners on four platforms, and a director
THANKS = "Dank je wel voor je check-in! De ketenregisseur ziet de antwoorden in het rapport."


def row(runtime, identity: str = "console:dirk", cycle_id: int = 1) -> tuple:
    return runtime.db.execute(
        "SELECT goal, commitment, need, status FROM checkin_requests WHERE identity = ? AND cycle_id = ?", (identity, cycle_id)
    ).fetchone()


def delivered(runtime, identity: str = "console:dirk") -> list[str]:
    """What a console or web user is shown when opening the chat."""
    return [from_payload(d.payload).text for d in runtime.outbox.take_for(identity)]


def with_schedule(runtime, clock, reminder_days: int = 3) -> None:
    runtime.services.checkins.set_schedule(
        parse_rhythm("elke 4 weken op maandag om 9:00"), clock.now() + timedelta(days=90), reminder_days=reminder_days, by="test"
    )


@pytest.fixture
def dirk(partners, clock):
    scheduler.start_cycle(partners.services, clock.now())
    return Conversation(partners.services, user="dirk")


# 1. The commitment question takes a whole number from 1 to 5, as a digit or a Dutch word.

@pytest.mark.parametrize(("typed", "stored"), [("drie", 3), ("één", 1), ("een", 1), ("Vijf", 5), ("4", 4), (" 2. ", 2)])
async def test_commitment_in_words_or_digits_is_stored(partners, dirk, typed, stored):
    await dirk.say("ja")
    reply = await dirk.say(typed)
    assert reply.text.startswith("3/3: Wat heb je nodig")
    assert row(partners) == ("ja", stored, None, "open")


@pytest.mark.parametrize("typed", ["3,5", "-1", "0", "6", "veel", "3 of 4", "-een"])
async def test_commitment_that_is_no_whole_number_from_1_to_5_is_asked_again(partners, dirk, typed):
    await dirk.say("ja")
    reply = await dirk.say(typed)
    assert reply.text.startswith(ASK_AGAIN)
    assert "2/3: Hoe groot is je commitment" in reply.text
    assert row(partners) == ("ja", None, None, "open")


# 2. A reminder resumes at the first unanswered question, and the answer goes to that question.

async def test_reminder_the_next_day_resumes_at_the_question_that_is_open(partners, dirk, clock):
    await dirk.say("ja")
    await dirk.say("4")
    assert (await dirk.say("later")).text == "Prima, ik vraag het je morgen nog eens."
    delivered(partners)  # the first question, already seen
    clock.advance(timedelta(days=1))
    [reminder] = delivered(partners)
    assert reminder.startswith("Herinnering: je check-in staat nog open.\n\n3/3: Wat heb je nodig")
    assert "1/3" not in reminder
    reply = await dirk.say("meer tijd voor overleg")
    assert reply.text.startswith(THANKS)
    assert row(partners) == ("ja", 4, "meer tijd voor overleg", "answered")


async def test_automatic_reminder_resumes_at_the_question_that_is_open(partners, clock):
    with_schedule(partners, clock)
    scheduler.start_cycle(partners.services, clock.now())
    dirk = Conversation(partners.services, user="dirk")
    await dirk.say("nee")
    delivered(partners)
    clock.advance(timedelta(days=4))
    assert scheduler.tick(partners.services, clock.now()).reminders == 4
    [reminder] = delivered(partners)
    assert reminder.startswith("Herinnering: je check-in staat nog open.\n\n2/3: Hoe groot is je commitment")
    assert "Typ 'later'" in reminder
    assert (await dirk.say("ja")).text.startswith(ASK_AGAIN)
    assert row(partners) == ("nee", None, None, "open")


async def test_a_waiting_reminder_follows_answers_given_in_the_meantime(partners, dirk, clock):
    await dirk.say("later")
    await dirk.say("twijfel")
    await dirk.say("3")
    delivered(partners)
    clock.advance(timedelta(days=1))
    [reminder] = delivered(partners)
    assert "3/3: Wat heb je nodig" in reminder and "1/3" not in reminder


async def test_a_waiting_reminder_of_a_finished_checkin_is_not_sent(partners, dirk, clock):
    await dirk.say("later")
    for text in ["ja", "5", "niets"]:
        await dirk.say(text)
    delivered(partners)
    clock.advance(timedelta(days=1))
    assert delivered(partners) == []


# 3. A new round closes the open request of the older round; a clear question is still a question.

async def test_new_round_expires_the_open_request_of_the_older_round(partners, clock):
    scheduler.start_cycle(partners.services, clock.now())
    first_due = clock.now()
    clock.advance(timedelta(days=28))
    scheduler.start_cycle(partners.services, clock.now())
    assert row(partners, cycle_id=1) == (None, None, None, "expired")
    assert row(partners, cycle_id=2) == (None, None, None, "open")
    # Carla (web) never opened the chat in round 1: she is asked once, for round 2 only.
    assert [text.splitlines()[0] for text in delivered(partners, "web:carla-sessie")] == ["Check-in van de ketenregisseur."]
    dirk = Conversation(partners.services, user="dirk")
    for text in ["ja", "3", "niets"]:
        await dirk.say(text)
    reply = await dirk.say("ja")
    assert not reply.text.startswith("2/3")
    assert row(partners, cycle_id=1) == (None, None, None, "expired")
    assert row(partners, cycle_id=2) == ("ja", 3, "", "answered")
    # Running the first round again after a restart queues nothing.
    assert scheduler.start_cycle(partners.services, first_due) == 0


async def test_a_clear_question_at_question_3_is_answered_not_stored_as_the_need(partners, dirk, clock):
    await dirk.say("ja")
    await dirk.say("4")
    clock.advance(timedelta(days=21))
    reply = await dirk.say("wat is ketenregie?")
    assert reply.entry == "begrip-ketenregie"
    assert row(partners) == ("ja", 4, None, "open")
    reply = await dirk.say("wat kan ik doen als partners geen gegevens willen delen")
    assert reply.text.startswith(THANKS)
    assert row(partners)[3] == "answered"


async def test_a_clear_question_at_question_2_is_answered(partners, dirk):
    await dirk.say("ja")
    reply = await dirk.say("wat is ketenregie?")
    assert reply.entry == "begrip-ketenregie"
    assert row(partners) == ("ja", None, None, "open")


# 4. and 5. Absence: a past date is refused; it can be announced without an open check-in.

async def test_absence_until_a_past_date_is_refused(partners, dirk):
    reply = await dirk.say("ik ben weg tot 3 januari 2020")
    assert reply.text.startswith("Die datum is al voorbij.")
    assert "datum in de toekomst" in reply.text
    assert partners.db.execute("SELECT COUNT(*) FROM away").fetchone() == (0,)
    assert row(partners) == (None, None, None, "open")


@pytest.mark.parametrize(("typed", "expected"), [
    ("ik ben weg tot 3 januari", "Fijn dat je het laat weten. Tot zondag 3 januari 2027 stuur ik je geen check-ins."),
    ("Ik ben afwezig tot 10 januari.", "Fijn dat je het laat weten. Tot zondag 10 januari 2027 stuur ik je geen check-ins."),
    ("tot en met 5 januari met vakantie",
     "Fijn dat je het laat weten. Tot en met dinsdag 5 januari 2027 stuur ik je geen check-ins."),
    ("ik ben t/m 5 januari op vakantie",
     "Fijn dat je het laat weten. Tot en met dinsdag 5 januari 2027 stuur ik je geen check-ins."),
])
async def test_absence_announced_in_advance_is_stored_and_respected(partners, clock, typed, expected):
    reply = await Conversation(partners.services, user="dirk").say(typed)
    assert reply.text == expected
    assert partners.db.execute("SELECT identity FROM away").fetchall() == [("console:dirk",)]
    scheduler.start_cycle(partners.services, clock.now())
    recipients = {i for (i,) in partners.db.execute("SELECT identity FROM checkin_requests")}
    assert "console:dirk" not in recipients and len(recipients) == 3


async def test_absence_in_advance_holds_for_every_platform_of_the_partner(partners, clock):
    partners.services.partners.save(
        Partner(name="Eva", organisation="GGD", topics=("zorg",), identities=("slack:UEVA", "console:eva")), consent_text="ja"
    )
    await Conversation(partners.services, user="eva").say("ik ben weg tot 3 januari")
    scheduler.start_cycle(partners.services, clock.now())
    recipients = {i for (i,) in partners.db.execute("SELECT identity FROM checkin_requests")}
    assert "slack:UEVA" not in recipients


async def test_absence_in_advance_in_the_past_is_refused(partners):
    reply = await Conversation(partners.services, user="dirk").say("ik ben afwezig tot 1 maart 2021")
    assert reply.text.startswith("Die datum is al voorbij.")
    assert partners.db.execute("SELECT COUNT(*) FROM away").fetchone() == (0,)


@pytest.mark.parametrize("typed", ["wat staat de samenwerking in de weg", "ik ben weg tot 3 januari"])
async def test_no_absence_for_other_sentences_or_people_not_on_the_map(partners, typed):
    user = "dirk" if "samenwerking" in typed else "onbekend"
    reply = await Conversation(partners.services, user=user).say(typed)
    assert "stuur ik je geen check-ins" not in reply.text
    assert partners.db.execute("SELECT COUNT(*) FROM away").fetchone() == (0,)


# 6. Skipping the last question keeps the answers given.

async def test_skipping_the_last_question_keeps_goal_and_commitment(partners, dirk):
    await dirk.say("ja")
    await dirk.say("4")
    reply = await dirk.say("sla over")
    assert reply.text.startswith("Goed, die vraag slaan we over. Je andere antwoorden zijn bewaard")
    assert row(partners) == ("ja", 4, "", "answered")
    report = (await Conversation(partners.services, user=DIRECTOR).say("rapport")).text
    assert "1 van 4 (25%), gemiddeld commitment 4,0" in report
    assert "- Gemeente Zeist: 4,0" in report


async def test_skipping_before_anything_is_answered_is_a_skip(partners, dirk):
    assert (await dirk.say("sla over")).text == "Goed, deze check-in slaan we over."
    assert row(partners) == (None, None, None, "skipped")


async def test_skipping_after_the_goal_keeps_the_goal_but_is_a_skip(partners, dirk):
    await dirk.say("nee")
    assert (await dirk.say("overslaan")).text == "Goed, deze check-in slaan we over."
    assert row(partners) == ("nee", None, None, "skipped")


# 7. Numbered choices: shown in the text, and the number is the answer.

@pytest.mark.parametrize(("typed", "goal"), [("1", "ja"), ("2", "twijfel"), ("3", "nee")])
async def test_the_number_of_a_goal_choice_is_the_answer(partners, clock, typed, goal):
    dirk = Conversation(partners.services, user="dirk")
    await dirk.say("help")  # numbered start options of another menu are still in the conversation
    scheduler.start_cycle(partners.services, clock.now())
    [question] = delivered(partners)
    assert "1. Ja\n2. Twijfel\n3. Nee" in question
    reply = await dirk.say(typed)
    assert reply.text.startswith("2/3: Hoe groot is je commitment")
    assert row(partners) == (goal, None, None, "open")


def test_console_chat_shows_numbered_choices_and_takes_the_numbers(partners, clock):
    scheduler.start_cycle(partners.services, clock.now())
    out = io.StringIO()
    chat(partners.services, partners.outbox, user="dirk", name=None, stdin=io.StringIO("1\n4\nniets\n"), out=out)
    text = out.getvalue()
    assert "1/3: Staat ons gezamenlijke doel nog voor je?" in text and "1. Ja\n2. Twijfel\n3. Nee" in text
    assert "2/3: Hoe groot is je commitment" in text and THANKS in text
    assert row(partners) == ("ja", 4, "", "answered")


async def test_a_button_of_an_answered_question_gets_the_open_question(partners):
    scheduler.start_cycle(partners.services, partners.services.clock.now())
    anouk = Conversation(partners.services, platform="slack", user="UANOUK")
    await anouk.click("checkin:goal:ja")
    reply = await anouk.click("checkin:goal:nee")
    assert reply.text.startswith(ASK_AGAIN)
    await anouk.click("checkin:commitment:3")
    assert (await anouk.click("checkin:commitment:5")).text.startswith("3/3: Wat heb je nodig")
    assert row(partners, "slack:UANOUK") == ("ja", 3, None, "open")
    await anouk.say("niets")
    assert (await anouk.click("checkin:goal:ja")).text.startswith("Deze check-in is al afgerond")


@pytest.mark.parametrize("typed", ["ik ben weg tot en met 31 december 9999", "ik ben weg tot 1 januari 0001", "ik ben weg tot 31 februari"])
async def test_an_impossible_absence_date_gets_a_question_not_a_crash(partners, dirk, typed):
    reply = await dirk.say(typed)
    assert reply.text in (
        "Tot wanneer ben je weg? Schrijf bijvoorbeeld: ik ben weg tot 3 januari.",
        "Die datum is al voorbij. Tot wanneer ben je weg? Noem een datum in de toekomst, bijvoorbeeld: ik ben weg tot 3 januari.",
    )
    assert row(partners) == (None, None, None, "open")


async def test_typing_check_in_brings_back_the_question_that_is_open(partners, dirk):
    assert "1/3: Staat ons gezamenlijke doel nog voor je?" in (await dirk.say("check-in")).text
    await dirk.say("ja")
    assert "2/3: Hoe groot is je commitment" in (await dirk.say("check-in")).text


async def test_an_unreadable_year_is_asked_about_not_stored_as_next_year(partners, dirk):
    """Regression: "ik ben weg tot 1 januari 99999999999999999999" was stored as 1 januari 2027."""
    reply = await dirk.say("ik ben weg tot 1 januari 99999999999999999999")
    assert reply.text == "Tot wanneer ben je weg? Schrijf bijvoorbeeld: ik ben weg tot 3 januari."
    assert partners.db.execute("SELECT COUNT(*) FROM away").fetchone() == (0,)
    assert row(partners) == (None, None, None, "open")


async def test_29_februari_means_the_next_29_februari(partners):
    """Regression: "ik ben weg tot 29 februari" was refused in a year without one; the next one is meant."""
    reply = await Conversation(partners.services, user="dirk").say("ik ben weg tot 29 februari")
    assert reply.text == "Fijn dat je het laat weten. Tot dinsdag 29 februari 2028 stuur ik je geen check-ins."
    [(until,)] = partners.db.execute("SELECT until FROM away").fetchall()
    assert until.startswith("2028-02-28T23:00")
