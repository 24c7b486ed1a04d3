"""A director's one-time invitations that make a web-chat user a ketenpartner.

Only a hash of each code is stored. A code works once and until it expires; whoever redeems it is recorded
as invited (by whom, when). Wrong codes count against the identity that typed them
(social_map/code_attempts.py).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.clock import Clock
from bot.social.access import Redeemed
from social_map import code_attempts
from social_map.database import Database

# Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L): 31 ** 8, about 10 ** 12 codes.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def normalise_code(text: str) -> str | None:
    """The code in what someone typed ("k7q2-m9xd", "K7Q2 M9XD"), or None when it cannot be one."""
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    return code if len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code) else None


def shown(code: str) -> str:
    """A code as people read and type it: two groups of four."""
    return f"{code[:4]}-{code[4:]}"


def _hash(code: str) -> str:
    return hashlib.sha256(f"ketenbot-invitation:{code}".encode()).hexdigest()


class Invitations:
    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    def issue(self, created_by: str, *, valid_for: timedelta) -> tuple[str, datetime]:
        """A new one-time code (as shown) and when it expires; expired invitations are cleared."""
        now = self.clock.now()
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        expires = now + valid_for
        with self.db.transaction():
            self.db.execute("DELETE FROM invitations WHERE expires_at <= ?", (now.isoformat(),))
            self.db.execute(
                "INSERT INTO invitations (code_hash, created_by, created_at, expires_at) VALUES (?, ?, ?, ?)",
                (_hash(code), created_by, now.isoformat(), expires.isoformat()),
            )
        return shown(code), expires

    def redeem(self, identity: str, typed: str) -> Redeemed:
        """Make the identity a ketenpartner with the code, which then stops working."""
        now = self.clock.now()
        code = normalise_code(typed)
        with self.db.transaction():
            if code_attempts.blocked(self.db, identity, now):
                return Redeemed.BLOCKED
            row = None if code is None else self.db.execute(
                "SELECT created_by FROM invitations WHERE code_hash = ? AND expires_at > ?", (_hash(code), now.isoformat())
            ).fetchone()
            if row is None:
                code_attempts.record_wrong(self.db, identity, now)
                return Redeemed.REFUSED
            self.db.execute("DELETE FROM invitations WHERE code_hash = ?", (_hash(code),))
            self.db.execute(
                "INSERT INTO invited (identity, invited_by, invited_at) VALUES (?, ?, ?)"
                " ON CONFLICT (identity) DO NOTHING",
                (identity, row[0], now.isoformat()),
            )
        return Redeemed.ACCEPTED

    def accepted(self, identity: str) -> bool:
        """The identity redeemed an invitation."""
        return self.db.execute("SELECT 1 FROM invited WHERE identity = ?", (identity,)).fetchone() is not None


def forget(db: Database, identities: Iterable[str]) -> None:
    """That these identities redeemed an invitation (erasure)."""
    db.executemany("DELETE FROM invited WHERE identity = ?", [(identity,) for identity in identities])
