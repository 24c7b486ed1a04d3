"""The knowledge-gap loop's SQL: kept questions (already scrubbed by the core) grouped into themes.

Who asked is stored as a keyed hash of the chat identity only: enough to remove someone's own questions on
"verwijder mij", not enough to tell who asked. A theme and its questions go RETENTION after it was last seen.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from bot.clock import Clock
from bot.understanding.gaps import RETENTION, KeptQuestion
from social_map.database import Database


def _asker(identity: str) -> str:
    return hashlib.sha256(f"ketenbot-gap-asker:{identity}".encode()).hexdigest()


class GapStore:
    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def kept(self, *, since: datetime | None = None) -> list[KeptQuestion]:
        """Every kept question (of themes seen since `since`), after themes past their retention are purged."""
        self.purge()
        rows = self.db.execute(
            "SELECT q.theme_id, q.asked_at, q.question, q.terms, q.reason, q.guess, q.score FROM gap_questions q "
            "JOIN gap_themes t ON t.id = q.theme_id WHERE t.last_seen >= ? ORDER BY q.id",
            (since.isoformat() if since else "",),
        ).fetchall()
        return [
            KeptQuestion(row[0], datetime.fromisoformat(row[1]), row[2], tuple(row[3].split()), row[4], row[5], row[6])
            for row in rows
        ]

    def keep(self, identity: str, question: str, terms: tuple[str, ...], *, reason: str, guess: str | None,
             score: float, theme_id: int | None) -> int:
        """Keep a scrubbed question in its theme (a new one when None or gone meanwhile); the theme's id."""
        now = self.clock.now().isoformat()
        with self.db.transaction():
            found = theme_id is not None and self.db.execute(
                "UPDATE gap_themes SET last_seen = ? WHERE id = ?", (now, theme_id)
            ).rowcount == 1
            if not found:
                theme_id = self.db.execute(
                    "INSERT INTO gap_themes (first_seen, last_seen) VALUES (?, ?) RETURNING id", (now, now)
                ).fetchone()[0]
            self.db.execute(
                "INSERT INTO gap_questions (theme_id, asker_hash, asked_at, question, terms, reason, guess, score) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (theme_id, _asker(identity), now, question, " ".join(terms), reason, guess, score),
            )
        return theme_id

    def remove_theme(self, theme_id: int) -> list[str]:
        """Remove a theme (linked or dismissed); its phrasings, or [] when there is no such theme."""
        with self.db.transaction():
            phrasings = [row[0] for row in self.db.execute(
                "SELECT question FROM gap_questions WHERE theme_id = ? ORDER BY id", (theme_id,)
            ).fetchall()]
            self.db.execute("DELETE FROM gap_questions WHERE theme_id = ?", (theme_id,))
            removed = self.db.execute("DELETE FROM gap_themes WHERE id = ?", (theme_id,)).rowcount
        return phrasings if removed else []

    def forget(self, identity: str) -> int:
        """Remove everything this person's questions and feedback left (themes left empty too); how many."""
        with self.db.transaction():
            count = self.db.execute("DELETE FROM gap_questions WHERE asker_hash = ?", (_asker(identity),)).rowcount
            self._drop_empty_themes()
        if count:
            self.db.forget_deleted()
        return count

    def purge(self) -> int:
        """Remove themes last seen longer than RETENTION ago, with their questions; how many themes."""
        cutoff = (self.clock.now() - RETENTION).isoformat()
        with self.db.transaction():
            self.db.execute(
                "DELETE FROM gap_questions WHERE theme_id IN (SELECT id FROM gap_themes WHERE last_seen < ?)", (cutoff,)
            )
            return self.db.execute("DELETE FROM gap_themes WHERE last_seen < ?", (cutoff,)).rowcount

    def _drop_empty_themes(self) -> None:
        self.db.execute("DELETE FROM gap_themes WHERE id NOT IN (SELECT theme_id FROM gap_questions)")
