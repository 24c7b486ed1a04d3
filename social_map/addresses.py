"""Where each chat identity can be reached later (proactive messages), and which events were handled.

The reference is an opaque JSON object written by the platform adapter that owns it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from bot.clock import Clock
from social_map.database import Database


class AddressBook:
    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def remember(self, identity: str, platform: str, reference: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT INTO addresses (identity, platform, reference, updated_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (identity) DO UPDATE SET reference = excluded.reference, updated_at = excluded.updated_at",
            (identity, platform, json.dumps(reference, ensure_ascii=False), self.clock.now().isoformat()),
        )

    def lookup(self, identity: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT reference FROM addresses WHERE identity = ?", (identity,)).fetchone()
        return json.loads(row[0]) if row else None

    def first_time(self, event_key: str) -> bool:
        """True the first time an event is seen (Slack retries, repeated event ids), False after that."""
        return self.db.execute(
            "INSERT INTO seen_events (event_key, seen_at) VALUES (?, ?) ON CONFLICT (event_key) DO NOTHING",
            (event_key, self.clock.now().isoformat()),
        ).rowcount == 1


def forget(db: Database, identities: Iterable[str]) -> None:
    """Where these identities could be reached (erasure)."""
    db.executemany("DELETE FROM addresses WHERE identity = ?", [(identity,) for identity in identities])
