"""The database: WAL, foreign keys, versioned migrations from files, nested transactions, and writes that roll
back on failure."""

from __future__ import annotations

import pytest

import social_map.migrations as migrations
from bot.social.partner import Partner
from social_map.database import open_database
from social_map.migrations import MIGRATIONS, migrate
from social_map.sqlite import statements
from tests.conftest import fetch


def test_new_database_is_migrated_with_wal_and_foreign_keys(fresh_db):
    db = open_database(fresh_db)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert [r[0] for r in db.execute("SELECT version FROM schema_version ORDER BY version")] == [m.version for m in MIGRATIONS]
    assert migrate(db) == MIGRATIONS[-1].version
    assert db.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


def test_migrations_are_numbered_files_in_order():
    # One sequence; each issue has its own range of numbers (README), so there may be gaps between ranges.
    versions = [m.version for m in MIGRATIONS]
    assert versions == sorted(set(versions)) and versions[:8] == list(range(1, 9))
    files = [path for m in MIGRATIONS for path in (*m.files_for("sqlite"), *m.files_for("postgres"))]
    assert all(path.parent.name == "migrations" for path in files)
    assert all(path.name.startswith(f"{m.version:03d}_") for m in MIGRATIONS for path in m.files_for("postgres"))


@pytest.mark.both_databases
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


@pytest.mark.both_databases
def test_a_bulk_import_failing_in_a_later_batch_leaves_nothing(runtime, settings):
    # New partners are written IMPORT_BATCH at a time (COPY on PostgreSQL): a failure in the third batch undoes
    # the two written before it, the index and the audit lines included.
    from social_map.partners import IMPORT_BATCH

    fine = [Partner(name=f"P {n}", organisation="Org", topics=("taal",), email=f"p{n}@b.nl") for n in range(2 * IMPORT_BATCH + 10)]
    broken = Partner(name="Kapot", organisation=None, topics=("x",), email="kapot@b.nl")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        runtime.services.partners.save_many([*fine, broken], consent_text="import")
    for table in ("partners", "partner_terms", "audit_log"):
        assert fetch(settings.database, f"SELECT COUNT(*) FROM {table}") == [(0,)]
    assert runtime.services.partners.save_many(fine, consent_text="import") == (len(fine), 0)
    assert fetch(settings.database, "SELECT COUNT(*) FROM partner_terms") == [(len(fine),)]


@pytest.mark.both_databases
def test_deleting_a_partner_removes_its_identities(runtime, settings):
    registry = runtime.services.partners
    registry.save(Partner(name="Bram", organisation="Org", topics=("wijk",), identities=("slack:U1", "teams:29:x")), consent_text="ja")
    assert registry.delete("teams:29:x")
    assert fetch(settings.database, "SELECT COUNT(*) FROM identities") == [(0,)]
    assert fetch(settings.database, "SELECT COUNT(*) FROM partner_terms") == [(0,)]


def actions(db) -> list[str]:
    return [r[0] for r in db.execute("SELECT action FROM audit_log ORDER BY id")]


@pytest.mark.both_databases
def test_a_transaction_commits_or_rolls_back(database):
    db = open_database(database)
    with db.transaction():
        db.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'een')")
    with pytest.raises(RuntimeError), db.transaction():
        db.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'twee')")
        raise RuntimeError("boom")
    assert actions(db) == ["een"]


@pytest.mark.both_databases
def test_a_nested_transaction_is_a_savepoint(database):
    """An operation called inside another is part of it: undone alone when it fails, undone with the outer
    block when that fails."""
    db = open_database(database)
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
    # Nothing is left open: another connection sees the same.
    assert [row[0] for row in fetch(database, "SELECT action FROM audit_log ORDER BY id")] == ["buiten", "tweede"]
    db.close()


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


@pytest.mark.both_databases
def test_a_migration_merged_later_with_a_lower_number_is_still_applied(database, monkeypatch):
    """Parallel work numbers its migrations in ranges (010-019, 020-029): a database that got 020 first still gets
    an 011 merged after it."""
    *earlier, last = MIGRATIONS
    monkeypatch.setattr(migrations, "MIGRATIONS", (*earlier[:-1], last))
    open_database(database).close()
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)
    db = open_database(database)
    assert [r[0] for r in db.execute("SELECT version FROM schema_version ORDER BY version")] == [m.version for m in MIGRATIONS]


@pytest.mark.both_databases
def test_an_older_database_is_upgraded_with_its_outbox_intact(database, monkeypatch):
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS[:4])
    old = open_database(database)
    old.execute(
        "INSERT INTO outbox (dedupe_key, identity, platform, payload, status, not_before) VALUES"
        " ('broadcast:1:slack:U1', 'slack:U1', 'slack', '{\"text\": \"hoi\"}', 'sending', '2026-11-23T09:00:00+00:00')"
    )
    old.close()
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)
    db = open_database(database)
    assert db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == MIGRATIONS[-1].version
    assert db.execute("SELECT dedupe_key, status, in_doubt, maybe_twice FROM outbox").fetchall() == [
        ("broadcast:1:slack:U1", "sending", 1, 0)  # left 'sending' by the old version: checked before resending
    ]



# Tables that hold neither the chain's own data nor anything of a person that an erasure must prune.
BOOKKEEPING = {"schema_version", "seen_events", "server_keys"}
# Rows that come with a partner, a round or a link (they are never the only content) or that only guard access.
NOT_CONTENT = BOOKKEEPING | {"audit_log", "identities", "partner_terms", "link_codes", "code_attempts", "web_sessions",
                             "checkin_requests", "away", "dashboard_links", "dashboard_sessions"}
# Nothing of a person once they are erased: schedules, counts, hashed tokens, and the one audit line that stays.
NOT_PERSONAL = BOOKKEEPING | {"audit_log", "checkin_schedule", "checkin_cycles", "milestones", "broadcasts", "directors",
                              "invitations", "dashboard_links", "dashboard_sessions", "question_counts"}


def test_every_table_is_counted_by_restore_and_pruned_after_an_erasure_or_said_not_to_be(fresh_db):
    """Regression: the hand-kept lists missed the knelpunt reports, preferences, approvals and kept questions, so
    a restore overwrote a database holding only those without --force, and PostgreSQL kept their erased rows."""
    from social_map.backup import CONTENT_TABLES
    from social_map.postgres import PERSONAL_TABLES

    db = open_database(fresh_db)
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not row[0].startswith("partner_terms_")}
    assert tables - NOT_CONTENT == set(CONTENT_TABLES)
    assert tables - NOT_PERSONAL == set(PERSONAL_TABLES)
