"""Web-chat identities before version 8 were the session token itself ("web:<token>"), stored in clear.

Every web-chat user known by their token gets a session id: the token is kept only as a hash (in web_sessions,
so their cookie still works) and every table names them by the session id instead. Their conversation state
is dropped (it expires within the hour anyway).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import UTC, datetime

from bot.identity import identity, platform_of, user_of
from social_map.database import Database

_LEGACY_WEB_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
_SESSION_ID = re.compile(r"[0-9a-f]{32}")
IDENTITY_COLUMNS = (
    ("identities", "identity"), ("invited", "identity"), ("directors", "identity"), ("outbox", "identity"),
    ("addresses", "identity"), ("checkin_requests", "identity"), ("away", "identity"), ("code_attempts", "identity"),
)
WEB = "web"


def apply(db: Database) -> None:
    found: set[str] = set()
    for table, column in IDENTITY_COLUMNS:
        found.update(row[0] for row in db.execute(f"SELECT {column} FROM {table} WHERE {column} LIKE ?", (f"{WEB}:%",)))
    now = datetime.now(UTC).isoformat()
    for legacy in sorted(found):
        token = user_of(legacy)
        if platform_of(legacy) != WEB or _SESSION_ID.fullmatch(token) or not _LEGACY_WEB_TOKEN.fullmatch(token):
            continue
        session_id = secrets.token_hex(16)
        token_hash = hashlib.sha256(token.encode("ascii")).hexdigest()
        db.execute(
            "INSERT INTO web_sessions (session_id, token_hash, created_at, rotated_at) VALUES (?, ?, ?, ?)",
            (session_id, token_hash, now, now),
        )
        for table, column in IDENTITY_COLUMNS:
            db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (identity(WEB, session_id), legacy))
    db.execute("DELETE FROM conversation_state WHERE key LIKE ?", (f"{WEB}:%",))
