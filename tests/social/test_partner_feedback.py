"""What partners send back, as they type it: a knelpunt report (what, between whom, since when) that the director
reads in "meldingen", answers, and whose answer reaches the reporter on their own platform through the outbox;
and "geen felicitaties meer" / "wel felicitaties", shown in "mijn gegevens"."""

from __future__ import annotations

from collections import Counter

import pytest

from adapters.delivery import deliver_due
from adapters.slack.app import build_client
from adapters.slack.sender import SlackSender
from bot.commitment import scheduler
from bot.config import Settings
from bot.messages import from_payload
from bot.social.partner import Partner
from tests.chat import Conversation

DIRECTOR = "regisseur"
BSN = "111222333"


@pytest.fixture
def chain(runtime):
    for name, organisation, identity in (
        ("Anouk", "Schuldhulp Zeist", "slack:UANOUK"), ("Dirk", "Gemeente Zeist", "console:dirk"),
    ):
        runtime.services.partners.save(
            Partner(name=name, organisation=organisation, topics=("schulden",), identities=(identity,)), consent_text="ja"
        )
    runtime.services.directors.add(f"console:{DIRECTOR}")
    return runtime


async def report(chat: Conversation, stuck: str, between: str, since: str) -> str:
    assert (await chat.say("ik wil een knelpunt melden")).text.startswith("Goed dat je het meldt.")
    assert (await chat.say(stuck)).text.startswith("Tussen welke organisaties speelt het?")
    assert (await chat.say(between)).text.startswith("Sinds wanneer speelt het?")
    return (await chat.say(since)).text


async def test_a_knelpunt_report_reaches_the_director_and_the_answer_reaches_the_reporter(chain, slack_api, fresh_db):
    anouk = Conversation(chain.services, platform="slack", user="UANOUK")
    thanks = await report(anouk, "Aanmeldingen voor schuldhulp blijven weken liggen", "gemeente en schuldhulp", "sinds oktober")
    assert thanks.startswith("Dank je, je melding is doorgegeven aan de ketenregisseur:")
    assert "- Tussen: gemeente en schuldhulp" in thanks
    director = Conversation(chain.services, user=DIRECTOR)
    listing = (await director.say("meldingen")).text
    assert "#1 · maandag 23 november 2026 · Schuldhulp Zeist (slack:UANOUK): Aanmeldingen voor schuldhulp blijven weken liggen" in listing
    assert "(tussen: gemeente en schuldhulp; sinds: sinds oktober) — nog niet beantwoord" in listing
    reply = await director.say("antwoord 1: We zetten het op de agenda van het ketenoverleg van maandag.")
    assert reply.text.startswith("Je antwoord op melding #1 staat klaar voor de melder")
    assert (await director.say("antwoord 1: nog een keer")).text.startswith("Melding #1 is al beantwoord.")
    assert "beantwoord op maandag 23 november 2026" in (await director.say("meldingen")).text
    settings = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret="s", slack_api_url=slack_api.api_url)
    await deliver_due(chain.outbox, [SlackSender(build_client(settings, retries=False), chain.addresses)])
    [message] = slack_api.of("chat.postMessage")
    assert message.body["channel"] == "D0UANOUK"
    assert message.body["text"] == (
        "Antwoord van de ketenregisseur op je melding van maandag 23 november 2026 ('Aanmeldingen voor schuldhulp blijven weken"
        " liggen'):\n\nWe zetten het op de agenda van het ketenoverleg van maandag."
    )


async def test_a_bsn_typed_in_a_report_is_refused_and_never_stored(chain):
    dirk = Conversation(chain.services, user="dirk")
    await dirk.say("ik wil een knelpunt melden")
    refused = await dirk.say(f"Cliënt met BSN {BSN} kan niet worden aangemeld")
    assert "BSN" in refused.text and not refused.text.startswith("Tussen welke")
    assert (await dirk.say("Aanmeldingen blijven liggen")).text.startswith("Tussen welke organisaties")
    await dirk.say("wijkteam en gemeente")
    await dirk.say("de zomer")
    rows = chain.db.execute("SELECT stuck, between_organisations, since FROM knelpunt_reports").fetchall()
    assert rows == [("Aanmeldingen blijven liggen", "wijkteam en gemeente", "de zomer")]
    assert not any(BSN in str(value) for table in ("knelpunt_reports", "conversation_state")
                   for row in chain.db.execute(f"SELECT * FROM {table}") for value in row)


