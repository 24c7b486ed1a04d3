"""Wrong one-time codes ("koppel 123456", "uitnodiging …") counted per chat identity.

A wrong code counts against the identity that typed it, never against the codes of others: one person
guessing cannot make anyone else's live code stop working. Too many wrong codes in a window block that
identity from redeeming any code, a right one included, until the window has passed.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

WINDOW = timedelta(minutes=15)
MAX_WRONG = 5


def blocked(conn: sqlite3.Connection, identity: str, now: datetime) -> bool:
    """The identity typed MAX_WRONG wrong codes within the last WINDOW."""
    since = (now - WINDOW).isoformat()
    (count,) = conn.execute("SELECT COUNT(*) FROM code_attempts WHERE identity = ? AND at > ?", (identity, since)).fetchone()
    return count >= MAX_WRONG


def record_wrong(conn: sqlite3.Connection, identity: str, now: datetime) -> None:
    """Count one wrong code for the identity; attempts older than the window are forgotten."""
    conn.execute("DELETE FROM code_attempts WHERE at <= ?", ((now - WINDOW).isoformat(),))
    conn.execute("INSERT INTO code_attempts (identity, at) VALUES (?, ?)", (identity, now.isoformat()))
