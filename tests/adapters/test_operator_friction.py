"""Friction an operator or tester met, as they would meet it: `ketenbot ask` hands over waiting check-ins like
`ketenbot chat`, `--user console:kees` is kees, `serve` says where it listens and which database it uses and
takes `--host`, "Wat worden je nieuwe onderwerpen?", and a number after numbered reading options halfway through
a check-in."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import main
from adapters.server import listening_line
from adapters.wiring import build_runtime
from bot.commitment import scheduler
from bot.config import Settings
from bot.social.partner import Partner
from tests.chat import Conversation

ROOT = Path(__file__).resolve().parents[2]
CHECKIN = "Check-in van de ketenregisseur."


@pytest.fixture
def kees(settings, clock, matcher, monkeypatch):
    """Kees is a partner in the console with a check-in waiting; the CLI uses the same database file."""
    monkeypatch.setenv("KETENBOT_DB", str(settings.db_path))
    with build_runtime(settings, clock=clock, matcher=matcher) as runtime:
        runtime.services.partners.save(
            Partner(name="Kees", organisation="Gemeente Zeist", topics=("schulden", "wonen"), identities=("console:kees",)),
            consent_text="ja",
        )
        scheduler.start_cycle(runtime.services, clock.now())
    return settings


def checkin_row(settings: Settings) -> tuple:
    with build_runtime(settings) as runtime:
        return runtime.db.execute("SELECT goal, commitment, status FROM checkin_requests").fetchone()


def test_ask_hands_over_a_waiting_checkin_like_chat(kees, capsys):
    """The bug: only `ketenbot chat` delivered waiting check-ins and celebrations."""
    assert main(["ask", "help", "--user", "kees"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(CHECKIN) and "Hoi! Ik ben ketenbot" in out.split("1/3: Staat ons gezamenlijke doel", 1)[1]
    assert main(["ask", "twijfel", "--user", "kees"]) == 0
    out = capsys.readouterr().out
    assert CHECKIN not in out and out.startswith("2/3: Hoe groot is je commitment")
    assert checkin_row(kees) == ("twijfel", None, "open")


def test_ask_json_lists_what_it_handed_over(kees, capsys):
    assert main(["ask", "help", "--user", "kees", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["intent"] == "help" and [text.split("\n")[0] for text in first["delivered"]] == [CHECKIN]
    assert main(["ask", "help", "--user", "kees", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["delivered"] == []


def test_a_user_id_that_carries_its_platform_is_taken_as_is(kees, capsys):
    """The bug: `--user console:kees` became console:console:kees, a stranger to the social map."""
    assert main(["ask", "mijn gegevens", "--user", "console:kees"]) == 0
    out = capsys.readouterr().out
    assert "Dit staat er over jou op de sociale kaart:" in out and "Kees" in out
    with pytest.raises(SystemExit) as exit_code:
        main(["ask", "help", "--user", "slack:U123"])
    assert exit_code.value.code == 2
    assert "de terminal spreekt altijd als console-gebruiker" in capsys.readouterr().err


async def test_new_topics_are_asked_for_in_the_plural(kees, clock, matcher):
    with build_runtime(kees, clock=clock, matcher=matcher) as runtime:
        reply = await Conversation(runtime.services, user="kees").say("wijzig mijn onderwerpen")
        assert reply.text.startswith("Wat worden je nieuwe onderwerpen? (schulden; wonen)")
        reply = await Conversation(runtime.services, user="kees").say("schulden; jeugd")
        assert reply.text == "Je onderwerpen zijn gewijzigd in: schulden; jeugd"
        reply = await Conversation(runtime.services, user="kees").say("wijzig mijn telefoonnummer")
        assert reply.text.startswith("Wat wordt je nieuwe telefoonnummer?")


async def test_a_number_after_reading_options_halfway_a_checkin_reads_on_and_is_no_commitment(kees, clock, matcher):
    """The bug: "2" after a question answered halfway through a check-in was stored as the commitment, while the
    reply had offered numbered reading options."""
    with build_runtime(kees, clock=clock, matcher=matcher) as runtime:
        kees_chat = Conversation(runtime.services, user="kees")
        await kees_chat.say("ja")
        answer = await kees_chat.say("wat is ketenregie?")
        assert answer.entry == "begrip-ketenregie" and "Typ een nummer om verder te lezen" in answer.text
        second = answer.options[1]
        reading, question = await kees_chat.replies("2")
        assert reading.text.startswith(second.label)
        assert question.text.startswith("2/3: Hoe groot is je commitment")
        assert runtime.db.execute("SELECT commitment FROM checkin_requests").fetchone() == (None,)
        assert (await kees_chat.say("4")).text.startswith("3/3: Wat heb je nodig")
        assert runtime.db.execute("SELECT commitment FROM checkin_requests").fetchone() == (4,)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_says_where_it_listens_and_which_database_it_uses(tmp_path):
    port, database = free_port(), tmp_path / "keten.db"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENBOT_", "SLACK_", "MICROSOFT_"))}
    env |= {"KETENBOT_DB": str(database), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-m", "adapters.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=tmp_path,
    )
    try:
        line = server.stdout.readline()
        assert line == f"ketenbot luistert op http://127.0.0.1:{port}/ (alleen deze machine); database: {database}\n"
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_listening_line_names_postgresql_without_its_password():
    """With DATABASE_URL the line named an SQLite file that was not in use."""
    settings = Settings(database_url="postgresql://keten:geheim@db.example:5432/keten")
    line = listening_line(settings, "127.0.0.1", 3978)
    assert line.endswith("database: postgresql://keten:***@db.example:5432/keten") and "geheim" not in line


def test_serve_stays_on_loopback_while_teams_is_unauthenticated(monkeypatch, capsys):
    monkeypatch.setenv("KETENBOT_TEAMS_EMULATOR", "1")
    assert main(["serve", "--host", "0.0.0.0"]) == 1
    assert "luistert ketenbot alleen op deze machine (127.0.0.1), niet op 0.0.0.0" in capsys.readouterr().err
