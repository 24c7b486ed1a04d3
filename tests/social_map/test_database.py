"""The SQLite file: WAL, foreign keys, versioned migrations, and writes that roll back on failure."""

from __future__ import annotations

import sqlite3

import pytest

from bot.social.partner import Partner
from social_map.db import MIGRATIONS, migrate, open_database, transaction


def test_new_database_is_migrated_with_wal_and_foreign_keys(fresh_db):
    db = open_database(fresh_db)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert [r[0] for r in db.execute("SELECT version FROM schema_version ORDER BY version")] == [v for v, _ in MIGRATIONS]
    assert migrate(db) == MIGRATIONS[-1][0]
    assert db.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == len(MIGRATIONS)


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


def test_transaction_helper_commits_or_rolls_back(fresh_db):
    db = open_database(fresh_db)
    with transaction(db) as conn:
        conn.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'een')")
    with pytest.raises(RuntimeError), transaction(db) as conn:
        conn.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'twee')")
        raise RuntimeError("boom")
    assert [r[0] for r in db.execute("SELECT action FROM audit_log")] == ["een"]


def test_an_older_database_is_upgraded_with_its_outbox_intact(fresh_db, monkeypatch):
    import social_map.db as database

    monkeypatch.setattr(database, "MIGRATIONS", MIGRATIONS[:4])
    old = open_database(fresh_db)
    old.execute(
        "INSERT INTO outbox (dedupe_key, identity, platform, payload, status, not_before) VALUES"
        " ('broadcast:1:slack:U1', 'slack:U1', 'slack', '{\"text\": \"hoi\"}', 'sending', '2026-11-23T09:00:00+00:00')"
    )
    old.conn.close()
    monkeypatch.setattr(database, "MIGRATIONS", MIGRATIONS)
    db = open_database(fresh_db)
    assert db.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == MIGRATIONS[-1][0]
    assert db.execute("SELECT dedupe_key, status, in_doubt, maybe_twice FROM outbox").fetchall() == [
        ("broadcast:1:slack:U1", "sending", 1, 0)  # left 'sending' by the old version: checked before resending
    ]
