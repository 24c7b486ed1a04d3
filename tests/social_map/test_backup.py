"""`ketenbot db migrate`, `db backup FILE` while the map is in use, and `db restore FILE [--force]`, on both databases."""

from __future__ import annotations

import pytest

from adapters.cli import main
from bot.social.partner import Partner
from social_map.backup import newest
from social_map.migrations import MIGRATIONS
from tests.conftest import fetch, use_database

pytestmark = pytest.mark.both_databases


def names(database) -> list[str]:
    return [row[0] for row in fetch(database, "SELECT name FROM partners ORDER BY name")]


def test_db_migrate_brings_a_new_database_to_the_newest_schema(capsys, monkeypatch, database):
    use_database(monkeypatch, database)
    assert main(["db", "migrate"]) == 0
    assert f"schemaversie {MIGRATIONS[-1].version}" in capsys.readouterr().out
    assert fetch(database, "SELECT MAX(version) FROM schema_version") == [(MIGRATIONS[-1].version,)]


def test_a_backup_taken_while_in_use_restores_only_with_force_over_a_map(capsys, monkeypatch, runtime, settings, tmp_path):
    registry = runtime.services.partners
    registry.save(Partner(name="Anouk", organisation="Schuldhulp", topics=("schulden",), email="a@zeist.nl"), consent_text="ja")
    use_database(monkeypatch, settings.database)
    file = tmp_path / "nacht" / "ketenbot.backup"
    # The server's own connection is open and in the middle of a write while the copy is made.
    with runtime.db.transaction():
        registry.save(Partner(name="Bram", organisation="Wijkteam", topics=("wijk",), email="b@zeist.nl"), consent_text="ja")
        assert main(["db", "backup", str(file)]) == 0
    assert file.stat().st_size > 0 and "Backup van" in capsys.readouterr().out
    assert main(["db", "backup", str(file)]) == 1
    assert "bestaat al" in capsys.readouterr().err

    registry.save(Partner(name="Carla", organisation="Taalpunt", topics=("taal",), email="c@zeist.nl"), consent_text="ja")
    assert main(["db", "restore", str(file)]) == 1
    assert "De database is niet leeg" in capsys.readouterr().err
    assert names(settings.database) == ["Anouk", "Bram", "Carla"]
    runtime.close()

    assert main(["db", "restore", str(file), "--force"]) == 0
    assert "teruggezet" in capsys.readouterr().out
    # Consistent at one moment: the transaction under way was committed after the copy began... or not at all.
    assert names(settings.database) in (["Anouk"], ["Anouk", "Bram"])
    assert main(["ask", "wie kan ik bellen over schulden?", "--json"]) == 0
    assert '"name": "Anouk"' in capsys.readouterr().out


def test_a_backup_restores_into_an_empty_database_without_force(capsys, monkeypatch, runtime, settings, tmp_path):
    runtime.services.partners.save(Partner(name="Anouk", organisation="Org", topics=("schulden",)), consent_text="ja")
    runtime.close()
    use_database(monkeypatch, settings.database)
    file = tmp_path / "kopie"
    assert main(["db", "backup", str(file)]) == 0
    for table in ("identities", "partner_terms", "audit_log", "partners"):
        fetch(settings.database, f"DELETE FROM {table}")
    assert main(["db", "restore", str(file)]) == 0
    assert names(settings.database) == ["Anouk"]


def test_a_file_that_is_no_backup_is_refused_in_dutch(capsys, monkeypatch, database, tmp_path):
    use_database(monkeypatch, database)
    file = tmp_path / "iets.txt"
    file.write_text("geen backup")
    assert main(["db", "restore", str(file)]) == 1
    assert "is geen" in capsys.readouterr().err


def test_a_backup_file_that_is_not_there_is_named_in_dutch(capsys, monkeypatch, database, tmp_path):
    """Regression: the reason came from the system, in English ("No such file or directory")."""
    use_database(monkeypatch, database)
    missing = tmp_path / "nacht.bak"
    assert main(["db", "restore", str(missing)]) == 1
    assert capsys.readouterr().err.strip() == f"Kan {missing} niet lezen: dat bestand bestaat niet."


def test_the_newest_postgresql_tools_are_found_by_version_number():
    found = ["/usr/lib/postgresql/9.6/bin/pg_dump", "/usr/lib/postgresql/16/bin/pg_dump", "/usr/lib/postgresql/15/bin/pg_dump"]
    assert newest(found) == "/usr/lib/postgresql/16/bin/pg_dump"
    assert newest([]) is None
