"""Milestones of the chain: recorded, reached, celebrated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rapidfuzz import fuzz, process

from bot.clock import Clock
from bot.commitment import outbox_keys
from bot.commitment.model import Milestone
from bot.language.dutch import fold
from social_map.database import Database
from social_map.outbox import Outbox


def _milestone(row: tuple[Any, ...]) -> Milestone:
    return Milestone(
        row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4]) if row[4] else None,
        datetime.fromisoformat(row[5]) if row[5] else None,
    )


COLUMNS = "id, title, due_on, description, reached_at, celebrated_at"


class MilestoneStore:
    def __init__(self, db: Database, *, clock: Clock, outbox: Outbox) -> None:
        self.db = db
        self.clock = clock
        self.outbox = outbox

    def add(self, title: str, *, due_on: str = "", description: str = "") -> Milestone:
        row = self.db.execute(
            "INSERT INTO milestones (title, due_on, description, created_at) VALUES (?, ?, ?, ?) RETURNING id",
            (title, due_on, description, self.clock.now().isoformat()),
        ).fetchone()
        return self.get(int(row[0]))

    def get(self, milestone_id: int) -> Milestone:
        return _milestone(self.db.execute(f"SELECT {COLUMNS} FROM milestones WHERE id = ?", (milestone_id,)).fetchone())

    def all(self) -> list[Milestone]:
        return [_milestone(r) for r in self.db.execute(f"SELECT {COLUMNS} FROM milestones ORDER BY due_on, id")]

    def find(self, words: str) -> Milestone | None:
        """The milestone whose title looks most like the words (typos and partial titles allowed)."""
        milestones = self.all()
        if not milestones or not words.strip():
            return None
        found = process.extractOne(words.lower(), [m.title.lower() for m in milestones], scorer=fuzz.WRatio, score_cutoff=70)
        return milestones[found[2]] if found else None

    def find_exact(self, words: str) -> Milestone | None:
        """The milestone whose title is the words, ignoring case, accents and punctuation (numbers must match)."""
        wanted = fold(words)
        if not wanted:
            return None
        return next((m for m in self.all() if fold(m.title) == wanted), None)

    def mark_reached(self, milestone_id: int) -> None:
        self.db.execute(
            "UPDATE milestones SET reached_at = COALESCE(reached_at, ?) WHERE id = ?", (self.clock.now().isoformat(), milestone_id)
        )

    def celebrate(self, milestone_id: int, *, created_by: str, messages: list[tuple[str, dict[str, Any]]]) -> int | None:
        """Mark the milestone celebrated, create its broadcast and queue one message per (identity, payload),
        all in one transaction; the broadcast's id, or None when it had been celebrated already."""
        now = self.clock.now().isoformat()
        with self.db.transaction():
            # Conditional, so of two directors confirming at once only the first queues anything.
            claimed = self.db.execute(
                "UPDATE milestones SET celebrated_at = ? WHERE id = ? AND celebrated_at IS NULL", (now, milestone_id)
            ).rowcount
            if not claimed:
                return None
            title = self.db.execute("SELECT title FROM milestones WHERE id = ?", (milestone_id,)).fetchone()[0]
            broadcast = self.outbox.new_broadcast(title, created_by)
            self.outbox.enqueue(
                [(outbox_keys.broadcast(broadcast, identity), identity, payload) for identity, payload in messages],
                broadcast_id=broadcast,
            )
        return broadcast
