"""Who owns an entry on the social map: a chat identity, never an e-mail address (which anyone can read).

A registration cannot take over an imported entry or someone else's; a second platform is linked to one's own
entry with a one-time code ("koppel" on the first platform, "koppel 123456" on the second).
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot.core import handle
from bot.messages import FormSubmission, Incoming
from social_map.transfer import import_partners
from tests.chat import Conversation
from tests.cli import ketenbot
from tests.conftest import fetch
from tests.social.test_registration import REGISTRATION

pytestmark = pytest.mark.both_databases

AYLIN = "aylin.demir@example.org"


@pytest.fixture
def services(runtime):
    return runtime.services


@pytest.fixture
def imported(services, tmp_path):
    """An imported partner: on the map without a chat identity, e-mail visible to anyone who asks."""
    path = tmp_path / "partners.csv"
    path.write_text(
        "name,organisation,role,topics,region,email,phone\n"
        f"Aylin Demir,Schuldhulp Nieuwegein,schuldhulpverlener,schulden,Nieuwegein,{AYLIN},030-5550101\n"
    )
    import_partners(services.partners, path)
    return services


def rows(settings, sql: str, params: tuple = ()) -> list[tuple]:
    return fetch(settings.database, sql, params)


def registering_with(email: str) -> list[str]:
    return ["aanmelden", "Indra Inbreker", "Overname BV", "-", "schulden", "Zeist", email, "-", "-"]


async def koppel(services, platform: str, user: str, text: str) -> str:
    """What the user reads after typing a 'koppel' message."""
    return (await Conversation(services, platform=platform, user=user).say(text)).text


async def test_registering_with_the_email_of_an_imported_partner_does_not_take_over_the_entry(imported, settings):
    before = rows(settings, "SELECT * FROM partners WHERE email = ?", (AYLIN,))
    chat = Conversation(imported, user="indra")
    for text in registering_with(AYLIN):
        await chat.say(text)
    reply = await chat.say("ja")
    assert reply.text.startswith("Dit e-mailadres staat al op de sociale kaart")
    assert "Ketenbot kan niet controleren dat dit e-mailadres van jou is, dus ik heb niets bewaard." in reply.text
    assert "beheerder" in reply.text and "'koppel'" in reply.text
    assert rows(settings, "SELECT * FROM partners WHERE email = ?", (AYLIN,)) == before
    assert rows(settings, "SELECT * FROM identities") == []
    assert rows(settings, "SELECT COUNT(*) FROM partners WHERE name = 'Indra Inbreker'") == [(0,)]
    # Not hers, so she cannot delete it either.
    assert (await chat.say("stop")).text == "Gestopt. Er is niets bewaard."
    assert (await chat.say("verwijder mij")).text == "Je staat niet op de sociale kaart; er is niets te verwijderen."
    assert rows(settings, "SELECT name FROM partners WHERE email = ?", (AYLIN,)) == [("Aylin Demir",)]


async def test_after_the_refusal_another_email_registers_a_new_entry(imported, settings):
    chat = Conversation(imported, user="indra")
    for text in registering_with(AYLIN):
        await chat.say(text)
    await chat.say("ja")
    for text in ["indra@overname.nl", "-", "-"]:
        await chat.say(text)
    reply = await chat.say("ja")
    assert reply.text.startswith("Dank je! Je staat nu op de sociale kaart.")
    assert rows(settings, "SELECT p.name, p.email FROM identities i JOIN partners p ON p.id = i.partner_id") == [
        ("Indra Inbreker", "indra@overname.nl")
    ]
    assert rows(settings, "SELECT name FROM partners WHERE email = ?", (AYLIN,)) == [("Aylin Demir",)]


async def test_form_with_the_email_of_an_imported_partner_is_refused(imported, settings):
    values = {"name": "Indra Inbreker", "organisation": "Overname BV", "topics": "schulden", "email": AYLIN}
    form = FormSubmission("register", tuple(values.items()), consent=True)
    [reply] = await handle(Incoming(platform="slack", user_id="UINDRA", submission=form, vouched=True), imported)
    assert reply.form_view is not None
    assert dict(reply.form_view.errors)["email"].startswith("Dit e-mailadres staat al op de sociale kaart")
    assert rows(settings, "SELECT name, organisation FROM partners WHERE email = ?", (AYLIN,)) == [
        ("Aylin Demir", "Schuldhulp Nieuwegein")
    ]
    assert rows(settings, "SELECT * FROM identities") == []


async def test_changing_ones_email_to_someone_elses_is_refused_without_a_crash(imported, settings):
    chat = Conversation(imported, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    reply = await chat.say(f"wijzig mijn e-mailadres in {AYLIN}")
    assert reply.text.startswith("Dit e-mailadres staat al op de sociale kaart")
    assert rows(settings, "SELECT email FROM partners WHERE name = 'Anouk de Vries'") == [("anouk@voorbeeld.nl",)]
    assert rows(settings, "SELECT name FROM partners WHERE email = ?", (AYLIN,)) == [("Aylin Demir",)]


async def test_a_code_links_a_second_platform_to_ones_own_entry(services, settings):
    console = Conversation(services, user="anouk")
    for text in REGISTRATION:
        await console.say(text)
    issued = await koppel(services, "console", "anouk", "koppel")
    assert issued.startswith("Je koppelcode is ")
    assert "15 minuten geldig" in issued
    code = re.search(r"\b(\d{6})\b", issued).group(1)
    assert rows(settings, "SELECT code_hash FROM link_codes")[0][0] != code  # stored hashed

    assert await koppel(services, "slack", "UANOUK", f"koppel {code}") == (
        "Gekoppeld: dit account hoort nu bij je aanmelding op de sociale kaart (Anouk de Vries, Schuldhulp Zeist)."
    )
    assert rows(settings, "SELECT identity FROM identities ORDER BY identity") == [("console:anouk",), ("slack:UANOUK",)]
    slack = Conversation(services, platform="slack", user="UANOUK")
    assert "- Naam: Anouk de Vries" in (await slack.say("mijn gegevens")).text
    # Single use: the same code does nothing for anyone else.
    assert (await koppel(services, "teams", "29:iemand", f"koppel {code}")).startswith("Deze koppelcode klopt niet of is verlopen")
    assert rows(settings, "SELECT COUNT(*) FROM identities") == [(2,)]
    assert rows(settings, "SELECT COUNT(*) FROM link_codes") == [(0,)]


async def test_a_wrong_or_expired_code_links_nothing(services, settings, clock):
    console = Conversation(services, user="anouk")
    for text in REGISTRATION:
        await console.say(text)
    code = re.search(r"\d{6}", await koppel(services, "console", "anouk", "koppel")).group(0)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert await koppel(services, "slack", "UANOUK", f"koppel {wrong}") == (
        "Deze koppelcode klopt niet of is verlopen; er is niets gekoppeld. "
        "Vraag op je andere platform met 'koppel' een nieuwe code."
    )
    assert await koppel(services, "slack", "UANOUK", "koppel 12345") == "Een koppelcode bestaat uit 6 cijfers, bijvoorbeeld 'koppel 123456'."
    clock.advance(timedelta(minutes=16))
    assert (await koppel(services, "slack", "UANOUK", f"koppel {code}")).startswith("Deze koppelcode klopt niet of is verlopen")
    assert rows(settings, "SELECT identity FROM identities") == [("console:anouk",)]


async def registered_with_a_code(services) -> str:
    """Anouk registers in the console and asks for a 'koppel' code; returns it."""
    console = Conversation(services, user="anouk")
    for text in REGISTRATION:
        await console.say(text)
    return re.search(r"\d{6}", await koppel(services, "console", "anouk", "koppel")).group(0)


def wrong_codes(code: str, count: int) -> list[str]:
    return [f"{n:06d}" for n in range(count + 1) if f"{n:06d}" != code][:count]


async def test_wrong_codes_from_others_do_not_stop_anyones_code(services, settings):
    """Regression: twenty wrong 'koppel' codes from anyone made every person's live code stop working."""
    code = await registered_with_a_code(services)
    for number, guess in enumerate(wrong_codes(code, 20)):
        assert (await koppel(services, "web", f"gok{number}", f"koppel {guess}")).startswith("Deze koppelcode klopt niet")
    assert (await koppel(services, "slack", "UANOUK", f"koppel {code}")).startswith("Gekoppeld:")
    assert rows(settings, "SELECT identity FROM identities ORDER BY identity") == [("console:anouk",), ("slack:UANOUK",)]


