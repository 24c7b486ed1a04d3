"""Registering, seeing, correcting and deleting one's own entry, as a user types it."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from bot.commitment import scheduler
from bot.social.partner import FieldError, clean_field
from tests.chat import Conversation
from tests.cli import ketenbot
from tests.conftest import fetch, tables

pytestmark = pytest.mark.both_databases

REGISTRATION = [
    "ik wil me aanmelden",
    "Anouk de Vries",
    "Schuldhulp Zeist",
    "schuldhulpverlener",
    "schulden; budgetcoaching",
    "Zeist",
    "anouk@voorbeeld",
    "anouk@voorbeeld.nl",
    "12345",
    "06 1234 5678",
    "-",
    "ja",
]


def partners(database) -> list[tuple]:
    return fetch(database, "SELECT name, email, phone, topics, consent_text FROM partners")


def test_register_correct_and_delete_through_ketenbot_chat(tmp_path):
    script = [
        *REGISTRATION,
        "mijn gegevens",
        "wijzig mijn telefoonnummer",
        "030-69 21 234",
        "wie kan ik bellen over schulden in Zeist?",
        "verwijder mij",
        "ja",
        "mijn gegevens",
        "exit",
    ]
    result = ketenbot("chat", "--user", "anouk", stdin="\n".join(script) + "\n", cwd=tmp_path)
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "Dat is geen geldig e-mailadres." in out
    assert "Dat is geen Nederlands telefoonnummer." in out
    assert "- Onderwerpen: schulden; budgetcoaching" in out
    assert "Geef je toestemming om deze gegevens te publiceren?" in out
    assert "Je staat nu op de sociale kaart." in out
    assert "Dit staat er over jou op de sociale kaart:" in out
    assert "Je telefoonnummer is gewijzigd in: 030-6921234" in out
    assert "1. Anouk de Vries, schuldhulpverlener bij Schuldhulp Zeist (Zeist)" in out
    assert "tel. 030-6921234 · anouk@voorbeeld.nl" in out
    assert "Je gegevens zijn definitief verwijderd van de sociale kaart." in out
    assert out.rstrip().endswith("Je staat nog niet op de sociale kaart. Typ 'aanmelden' om je aan te melden.\n\nTot ziens!".rstrip())
    db = sqlite3.connect(tmp_path / "ketenbot.db")
    assert db.execute("SELECT COUNT(*) FROM partners").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM identities").fetchone() == (0,)
    assert db.execute("SELECT action FROM audit_log ORDER BY id").fetchall()[-1] == ("deleted",)
    audit_columns = [row[1] for row in db.execute("PRAGMA table_info(audit_log)")]
    assert audit_columns == ["id", "at", "action", "partner_id"]


async def test_stop_halfway_saves_nothing(runtime, settings):
    chat = Conversation(runtime.services, user="bram")
    for text in ["registreer mij", "Bram Jansen", "Wijkteam Zeist"]:
        await chat.say(text)
    reply = await chat.say("annuleer")
    assert reply.text == "Gestopt. Er is niets bewaard."
    assert partners(settings.database) == []
    assert (await chat.say("wat is ketenregie")).entry == "begrip-ketenregie"


async def test_no_consent_saves_nothing(runtime, settings):
    chat = Conversation(runtime.services, user="carla")
    for text in REGISTRATION[:-1]:
        await chat.say(text)
    reply = await chat.say("misschien")
    assert reply.text == "Typ 'ja' of 'nee'."
    reply = await chat.say("nee")
    assert reply.text == "Prima, ik heb niets bewaard."
    assert partners(settings.database) == []


async def test_consent_is_recorded_with_its_text(runtime, settings):
    chat = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        reply = await chat.say(text)
    assert "Je staat nu op de sociale kaart" in reply.text
    [(name, email, phone, topics, consent)] = partners(settings.database)
    assert (name, email, phone, topics) == ("Anouk de Vries", "anouk@voorbeeld.nl", "06-12345678", "schulden;budgetcoaching")
    assert consent.startswith("Ik geef toestemming om mijn naam")


async def test_registering_again_updates_the_same_entry(runtime, settings):
    chat = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    again = ["aanmelden", "ok", "ok", "teamleider", "ok", "ok", "ok", "ok", "ok", "ja"]
    replies = [await chat.say(text) for text in again]
    assert replies[0].text.startswith("Je staat al op de sociale kaart.")
    assert "(nu: Anouk de Vries; typ 'ok' om dit te houden)" in replies[0].text
    assert replies[-1].text == "Je gegevens op de sociale kaart zijn bijgewerkt."
    rows = fetch(settings.database, "SELECT name, role FROM partners")
    assert rows == [("Anouk de Vries", "teamleider")]


async def test_email_of_someone_else_is_refused(runtime, settings):
    first = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        await first.say(text)
    other = Conversation(runtime.services, user="indringer")
    for text in ["aanmelden", "Iemand Anders", "Ergens", "-", "schulden", "-", "anouk@voorbeeld.nl", "-", "-"]:
        await other.say(text)
    reply = await other.say("ja")
    assert reply.text.startswith("Dit e-mailadres staat al op de sociale kaart, bij een aanmelding die niet aan jouw account")
    assert [row[0] for row in partners(settings.database)] == ["Anouk de Vries"]
    identities = fetch(settings.database, "SELECT identity FROM identities")
    assert identities == [("console:anouk",)]


async def test_change_one_field_in_one_sentence_and_confirm(runtime, settings, clock):
    chat = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    reply = await chat.say("wijzig mijn e-mailadres in a.devries@schuldhulp.nl")
    assert reply.text == "Je e-mailadres is gewijzigd in: a.devries@schuldhulp.nl"
    reply = await chat.say("verander mijn werkgebied naar regio Utrecht")
    assert reply.text == "Je werkgebied is gewijzigd in: regio Utrecht"
    reply = await chat.say("mijn gegevens kloppen nog")
    assert reply.text == "Dank je, je gegevens zijn bevestigd als actueel."


@pytest.mark.parametrize(
    ("typed", "label", "field", "value"),
    [
        ("wijzig mijn organisatie in Gemeente Utrecht", "organisatie", "organisation", "Gemeente Utrecht"),
        ("verander mijn functie naar medewerker werkgebied Zeist", "functie of rol", "role", "medewerker werkgebied Zeist"),
        ("wijzig mijn werkgebied in Nieuwegein", "werkgebied", "region", "Nieuwegein"),
        ("pas mijn notitie aan: bel na het telefoonnummer van de gemeente", "notitie", "note",
         "bel na het telefoonnummer van de gemeente"),
    ],
)
async def test_the_field_is_read_from_the_words_after_wijzig_mijn(runtime, settings, typed, label, field, value):
    """Regression: "wijzig mijn organisatie in Gemeente Utrecht" changed the werkgebied, because the field was
    looked up in the whole message (and "gemeente" is a word for the werkgebied)."""
    chat = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    before = fetch(settings.database, "SELECT organisation, role, region, note FROM partners")[0]
    assert (await chat.say(typed)).text == f"Je {label} is gewijzigd in: {value}"
    after = dict(zip(("organisation", "role", "region", "note"),
                     fetch(settings.database, "SELECT organisation, role, region, note FROM partners")[0],
                     strict=True))
    assert after[field] == value
    unchanged = {name: old for name, old in zip(("organisation", "role", "region", "note"), before, strict=True) if name != field}
    assert {name: after[name] for name in unchanged} == unchanged


async def test_own_data_when_not_registered(runtime):
    reply = await Conversation(runtime.services, user="nieuw").say("mijn gegevens")
    assert reply.text.startswith("Je staat nog niet op de sociale kaart.")
    reply = await Conversation(runtime.services, user="nieuw").say("verwijder mij")
    assert reply.text == "Je staat niet op de sociale kaart; er is niets te verwijderen."


async def test_delete_can_be_declined(runtime, settings):
    chat = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    await chat.say("schrijf mij uit")
    reply = await chat.say("nee")
    assert reply.text == "Prima, je blijft op de sociale kaart staan."
    assert len(partners(settings.database)) == 1


def test_ask_json_reports_register_intent(tmp_path):
    result = ketenbot("ask", "registreer mij", "--json", cwd=tmp_path)
    answer = json.loads(result.stdout)
    assert answer["intent"] == "register"
    assert "Wat is je naam?" in answer["reply"]


async def test_deleting_oneself_leaves_no_trace_in_any_table_nor_in_the_file(runtime, settings, clock):
    services = runtime.services
    anouk = Conversation(services, platform="slack", user="UANOUK")
    for line in REGISTRATION:
        await anouk.say(line)
    services.directors.add("console:regisseur")
    runtime.addresses.remember("slack:UANOUK", "slack", {"channel": "DANOUK", "name": "Anouk de Vries"})
    scheduler.start_cycle(services, clock.now())
    await anouk.click("checkin:goal:ja")
    await anouk.say("4")
    need = "meer tijd van de wijkcoach in Zeist voor Ferdinand Uniek"
    await anouk.say(need)
    # Someone else's half-finished registration, abandoned: purged once it has expired.
    bram = Conversation(services, platform="slack", user="UBRAM")
    for line in ["ik wil me aanmelden", "Bram Verlaten", "Wijkteam Zeist"]:
        await bram.say(line)

    await anouk.say("verwijder mij")
    assert (await anouk.say("ja")).text.startswith("Je gegevens zijn definitief verwijderd")
    clock.advance(timedelta(days=2))
    scheduler.tick(services, clock.now())
    runtime.close()

    for table in tables(settings.database):
        dump = json.dumps(fetch(settings.database, f'SELECT * FROM "{table}"'), default=repr)
        for trace in ("UANOUK", "Anouk", "anouk@voorbeeld.nl", "Ferdinand", "Bram Verlaten"):
            assert trace not in dump, (table, trace)
    if settings.database_url:
        return  # PostgreSQL's files: what VACUUM can and cannot promise is in the README ("Productie")
    raw = settings.db_path.read_bytes() + (settings.db_path.with_name(settings.db_path.name + "-wal").read_bytes()
                                           if settings.db_path.with_name(settings.db_path.name + "-wal").exists() else b"")
    for trace in (b"anouk@voorbeeld.nl", b"Ferdinand Uniek", b"Bram Verlaten"):
        assert trace not in raw, trace


async def test_deleting_oneself_also_forgets_the_invitation_and_wrong_codes(runtime, settings):
    code, _ = runtime.invitations.issue("cli", valid_for=timedelta(days=7))
    web = Conversation(runtime.services, platform="web", user="sessie-wim")
    assert (await web.say("uitnodiging AAAA-AAAA")).text.startswith("Deze uitnodiging klopt niet")
    assert (await web.say(f"uitnodiging {code}")).text.startswith("Welkom!")
    for text in ["aanmelden", "Wim Web", "Buurtwerk", "-", "buurtwerk", "Zeist", "wim@buurtwerk.nl", "-", "-", "ja"]:
        await web.say(text)
    await web.say("verwijder mij")
    assert (await web.say("ja")).text.startswith("Je gegevens zijn definitief verwijderd")
    for table in ("invited", "code_attempts", "partners"):
        assert fetch(settings.database, f"SELECT COUNT(*) FROM {table}") == [(0,)]


async def test_non_latin_answers_are_kept_not_skipped(runtime, settings):
    """Regression: Arabic, an emoji or "?" folded to nothing and counted as "-"."""
    chat = Conversation(runtime.services, user="samira")
    script = ["aanmelden", "سميرة الحسن", "Wijkteam Zeist", "مستشار", "schulden", "?", "samira@wijkteam.nl", "-", "🙂"]
    replies = [await chat.say(text) for text in script]
    assert "- Naam: سميرة الحسن" in replies[-1].text
    assert "- Functie of rol: مستشار" in replies[-1].text
    assert "- Werkgebied: ?" in replies[-1].text
    assert "- Notitie: 🙂" in replies[-1].text
    await chat.say("ja")
    row = fetch(settings.database, "SELECT name, role, region, phone, note FROM partners")
    assert row == [("سميرة الحسن", "مستشار", "?", "", "🙂")]
    await chat.say("wijzig mijn functie")
    assert (await chat.say("مستشار أول")).text == "Je functie of rol is gewijzigd in: مستشار أول"
    await chat.say("wijzig mijn notitie")
    assert (await chat.say("nvt")).text == "Je notitie is gewijzigd in: -"
    row = fetch(settings.database, "SELECT role, note FROM partners")
    assert row == [("مستشار أول", "")]


async def test_a_name_of_only_an_emoji_is_refused_not_skipped(runtime, settings):
    chat = Conversation(runtime.services, user="leeg")
    await chat.say("aanmelden")
    reply = await chat.say("🙂")
    assert reply.text.startswith("Vul een naam in met letters")
    assert partners(settings.database) == []


async def changing_the_phone_number(runtime) -> Conversation:
    """Anouk, registered, has just asked to change her phone number (06-12345678)."""
    chat = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    await chat.say("wijzig mijn telefoonnummer")
    return chat


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+31 (0)30 123 4567", "030-1234567"),
        ("+31 (0)6 1234 5678", "06-12345678"),
        ("+32 470 12 34 56", "+32 470123456"),
        ("+32 9 123 45 67", "+32 91234567"),
        ("0032 (0)9 123 45 67", "+32 91234567"),
        ("+49 30 1234567", "+49 301234567"),
        ("06 1234 5678", "06-12345678"),
    ],
)
async def test_dutch_and_foreign_phone_numbers(runtime, settings, typed, stored):
    chat = await changing_the_phone_number(runtime)
    assert (await chat.say(typed)).text == f"Je telefoonnummer is gewijzigd in: {stored}"
    assert partners(settings.database)[0][2] == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("+32 12", "Dat is geen geldig buitenlands telefoonnummer."),
        ("+32 470 12 34 5x", "Een telefoonnummer bestaat uit cijfers"),
        ("12345", "Dat is geen Nederlands telefoonnummer."),
        ("+31 (0)30 123", "Dat is geen Nederlands telefoonnummer."),
    ],
)
async def test_wrong_phone_numbers_are_refused_and_nothing_changes(runtime, settings, typed, message):
    chat = await changing_the_phone_number(runtime)
    assert (await chat.say(typed)).text.startswith(message)
    assert partners(settings.database)[0][2] == "06-12345678"


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("name", "[Bel mij](https://phish.example)", "Hier hoort geen opmaak in"),
        ("organisation", "Kijk op www.phish.example", "Hier hoort geen webadres of link in."),
        # Regression: these two passed the link filter.
        ("name", '<a href="https&#58;//phish.example">Bel mij</a>', "Hier hoort geen opmaak in"),
        ("organisation", "<a href=//phish.example>Gemeente Zeist</a>", "Hier hoort geen opmaak in"),
        ("role", "bel &#x2F;&#x2F;phish.example", "Hier hoort geen opmaak in"),
        ("region", "Zeist //phish.example", "Hier hoort geen webadres of link in."),
        ("name", "![foto](x.png) Anouk", "Hier hoort geen opmaak in"),
        ("note", "<img src=x onerror=alert(1)>", "Hier hoort geen opmaak in"),
    ],
)
def test_markup_or_a_link_in_a_partner_field_is_refused(field, text, message):
    with pytest.raises(FieldError, match=f"^{message}"):
        clean_field(field, text)


REST_OF_REGISTRATION = ["Schuldhulp Zeist", "schuldhulpverlener", "schulden", "Zeist", "anouk@voorbeeld.nl", "-", "-"]


async def test_a_question_typed_as_the_name_is_answered_not_stored(runtime, settings, knowledge):
    """Regression: "wat is ketenregie" was accepted as a name."""
    chat = Conversation(runtime.services, user="nieuw")
    await chat.say("ik wil me aanmelden")
    answer, again = await chat.replies("wat is ketenregie")
    assert knowledge.get("begrip-ketenregie").summary in answer.text
    assert answer.options == ()  # a click on "meer" must not become the name
    assert again.text == (
        "Dan verder met je aanmelding.\n\nWat is je naam?\n\nWas 'wat is ketenregie' toch je naam? Typ dan 'ja'."
    )
    await chat.say("Anouk de Vries")
    summary = [await chat.say(text) for text in REST_OF_REGISTRATION][-1]
    assert "- Naam: Anouk de Vries" in summary.text and "ketenregie" not in summary.text
    await chat.say("ja")
    assert [row[0] for row in partners(settings.database)] == ["Anouk de Vries"]


async def test_a_contact_question_typed_as_the_email_is_answered(runtime, settings):
    """Regression: "wie kan ik bellen over schuldhulp in Utrecht?" got "Dat is geen geldig e-mailadres"."""
    chat = Conversation(runtime.services, user="nieuw")
    for text in ["ik wil me aanmelden", "Anouk de Vries", *REST_OF_REGISTRATION[:4]]:
        await chat.say(text)
    answer, again = await chat.replies("wie kan ik bellen over schuldhulp in Utrecht?")
    assert answer.intent == "contact"
    assert again.text == "Dan verder met je aanmelding.\n\nOp welk e-mailadres ben je bereikbaar? (typ '-' om over te slaan)"
    assert "e-mailadres" not in answer.text
    assert (await chat.say("anouk@voorbeeld.nl")).text.startswith("Op welk telefoonnummer")


async def test_a_question_like_answer_is_stored_only_when_meant(runtime, settings):
    chat = Conversation(runtime.services, user="nieuw")
    await chat.say("ik wil me aanmelden")
    await chat.say("Anouk de Vries")
    asked = await chat.say("Hoe Verder")
    assert asked.text == "Bedoel je 'Hoe Verder' als je organisatie? Typ 'ja' om het zo te bewaren, of typ je organisatie."
    assert (await chat.say("nee")).text == "Bij welke organisatie werk je?"
    await chat.say("Hoe Verder")
    assert (await chat.say("ja")).text.startswith("Wat is je functie of rol?")
    # An answered question that was the answer after all: "ja" takes it.
    *_, again = await chat.replies("wie helpt wie?")
    assert again.text.endswith("Was 'wie helpt wie?' toch je functie of rol? Typ dan 'ja'.")
    await chat.say("ja")
    summary = [await chat.say(text) for text in REST_OF_REGISTRATION[2:]][-1]
    assert "- Organisatie: Hoe Verder" in summary.text
    assert "- Functie of rol: wie helpt wie?" in summary.text


async def test_a_question_at_the_consent_step_is_answered_and_consent_asked_again(runtime, settings, knowledge):
    chat = Conversation(runtime.services, user="nieuw")
    for text in ["ik wil me aanmelden", "Anouk de Vries", *REST_OF_REGISTRATION]:
        await chat.say(text)
    answer, again = await chat.replies("wat is een sociale kaart?")
    assert knowledge.get("begrip-sociale-kaart").summary in answer.text
    assert again.text.startswith("Dit komt op de sociale kaart:\n- Naam: Anouk de Vries")
    assert "Geef je toestemming om deze gegevens te publiceren?" in again.text
    assert partners(settings.database) == []
    assert (await chat.say("ja")).text.startswith("Dank je! Je staat nu op de sociale kaart.")


@pytest.mark.parametrize(
    ("field", "text"),
    [("note", "zie https://voorbeeld.nl"), ("organisation", "Jansen & Zn"), ("name", "Anouk <3"),
     ("organisation", "Zorg/Welzijn Zeist"), ("region", "'s-Hertogenbosch")],
)
def test_plain_text_with_ampersands_and_slashes_is_kept(field, text):
    assert clean_field(field, text) == text


KILLED_WHILE_PUBLISHING = """
import asyncio, os, signal, sys
from pathlib import Path
from adapters.console import answer
from adapters.wiring import build_runtime
from bot.config import Settings

