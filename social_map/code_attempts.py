"""Wrong one-time codes ("koppel 123456", "uitnodiging …") counted per chat identity.

A wrong code counts against the identity that typed it, never against the codes of others: one person
guessing cannot make anyone else's live code stop working. Too many wrong codes in a window block that
identity from redeeming any code, a right one included, until the window has passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from social_map.database import Database

WINDOW = timedelta(minutes=15)
MAX_WRONG = 5


def blocked(db: Database, identity: str, now: datetime) -> bool:
    """The identity typed MAX_WRONG wrong codes within the last WINDOW."""
    since = (now - WINDOW).isoformat()
    (count,) = db.execute("SELECT COUNT(*) FROM code_attempts WHERE identity = ? AND at > ?", (identity, since)).fetchone()
    return count >= MAX_WRONG


def record_wrong(db: Database, identity: str, now: datetime) -> None:
    """Count one wrong code for the identity; attempts older than the window are forgotten."""
    db.execute("DELETE FROM code_attempts WHERE at <= ?", ((now - WINDOW).isoformat(),))
    db.execute("INSERT INTO code_attempts (identity, at) VALUES (?, ?)", (identity, now.isoformat()))


def forget(db: Database, identities: Iterable[str]) -> None:
    """The wrong codes these identities typed (erasure)."""
    db.executemany("DELETE FROM code_attempts WHERE identity = ?", [(identity,) for identity in identities])
