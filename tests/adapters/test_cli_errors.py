"""Whatever a user types, `ketenbot` answers in Dutch and exits 1 (argparse usage errors: 2), never with a traceback."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import main
from tests.cli import ketenbot

ROOT = Path(__file__).resolve().parents[2]


def ketenbot_process(*argv: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a fresh process, as an operator would (for exit codes and ports)."""
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        timeout=60,
    )


def exported(capsys) -> list[dict[str, str]]:
    assert main(["map", "export", "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def usage_error(capsys, *argv: str) -> str:
    """Parse arguments that argparse refuses; returns what the user reads on stderr."""
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    assert stopped.value.code == 2
    return capsys.readouterr().err


# 1. Files that made the importer crash


def test_csv_field_over_the_csv_limit_is_refused_in_dutch(tmp_path, fresh_db):
    path = tmp_path / "groot.csv"
    path.write_text("name,organisation,topics\nAnouk,Org," + "x" * 140_000 + "\n", encoding="utf-8")
    result = ketenbot("map", "import", str(path), cwd=tmp_path, KETENBOT_DB=str(fresh_db))
    assert result.returncode == 1
    assert "regel 2: een veld is langer dan 131072 tekens" in result.stdout
    assert "Niets geïmporteerd: 1 fout(en)" in result.stdout
    assert "Traceback" not in result.stderr
    assert ketenbot("map", "export", cwd=tmp_path, KETENBOT_DB=str(fresh_db)).stdout.count("\n") == 1


def test_map_import_of_dev_zero_is_refused_in_dutch_not_a_memory_error(tmp_path, fresh_db):
    """Regression: `ketenbot map import /dev/zero` ended in a MemoryError traceback."""
    result = ketenbot("map", "import", "/dev/zero", cwd=tmp_path, KETENBOT_DB=str(fresh_db))
    assert result.returncode == 1
    assert "/dev/zero: het bestand is groter dan 64 MB; splits het in kleinere bestanden" in result.stdout
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    assert ketenbot("map", "export", cwd=tmp_path, KETENBOT_DB=str(fresh_db)).stdout.count("\n") == 1


def test_deeply_nested_json_is_refused_in_dutch(tmp_path, fresh_db):
    path = tmp_path / "diep.json"
    path.write_text("[" * 100_000, encoding="utf-8")
    result = ketenbot("map", "import", str(path), cwd=tmp_path, KETENBOT_DB=str(fresh_db))
    assert result.returncode == 1
    assert "ongeldige JSON: het bestand is te diep genest" in result.stdout
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr


# 2. JSON values that are not text


def test_json_topics_may_be_a_list_of_texts(capsys, monkeypatch, fresh_db, tmp_path):
    monkeypatch.setenv("KETENBOT_DB", str(fresh_db))
    path = tmp_path / "lijst.json"
    path.write_text(json.dumps([{"name": "Anouk", "organisation": "Org", "topics": ["schulden", "jongeren"]}]), encoding="utf-8")
    assert main(["map", "import", str(path)]) == 0
    assert "Geïmporteerd: 1 nieuw, 0 bijgewerkt." in capsys.readouterr().out
    assert exported(capsys)[0]["topics"] == "schulden; jongeren"


def test_json_values_that_are_not_text_are_refused_with_their_item_number(capsys, monkeypatch, fresh_db, tmp_path):
    monkeypatch.setenv("KETENBOT_DB", str(fresh_db))
    path = tmp_path / "typen.json"
    rows = [
        {"name": "Anouk de Vries", "organisation": "Org", "topics": "schulden"},
        {"name": "Bram Jansen", "organisation": "Org", "topics": "wijkteam", "phone": 612345678},
        {"name": "Carla Smit", "organisation": {"naam": "Org"}, "topics": ["jeugd", 3]},
        {"name": "Dirk Bakker", "organisation": "Org", "topics": "wonen", "role": True},
    ]
    path.write_text(json.dumps(rows), encoding="utf-8")
    assert main(["map", "import", str(path)]) == 1
    out = capsys.readouterr().out
    assert "item 2: phone: Dit moet een tekst tussen aanhalingstekens zijn, niet een getal." in out
    assert "item 3: organisation: Dit moet een tekst tussen aanhalingstekens zijn, niet een object." in out
    assert "topics: Elk onderwerp in de lijst moet een tekst tussen aanhalingstekens zijn." in out
    assert "item 4: role: Dit moet een tekst tussen aanhalingstekens zijn, niet een ja/nee-waarde" in out
    assert "item 1" not in out
    assert "Niets geïmporteerd: 3 fout(en)" in out
    assert exported(capsys) == []


# 3. Question files for `ketenbot eval`


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'- q: "x"\n  intent: 5\n  accept: 7\n', "vraag 1: 'intent' moet een tekst of een lijst met teksten zijn"),
        (b'- q: "x"\n  intent: knowledge\n  accept: [7]\n', "vraag 1: 'accept' moet een tekst of een lijst met teksten zijn"),
        (b'- q: "caf\xe9"\n  intent: knowledge\n', "het bestand is geen UTF-8-tekst (regel 1); sla het op als UTF-8"),
        (b'- q: "x"\n  intent: [knowledge\n', "geen geldige YAML (regel 3)"),
    ],
)
def test_eval_refuses_a_bad_question_file_in_dutch(tmp_path, content, message):
    path = tmp_path / "vragen.yaml"
    path.write_bytes(content)
    result = ketenbot("eval", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{path}: " in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr and "codec" not in result.stderr


def test_eval_names_a_missing_file_without_english(capsys, tmp_path):
    assert main(["eval", str(tmp_path / "weg.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'weg.yaml'}: bestand niet gevonden" in err
    assert "Errno" not in err


# 4. The port of `ketenbot serve`


@pytest.mark.parametrize(
    ("port", "message"),
    [
        ("-1", "de poort moet een getal van 1 tot en met 65535 zijn, niet -1"),
        ("99999", "de poort moet een getal van 1 tot en met 65535 zijn, niet 99999"),
        ("abc", "de poort moet een geheel getal van 1 tot en met 65535 zijn, niet 'abc'"),
    ],
)
def test_serve_refuses_a_port_that_is_not_a_port(tmp_path, port, message):
    result = ketenbot("serve", "--port", port, cwd=tmp_path)
    assert result.returncode == 2
    assert f"ketenbot serve: fout: argument --port: {message}" in result.stderr
    assert "Traceback" not in result.stderr and "invalid" not in result.stderr


def test_serve_refuses_a_port_from_the_environment_that_is_not_a_port(tmp_path):
    result = ketenbot("serve", cwd=tmp_path, PORT="99999")
    assert result.returncode == 1
    assert "Configuratiefout: PORT moet een getal van 1 tot en met 65535 zijn, niet 99999" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_on_a_port_in_use_says_so_in_dutch(tmp_path, fresh_db):
    with socket.socket() as taken:
        taken.bind(("", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = ketenbot_process("serve", "--port", str(port), cwd=tmp_path, KETENBOT_DB=str(fresh_db))
    assert result.returncode == 1
    assert f"Poort {port} is al in gebruik door een ander programma" in result.stderr
    assert "Traceback" not in result.stderr and "Errno" not in result.stderr


# 5. KETENBOT_DB that is not an SQLite database


DATABASE_COMMANDS = [
    ["ask", "hallo"],
    ["map", "export"],
    ["map", "hidden"],
    ["report"],
    ["admin", "director", "list"],
    ["checkin", "status"],
    ["eval", str(ROOT / "tests" / "fixtures" / "eval_small.yaml")],
]


@pytest.mark.parametrize("argv", DATABASE_COMMANDS, ids=lambda argv: " ".join(argv[:2]))
def test_a_text_file_as_database_is_named_and_left_alone(capsys, monkeypatch, tmp_path, argv):
    text = tmp_path / "notities.db"
    text.write_text("dit is geen database\n" * 50, encoding="utf-8")
    monkeypatch.setenv("KETENBOT_DB", str(text))
    assert main(argv) == 1
    assert f"Kan de database {text} niet gebruiken: het bestand is geen SQLite-database." in capsys.readouterr().err
    assert text.read_text(encoding="utf-8") == "dit is geen database\n" * 50


def test_an_unopenable_database_path_is_named_in_dutch(tmp_path):
    folder = tmp_path / "map.db"
    folder.mkdir()
    result = ketenbot("map", "export", cwd=tmp_path, KETENBOT_DB=str(folder))
    assert result.returncode == 1
    assert f"Kan de database {folder} niet gebruiken: SQLite kan het bestand niet openen of aanmaken." in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_below_a_file_is_named_in_dutch(tmp_path):
    (tmp_path / "bestand").write_text("x", encoding="utf-8")
    result = ketenbot("report", cwd=tmp_path, KETENBOT_DB=str(tmp_path / "bestand" / "ketenbot.db"))
    assert result.returncode == 1
    assert f"de map {tmp_path / 'bestand'} kan niet worden aangemaakt" in result.stderr
    assert "Traceback" not in result.stderr


# 6. argparse in Dutch


def test_an_invalid_choice_is_reported_in_dutch(capsys):
    err = usage_error(capsys, "report", "--format", "xml")
    assert "gebruik: ketenbot report" in err
    assert "ketenbot report: fout: argument --format: ongeldige keuze 'xml' (kies uit 'text', 'csv', 'json')" in err
    assert "invalid choice" not in err and "usage:" not in err


def test_a_missing_argument_is_reported_in_dutch(capsys):
    assert "ketenbot map import: fout: verplicht maar niet opgegeven: file" in usage_error(capsys, "map", "import")
    assert "ketenbot: fout: verplicht maar niet opgegeven: OPDRACHT" in usage_error(capsys)


def test_unrecognised_arguments_are_reported_in_dutch(capsys):
    err = usage_error(capsys, "ask", "hallo", "daar", "--snel")
    assert "ketenbot: fout: onbekende argumenten: daar --snel" in err
    assert "unrecognized" not in err


def test_an_option_without_its_value_is_reported_in_dutch(capsys):
    assert "argument --port: hier hoort één waarde achter" in usage_error(capsys, "serve", "--port")


def test_help_is_dutch(tmp_path):
    result = ketenbot("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stdout.startswith("gebruik: ketenbot")
    assert "deze hulp tonen en stoppen" in result.stdout and "opties:" in result.stdout
    assert "show this help message" not in result.stdout


def test_an_unknown_command_is_reported_in_dutch(tmp_path):
    result = ketenbot_process("importeer", cwd=tmp_path)
    assert result.returncode == 2
    assert "ketenbot: fout: argument OPDRACHT: ongeldige keuze 'importeer'" in result.stderr
    assert "Traceback" not in result.stderr


# 7. Director ids


@pytest.mark.parametrize(
    ("identity", "message"),
    [
        ("slack:", "Geef een id met platform en gebruiker, bijvoorbeeld slack:U123 of teams:29:abc (niet 'slack:')."),
        (":", "Geef een id met platform en gebruiker, bijvoorbeeld slack:U123 of teams:29:abc (niet ':')."),
        (":U123", "Geef een id met platform en gebruiker"),
        ("U123", "Geef een id met platform en gebruiker"),
        ("whatsapp:0612345678", "Onbekend platform 'whatsapp' in 'whatsapp:0612345678'; kies uit slack, teams, web, console."),
    ],
)
def test_director_add_refuses_an_id_without_platform_or_user(capsys, monkeypatch, fresh_db, identity, message):
    monkeypatch.setenv("KETENBOT_DB", str(fresh_db))
    assert main(["admin", "director", "add", identity]) == 1
    assert message in capsys.readouterr().err
    assert main(["admin", "director", "list"]) == 0
    assert capsys.readouterr().out.strip() == "Er zijn nog geen ketenregisseurs."


def test_a_rhythm_that_is_not_understood_exits_1(capsys, monkeypatch, fresh_db):
    monkeypatch.setenv("KETENBOT_DB", str(fresh_db))
    assert main(["checkin", "schedule", "elke dag"]) == 1
    assert "Schrijf bijvoorbeeld: check-in elke 4 weken op maandag om 9:00." in capsys.readouterr().err
