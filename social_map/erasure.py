"""Forgetting a person (AVG, right to erasure): everything ketenbot keeps under their ids goes.

The partner row and its identities are the registry's; this removes what other tables hold for the same
person: check-in answers (including the free-text need), outbox messages, platform addresses, absence,
the invitation they redeemed, the wrong codes they typed, and conversation state (a half-finished registration holds name and e-mail). The full-text index is
merged so that the deleted terms do not linger in its segments either. Only the audit line stays.
"""

from __future__ import annotations

import sqlite3


def erase_traces(conn: sqlite3.Connection, partner_id: int, identities: tuple[str, ...]) -> None:
    """Inside the caller's transaction: remove the person's rows from every table that names them."""
    conn.execute("DELETE FROM checkin_requests WHERE partner_id = ?", (partner_id,))
    for identity in identities:
        conn.execute("DELETE FROM checkin_requests WHERE identity = ?", (identity,))
        conn.execute("DELETE FROM outbox WHERE identity = ?", (identity,))
        conn.execute("DELETE FROM addresses WHERE identity = ?", (identity,))
        conn.execute("DELETE FROM away WHERE identity = ?", (identity,))
        conn.execute("DELETE FROM invited WHERE identity = ?", (identity,))
        conn.execute("DELETE FROM code_attempts WHERE identity = ?", (identity,))
        conn.execute("DELETE FROM web_sessions WHERE 'web:' || session_id = ?", (identity,))
        conn.execute("DELETE FROM conversation_state WHERE substr(key, 1, ?) = ?", (len(identity) + 1, identity + "|"))
    conn.execute("INSERT INTO partner_terms (partner_terms) VALUES ('optimize')")
