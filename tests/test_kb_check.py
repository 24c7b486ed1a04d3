"""`ketenbot kb check` finds every kind of error at once, naming file, line and entry id."""

from __future__ import annotations

import json

import pytest

from adapters.cli import main
from tests.conftest import FIXTURES


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
    "expected",
    [
        "kapot.yaml:7: YAML-fout: found unexpected end of stream (while scanning a quoted scalar, begonnen op regel 4)",
        "knelpunten.yaml:1: [knelpunt-1] related verwijst naar onbekende id 'begrip-bestaat-niet'",
        "knelpunten.yaml:14: [knelpunt-1.oplossing-2] oplossingen niet op volgorde: oplossing-2 waar oplossing-1 verwacht werd",
        "knelpunten.yaml:29: [begrip-zonder-samenvatting] verplicht veld 'summary' ontbreekt",
        "knelpunten.yaml:51: [begrip-met-onbekend-veld] onbekend veld 'kleur' voor kind begrip",
        "knelpunten.yaml:1: [knelpunt-1] dubbele id; staat ook in dubbel.yaml:1",
    ],
)
def test_each_error_is_reported_with_file_line_and_id(capsys, expected):
    code, out = run(capsys, "kb", "check", str(FIXTURES / "kb_broken"))
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
