"""The social map is for ketenpartners only (issue: six anonymous web-chat requests collected every partner's
name, phone number and e-mail address, although their consent says "voor andere ketenpartners").

Attacks as they were made, over real HTTP against `ketenbot serve` (web) and with signed requests from the fake
Slack; then the ways to become a ketenpartner, as a person takes them.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlencode

import aiohttp
import pytest

from adapters.cli import main
from bot.config import Settings
from social_map.transfer import import_partners
from tests.adapters.test_slack import SECRET, post, signed_headers
from tests.chat import Conversation
from tests.conftest import FIXTURES, use_database
from tests.slack_payloads import action_payload, command_payload, event_payload, submission_payload

pytestmark = pytest.mark.both_databases

# What the map holds (tests/fixtures/partners/goed.csv): none of it may reach an outsider.
PERSONAL = ("Anouk de Vries", "Bram Jansen", "Carla Smit", "Dirk Bakker", "Esra Yilmaz", "030-6921234",
            "anouk@schuldhulp-zeist.nl", "dirk@ggzcentraal.nl")
HARVEST = [
    "wie kan ik bellen over schulden",
    "wie kan ik bellen over schuldhulp in Zeist?",
    "telefoonnummer van Anouk de Vries",
    "contactpersoon ggz",
    "wie doet er iets met mantelzorg in Zeist",
    "contactpersoon paardrijden",
]
EXPLANATION = "De sociale kaart, met namen en contactgegevens van ketenpartners, is alleen voor ketenpartners."
TOPICS_HINT = "Onderwerpen die wel op de kaart staan"


def client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def say(session: aiohttp.ClientSession, server, text: str) -> dict:
    async with session.post(server.make_url("/api/chat"), json={"text": text}) as response:
        assert response.status == 200, await response.text()
        return await response.json()


def text_of(body: dict) -> str:
    return body["replies"][-1]["text"]


@pytest.fixture
def mapped(runtime):
    import_partners(runtime.services.partners, FIXTURES / "partners" / "goed.csv")
    return runtime


async def open_page(session: aiohttp.ClientSession, server) -> None:
    async with session.get(server.make_url("/")) as response:
        assert response.status == 200


# --- the web chat ---------------------------------------------------------------------------------


async def test_an_anonymous_web_session_gets_no_names_phones_emails_or_topics(mapped, serve, knowledge):
    server = await serve()
    async with client() as session:
        await open_page(session, server)
        answers = [await say(session, server, text) for text in HARVEST]
        registering = await say(session, server, "aanmelden")
        knowledge_answer = await say(session, server, "wat is ketenregie?")
    dumped = json.dumps(answers + [registering], ensure_ascii=False)
    assert [name for name in PERSONAL if name in dumped] == []
    assert TOPICS_HINT not in dumped and "schuldhulpverlening" not in dumped
    assert all(text_of(body).startswith(EXPLANATION) for body in answers + [registering])
    assert "uitnodiging" in text_of(registering) and "koppel" in text_of(registering)
    assert knowledge.get("begrip-ketenregie").summary in text_of(knowledge_answer)
    assert mapped.services.partners.count() == 5


async def test_an_outsider_cannot_tell_which_places_are_on_the_map(mapped, serve):
    from bot.social.partner import Partner

    # "Lekstroom" is in no list of Dutch places: only the map knows it, as Wim's werkgebied.
    mapped.services.partners.save(Partner(name="Wim", organisation="Wijkteam", topics=("wonen",), region="Lekstroom"),
                                  consent_text="ja")
    inside = await Conversation(mapped.services, user="partner").say("wie kent Lekstroom")
    assert inside.intent == "contact"
    server = await serve()
    async with client() as session:
        await open_page(session, server)
        outside = await say(session, server, "wie kent Lekstroom")
        unknown = await say(session, server, "wie kent Nergenshuizen")
    assert body_intent(outside) == body_intent(unknown) == "fallback"
    assert text_of(outside) == text_of(unknown)


def body_intent(body: dict) -> str:
    return body["replies"][-1]["intent"]


async def test_an_invitation_from_ketenbot_invite_makes_a_web_user_a_ketenpartner_once(
    mapped, serve, capsys, monkeypatch, settings
):
    use_database(monkeypatch, settings.database)
    monkeypatch.setenv("KETENBOT_PUBLIC_URL", "https://keten.example.nl/")
    assert main(["invite"]) == 0
    printed = capsys.readouterr().out
    link = re.search(r"https://keten\.example\.nl/#uitnodiging=([A-Z0-9-]{9})", printed)
    assert link, printed
    code = link.group(1)
    assert f"'uitnodiging {code}'" in printed and "werkt één keer" in printed
    stored = mapped.db.execute("SELECT code_hash FROM invitations").fetchall()
    assert len(stored) == 1 and code not in stored[0][0] and code.replace("-", "") not in stored[0][0]

    server = await serve()
    async with client() as invited, client() as second:
        await open_page(invited, server)
        assert text_of(await say(invited, server, "wie kan ik bellen over schulden")).startswith(EXPLANATION)
        assert text_of(await say(invited, server, f"uitnodiging {code.lower()}")).startswith("Welkom!")
        found = await say(invited, server, "wie kan ik bellen over schuldhulp in Zeist?")
        assert "Anouk de Vries" in text_of(found)
        assert "Dank je!" in text_of(await register(invited, server))
        # One time only: the same code does nothing for a second session.
        await open_page(second, server)
        assert text_of(await say(second, server, f"uitnodiging {code}")).startswith("Deze uitnodiging klopt niet")
        assert text_of(await say(second, server, "contactpersoon ggz")).startswith(EXPLANATION)


async def register(session: aiohttp.ClientSession, server) -> dict:
    for text in ["aanmelden", "Wim Web", "Buurtwerk Zeist", "-", "buurtwerk", "Zeist", "wim@buurtwerk.nl", "-", "-"]:
        await say(session, server, text)
    return await say(session, server, "ja")


async def test_a_directors_invitation_in_the_chat_expires(mapped, serve, clock):
    mapped.services.directors.add("console:regisseur")
    director = Conversation(mapped.services, user="regisseur")
    issued = (await director.say("uitnodiging")).text
    assert issued.startswith("Uitnodiging gemaakt.") and "http://localhost:3978/#uitnodiging=" in issued
    code = re.search(r"#uitnodiging=([A-Z0-9-]+)", issued).group(1)
    assert "geldig tot maandag 30 november 2026" in issued
    partner = Conversation(mapped.services, platform="slack", user="UGEEN", vouched=False)
    assert (await partner.say("uitnodiging")).text.startswith("Uitnodigingen maakt de ketenregisseur.")
    clock.advance(timedelta(days=7, minutes=1))
    server = await serve()
    async with client() as late:
        await open_page(late, server)
        assert text_of(await say(late, server, f"uitnodiging {code}")).startswith("Deze uitnodiging klopt niet")
        assert text_of(await say(late, server, "contactpersoon ggz")).startswith(EXPLANATION)


async def test_guessing_invitation_codes_is_blocked_per_session(mapped, serve):
    code, _ = mapped.invitations.issue("cli", valid_for=timedelta(days=7))
    server = await serve()
    async with client() as guesser:
        await open_page(guesser, server)
        for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC", "DDDD-DDDD", "EEEE-EEEE"):
            assert text_of(await say(guesser, server, f"uitnodiging {guess}")).startswith("Deze uitnodiging klopt niet")
        assert text_of(await say(guesser, server, f"uitnodiging {code}")).startswith("Je hebt te vaak een verkeerde code")
        assert text_of(await say(guesser, server, "contactpersoon ggz")).startswith(EXPLANATION)


async def test_a_web_user_linked_to_their_entry_with_koppel_may_search(mapped, serve):
    slack = Conversation(mapped.services, platform="slack", user="UWIM")
    for text in ["aanmelden", "Wim Web", "Buurtwerk Zeist", "-", "buurtwerk", "Zeist", "wim@buurtwerk.nl", "-", "-", "ja"]:
        await slack.say(text)
    code = re.search(r"\d{6}", (await slack.say("koppel")).text).group(0)
    server = await serve()
    async with client() as web:
        await open_page(web, server)
        assert text_of(await say(web, server, "contactpersoon ggz")).startswith(EXPLANATION)
        assert text_of(await say(web, server, f"koppel {code}")).startswith("Gekoppeld:")
        assert "Dirk Bakker" in text_of(await say(web, server, "contactpersoon ggz"))


async def test_contact_searches_are_limited_per_person(mapped, clock):
    chat = Conversation(mapped.services, user="verzamelaar")
    for _ in range(30):
        assert (await chat.say("contactpersoon ggz")).results
    refused = await chat.say("contactpersoon schulden")
    assert refused.results == ()
    assert refused.text.startswith("Je hebt het afgelopen uur al 30 keer iemand op de sociale kaart gezocht")
    assert (await Conversation(mapped.services, user="iemand-anders").say("contactpersoon ggz")).results
    assert (await chat.say("wat is ketenregie?")).intent == "knowledge"
    clock.advance(timedelta(hours=1, seconds=1))
    assert (await chat.say("contactpersoon ggz")).results


# --- Slack -----------------------------------------------------------------------------------------


@pytest.fixture
async def slack_server(serve, slack_api, settings, mapped):
    settings = replace(settings, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, slack_api_url=slack_api.api_url)
    return await serve(settings)


async def slack_says(server, slack_api, payload: dict, count: int) -> str:
    body = json.dumps(payload)
    assert (await post(server, body, signed_headers(body)))[0] == 200
    calls = await slack_api.wait_for("chat.postMessage", count=count)
    return calls[-1].body["text"]


async def test_the_apps_own_workspace_may_search_by_default(slack_server, slack_api):
    text = await slack_says(slack_server, slack_api, event_payload("contactpersoon ggz", event_id="EvA1"), 1)
    assert "Dirk Bakker" in text
    assert [c.method for c in slack_api.calls][0] == "auth.test"


async def test_a_slack_connect_guest_gets_knowledge_answers_only(slack_server, slack_api, knowledge):
    guest = event_payload("contactpersoon ggz", event_id="EvA2", user="UGAST", user_team="T0ANDERS")
    refused = await slack_says(slack_server, slack_api, guest, 1)
    assert refused.startswith(EXPLANATION) and "Dirk" not in refused
    mention = event_payload("<@UKETENBOT> aanmelden", kind="app_mention", channel="C0GEDEELD", event_id="EvA3",
                            user="UGAST", user_team="T0ANDERS")
    assert (await slack_says(slack_server, slack_api, mention, 2)).startswith(EXPLANATION)
    question = event_payload("wat is ketenregie?", event_id="EvA4", user="UGAST", user_team="T0ANDERS")
    assert knowledge.get("begrip-ketenregie").summary in await slack_says(slack_server, slack_api, question, 3)


async def test_a_guest_cannot_open_or_submit_the_registration_form(slack_server, slack_api, mapped):
    button = urlencode({"payload": json.dumps(action_payload("form", "ketenbot_register_form", user_team="T0ANDERS"))})
    status, _ = await post(slack_server, button, signed_headers(button, content_type="application/x-www-form-urlencoded"))
    assert status == 200
    [refused] = await slack_api.wait_for("chat.postMessage")
    assert refused.body["text"].startswith(EXPLANATION)
    assert slack_api.of("views.open") == []
    values = {"name": "Gast Gastmans", "organisation": "Elders BV", "topics": "schulden", "email": "gast@elders.nl"}
    form = urlencode({"payload": json.dumps(submission_payload(values, True, user_team="T0ANDERS"))})
    status, text = await post(slack_server, form, signed_headers(form, content_type="application/x-www-form-urlencoded"))
    assert status == 200 and json.loads(text)["errors"]["consent"].startswith(EXPLANATION)
    assert mapped.db.execute("SELECT COUNT(*) FROM partners WHERE name = 'Gast Gastmans'").fetchone() == (0,)


async def test_a_slash_command_from_another_workspace_gets_no_names(slack_server, slack_api):
    form = urlencode(command_payload("contactpersoon ggz", slack_api.url("/respond/1"), team="T0ANDERS"))
    status, _ = await post(slack_server, form, signed_headers(form, content_type="application/x-www-form-urlencoded"))
    assert status == 200
    [answer] = await slack_api.wait_for("response_url")
    assert answer.body["text"].startswith(EXPLANATION)


async def test_configured_workspaces_replace_the_default(serve, slack_api, settings, mapped):
    settings = replace(settings, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                        slack_api_url=slack_api.api_url, slack_workspaces=frozenset({"T0PARTNER"}))
    server = await serve(settings)
    own = await slack_says(server, slack_api, event_payload("contactpersoon ggz", event_id="EvA5"), 1)
    assert own.startswith(EXPLANATION)
    partner = event_payload("contactpersoon ggz", event_id="EvA6", user="UPARTNER", user_team="T0PARTNER")
    assert "Dirk Bakker" in await slack_says(server, slack_api, partner, 2)


def test_slack_workspaces_are_read_from_the_environment():
    settings = Settings.from_env({"KETENBOT_SLACK_WORKSPACES": " T0KETEN, T0PARTNER ,"})
    assert settings.slack_workspaces == frozenset({"T0KETEN", "T0PARTNER"})
    assert Settings.from_env({}).slack_workspaces == frozenset()

