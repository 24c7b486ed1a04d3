"""Chain directors: those named in KETENBOT_DIRECTORS plus those added with `ketenbot admin director add`."""

from __future__ import annotations

from bot.clock import Clock
from bot.identity import platform_of, user_of
from social_map.database import Database

PLATFORMS = ("slack", "teams", "web", "console")


def identity_problem(identity: str) -> str | None:
    """Why `identity` is not a user id such as slack:U123 or teams:29:abc (Dutch), or None when it is."""
    platform, user = platform_of(identity), user_of(identity)
    if not platform.strip() or not user.strip():
        return f"Geef een id met platform en gebruiker, bijvoorbeeld slack:U123 of teams:29:abc (niet {identity!r})."
    if platform not in PLATFORMS:
        return f"Onbekend platform {platform!r} in {identity!r}; kies uit {', '.join(PLATFORMS)}."
    return None


class DirectorRoster:
    def __init__(self, db: Database, *, clock: Clock, configured: frozenset[str]) -> None:
        self.db = db
        self.clock = clock
        self.configured = configured

    def is_director(self, identity: str) -> bool:
        if identity in self.configured:
            return True
        return self.db.execute("SELECT 1 FROM directors WHERE identity = ?", (identity,)).fetchone() is not None

    def add(self, identity: str) -> bool:
        cursor = self.db.execute(
            "INSERT INTO directors (identity, added_at) VALUES (?, ?) ON CONFLICT (identity) DO NOTHING",
            (identity, self.clock.now().isoformat()),
        )
        return cursor.rowcount == 1

    def remove(self, identity: str) -> bool:
        return self.db.execute("DELETE FROM directors WHERE identity = ?", (identity,)).rowcount == 1

    def listed(self) -> list[tuple[str, str]]:
        """(identity, where it comes from) for everyone who is a director."""
        stored = [row[0] for row in self.db.execute("SELECT identity FROM directors ORDER BY identity")]
        return [(i, "KETENBOT_DIRECTORS") for i in sorted(self.configured)] + [
            (i, "database") for i in stored if i not in self.configured
        ]