runtime = build_runtime(Settings(db_path=Path(sys.argv[1])))
published = []

def trace(sql):
    # SIGKILL at the first write after the entry was written: between publishing and closing the dialog.
    if sql.lstrip().startswith("INSERT INTO partners"):
        published.append(sql)
    elif published and "conversation_state" in sql:
        os.kill(os.getpid(), signal.SIGKILL)

if sys.argv[2] == "kill":
    runtime.db.conn.set_trace_callback(trace)

async def main():
    for line in sys.argv[3:]:
        await answer(line, runtime.services, user="anouk")

asyncio.run(main())
"""


def test_sigkill_between_publishing_and_closing_the_dialog_leaves_neither_half(tmp_path):
    """Regression: a SIGKILL between publishing an entry and closing the registration dialog left the dialog
    waiting for consent while the entry was live."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    db_path = tmp_path / "ketenbot.db"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}

    def run(mode: str, *lines: str) -> int:
        return subprocess.run([sys.executable, "-c", KILLED_WHILE_PUBLISHING, str(db_path), mode, *lines],
                              env=env, capture_output=True, timeout=120).returncode

    assert run("kill", *REGISTRATION) == -signal.SIGKILL
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT COUNT(*) FROM partners").fetchone() == (0,)
    [(state,)] = db.execute("SELECT data FROM conversation_state").fetchall()
    assert json.loads(state)["dialog"]["step"] == "consent"  # still asking, and nothing is live
    db.close()
    # After the restart the person answers again, and the entry is published once, the dialog closed.
    assert run("normal", "ja") == 0
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT name FROM partners").fetchall() == [("Anouk de Vries",)]
    assert all('"dialog"' not in data for (data,) in db.execute("SELECT data FROM conversation_state"))
    db.close()


async def test_a_change_command_typed_while_a_field_waits_is_no_new_value(runtime, settings):
    """Regression: "wijzig mijn telefoonnummer" typed while the topics waited was saved as the new topics."""
    chat = Conversation(runtime.services, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    topics = fetch(settings.database, "SELECT topics FROM partners")[0][0]
    assert "onderwerpen" in (await chat.say("wijzig mijn onderwerpen")).text
    asked = await chat.say("wijzig mijn telefoonnummer")
    assert "telefoonnummer" in asked.text and "gewijzigd" not in asked.text
    assert fetch(settings.database, "SELECT topics FROM partners")[0][0] == topics
    assert (await chat.say("030-69 21 234")).text == "Je telefoonnummer is gewijzigd in: 030-6921234"
    assert (await chat.say("wijzig mijn onderwerpen")) and (await chat.say("wijzig mijn werkgebied in Zeist")).text == (
        "Je werkgebied is gewijzigd in: Zeist")
    assert fetch(settings.database, "SELECT topics, region FROM partners")[0] == (topics, "Zeist")
