"""What a partner is told about their check-in answers, and how long the answers are kept: the first check-in
says who sees them and for how long; after KETENBOT_CHECKIN_RETENTION_DAYS they are purged."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from bot.commitment import scheduler
from bot.config import Settings, SettingsError
from bot.language.dates import parse_rhythm
from bot.social.partner import Partner
from tests.chat import Conversation

DIRECTOR = "regisseur"
WHO_SEES = "je antwoorden ziet alleen de ketenregisseur, in het rapport en op het dashboard"


@pytest.fixture
def chain(runtime):
    for name, identity in (("Dirk", "console:dirk"), ("Eva", "console:eva")):
        runtime.services.partners.save(
            Partner(name=name, organisation="Gemeente Zeist", topics=("schulden",), identities=(identity,)), consent_text="ja"
        )
    runtime.services.directors.add(f"console:{DIRECTOR}")
    runtime.services.checkins.set_schedule(
        parse_rhythm("elke 4 weken op maandag om 9:00"), runtime.services.clock.now() + timedelta(days=365), reminder_days=3, by="test"
    )
    return runtime


def received(runtime, identity: str) -> list[str]:
    """What this console user is shown when they open the chat."""
    return [delivery.payload["text"] for delivery in runtime.outbox.take_for(identity)]


async def answer(runtime, user: str, *texts: str) -> None:
    for text in texts:
        await Conversation(runtime.services, user=user).say(text)


async def test_the_first_checkin_says_who_sees_the_answers_and_how_long_they_are_kept(chain, clock):
    scheduler.start_cycle(chain.services, clock.now())
    [first] = received(chain, "console:dirk")
    assert first.startswith("Check-in van de ketenregisseur.")
    assert f"Goed om te weten: {WHO_SEES}. Ze worden na 2 jaar verwijderd." in first
    await answer(chain, "dirk", "ja", "4", "niets")
    clock.advance(timedelta(weeks=4))
    scheduler.start_cycle(chain.services, clock.now())
    [second] = received(chain, "console:dirk")
    assert second.startswith("Check-in van de ketenregisseur.") and WHO_SEES not in second


async def test_a_partner_added_later_is_told_in_their_own_first_checkin(chain, clock):
    scheduler.start_cycle(chain.services, clock.now())
    chain.services.partners.save(
        Partner(name="Fleur", organisation="Wijkteam", topics=("jeugd",), identities=("console:fleur",)), consent_text="ja"
    )
    clock.advance(timedelta(weeks=4))
    scheduler.start_cycle(chain.services, clock.now())
    assert WHO_SEES in received(chain, "console:fleur")[0]
    # Eva never answered her first check-in (withdrawn when the new round went out): she is told again.
    assert [WHO_SEES in text for text in received(chain, "console:eva")] == [True]


async def test_answers_are_purged_after_the_retention_period(chain, clock):
    services = replace(chain.services, checkin_retention_days=90)
    scheduler.start_cycle(services, clock.now())
    assert "Ze worden na 90 dagen verwijderd." in received(chain, "console:dirk")[0]
    await answer(chain, "dirk", "twijfel", "2", "we hebben geen tijd")
    director = Conversation(services, user=DIRECTOR)
    clock.advance(timedelta(days=89))
    scheduler.tick(services, clock.now())
    assert "1 van 2 (50%)" in (await director.say("rapport")).text
    clock.advance(timedelta(days=2))
    scheduler.tick(services, clock.now())
    assert (await director.say("rapport")).text.startswith("Er zijn nog geen check-ins gehouden.")
    assert chain.db.execute("SELECT COUNT(*) FROM checkin_requests WHERE need <> ''").fetchone() == (0,)


def test_the_retention_period_comes_from_the_environment():
    assert Settings.from_env({}).checkin_retention_days == 730
    assert Settings.from_env({"KETENBOT_CHECKIN_RETENTION_DAYS": "365"}).checkin_retention_days == 365
    with pytest.raises(SettingsError, match="KETENBOT_CHECKIN_RETENTION_DAYS moet een geheel getal zijn"):
        Settings.from_env({"KETENBOT_CHECKIN_RETENTION_DAYS": "twee jaar"})
