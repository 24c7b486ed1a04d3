"""The database: WAL, foreign keys, versioned migrations from files, nested transactions, and writes that roll
back on failure."""

from __future__ import annotations

import sqlite3

import pytest

import social_map.migrations as migrations
from bot.social.partner import Partner
from social_map.database import open_database
from social_map.migrations import MIGRATIONS, migrate
from social_map.sqlite import statements


def test_new_database_is_migrated_with_wal_and_foreign_keys(fresh_db):
    db = open_database(fresh_db)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert [r[0] for r in db.execute("SELECT version FROM schema_version ORDER BY version")] == [m.version for m in MIGRATIONS]
    assert migrate(db) == MIGRATIONS[-1].version
    assert db.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_migrations_are_numbered_files_in_order():
    # Parallel issues number from their own range (015: 010–019, 016: 020–029, 017: 030–039), so a gap between
    # ranges is expected; a number used twice or out of order is not.
    versions = [m.version for m in MIGRATIONS]
    assert versions == sorted(set(versions)) and versions[0] == 1
    assert [v for v in versions if v < 10] == list(range(1, 9))
    assert all(m.path.parent.name == "migrations" and m.path.name.startswith(f"{m.version:03d}_") for m in MIGRATIONS)


def test_a_lower_number_merged_after_a_higher_one_still_runs(fresh_db, tmp_path):
    db = open_database(fresh_db)
    (tmp_path / "920_later_range.sql").write_text("CREATE TABLE later_range (id INTEGER PRIMARY KEY);\n")
    assert migrate(db, migrations.discover(tmp_path)) == 920
    (tmp_path / "910_merged_after.sql").write_text("CREATE TABLE merged_after (id INTEGER PRIMARY KEY);\n")
    assert migrate(db, migrations.discover(tmp_path)) == 920
    assert db.execute("SELECT COUNT(*) FROM merged_after").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM schema_version WHERE version = 920").fetchone()[0] == 1


def test_failed_write_rolls_back(runtime, settings):
    registry = runtime.services.partners
    registry.save(Partner(name="Anouk", organisation="Org", topics=("schulden",), email="a@b.nl"), consent_text="ja")
    # The second partner fails halfway through the batch; the first must not stay behind.
    with pytest.raises(TypeError):
        registry.save_many(
            [
                Partner(name="Nieuw", organisation="Org", topics=("taal",), email="nieuw@b.nl"),
                Partner(name="Kapot", organisation=None, topics=("x",), email="kapot@b.nl"),  # type: ignore[arg-type]
            ],
            consent_text="import",
        )
    names = [p.name for p in registry.all()]
    assert names == ["Anouk"]


def test_deleting_a_partner_removes_its_identities(runtime, settings):
    registry = runtime.services.partners
    registry.save(Partner(name="Bram", organisation="Org", topics=("wijk",), identities=("slack:U1", "teams:29:x")), consent_text="ja")
    assert registry.delete("teams:29:x")
    db = sqlite3.connect(settings.db_path)
    assert db.execute("SELECT COUNT(*) FROM identities").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM partner_terms").fetchone() == (0,)


def actions(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]


def test_a_transaction_commits_or_rolls_back(fresh_db):
    db = open_database(fresh_db)
    with db.transaction():
        db.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'een')")
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'twee')")
        raise RuntimeError("boom")
    assert actions(db) == ["een"]


def test_a_nested_transaction_is_a_savepoint(fresh_db):
    """An operation called inside another is part of it: undone alone when it fails, undone with the outer
    block when that fails."""
    db = open_database(fresh_db)
    with db.transaction():
        db.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'buiten')")
        with pytest.raises(RuntimeError), db.transaction():
            db.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'binnen')")
            raise RuntimeError("boom")
        with db.transaction():
            db.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'tweede')")
    assert actions(db) == ["buiten", "tweede"]
    with pytest.raises(RuntimeError), db.transaction():
        with db.transaction():
            db.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'weg')")
        raise RuntimeError("boom")
    assert actions(db) == ["buiten", "tweede"]
    assert not db.conn.in_transaction


def test_a_script_is_split_where_statements_end_not_at_every_semicolon():
    script = """-- a comment; with a semicolon
CREATE TABLE notes (text TEXT DEFAULT ';');
CREATE TRIGGER notes_audit AFTER INSERT ON notes BEGIN
    INSERT INTO audit_log (at, action) VALUES ('t', 'notitie; nieuw');
END;
INSERT INTO notes DEFAULT VALUES; INSERT INTO notes (text) VALUES ('a;b');
"""
    found = statements(script)
    assert len(found) == 4
    assert found[1].startswith("CREATE TRIGGER") and found[1].endswith("END;")


def test_a_migration_with_a_trigger_runs(fresh_db, tmp_path):
    db = open_database(fresh_db)
    (tmp_path / "900_notes.sql").write_text(
        "CREATE TABLE notes (text TEXT);\n"
        "CREATE TRIGGER notes_audit AFTER INSERT ON notes BEGIN\n"
        "    INSERT INTO audit_log (at, action) VALUES ('t', 'notitie; nieuw');\nEND;\n"
        "INSERT INTO notes (text) VALUES ('a;b');\n"
    )
    assert migrate(db, migrations.discover(tmp_path)) == 900
    assert db.execute("SELECT text FROM notes").fetchall() == [("a;b",)]
    assert actions(db) == ["notitie; nieuw"]


def test_an_older_database_is_upgraded_with_its_outbox_intact(fresh_db, monkeypatch):
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS[:4])
    old = open_database(fresh_db)
    old.execute(
        "INSERT INTO outbox (dedupe_key, identity, platform, payload, status, not_before) VALUES"
        " ('broadcast:1:slack:U1', 'slack:U1', 'slack', '{\"text\": \"hoi\"}', 'sending', '2026-11-23T09:00:00+00:00')"
    )
    old.close()
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)
    db = open_database(fresh_db)
    assert db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == MIGRATIONS[-1].version
    assert db.execute("SELECT dedupe_key, status, in_doubt, maybe_twice FROM outbox").fetchall() == [
        ("broadcast:1:slack:U1", "sending", 1, 0)  # left 'sending' by the old version: checked before resending
    ]

