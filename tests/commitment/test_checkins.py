"""Check-ins as a director and partners use them: schedule, one message per partner per cycle, answers,
a single reminder, "later" / "sla over" / "ik ben weg tot …", refusal for non-directors, and the report."""

from __future__ import annotations

from datetime import timedelta

import pytest

from adapters.cli import main
from adapters.wiring import build_runtime
from bot.commitment import scheduler
from bot.language.dates import parse_rhythm
from bot.social.partner import Partner
from tests.chat import Conversation
from tests.conftest import use_database

pytestmark = pytest.mark.both_databases

DIRECTOR = "regisseur"


@pytest.fixture
def partners(runtime):
    registry = runtime.services.partners
    people = [
        ("Anouk", "Schuldhulp Zeist", "slack:UANOUK"),
        ("Bram", "Wijkteam Zeist", "teams:29:bram"),
        ("Carla", "Stichting Opvang", "web:carla-sessie"),
        ("Dirk", "Gemeente Zeist", "console:dirk"),
    ]
    for name, organisation, identity in people:
        registry.save(Partner(name=name, organisation=organisation, topics=("schulden",), identities=(identity,)), consent_text="ja")
    registry.save(Partner(name="Zonder Chat", organisation="Geen", topics=("x",), email="x@y.nl"), consent_text="import")
    runtime.services.directors.add(f"console:{DIRECTOR}")
    return runtime


def queued(runtime, prefix: str) -> list[tuple[str, str]]:
    return runtime.db.execute("SELECT dedupe_key, identity FROM outbox WHERE dedupe_key LIKE ? ORDER BY id", (prefix + "%",)).fetchall()


async def test_non_director_is_refused(partners):
    for text in ["check-in elke week op maandag om 9:00", "rapport", "vier de mijlpaal", "nieuwe mijlpaal: iets"]:
        reply = await Conversation(partners.services, user="iemand").say(text)
        assert reply.text.startswith("Dat kan alleen de ketenregisseur"), text


async def test_cycle_is_scheduled_and_sent_once_per_partner(partners, clock, settings):
    director = Conversation(partners.services, user=DIRECTOR)
    reply = await director.say("check-in elke 4 weken op maandag om 9:00")
    assert reply.text.startswith("Afgesproken: check-in elke 4 weken op maandag om 9:00")
    assert "maandag 30 november 2026 om 9:00" in reply.text
    assert scheduler.tick(partners.services, clock.now()).cycles == 0
    clock.advance(timedelta(days=7))
    result = scheduler.tick(partners.services, clock.now())
    assert (result.cycles, result.checkins) == (1, 4)
    assert sorted(i for _, i in queued(partners, "checkin:")) == ["console:dirk", "slack:UANOUK", "teams:29:bram", "web:carla-sessie"]
    assert scheduler.tick(partners.services, clock.now()).checkins == 0
    restarted = build_runtime(settings, clock=clock, matcher=partners.services.matcher)
    assert scheduler.tick(restarted.services, clock.now()).checkins == 0
    restarted.close()
    assert len(queued(partners, "checkin:")) == 4
    schedule = partners.services.checkins.schedule()
    assert schedule.next_at.isoformat() == "2026-12-28T08:00:00+00:00"


async def test_answers_with_buttons_and_text_and_advice(partners, clock, knowledge):
    scheduler.start_cycle(partners.services, clock.now())
    anouk = Conversation(partners.services, platform="slack", user="UANOUK")
    reply = await anouk.click("checkin:goal:twijfel")
    assert reply.text.startswith("2/3: Hoe groot is je commitment")
    reply = await anouk.say("7")
    assert reply.text.startswith("Kies een getal van 1 tot en met 5.")
    reply = await anouk.click("checkin:commitment:2")
    assert reply.text.startswith("3/3: Wat heb je nodig")
    reply = await anouk.say("we hebben geen tijd door de werkdruk en te weinig capaciteit")
    assert reply.text.startswith("Dank je wel voor je check-in!")
    assert reply.entry in {"knelpunt-5", "knelpunt-6"}
    assert knowledge.get(reply.entry).title in reply.text
    row = partners.db.execute("SELECT goal, commitment, need, knelpunt, status FROM checkin_requests WHERE identity = 'slack:UANOUK'").fetchone()
    assert row == ("twijfel", 2, "we hebben geen tijd door de werkdruk en te weinig capaciteit", reply.entry, "answered")
    bram = Conversation(partners.services, platform="teams", user="29:bram")
    assert (await bram.say("ja")).text.startswith("2/3")
    assert (await bram.say("5")).text.startswith("3/3")
    assert (await bram.say("niets")).text == "Dank je wel voor je check-in! De ketenregisseur ziet de antwoorden in het rapport."


