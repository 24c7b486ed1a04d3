"""`ketenbot map import` / `map export`: all or nothing, bad rows by line number, same email updates."""

from __future__ import annotations

import csv
import io
import json

import pytest

from adapters.cli import main
from tests.conftest import FIXTURES, use_database

pytestmark = pytest.mark.both_databases

PARTNERS = FIXTURES / "partners"


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def exported(capsys) -> list[dict[str, str]]:
    code, out = run(capsys, "map", "export", "--format", "json")
    assert code == 0
    return json.loads(out)


def test_import_csv_then_export(capsys, monkeypatch, database):
    use_database(monkeypatch, database)
    code, out = run(capsys, "map", "import", str(PARTNERS / "goed.csv"))
    assert code == 0
    assert "Geïmporteerd: 5 nieuw, 0 bijgewerkt." in out
    rows = exported(capsys)
    assert [r["name"] for r in rows] == ["Anouk de Vries", "Bram Jansen", "Carla Smit", "Dirk Bakker", "Esra Yilmaz"]
    assert rows[1]["topics"] == "wijkteam; eenzaamheid; mantelzorg"
    code, out = run(capsys, "map", "export")
    assert list(csv.DictReader(io.StringIO(out)))[0]["topics"] == "schuldhulpverlening;budgetcoaching"


def test_bad_rows_are_all_reported_and_nothing_is_imported(capsys, monkeypatch, database):
    use_database(monkeypatch, database)
    code, out = run(capsys, "map", "import", str(PARTNERS / "fout.csv"))
    assert code == 1
    assert "regel 3: name: Een naam is verplicht." in out
    assert "regel 4: topics: Noem minstens één onderwerp" in out
    assert "regel 5: email: Dat is geen geldig e-mailadres." in out
    assert "regel 6: phone: Dat is geen Nederlands telefoonnummer." in out
    assert "regel 2" not in out
    assert "Niets geïmporteerd: 4 fout(en)" in out
    assert exported(capsys) == []


def test_dry_run_validates_and_writes_nothing(capsys, monkeypatch, database):
    use_database(monkeypatch, database)
    code, out = run(capsys, "map", "import", str(PARTNERS / "goed.csv"), "--dry-run")
    assert code == 0
    assert "Zou importeren: 5 nieuw, 0 bijgewerkt." in out
    assert exported(capsys) == []


def test_reimport_with_same_email_updates_instead_of_duplicating(capsys, monkeypatch, database):
    use_database(monkeypatch, database)
    run(capsys, "map", "import", str(PARTNERS / "goed.csv"))
    code, out = run(capsys, "map", "import", str(PARTNERS / "goed.json"))
    assert code == 0
    assert "Geïmporteerd: 1 nieuw, 1 bijgewerkt." in out
    rows = exported(capsys)
    anouk = [r for r in rows if r["name"] == "Anouk de Vries"]
    assert len(rows) == 6 and len(anouk) == 1
    assert anouk[0]["role"] == "teamleider schuldhulp"
    assert anouk[0]["email"] == "anouk@schuldhulp-zeist.nl"
    jasmijn = next(r for r in rows if r["name"] == "Jasmijn Bos")
    assert jasmijn["phone"] == "06-87654321"


def test_unreadable_json_is_reported(capsys, monkeypatch, database, tmp_path):
    use_database(monkeypatch, database)
    broken = tmp_path / "kapot.json"
    broken.write_text('[{"name": "x",', encoding="utf-8")
    code, out = run(capsys, "map", "import", str(broken))
    assert code == 1
    assert "regel 1, kolom 15: ongeldige JSON: een veldnaam tussen dubbele aanhalingstekens verwacht" in out
    assert "Expecting" not in out


def test_missing_file_is_reported_in_dutch(capsys, monkeypatch, database, tmp_path):
    use_database(monkeypatch, database)
    code, out = run(capsys, "map", "import", str(tmp_path / "weg.csv"))
    assert code == 1
    assert f"{tmp_path / 'weg.csv'}: bestand niet gevonden" in out
    assert "Errno" not in out


def test_file_that_is_not_utf8_is_reported_in_dutch(capsys, monkeypatch, database, tmp_path):
    use_database(monkeypatch, database)
    latin = tmp_path / "latin1.csv"
    latin.write_bytes("name,organisation,topics\nJosé,Café,eten\n".encode("latin-1"))
    code, out = run(capsys, "map", "import", str(latin))
    assert code == 1
    assert f"{latin}: het bestand is geen UTF-8-tekst (regel 2); sla het op als UTF-8" in out
    assert "codec" not in out
    assert exported(capsys) == []


def test_a_large_import_is_written_in_batches_and_the_same_email_still_updates(capsys, monkeypatch, database, tmp_path):
    """More rows than one batch (IMPORT_BATCH): every entry stored once, searchable, an e-mail already on the map
    updated in place, wherever in the file it is."""
    use_database(monkeypatch, database)
    run(capsys, "map", "import", str(PARTNERS / "goed.csv"))
    anouk = next(r for r in exported(capsys) if r["name"] == "Anouk de Vries")
    source = tmp_path / "groot.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "organisation", "role", "topics", "region", "email", "phone"])
        for n in range(2500):
            email = anouk["email"] if n == 2200 else f"p{n}@voorbeeld.nl"
            writer.writerow([f"Partner {n}", f"Organisatie {n}", "consulent", "jeugdzorg;mantelzorg", "Zeist", email, ""])
    code, out = run(capsys, "map", "import", str(source))
    assert code == 0
    assert "Geïmporteerd: 2499 nieuw, 1 bijgewerkt." in out
    rows = exported(capsys)
    assert len(rows) == 5 + 2499 and len({r["email"] for r in rows}) == len(rows)
    assert next(r for r in rows if r["email"] == anouk["email"])["name"] == "Partner 2200"
    assert main(["ask", "wie weet iets van jeugdzorg in Zeist", "--json"]) == 0
    assert "Partner 2499" in capsys.readouterr().out
