"""The one SQLite database: opening it, WAL, foreign keys, and versioned migrations in one place."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
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
    (
        2,
        """
        CREATE TABLE partners (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            organisation TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT '',
            topics TEXT NOT NULL,
            region TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            consent_at TEXT,
            consent_text TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            confirmed_at TEXT NOT NULL,
            reminders_sent INTEGER NOT NULL DEFAULT 0,
            last_reminder_at TEXT,
            hidden_at TEXT
        );
        CREATE UNIQUE INDEX partners_email ON partners (email) WHERE email != '';
        CREATE TABLE identities (
            identity TEXT PRIMARY KEY,
            partner_id INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE
        );
        CREATE INDEX identities_partner ON identities (partner_id);
        CREATE VIRTUAL TABLE partner_terms USING fts5 (terms, place, tokenize = 'unicode61');
        CREATE VIRTUAL TABLE partner_terms_vocab USING fts5vocab (partner_terms, 'col');
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            partner_id INTEGER
        );
        """,
    ),
    (
        3,
        """
        CREATE TABLE addresses (
            identity TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            reference TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE seen_events (
            event_key TEXT PRIMARY KEY,
            seen_at TEXT NOT NULL
        );
        """,
    ),
    (
        4,
        """
        CREATE TABLE directors (
            identity TEXT PRIMARY KEY,
            added_at TEXT NOT NULL
        );
        CREATE TABLE checkin_schedule (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            every_weeks INTEGER NOT NULL,
            weekday INTEGER NOT NULL,
            hour INTEGER NOT NULL,
            minute INTEGER NOT NULL,
            reminder_days INTEGER NOT NULL,
            next_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE TABLE checkin_cycles (
            id INTEGER PRIMARY KEY,
            due_at TEXT NOT NULL UNIQUE,
            started_at TEXT NOT NULL
        );
        CREATE TABLE checkin_requests (
            id INTEGER PRIMARY KEY,
            cycle_id INTEGER NOT NULL REFERENCES checkin_cycles (id) ON DELETE CASCADE,
            partner_id INTEGER NOT NULL,
            identity TEXT NOT NULL,
            organisation TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            sent_at TEXT NOT NULL,
            reminded_at TEXT,
            answered_at TEXT,
            goal TEXT,
            commitment INTEGER,
            need TEXT,
            knelpunt TEXT,
            UNIQUE (cycle_id, partner_id)
        );
        CREATE INDEX checkin_requests_identity ON checkin_requests (identity, status);
        CREATE TABLE away (
            identity TEXT PRIMARY KEY,
            until TEXT NOT NULL
        );
        CREATE TABLE milestones (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            due_on TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            reached_at TEXT,
            celebrated_at TEXT,
            created_at TEXT NOT NULL
        );
        CREATE TABLE broadcasts (
            id INTEGER PRIMARY KEY,
            subject TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            dedupe_key TEXT NOT NULL UNIQUE,
            broadcast_id INTEGER REFERENCES broadcasts (id),
            identity TEXT NOT NULL,
            platform TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            not_before TEXT NOT NULL,
            claimed_at TEXT,
            sent_at TEXT,
            error TEXT
        );
        CREATE INDEX outbox_due ON outbox (status, platform, not_before);
        CREATE INDEX outbox_identity ON outbox (identity, status);
        """,
    ),
    (
        5,
        # in_doubt: an attempt may have reached the platform without ketenbot hearing back (a crash, a
        # timeout, a 5xx). maybe_twice: it was sent again without the platform being able to tell.
        # Whatever an older version left 'sending' may have arrived, so it starts in doubt.
        """
        ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE outbox ADD COLUMN maybe_twice INTEGER NOT NULL DEFAULT 0;
        UPDATE outbox SET in_doubt = 1 WHERE status = 'sending';
        """,
    ),
    (
        6,
        # One-time codes to link a second chat account to one's own entry ("koppel"); only a hash is kept.
        """
        CREATE TABLE link_codes (
            code_hash TEXT PRIMARY KEY,
            partner_id INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
            expires_at TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX link_codes_partner ON link_codes (partner_id);
        """,
    ),
    (
        7,
        # Who may see the social map: one-time invitations of a director (only a hash kept) and who redeemed
        # one; wrong codes typed per chat identity; web-chat sessions that carry state (token kept hashed).
        """
        CREATE TABLE invitations (
            code_hash TEXT PRIMARY KEY,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE TABLE invited (
            identity TEXT PRIMARY KEY,
            invited_by TEXT NOT NULL,
            invited_at TEXT NOT NULL
        );
        CREATE TABLE code_attempts (
            identity TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX code_attempts_identity ON code_attempts (identity, at);
        CREATE TABLE web_sessions (
            session_id TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            rotated_at TEXT NOT NULL
        );
        CREATE TABLE server_keys (
            name TEXT PRIMARY KEY,
            secret TEXT NOT NULL
        );
        """,
    ),
    (8, "adopt_legacy_web_identities"),
)
# Web-chat identities before version 8 were the session token itself ("web:<token>"), stored in clear.
_LEGACY_WEB_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_SESSION_ID = re.compile(r"[0-9a-f]{32}")
IDENTITY_COLUMNS = (
    ("identities", "identity"), ("invited", "identity"), ("directors", "identity"), ("outbox", "identity"),
    ("addresses", "identity"), ("checkin_requests", "identity"), ("away", "identity"), ("code_attempts", "identity"),
)


def adopt_legacy_web_identities(conn: sqlite3.Connection) -> None:
    """Give every web-chat user known by their token a session id: the token is kept only as a hash (in
    web_sessions, so their cookie still works) and every table names them by the session id instead.
    Their conversation state is dropped (it expires within the hour anyway)."""
    found: set[str] = set()
    for table, column in IDENTITY_COLUMNS:
        found.update(row[0] for row in conn.execute(f"SELECT {column} FROM {table} WHERE {column} LIKE 'web:%'"))
    now = datetime.now(UTC).isoformat()
    for identity in sorted(found):
        token = identity.removeprefix("web:")
        if _SESSION_ID.fullmatch(token) or not _LEGACY_WEB_TOKEN.fullmatch(token):
            continue
        session_id = secrets.token_hex(16)
        token_hash = hashlib.sha256(token.encode("ascii")).hexdigest()
        conn.execute(
            "INSERT INTO web_sessions (session_id, token_hash, created_at, rotated_at) VALUES (?, ?, ?, ?)",
            (session_id, token_hash, now, now),
        )
        for table, column in IDENTITY_COLUMNS:
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (f"web:{session_id}", identity))
    conn.execute("DELETE FROM conversation_state WHERE key LIKE 'web:%'")


class DatabaseOpenError(Exception):
    """The database file cannot be opened or is not SQLite; the message is Dutch and names the path."""


# Why SQLite refused to open a file, by its error name, in words an operator understands.
OPEN_PROBLEMS = {
    "SQLITE_NOTADB": "het bestand is geen SQLite-database",
    "SQLITE_CORRUPT": "het databasebestand is beschadigd",
    "SQLITE_CANTOPEN": "SQLite kan het bestand niet openen of aanmaken",
    "SQLITE_READONLY": "er mag niet in de database worden geschreven",
    "SQLITE_PERM": "geen toestemming om de database te gebruiken",
    "SQLITE_IOERR": "lezen of schrijven van het bestand mislukte",
    "SQLITE_FULL": "de schijf is vol",
    "SQLITE_BUSY": "de database is bezet door een ander proces",
    "SQLITE_LOCKED": "de database is bezet door een ander proces",
}


def _open_problem(path: Path | str, reason: str) -> DatabaseOpenError:
    return DatabaseOpenError(f"Kan de database {path} niet gebruiken: {reason}.")


def open_database(path: Path | str) -> sqlite_utils.Database:
    """Open (or create) the database, switch on WAL and foreign keys, and migrate it.

    Raises DatabaseOpenError when the file cannot be opened or is not an SQLite database.
    """
    if str(path) != ":memory:":
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _open_problem(path, f"de map {Path(path).parent} kan niet worden aangemaakt") from exc
    conn: sqlite3.Connection | None = None
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA foreign_keys = ON")
        # Deleted personal data is overwritten in the file, not just unlinked (right to erasure).
        conn.execute("PRAGMA secure_delete = ON")
        db = sqlite_utils.Database(conn)
        migrate(db)
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        reason = OPEN_PROBLEMS.get(getattr(exc, "sqlite_errorname", ""))
        if reason is None and str(exc) == "unable to open database file":
            reason = OPEN_PROBLEMS["SQLITE_CANTOPEN"]
        if reason is None:
            raise
        raise _open_problem(path, reason) from exc
    return db


def schema_version(db: sqlite_utils.Database) -> int:
    db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
    row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return row[0] or 0


def migrate(db: sqlite_utils.Database, migrations: tuple[tuple[int, str], ...] | None = None) -> int:
    """Apply the migrations the database does not have yet; safe when several processes start at once.
    A migration is SQL, or the name of a function here that rewrites data."""
    conn = db.conn
    schema_version(db)
    for version, script in MIGRATIONS if migrations is None else migrations:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_version").fetchone()[0]
            if current >= version:
                conn.execute("ROLLBACK")
                continue
            if script in MIGRATION_STEPS:
                MIGRATION_STEPS[script](conn)
            else:
                for statement in _statements(script):
                    conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            conn.execute("COMMIT")
            logger.info("database migrated to version %s", version)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(db)


MIGRATION_STEPS = {"adopt_legacy_web_identities": adopt_legacy_web_identities}


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite3.Connection]:
    """One write transaction (BEGIN IMMEDIATE): all of it is committed, or none of it."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _statements(script: str) -> list[str]:
    return [part.strip() for part in script.split(";") if part.strip()]