async def test_a_report_that_reads_like_a_question_is_stored_not_answered(chain):
    """Regression: "Waarom vertrouwen de partners elkaar niet?" looked like a question in the domain's words, so the dialog
    answered it from the knowledge and asked again; what was typed was lost."""
    dirk = Conversation(chain.services, user="dirk")
    stuck = "Waarom vertrouwen de partners elkaar niet? Niemand deelt gegevens."
    thanks = await report(dirk, stuck, "wijkteam en schuldhulp", "sinds maart")
    assert thanks.startswith("Dank je, je melding is doorgegeven aan de ketenregisseur:")
    assert chain.db.execute("SELECT stuck FROM knelpunt_reports").fetchall() == [(stuck,)]


async def test_a_report_can_be_stopped_and_only_directors_read_or_answer_them(chain):
    dirk = Conversation(chain.services, user="dirk")
    await dirk.say("ik wil een knelpunt melden")
    assert (await dirk.say("stop")).text == "Prima, er is niets gemeld."
    assert (await dirk.say("meldingen")).text.startswith("Dat kan alleen de ketenregisseur")
    assert (await dirk.say("antwoord 1: hallo")).text.startswith("Dat kan alleen de ketenregisseur")
    assert (await Conversation(chain.services, user=DIRECTOR).say("meldingen")).text == "Er zijn nog geen meldingen van knelpunten."
    stranger = Conversation(chain.services, platform="web", user="onbekend")
    assert "ketenpartner" in (await stranger.say("ik wil een knelpunt melden")).text
    assert chain.db.execute("SELECT COUNT(*) FROM knelpunt_reports").fetchone() == (0,)


async def test_reports_are_on_the_dashboard(chain):
    await report(Conversation(chain.services, user="dirk"), "Geen vast aanspreekpunt", "wijkteam en corporatie", "de zomer")
    [melding] = chain.dashboard_view().meldingen
    assert (melding.organisation, melding.stuck, melding.between, melding.since, melding.answered_on) == (
        "Gemeente Zeist", "Geen vast aanspreekpunt", "wijkteam en corporatie", "de zomer", None,
    )


async def test_geen_felicitaties_meer_stops_celebrations_but_not_checkins(chain, clock):
    dirk = Conversation(chain.services, user="dirk")
    assert "Felicitaties bij mijlpalen: aan" in (await dirk.say("mijn gegevens")).text
    assert (await dirk.say("geen felicitaties meer")).text.startswith("Goed, je krijgt geen felicitaties bij mijlpalen meer.")
    assert "Felicitaties bij mijlpalen: uit (typ 'wel felicitaties'" in (await dirk.say("mijn gegevens")).text
    director = Conversation(chain.services, user=DIRECTOR)
    await director.say("nieuwe mijlpaal: Convenant getekend")
    await director.say("mijlpaal bereikt: Convenant getekend")
    assert "Het gaat naar 1 ontvanger." in (await director.say("vier Convenant getekend")).text
    await director.say("ja")
    scheduler.start_cycle(chain.services, clock.now())
    recipients = Counter(identity for (identity,) in chain.db.execute("SELECT identity FROM outbox"))
    assert recipients == {"slack:UANOUK": 2, "console:dirk": 1}  # Dirk: the check-in only
    assert [from_payload(d.payload).text.split("\n")[0] for d in chain.outbox.take_for("console:dirk")] == [
        "Check-in van de ketenregisseur."
    ]
    assert (await dirk.say("wel felicitaties")).text.startswith("Fijn, je krijgt weer felicitaties")
    assert "Felicitaties bij mijlpalen: aan" in (await dirk.say("mijn gegevens")).text


async def test_someone_not_on_the_map_is_told_there_are_no_celebrations_to_stop(runtime):
    reply = await Conversation(runtime.services, user="niemand").say("geen felicitaties meer")
    assert reply.text == "Je staat niet op de sociale kaart, dus ketenbot stuurt je geen felicitaties."


async def test_deleting_oneself_removes_reports_and_choices(chain):
    dirk = Conversation(chain.services, user="dirk")
    await dirk.say("geen felicitaties meer")
    await report(dirk, "Geen vast aanspreekpunt", "wijkteam en corporatie", "de zomer")
    await dirk.say("verwijder mij")
    assert (await dirk.say("ja")).text.startswith("Je gegevens zijn definitief verwijderd")
    assert chain.db.execute("SELECT COUNT(*) FROM knelpunt_reports").fetchone() == (0,)
    assert chain.db.execute("SELECT COUNT(*) FROM partner_preferences").fetchone() == (0,)
