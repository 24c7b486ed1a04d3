"""Local knowledge: folders read after the bundled base (KETENBOT_KNOWLEDGE), checked by `kb check`, reloaded by a
director's "kennis herladen" or SIGHUP, and a broken file keeps the knowledge in use."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from adapters.cli import main
from adapters.wiring import build_runtime
from bot.config import Settings, bundled_knowledge_dir
from tests.adapters.test_log_privacy import wait_healthy
from tests.chat import Conversation
from tests.commitment.test_broadcast_restart import ROOT, free_port

CONVENANT = """\
- id: begrip-ons-convenant
  kind: begrip
  title: Ons convenant
  summary: >-
    Ons convenant legt vast wie in de keten wat doet. Alle partners hebben het in 2025 getekend.
  text: >-
    Het convenant staat op het intranet van de gemeente.
  synonyms: [convenant, samenwerkingsconvenant]
  questions:
    - "wat staat er in ons convenant"
  related: [begrip-keten]
  source: {file: convenant.pdf, section: "Artikel 2"}
"""

OVERRIDE_KETEN = """\
- id: begrip-keten
  override: true
  kind: begrip
  title: Keten (bij ons)
  summary: >-
    Bij ons is de keten de groep partners aan de overlegtafel op dinsdag.
  text: >-
    Meer staat in ons convenant.
  synonyms: [keten bij ons]
  related: []
  questions:
    - "wat is een keten"
  source: {file: convenant.pdf, section: "Artikel 1"}
"""

BROKEN = """\
- id: begrip-onze-overlegtafel
  kind: begrip
  title: Onze overlegtafel
  summary: "De overlegtafel komt elke dinsdag bij elkaar.
"""


# An overlay cites its own documents in its own bronnen.yaml.
SOURCES = """\
convenant.pdf:
  title: Samenwerkingsconvenant
  author: de gemeente en haar ketenpartners