async def test_an_open_checkin_does_not_block_questions(partners, clock):
    scheduler.start_cycle(partners.services, clock.now())
    reply = await Conversation(partners.services, user="dirk").say("wat is ketenregie")
    assert reply.entry == "begrip-ketenregie"


async def test_one_reminder_only(partners, clock):
    partners.services.checkins.set_schedule(
        parse_rhythm("elke 4 weken op maandag om 9:00"),
        clock.now() + timedelta(days=28), reminder_days=3, by="test",
    )
    scheduler.start_cycle(partners.services, clock.now())
    await Conversation(partners.services, user="dirk").say("ja")
    clock.advance(timedelta(days=2))
    assert scheduler.tick(partners.services, clock.now()).reminders == 0
    clock.advance(timedelta(days=2))
    assert scheduler.tick(partners.services, clock.now()).reminders == 4
    clock.advance(timedelta(days=5))
    assert scheduler.tick(partners.services, clock.now()).reminders == 0
    assert len(queued(partners, "checkin-reminder:")) == 4


async def test_later_skip_and_away(partners, clock):
    scheduler.start_cycle(partners.services, clock.now())
    reply = await Conversation(partners.services, platform="slack", user="UANOUK").say("later")
    assert reply.text == "Prima, ik vraag het je morgen nog eens."
    [(key, identity)] = queued(partners, "checkin-later:")
    assert identity == "slack:UANOUK"
    reply = await Conversation(partners.services, platform="teams", user="29:bram").say("sla over")
    assert reply.text == "Goed, deze check-in slaan we over."
    reply = await Conversation(partners.services, user="dirk").say("ik ben weg tot 3 januari")
    assert reply.text == "Fijn dat je het laat weten. Tot zondag 3 januari 2027 stuur ik je geen check-ins."
    clock.advance(timedelta(days=14))
    scheduler.start_cycle(partners.services, clock.now())
    latest = partners.db.execute("SELECT identity FROM checkin_requests WHERE cycle_id = 2 ORDER BY identity").fetchall()
    assert ("console:dirk",) not in latest and len(latest) == 3


async def test_report_shows_response_trend_warnings_and_needs(partners, clock, capsys, monkeypatch, settings):
    answers = {"slack:UANOUK": [5, 2], "teams:29:bram": [4, 4]}
    partners.services.checkins.set_schedule(parse_rhythm("elke 4 weken op maandag om 9:00"), clock.now() + timedelta(days=90),
                                            reminder_days=3, by="test")
    for round_number in range(2):
        scheduler.start_cycle(partners.services, clock.now())
        for identity, scores in answers.items():
            platform, user = identity.split(":", 1)
            chat = Conversation(partners.services, platform=platform, user=user)
            await chat.say("ja")
            await chat.say(str(scores[round_number]))
            await chat.say("de privacyregels maken gegevens delen onmogelijk" if identity.startswith("slack") else "niets")
        clock.advance(timedelta(days=5))
        scheduler.tick(partners.services, clock.now())
        clock.advance(timedelta(days=23))
    reply = await Conversation(partners.services, user=DIRECTOR).say("rapport")
    text = reply.text
    assert "2 van 4 (50%), gemiddeld commitment 4,5" in text
    assert "2 van 4 (50%), gemiddeld commitment 3,0" in text
    assert "- Schuldhulp Zeist: 5,0 → 2,0" in text
    assert "Schuldhulp Zeist (slack:UANOUK): commitment gedaald van 5 naar 2" in text
    assert "twee keer op rij geen antwoord" in text
    assert "Partners kunnen of willen geen gegevens delen" in text
    assert "• de privacyregels maken gegevens delen onmogelijk" in text
    use_database(monkeypatch, settings.database)
    assert main(["report", "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("section,cycle_id,due_at,sent,answered,response_rate,average_commitment,")
    assert lines[1].startswith("cycle,1,") and ",4,2,0.5,4.5," in lines[1]


def test_director_admin_commands(capsys, monkeypatch, database):
    use_database(monkeypatch, database)
    monkeypatch.setenv("KETENBOT_DIRECTORS", "slack:UREGISSEUR")
    assert main(["admin", "director", "add", "teams:29:anouk"]) == 0
    assert main(["admin", "director", "list"]) == 0
    out = capsys.readouterr().out
    assert "slack:UREGISSEUR\t(KETENBOT_DIRECTORS)" in out and "teams:29:anouk\t(database)" in out
    assert main(["admin", "director", "remove", "teams:29:anouk"]) == 0
    assert main(["admin", "director", "remove", "teams:29:anouk"]) == 1
    assert main(["checkin", "schedule", "elke 2 weken op dinsdag om 10:30"]) == 0
    assert "Check-in elke 2 weken op dinsdag om 10:30" in capsys.readouterr().out
