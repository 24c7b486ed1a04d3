"""KETENBOT_MAP_APPROVAL=1, as people use it: a new self-registration waits (and the registrant is told so), every
director is asked once with buttons on Slack and Teams (over the fakes on loopback), "goedkeuren"/"afwijzen"
decides, and the registrant hears the decision on their own platform."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from adapters.server import RUNTIME, SCHEDULER
from bot.commitment import scheduler
from bot.config import Settings
from bot.messages import from_payload
from bot.social.partner import Partner
from tests.adapters.test_slack import SECRET, click, post, signed_headers
from tests.adapters.test_teams import USER_ID, activity
from tests.adapters.test_teams import post as teams_post
from tests.adapters.test_teams import say as teams_say
from tests.chat import Conversation
from tests.social.test_registration import REGISTRATION

DIRECTOR = "regisseur"
WAITING = "Dank je! Je aanmelding is bewaard en wacht op goedkeuring van de ketenregisseur"
CONTACT = "wie kan ik bellen over schulden in Zeist?"


@pytest.fixture
def approving(runtime):
    services = replace(runtime.services, map_approval=True)
    services.directors.add(f"console:{DIRECTOR}")
    services.partners.save(Partner(name="Bram", organisation="Wijkteam", topics=("jeugd",), identities=("console:bram",)),
                           consent_text="ja")
    return runtime, services


BRAM = [*REGISTRATION[:1], "Bram Jansen", *REGISTRATION[2:7], "bram@voorbeeld.nl", *REGISTRATION[8:]]


async def register(services, platform: str = "console", user: str = "anouk", answers: list[str] = REGISTRATION) -> str:
    chat = Conversation(services, platform=platform, user=user)
    for text in answers:
        reply = await chat.say(text)
    return reply.text


def waiting_for(runtime, identity: str) -> list[str]:
    return [from_payload(d.payload).text for d in runtime.outbox.take_for(identity)]


async def test_a_new_entry_waits_until_a_director_approves_it(approving, clock):
    runtime, services = approving
    assert (await register(services)).startswith(WAITING)
    bram = Conversation(services, user="bram")
    assert "Anouk de Vries" not in (await bram.say(CONTACT)).text
    scheduler.tick(services, clock.now())
    scheduler.tick(services, clock.now())  # asked once, however often the scheduler looks
    [request] = waiting_for(runtime, f"console:{DIRECTOR}")
    partner_id = services.partners.by_identity("console:anouk").id
    assert request.startswith(f"Nieuwe aanmelding voor de sociale kaart (#{partner_id})")
    assert "Anouk de Vries" in request and f"Typ 'goedkeuren {partner_id}' of 'afwijzen {partner_id}'" in request
    assert (await bram.say(f"goedkeuren {partner_id}")).text.startswith("Dat kan alleen de ketenregisseur")
    director = Conversation(services, user=DIRECTOR)
    reply = await director.say(f"goedkeuren {partner_id}")
    assert reply.text == "Goedgekeurd: Anouk de Vries (Schuldhulp Zeist) staat nu op de sociale kaart en krijgt daar bericht van."
    assert (await director.say(f"afwijzen {partner_id}")).text == f"Over aanmelding #{partner_id} is al besloten."
    assert "Anouk de Vries" in (await bram.say(CONTACT)).text
    assert waiting_for(runtime, "console:anouk") == [
        "Goed nieuws: de ketenregisseur heeft je aanmelding goedgekeurd. Andere ketenpartners vinden je nu op de sociale kaart."
    ]


async def test_a_rejected_entry_stays_off_the_map_and_the_registrant_is_told(approving, clock):
    runtime, services = approving
    await register(services)
    partner_id = services.partners.by_identity("console:anouk").id
    reply = await Conversation(services, user=DIRECTOR).say(f"afwijzen {partner_id}")
    assert reply.text.startswith("Afgewezen: Anouk de Vries (Schuldhulp Zeist) komt niet op de sociale kaart")
    assert "Anouk de Vries" not in (await Conversation(services, user="bram").say(CONTACT)).text
    [notice] = waiting_for(runtime, "console:anouk")
    assert notice.startswith("De ketenregisseur heeft je aanmelding voor de sociale kaart afgewezen")
    assert runtime.dashboard_view().social_map.partners == 1  # Bram only
    scheduler.start_cycle(services, clock.now())  # no check-ins or celebrations for an entry that is not on the map
    assert waiting_for(runtime, "console:anouk") == [] and len(waiting_for(runtime, "console:bram")) == 1


async def test_an_entry_waiting_for_approval_is_never_asked_whether_it_is_still_right(approving, clock):
    """A waiting or rejected entry is not on the map, so "klopt je vermelding nog?" is not for it (it was)."""
    runtime, services = approving
    await register(services)
    due = services.freshness.due_for_reminder(max_age=timedelta(0), interval=timedelta(0), max_reminders=3)
    assert [partner.name for partner in due] == ["Bram"]


async def test_a_director_lists_the_entries_that_wait_and_decides_from_the_list(approving):
    runtime, services = approving
    director = Conversation(services, user=DIRECTOR)
    assert (await director.say("aanmeldingen")).text == "Er wachten geen aanmeldingen op goedkeuring."
    await register(services)
    await register(services, user="bram2", answers=BRAM)
    anouk, bram = (services.partners.by_identity(i).id for i in ("console:anouk", "console:bram2"))
    listed = await director.say("welke aanmeldingen wachten?")
    assert listed.text.startswith("Deze aanmeldingen voor de sociale kaart wachten op goedkeuring:")
    assert f"#{anouk} Anouk de Vries (Schuldhulp Zeist)" in listed.text and f"#{bram} Bram Jansen" in listed.text
    assert [o.value for o in listed.options] == [f"goedkeuren {anouk}", f"afwijzen {anouk}", f"goedkeuren {bram}", f"afwijzen {bram}"]
    assert (await director.click(f"afwijzen {bram}")).text.startswith("Afgewezen: Bram Jansen")
    after = await director.say("open aanmeldingen")
    assert f"#{anouk} Anouk de Vries" in after.text and "Bram Jansen" not in after.text
    # Only a director sees who waits.
    assert (await Conversation(services, user="bram").say("aanmeldingen")).text.startswith("Dat kan alleen de ketenregisseur")


async def test_without_approval_the_list_says_that_entries_do_not_wait(runtime):
    runtime.services.directors.add(f"console:{DIRECTOR}")
    reply = await Conversation(runtime.services, user=DIRECTOR).say("aanmeldingen")
    assert reply.text.startswith("Aanmeldingen voor de sociale kaart wachten niet op goedkeuring")


async def test_without_the_setting_a_registration_is_on_the_map_at_once(runtime):
    reply = await register(runtime.services)
    assert reply.startswith("Dank je! Je staat nu op de sociale kaart.")
    assert runtime.db.execute("SELECT COUNT(*) FROM partner_approvals").fetchone() == (0,)


def test_the_setting_is_read_from_the_environment():
    assert Settings.from_env({"KETENBOT_MAP_APPROVAL": "1"}).map_approval is True
    assert Settings.from_env({}).map_approval is False


@pytest.fixture
async def served(serve, slack_api, bf_connector, fresh_db):
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                        slack_api_url=slack_api.api_url, teams_emulator=True, map_approval=True,
                        directors=frozenset({"slack:U123", f"teams:{USER_ID}"}))
    server = await serve(settings)
    # The Teams director has written to ketenbot before, so there is a conversation to write in.
    assert await teams_post(server, activity(bf_connector.service_url, "hallo")) == 201
    return server


async def test_directors_decide_with_buttons_in_slack_and_teams(served, slack_api, bf_connector):
    runtime = served.app[RUNTIME]
    assert (await register(runtime.services, user="anouk")).startswith(WAITING)
    assert (await register(runtime.services, platform="slack", user="UBRAM", answers=BRAM)).startswith(WAITING)
    anouk, bram = (runtime.services.partners.by_identity(i).id for i in ("console:anouk", "slack:UBRAM"))
    await served.app[SCHEDULER].round()
    await served.app[SCHEDULER].round()
    asked = [c.body for c in slack_api.of("chat.postMessage") if c.body["channel"] == "D0U123"]
    assert len(asked) == 2
    buttons = [e["value"] for b in asked[0]["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [f"goedkeuren {anouk}", f"afwijzen {anouk}"]
    cards = [a for a in bf_connector.activities if a.get("text", "").startswith("Nieuwe aanmelding")]
    assert len(cards) == 2
    actions = cards[1]["attachments"][0]["content"]["actions"]
    assert [a["title"] for a in actions] == ["Goedkeuren", "Afwijzen"]

    body = click(f"goedkeuren {anouk}")
    status, _ = await post(served, body, signed_headers(body, content_type="application/x-www-form-urlencoded"))
    assert status == 200
    [answer] = [c for c in await slack_api.wait_for("chat.postMessage", count=3) if c.body["channel"] == "D123"]
    assert answer.body["text"].startswith("Goedgekeurd: Anouk de Vries")
    reject = next(a["data"] for a in actions if a["title"] == "Afwijzen")
    reply = await teams_say(served, bf_connector, activity(bf_connector.service_url, value=reject, number=2))
    assert reject == {"value": f"afwijzen {bram}"}
    assert reply["text"].replace("\\", "").startswith("Afgewezen: Bram Jansen (Schuldhulp Zeist) komt niet op de sociale kaart")
    await served.app[SCHEDULER].round()
    told = [c.body["text"] for c in await slack_api.wait_for("chat.postMessage", count=4) if c.body["channel"] == "D0UBRAM"]
    assert told == [
        "De ketenregisseur heeft je aanmelding voor de sociale kaart afgewezen; anderen vinden je er niet. Typ"
        " 'verwijder mij' om je gegevens te laten verwijderen, of neem contact op met de ketenregisseur."
    ]
    assert [from_payload(d.payload).text.split(":")[0] for d in runtime.outbox.take_for("console:anouk")] == ["Goed nieuws"]
