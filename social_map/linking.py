"""Linking a second chat identity to one's own entry: a one-time code ("koppel"), or the administrator
(`ketenbot map link`). Only a hash of a code is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from bot.clock import Clock
from bot.social.access import Redeemed
from bot.social.partner import Partner
from social_map import code_attempts
from social_map.database import Database
from social_map.partners import PartnerRegistry, audit, stamp

LINK_CODE_TTL = timedelta(minutes=15)
# Times the right code may be refused to someone else (blocked, or already on an entry) before it stops
# working: a code that leaked dies; wrong guesses never touch it (they count per identity).
LINK_CODE_MAX_REFUSALS = 3


def _code_hash(code: str) -> str:
    return hashlib.sha256(f"ketenbot-link:{code}".encode()).hexdigest()


class Linking:
    def __init__(self, db: Database, *, clock: Clock, partners: PartnerRegistry) -> None:
        self.db = db
        self.clock = clock
        self.partners = partners

    def _linked(self, identity: str) -> bool:
        return self.db.execute("SELECT 1 FROM identities WHERE identity = ?", (identity,)).fetchone() is not None

    def issue(self, identity: str) -> str | None:
        """A one-time code of 6 digits that links another chat identity to this identity's entry, valid for
        LINK_CODE_TTL; it replaces an earlier code. None when not registered."""
        now = self.clock.now()
        with self.db.transaction():
            row = self.db.execute("SELECT partner_id FROM identities WHERE identity = ?", (identity,)).fetchone()
            if row is None:
                return None
            self.db.execute("DELETE FROM link_codes WHERE partner_id = ? OR expires_at <= ?", (row[0], stamp(now)))
            code = f"{secrets.randbelow(10**6):06d}"
            while self.db.execute("SELECT 1 FROM link_codes WHERE code_hash = ?", (_code_hash(code),)).fetchone():
                code = f"{secrets.randbelow(10**6):06d}"
            self.db.execute(
                "INSERT INTO link_codes (code_hash, partner_id, expires_at, failures) VALUES (?, ?, ?, 0)",
                (_code_hash(code), row[0], stamp(now + LINK_CODE_TTL)),
            )
        return code

    def redeem(self, identity: str, code: str) -> Redeemed:
        """Link the identity to the entry the code was issued for, once.

        Attempts are counted per identity and per code, never against everyone's codes: a wrong code counts
        against the identity that typed it (MAX_WRONG per window, then it is blocked, for right codes too);
        the right code refused to someone (blocked, or already on another entry) counts against that code,
        which stops working after LINK_CODE_MAX_REFUSALS."""
        now = self.clock.now()
        with self.db.transaction():
            row = self.db.execute(
                "SELECT partner_id FROM link_codes WHERE code_hash = ? AND expires_at > ? AND failures < ?",
                (_code_hash(code), stamp(now), LINK_CODE_MAX_REFUSALS),
            ).fetchone()
            if code_attempts.blocked(self.db, identity, now) or self._linked(identity):
                if row is not None:
                    self.db.execute("UPDATE link_codes SET failures = failures + 1 WHERE code_hash = ?", (_code_hash(code),))
                return Redeemed.BLOCKED if code_attempts.blocked(self.db, identity, now) else Redeemed.REFUSED
            if row is None:
                code_attempts.record_wrong(self.db, identity, now)
                return Redeemed.REFUSED
            self._link(identity, row[0])
        return Redeemed.ACCEPTED

    def _link(self, identity: str, partner_id: int) -> None:
        self.db.execute("DELETE FROM link_codes WHERE partner_id = ?", (partner_id,))
        self.db.execute("INSERT INTO identities (identity, partner_id) VALUES (?, ?)", (identity, partner_id))
        audit(self.db, "linked", partner_id, self.clock.now())

    def link_by_email(self, email: str, identity: str) -> Partner | None:
        """For the administrator (who can check who someone is): link a chat identity to the entry with this
        e-mail. None when there is no such entry or the identity already belongs to an entry."""
        with self.db.transaction():
            row = self.db.execute("SELECT id FROM partners WHERE email = ? AND email != ''", (email.strip().lower(),)).fetchone()
            if row is None or self._linked(identity):
                return None
            self._link(identity, row[0])
        return self.partners.get(row[0])