async def test_one_account_guessing_is_blocked_even_for_the_right_code(services, settings, clock):
    code = await registered_with_a_code(services)
    wrong = wrong_codes(code, 5)
    for guess in wrong:
        assert (await koppel(services, "web", "gokker", f"koppel {guess}")).startswith("Deze koppelcode klopt niet")
    blocked = await koppel(services, "web", "gokker", f"koppel {code}")
    assert blocked.startswith("Je hebt te vaak een verkeerde code getypt")
    assert rows(settings, "SELECT identity FROM identities") == [("console:anouk",)]
    # Anouk's own other account is not affected; the code refused to the guesser counted once against it.
    assert (await koppel(services, "slack", "UANOUK", f"koppel {code}")).startswith("Gekoppeld:")
    # A quarter of an hour later the guesser may try again (and is told the code is wrong, not blocked).
    clock.advance(timedelta(minutes=16))
    assert (await koppel(services, "web", "gokker", f"koppel {wrong[0]}")).startswith("Deze koppelcode klopt niet")


async def test_a_leaked_code_stops_working_when_others_keep_trying_it(services, settings):
    code = await registered_with_a_code(services)
    wrong = wrong_codes(code, 5)
    for number in range(3):
        for guess in wrong:
            await koppel(services, "web", f"dief{number}", f"koppel {guess}")
        assert (await koppel(services, "web", f"dief{number}", f"koppel {code}")).startswith("Je hebt te vaak")
    assert (await koppel(services, "slack", "UANOUK", f"koppel {code}")).startswith("Deze koppelcode klopt niet")
    assert rows(settings, "SELECT identity FROM identities") == [("console:anouk",)]


