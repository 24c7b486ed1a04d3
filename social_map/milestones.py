"""Milestones of the chain: recorded, reached, celebrated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlite_utils
from rapidfuzz import fuzz, process

from bot.clock import Clock
from bot.commitment import Milestone


def _milestone(row: tuple[Any, ...]) -> Milestone:
    return Milestone(
        row[0], row[1], row[2], row[3], datetime.fromisoformat(row[4]) if row[4] else None,
        datetime.fromisoformat(row[5]) if row[5] else None,
    )


COLUMNS = "id, title, due_on, description, reached_at, celebrated_at"


class MilestoneStore:
    def __init__(self, db: sqlite_utils.Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def add(self, title: str, *, due_on: str = "", description: str = "") -> Milestone:
        cursor = self.db.execute(
            "INSERT INTO milestones (title, due_on, description, created_at) VALUES (?, ?, ?, ?)",
            (title, due_on, description, self.clock.now().isoformat()),
        )
        return self.get(int(cursor.lastrowid))

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

    def mark_reached(self, milestone_id: int) -> None:
        self.db.execute(
            "UPDATE milestones SET reached_at = COALESCE(reached_at, ?) WHERE id = ?", (self.clock.now().isoformat(), milestone_id)
        )

    def mark_celebrated(self, milestone_id: int) -> None:
        self.db.execute("UPDATE milestones SET celebrated_at = ? WHERE id = ?", (self.clock.now().isoformat(), milestone_id))
