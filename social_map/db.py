"""The one SQLite database: opening it, WAL, foreign keys, and versioned migrations in one place."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import sqlite_utils

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000

# Each migration runs once, in order, inside one transaction with its version bump.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE conversation_state (
            key TEXT PRIMARY KEY,
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        """,
    ),
)


def open_database(path: Path | str) -> sqlite_utils.Database:
    """Open (or create) the database, switch on WAL and foreign keys, and migrate it."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    db = sqlite_utils.Database(conn)
    migrate(db)
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations the database does not have yet; safe when several processes start at once."""
    conn = db.conn
    schema_version(db)
    for version, script in MIGRATIONS:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
            if current >= version:
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            conn.execute("COMMIT")
            logger.info("database migrated to version %s", version)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(db)


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]
