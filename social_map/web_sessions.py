"""Web-chat sessions that carry state: the current token of each (only its hash), and the key that signs tokens.

A session without state (a page view, a question) has no row: its token is signed, not stored. A session gets
a row when its token is rotated, which happens as soon as it owns something (an invitation, an entry): from
then on only the newest token of that session is accepted.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable

from bot.clock import Clock
from bot.identity import platform_of, user_of
from social_map.database import Database

SIGNING_KEY = "web_session"
WEB = "web"


class WebSessions:
    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def signing_key(self) -> bytes:
        """The server's key for signing session tokens: made once, kept in the database (so every instance and
        every restart accepts the same tokens)."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO server_keys (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", (SIGNING_KEY, secrets.token_hex(32))
            )
            (secret,) = self.db.execute("SELECT secret FROM server_keys WHERE name = ?", (SIGNING_KEY,)).fetchone()
        return bytes.fromhex(secret)

    def by_token_hash(self, token_hash: str) -> str | None:
        """The session whose current token has this hash."""
        row = self.db.execute("SELECT session_id FROM web_sessions WHERE token_hash = ?", (token_hash,)).fetchone()
        return row[0] if row else None

    def is_stored(self, session_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM web_sessions WHERE session_id = ?", (session_id,)).fetchone() is not None

    def store(self, session_id: str, token_hash: str) -> None:
        """Make this the session's only valid token."""
        now = self.clock.now().isoformat()
        self.db.execute(
            "INSERT INTO web_sessions (session_id, token_hash, created_at, rotated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (session_id) DO UPDATE SET token_hash = excluded.token_hash, rotated_at = excluded.rotated_at",
            (session_id, token_hash, now, now),
        )


def forget(db: Database, identities: Iterable[str]) -> None:
    """The web session behind a web-chat identity (erasure)."""
    sessions = [(user_of(identity),) for identity in identities if platform_of(identity) == WEB]
    db.executemany("DELETE FROM web_sessions WHERE session_id = ?", sessions)