async def test_koppel_without_an_entry_or_onto_a_second_entry_is_refused(services, settings):
    assert (await koppel(services, "slack", "UNIEMAND", "koppel")).startswith("Je staat met dit account nog niet op de sociale kaart.")
    assert rows(settings, "SELECT COUNT(*) FROM link_codes") == [(0,)]
    anouk = Conversation(services, user="anouk")
    for text in REGISTRATION:
        await anouk.say(text)
    bram = Conversation(services, platform="slack", user="UBRAM")
    for text in ["aanmelden", "Bram Jansen", "Wijkteam Zeist", "-", "wijk", "-", "bram@wijkteam.nl", "-", "-", "ja"]:
        await bram.say(text)
    code = re.search(r"\d{6}", await koppel(services, "console", "anouk", "koppel")).group(0)
    assert (await koppel(services, "slack", "UBRAM", f"koppel {code}")).startswith("Dit account hoort al bij een aanmelding")
    assert rows(settings, "SELECT identity, partner_id FROM identities ORDER BY partner_id") == [("console:anouk", 1), ("slack:UBRAM", 2)]
    # The code was not spent on the refusal.
    assert (await koppel(services, "teams", "29:anouk", f"koppel {code}")).startswith("Gekoppeld:")


async def test_deleting_oneself_removes_open_link_codes(services, settings):
    chat = Conversation(services, user="anouk")
    for text in REGISTRATION:
        await chat.say(text)
    await koppel(services, "console", "anouk", "koppel")
    await chat.say("verwijder mij")
    await chat.say("ja")
    assert rows(settings, "SELECT COUNT(*) FROM link_codes") == [(0,)]
    assert rows(settings, "SELECT COUNT(*) FROM partners") == [(0,)]


async def test_the_administrator_links_an_imported_entry_to_a_chat_identity(imported, settings):
    partner = imported.links.link_by_email(AYLIN.upper(), "slack:UAYLIN")
    assert partner is not None and partner.identities == ("slack:UAYLIN",)
    assert imported.links.link_by_email("niemand@example.org", "slack:UX") is None
    assert imported.links.link_by_email(AYLIN, "slack:UAYLIN") is None
    chat = Conversation(imported, platform="slack", user="UAYLIN")
    assert "- Naam: Aylin Demir" in (await chat.say("mijn gegevens")).text
    assert rows(settings, "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1") == [("linked",)]


def test_map_link_on_the_command_line(tmp_path):
    (tmp_path / "p.csv").write_text(
        "name,organisation,role,topics,region,email,phone\n"
        f"Aylin Demir,Schuldhulp Nieuwegein,schuldhulpverlener,schulden,Nieuwegein,{AYLIN},030-5550101\n"
    )
    assert ketenbot("map", "import", "p.csv", cwd=tmp_path).returncode == 0
    linked = ketenbot("map", "link", AYLIN, "slack:UAYLIN", cwd=tmp_path)
    assert linked.returncode == 0 and linked.stdout.startswith("Gekoppeld: slack:UAYLIN hoort nu bij Aylin Demir")
    again = ketenbot("map", "link", AYLIN, "slack:UAYLIN", cwd=tmp_path)
    assert again.returncode == 1 and again.stderr.startswith("Niet gekoppeld:")
    bad = ketenbot("map", "link", AYLIN, "slack:", cwd=tmp_path)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