"""


def overlay(tmp_path: Path, name: str, text: str, file: str = "lokaal.yaml") -> Path:
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    (folder / "bronnen.yaml").write_text(SOURCES, encoding="utf-8")
    (folder / file).write_text(text, encoding="utf-8")
    return folder


def local_settings(tmp_path: Path, *overlays: Path) -> Settings:
    return Settings(db_path=tmp_path / "k.db", knowledge_overlays=overlays, directors=frozenset({"console:regisseur"}))


def test_ketenbot_knowledge_lists_the_base_and_its_overlays_separated_by_pathsep(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    settings = Settings.from_env({"KETENBOT_KNOWLEDGE": os.pathsep.join([str(bundled_knowledge_dir()), str(first), str(second)])})
    assert settings.knowledge_folders() == (bundled_knowledge_dir(), first, second)


async def test_an_overlay_entry_is_answered_in_chat(tmp_path, clock):
    with build_runtime(local_settings(tmp_path, overlay(tmp_path, "lokaal", CONVENANT)), clock=clock) as runtime:
        reply = await Conversation(runtime.services).say("wat staat er in ons convenant?")
    assert reply.entry == "begrip-ons-convenant"
    assert "Alle partners hebben het in 2025 getekend." in reply.text


async def test_a_later_folder_overrides_an_entry_by_id(tmp_path, clock):
    first = overlay(tmp_path, "eerst", CONVENANT)
    second = overlay(tmp_path, "daarna", OVERRIDE_KETEN)
    with build_runtime(local_settings(tmp_path, first, second), clock=clock) as runtime:
        assert runtime.services.knowledge.get("begrip-keten").title == "Keten (bij ons)"
        reply = await Conversation(runtime.services).say("wat is een keten?")
    assert reply.entry == "begrip-keten"
    assert "overlegtafel op dinsdag" in reply.text


def test_kb_check_validates_the_overlay_against_the_base(tmp_path, capsys):
    complete = "  synonyms: [iets]\n  questions: [iets]\n  source: {file: convenant.pdf, section: Artikel 3}\n"
    bad = (
        "- id: begrip-bestaat-nergens\n  override: true\n  kind: begrip\n  title: Niets\n  summary: Niets.\n"
        "  text: Niets.\n  related: []\n" + complete
        + "- id: begrip-keten\n  kind: begrip\n  title: Dubbel\n  summary: Dubbel.\n  text: Dubbel.\n  related: []\n"
        + complete
        + "- id: begrip-ons-meldpunt\n  kind: begrip\n  title: Ons meldpunt\n  summary: >-\n"
        "    Ons meldpunt is de plek waar iedere professional in de gemeente en in de regio daarbuiten op elke"
        " dag van de week terecht kan met elke zorg over een gezin dat vastloopt.\n  text: Bel het meldpunt.\n  related: [begrip-bestaat-niet]\n" + complete
    )
    lines = bad.splitlines()
    folder = overlay(tmp_path, "lokaal", bad)
    code = main(["kb", "check", str(bundled_knowledge_dir()), str(folder)])
    out = capsys.readouterr().out
    where = f"{folder.absolute()}/lokaal.yaml"
    assert code == 1
    override_line = lines.index("  override: true") + 1
    assert f"{where}:{override_line}: [begrip-bestaat-nergens] 'override: true' maar geen eerdere map heeft deze id" in out
    assert f"{where}:{lines.index('- id: begrip-keten') + 1}: [begrip-keten] id bestaat al in " in out
    related_line = lines.index("- id: begrip-ons-meldpunt") + 1
    assert f"{where}:{related_line}: [begrip-ons-meldpunt] related verwijst naar onbekende id 'begrip-bestaat-niet'" in out
    summary_line = lines.index("  summary: >-", lines.index("- id: begrip-ons-meldpunt")) + 2
    assert f"{where}:{summary_line}: [begrip-ons-meldpunt] waarschuwing: " in out


def test_kb_check_reads_the_overlays_of_ketenbot_knowledge(tmp_path, capsys, monkeypatch):
    folder = overlay(tmp_path, "lokaal", CONVENANT)
    monkeypatch.setenv("KETENBOT_KNOWLEDGE", os.pathsep.join([str(bundled_knowledge_dir()), str(folder)]))
    assert main(["kb", "check"]) == 0
    out = capsys.readouterr().out
    assert "in orde" in out and str(folder) in out


async def test_kennis_herladen_takes_a_new_file_into_use_without_a_restart(tmp_path, clock):
    folder = overlay(tmp_path, "lokaal", OVERRIDE_KETEN, file="keten.yaml")
    with build_runtime(local_settings(tmp_path, folder), clock=clock) as runtime:
        director = Conversation(runtime.services, user="regisseur")
        assert (await director.say("wat staat er in ons convenant?")).entry != "begrip-ons-convenant"
        overlay(tmp_path, "lokaal", CONVENANT)
        reloaded = await director.say("kennis herladen")
        assert reloaded.text.startswith("De kennis is opnieuw geladen:")
        assert "1 erbij" in reloaded.text
        assert (await director.say("wat staat er in ons convenant?")).entry == "begrip-ons-convenant"


async def test_a_broken_file_keeps_the_old_knowledge_and_the_director_reads_where(tmp_path, clock):
    folder = overlay(tmp_path, "lokaal", CONVENANT)
    with build_runtime(local_settings(tmp_path, folder), clock=clock) as runtime:
        director = Conversation(runtime.services, user="regisseur")
        overlay(tmp_path, "lokaal", BROKEN, file="overlegtafel.yaml")
        reply = await director.say("kennis herladen")
        assert "De kennis is niet opnieuw geladen, want er staan fouten in." in reply.text
        assert f"{folder.absolute()}/overlegtafel.yaml:5: YAML-fout" in reply.text
        assert (await director.say("wat staat er in ons convenant?")).entry == "begrip-ons-convenant"


async def test_a_broken_language_file_is_named_to_the_director_not_a_crash(tmp_path, clock):
    """Regression: a spreektaal.yaml that was a list crashed the reload (AttributeError), and the director got the
    generic apology instead of what is wrong and where."""
    base = tmp_path / "kennis"
    shutil.copytree(bundled_knowledge_dir(), base)
    settings = Settings(db_path=tmp_path / "k.db", knowledge_dir=base, directors=frozenset({"console:regisseur"}))
    with build_runtime(settings, clock=clock) as runtime:
        director = Conversation(runtime.services, user="regisseur")
        (base / "taal" / "spreektaal.yaml").write_text("- nie\n", encoding="utf-8")
        reply = await director.say("kennis herladen")
        assert "De kennis is niet opnieuw geladen, want er staan fouten in." in reply.text
        assert "spreektaal.yaml" in reply.text
        assert (await director.say("wat is ketenregie?")).entry == "begrip-ketenregie"


async def test_only_a_director_may_reload_the_knowledge(runtime):
    reply = await Conversation(runtime.services, user="iemand").say("kennis herladen")
    assert "De kennis is" not in reply.text
    assert reply.intent == "reload"


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="no SIGHUP on this platform")
async def test_sighup_reloads_a_running_serve(tmp_path):
    folder = tmp_path / "lokaal"
    overlay(tmp_path, "lokaal", OVERRIDE_KETEN, file="keten.yaml")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENBOT_", "SLACK_", "MICROSOFT_"))}
    env.update(KETENBOT_DB=str(tmp_path / "k.db"), PYTHONPATH=str(ROOT),
               KETENBOT_KNOWLEDGE=os.pathsep.join([str(bundled_knowledge_dir()), str(folder)]))
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "adapters.cli", "serve", "--port", str(port)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        await wait_healthy(base)
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{base}/healthz") as response:
                before = (await response.json())["knowledge_entries"]
            overlay(tmp_path, "lokaal", CONVENANT)
            server.send_signal(signal.SIGHUP)
            for _ in range(600):  # 30 s: the reload builds the matcher anew, slow on a busy machine
                async with session.get(f"{base}/healthz") as response:
                    if (await response.json())["knowledge_entries"] == before + 1:
                        break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("SIGHUP did not reload the knowledge")
            async with session.post(f"{base}/api/chat", json={"text": "wat staat er in ons convenant?"}) as response:
                assert "Alle partners hebben het in 2025 getekend." in str(await response.json())
        assert server.poll() is None
    finally:
        server.send_signal(signal.SIGTERM)
        await asyncio.to_thread(server.wait, 20)


async def test_extend_adds_example_questions_to_an_entry_of_the_base(tmp_path, clock):
    extension = "- extend: thema-faciliteiten\n  questions:\n    - \"waar kan ik parkeren bij het gemeentehuis\"\n"
    with build_runtime(local_settings(tmp_path, overlay(tmp_path, "lokaal", extension)), clock=clock) as runtime:
        entry = runtime.services.knowledge.get("thema-faciliteiten")
        assert "waar kan ik parkeren bij het gemeentehuis" in entry.questions
        assert entry.title == "Faciliteiten voor ketens: ICT en kennisnetwerken"
        reply = await Conversation(runtime.services).say("kan ik bij het gemeentehuis parkeren?")
    assert reply.entry == "thema-faciliteiten"


def test_kb_check_reports_a_wrong_extension_with_file_and_line(tmp_path, capsys):
    extensions = (
        "- extend: begrip-bestaat-niet\n  questions: [\"iets\"]\n"
        "- extend: begrip-keten\n  title: Een andere titel\n"
    )
    folder = overlay(tmp_path, "lokaal", extensions)
    assert main(["kb", "check", str(bundled_knowledge_dir()), str(folder)]) == 1
    out = capsys.readouterr().out
    where = f"{folder.absolute()}/lokaal.yaml"
    assert f"{where}:1: [begrip-bestaat-niet] extend verwijst naar onbekende id 'begrip-bestaat-niet'" in out
    assert f"{where}:3: [begrip-keten] 'extend: ID' mag alleen 'questions:' en 'synonyms:' hebben" in out
