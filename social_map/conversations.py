"""Conversation state per user and conversation, kept in SQLite so follow-ups survive a restart."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.clock import Clock


def write_state(conn: sqlite3.Connection, key: str, state: dict[str, Any], now: datetime) -> None:
    """Store a conversation's state, or remove it when empty; inside the caller's transaction if there is one."""
    if not state:
        conn.execute("DELETE FROM conversation_state WHERE key = ?", (key,))
        return
    conn.execute(
        "INSERT INTO conversation_state (key, data, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
        (key, json.dumps(state, ensure_ascii=False), now.isoformat()),
    )


class ConversationStore:
    def __init__(self, db: sqlite_utils.Database, *, clock: Clock, ttl: timedelta) -> None:
        self._db = db
        self._clock = clock
        self._ttl = ttl

    def load(self, key: str) -> dict[str, Any]:
        """The saved state, or an empty one when there is none or it has expired."""
        row = self._db.execute("SELECT data, updated_at FROM conversation_state WHERE key = ?", (key,)).fetchone()
        if row is None:
            return {}
        if self._clock.now() - datetime.fromisoformat(row[1]) > self._ttl:
            self.clear(key)
            return {}
        return json.loads(row[0])

    def save(self, key: str, state: dict[str, Any]) -> None:
        write_state(self._db.conn, key, state, self._clock.now())

    def purge_expired(self) -> int:
        """Remove every state older than the time-to-live, also of users who never wrote again
        (a registration abandoned halfway holds a name and an e-mail address)."""
        cutoff = (self._clock.now() - self._ttl).isoformat()
        return self._db.execute("DELETE FROM conversation_state WHERE updated_at < ?", (cutoff,)).rowcount

    def clear(self, key: str) -> None:
        write_state(self._db.conn, key, {}, self._clock.now())
