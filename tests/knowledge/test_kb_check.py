"""`ketenbot kb check` finds every kind of error at once, naming file, line and entry id."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest

from adapters.cli import main
from bot.config import bundled_knowledge_dir
from bot.knowledge.check import check_knowledge
from bot.knowledge.loader import read_knowledge
from bot.knowledge.plain_dutch import b1_problems, sentences, word_count
from bot.knowledge.section_map import read_sections
from tests.conftest import FIXTURES

SOURCE_HASHES = {0: "7cab7be990769611", 1: "303ef477e8e7534f", 2: "389d7426885452aa", 3: "a68378938290e55d", 4: "2635a58afad9c124"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_valid_fixture_passes(capsys):
    code, out = run(capsys, "kb", "check", str(FIXTURES / "kb_valid"))
    assert code == 0
    assert "in orde: 2 entries" in out


def test_bundled_knowledge_base_passes(capsys):
    code, out = run(capsys, "kb", "check")
    assert code == 0
    assert "in orde" in out


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("kb_broken", "kapot.yaml:7: YAML-fout: found unexpected end of stream (while scanning a quoted scalar, begonnen op regel 4)"),
        ("kb_broken", "knelpunten.yaml:1: [knelpunt-1] related verwijst naar onbekende id 'begrip-bestaat-niet'"),
        ("kb_broken", "knelpunten.yaml:14: [knelpunt-1.oplossing-2] oplossingen niet op volgorde: oplossing-2 waar oplossing-1 verwacht werd"),
        ("kb_broken", "knelpunten.yaml:29: [begrip-zonder-samenvatting] verplicht veld 'summary' ontbreekt"),
        ("kb_broken", "knelpunten.yaml:51: [begrip-met-onbekend-veld] onbekend veld 'kleur' voor kind begrip"),
        ("kb_broken", "knelpunten.yaml:1: [knelpunt-1] dubbele id; staat ook in dubbel.yaml:1"),
        # The section map: a section no entry answers, an id that does not exist, an entry without that source.
        ("kb_sections", "secties.yaml:6: sectie '7.1 Sturingsagenda' (004_2635a58afad9c124.txt) wordt door geen entry beantwoord"),
        ("kb_sections", "secties.yaml:8: [thema-bestaat-niet] sectie '7.2 Faciliteiten' (004_2635a58afad9c124.txt) verwijst naar onbekende id 'thema-bestaat-niet'"),
        ("kb_sections", "secties.yaml:11: [begrip-keten] entry noemt bron '003_a68378938290e55d.txt' niet, maar staat bij sectie 'Knelpunt 1'"),
        ("kb_sections", "secties.yaml: bron '000_7cab7be990769611.txt' heeft geen secties in secties.yaml"),
        ("kb_sections", "entries.yaml:40: [begrip-kapotte-bron] veld 'source' moet {file: …, section: …} zijn, of een lijst daarvan"),
    ],
)
def test_each_error_is_reported_with_file_line_and_id(capsys, fixture, expected):
    code, out = run(capsys, "kb", "check", str(FIXTURES / fixture))
    assert code == 1
    assert expected in out


def test_all_problems_are_listed_at_once(capsys):
    code, out = run(capsys, "kb", "check", str(FIXTURES / "kb_broken"))
    assert code == 1
    assert "6 fout(en) gevonden" in out


def test_missing_directory_is_an_error(capsys, tmp_path):
    code, out = run(capsys, "kb", "check", str(tmp_path / "bestaat-niet"))
    assert code == 1
    assert "map bestaat niet" in out


def test_kb_list_json_names_every_entry(capsys, knowledge):
    code, out = run(capsys, "kb", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {row["id"] for row in rows} == {entry.id for entry in knowledge}
    assert {"id": "begrip-ketenregie", "kind": "begrip", "title": knowledge.get("begrip-ketenregie").title} in rows


# --- the section map and several sources per entry ---------------------------------------------------


def test_the_section_map_is_not_read_as_entries(capsys):
    code, out = run(capsys, "kb", "check", str(FIXTURES / "kb_sections"))
    assert "5 fout(en) gevonden" in out
    assert "secties.yaml:1:" not in out


def test_an_entry_may_cite_several_sources_each_with_its_section(capsys):
    entries, _ = read_knowledge(FIXTURES / "kb_sections")
    entry = next(e for e in entries if e.id == "thema-redenen")
    assert [(s.file, s.section) for s in entry.sources] == [
        ("004_2635a58afad9c124.txt", "3 Waar kunt u ketenregie voor inzetten?"),
        ("003_a68378938290e55d.txt", "Knelpunt 1"),
    ]
    code, out = run(capsys, "kb", "check", str(FIXTURES / "kb_sections"))
    assert "[thema-redenen]" not in out


# --- plain Dutch (B1) -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected",
    [
        "knelpunten.yaml:5: [knelpunt-6] waarschuwing: zin van 32 woorden (B1: hoogstens 25): 'Maar medewerkers",
        "knelpunten.yaml:8: [knelpunt-6] waarschuwing: text praat over het document ('de waaier'); dat doet de bronregel",
        "knelpunten.yaml:8: [knelpunt-6] waarschuwing: Engelse term 'caseload' zonder uitleg waar hij voor het eerst staat (text)",
    ],
)
def test_b1_warnings_name_file_line_and_entry(capsys, expected):
    code, out = run(capsys, "kb", "check", str(FIXTURES / "kb_plain"))
    assert code == 0
    assert expected in out
    assert "in orde: 3 entries, 3 waarschuwing(en)" in out


def test_explained_english_terms_and_short_sentences_pass(capsys):
    code, out = run(capsys, "kb", "check", str(FIXTURES / "kb_plain"))
    assert "[knelpunt-9]" not in out
    assert "Samenvattingen: 5 zinnen, gemiddeld 12,0 woorden per zin, 1 langer dan 25 woorden." in out


def test_a_long_average_is_a_warning():
    entries, _ = read_knowledge(FIXTURES / "kb_valid")
    wordy = [replace(e, summary="Dit is een samenvatting met precies vijftien woorden, en dat is er één te veel.") for e in entries]
    messages = [str(p) for p in b1_problems(wordy, FIXTURES / "kb_valid")]
    assert "samenvattingen: waarschuwing: samenvattingen hebben gemiddeld 15,0 woorden per zin (B1: hoogstens 14)" in messages


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        ("Eén zin. Nog een zin!", [2, 3]),
        ("Bijv. een afkorting breekt niet: dit blijft één zin; ook na een puntkomma.", [13]),
        ("Een streepje – telt niet, ketenpartner-overleg telt als één woord.", [9]),
        ("Vraag het na (bij de privacy officer). Daarna verder.", [7, 2]),
    ],
)
def test_how_a_sentence_and_a_word_are_counted(text, counted):
    assert [word_count(s) for _, s in sentences(text)] == counted


def test_bundled_knowledge_base_answers_every_section_of_every_source():
    report = check_knowledge(bundled_knowledge_dir())
    assert report.errors == []
    sections, problems = read_sections(bundled_knowledge_dir())
    assert problems == []
    assert {s.file for s in sections} == {f"00{n}_{h}.txt" for n, h in SOURCE_HASHES.items()}


def test_bundled_summaries_are_plain_dutch():
    report = check_knowledge(bundled_knowledge_dir())
    assert [str(w) for w in report.warnings] == []
    assert report.average_words <= 14 and report.long_sentences == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("spreektaal.yaml", "nie: niet\nnog nie: nog niet\n"),
        ("feitvragen.yaml", "- intent: feit\n  patterns: ['(hoeveel']\n"),
        ("alledaags.yaml", "- de printer doet het weer niet\n- {regel: de koffieautomaat}\n"),
    ],
)
def test_a_broken_chat_spelling_fact_question_or_everyday_file_is_reported(capsys, tmp_path, name, content):
    folder = tmp_path / "kb"
    shutil.copytree(FIXTURES / "kb_valid", folder)
    shutil.copytree(bundled_knowledge_dir() / "taal", folder / "taal")
    (folder / "taal" / name).write_text(content, encoding="utf-8")
    code, out = run(capsys, "kb", "check", str(folder))
    assert code == 1
    assert f"taal/{name}" in out
