"""Conversation state per user and conversation, kept in the database so follow-ups survive a restart.

The state is JSON (bot/state.py reads and writes it); this store does not look inside it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.identity import conversation_prefix
from social_map.database import Database


class ConversationStore:
    def __init__(self, db: Database, *, clock: Clock, ttl: timedelta) -> None:
        self.db = db
        self._clock = clock
        self._ttl = ttl

    def load(self, key: str) -> dict[str, Any]:
        """The saved state, or an empty one when there is none or it has expired."""
        row = self.db.execute("SELECT data, updated_at FROM conversation_state WHERE key = ?", (key,)).fetchone()
        if row is None:
            return {}
        if self._clock.now() - datetime.fromisoformat(row[1]) > self._ttl:
            self.clear(key)
            return {}
        return json.loads(row[0])

    def save(self, key: str, state: dict[str, Any]) -> None:
        """Store a conversation's state, or remove it when empty; inside the caller's transaction if there is one."""
        if not state:
            self.clear(key)
            return
        self.db.execute(
            "INSERT INTO conversation_state (key, data, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at",
            (key, json.dumps(state, ensure_ascii=False), self._clock.now().isoformat()),
        )

    def purge_expired(self) -> int:
        """Remove every state older than the time-to-live, also of users who never wrote again
        (a registration abandoned halfway holds a name and an e-mail address)."""
        cutoff = (self._clock.now() - self._ttl).isoformat()
        return self.db.execute("DELETE FROM conversation_state WHERE updated_at < ?", (cutoff,)).rowcount

    def clear(self, key: str) -> None:
        self.db.execute("DELETE FROM conversation_state WHERE key = ?", (key,))


def forget(db: Database, identities: Iterable[str]) -> None:
    """Every conversation of these identities (erasure)."""
    for identity in identities:
        prefix = conversation_prefix(identity)
        db.execute("DELETE FROM conversation_state WHERE substr(key, 1, ?) = ?", (len(prefix), prefix))
