"""What a partner chose about messages to everyone: celebrations on (the default) or off. Check-ins are not a
choice here: they go on either way."""

from __future__ import annotations

from bot.clock import Clock
from social_map.database import Database


def forget(db: Database, partner_id: int) -> None:
    """The person's choices (erasure)."""
    db.execute("DELETE FROM partner_preferences WHERE partner_id = ?", (partner_id,))


class Preferences:
    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def set_celebrations(self, partner_id: int, wanted: bool) -> None:
        self.db.execute(
            "INSERT INTO partner_preferences (partner_id, celebrations, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (partner_id) DO UPDATE SET celebrations = excluded.celebrations, updated_at = excluded.updated_at",
            (partner_id, int(wanted), self.clock.now().isoformat()),
        )

    def wants_celebrations(self, partner_id: int) -> bool:
        row = self.db.execute("SELECT celebrations FROM partner_preferences WHERE partner_id = ?", (partner_id,)).fetchone()
        return row is None or bool(row[0])

    def without_celebrations(self) -> set[int]:
        """The partners who asked for no more celebrations."""
        return {row[0] for row in self.db.execute("SELECT partner_id FROM partner_preferences WHERE celebrations = 0")}
