"""The dashboard's one-time links and sessions: only hashes of their tokens are kept, validity by the clock.

A link is used once: marking it used and opening the session happen in one transaction, and only an unused,
unexpired link is marked, so of two tabs redeeming one link only the first gets a session.
"""

from __future__ import annotations

from datetime import datetime

from bot.clock import Clock
from social_map.database import Database


class DashboardLinks:
    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def add_link(self, link_hash: str, director: str, expires_at: datetime) -> None:
        self.db.execute(
            "INSERT INTO dashboard_links (token_hash, director, expires_at) VALUES (?, ?, ?)",
            (link_hash, director, expires_at.isoformat()),
        )

    def redeem(self, link_hash: str, session_hash: str, session_expires_at: datetime) -> str | None:
        """Use the link and open a session under `session_hash`; the link's director, or None when the link is
        unknown, used or expired."""
        now = self.clock.now().isoformat()
        with self.db.transaction():
            used = self.db.execute(
                "UPDATE dashboard_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
                (now, link_hash, now),
            ).rowcount
            if not used:
                return None
            (director,) = self.db.execute("SELECT director FROM dashboard_links WHERE token_hash = ?", (link_hash,)).fetchone()
            self.db.execute(
                "INSERT INTO dashboard_sessions (token_hash, director, expires_at) VALUES (?, ?, ?)",
                (session_hash, director, session_expires_at.isoformat()),
            )
            self._purge(now)
        return director

    def session(self, session_hash: str) -> tuple[str, datetime] | None:
        """The director and end of an open session."""
        row = self.db.execute(
            "SELECT director, expires_at FROM dashboard_sessions WHERE token_hash = ? AND expires_at > ?",
            (session_hash, self.clock.now().isoformat()),
        ).fetchone()
        return (row[0], datetime.fromisoformat(row[1])) if row else None

    def revoke(self, session_hash: str) -> None:
        self.db.execute("DELETE FROM dashboard_sessions WHERE token_hash = ?", (session_hash,))

    def _purge(self, now: str) -> None:
        """Links and sessions past their end are of no use to anyone: gone, so the tables stay small."""
        self.db.execute("DELETE FROM dashboard_links WHERE expires_at <= ?", (now,))
        self.db.execute("DELETE FROM dashboard_sessions WHERE expires_at <= ?", (now,))
