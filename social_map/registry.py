"""The partner registry: who is on the social map, with their consent, identities and freshness."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.clock import Clock
from bot.language.dutch import words
from bot.language.lexicon import Lexicon
from bot.social.access import Redeemed
from bot.social.partner import EmailTaken, Partner
from social_map import code_attempts
from social_map.conversations import write_state
from social_map.db import transaction
from social_map.erasure import erase_traces

EDITABLE = ("name", "organisation", "role", "topics", "region", "email", "phone", "note")
LINK_CODE_TTL = timedelta(minutes=15)
# Times the right code may be refused to someone else (blocked, or already on an entry) before it stops
# working: a code that leaked dies; wrong guesses never touch it (they count per identity).
LINK_CODE_MAX_REFUSALS = 3


def _code_hash(code: str) -> str:
    return hashlib.sha256(f"ketenbot-link:{code}".encode()).hexdigest()


def _stamp(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class PartnerRegistry:
    def __init__(self, db: sqlite_utils.Database, *, clock: Clock, lexicon: Lexicon) -> None:
        self.db = db
        self.clock = clock
        self.lexicon = lexicon

    # -- reading ---------------------------------------------------------------------------------
    def _partner(self, row: sqlite3.Row | tuple[Any, ...] | None) -> Partner | None:
        if row is None:
            return None
        data = dict(zip(self._columns(), row, strict=True))
        identities = tuple(
            r[0] for r in self.db.execute("SELECT identity FROM identities WHERE partner_id = ? ORDER BY identity", (data["id"],))
        )
        return Partner(
            id=data["id"],
            name=data["name"],
            organisation=data["organisation"],
            role=data["role"],
            topics=tuple(t for t in data["topics"].split(";") if t),
            region=data["region"],
            email=data["email"],
            phone=data["phone"],
            note=data["note"],
            identities=identities,
            consent_at=_moment(data["consent_at"]),
            consent_text=data["consent_text"],
            created_at=_moment(data["created_at"]),
            updated_at=_moment(data["updated_at"]),
            confirmed_at=_moment(data["confirmed_at"]),
            reminders_sent=data["reminders_sent"],
            hidden=data["hidden_at"] is not None,
        )

    def _columns(self) -> list[str]:
        if not hasattr(self, "_column_names"):
            self._column_names = [column.name for column in self.db["partners"].columns]
        return self._column_names

    def _one(self, where: str, params: tuple[Any, ...]) -> Partner | None:
        return self._partner(self.db.execute(f"SELECT * FROM partners WHERE {where}", params).fetchone())

    def get(self, partner_id: int) -> Partner | None:
        return self._one("id = ?", (partner_id,))

    def by_identity(self, identity: str) -> Partner | None:
        return self._one("id = (SELECT partner_id FROM identities WHERE identity = ?)", (identity,))

    def by_email(self, email: str) -> Partner | None:
        return self._one("email = ? AND email != ''", (email.lower(),)) if email else None

    def all(self, *, include_hidden: bool = True) -> list[Partner]:
        where = "" if include_hidden else "WHERE hidden_at IS NULL"
        rows = self.db.execute(f"SELECT * FROM partners {where} ORDER BY id").fetchall()
        return [p for p in (self._partner(r) for r in rows) if p]

    def count(self) -> int:
        return self.db["partners"].count

    # -- writing ---------------------------------------------------------------------------------
    def _terms(self, partner: Partner) -> tuple[str, str]:
        text = " ".join([partner.organisation, partner.role, *partner.topics])
        terms = " ".join(dict.fromkeys(self.lexicon.term(w) for w in words(text) if w not in self.lexicon.stopwords))
        return terms, " ".join(words(partner.region))

    def _write(self, conn: sqlite3.Connection, partner: Partner, existing: Partner | None, consent_text: str | None) -> int:
        now = _stamp(self.clock.now())
        values = {field: partner.value(field) for field in EDITABLE}
        values["topics"] = ";".join(partner.topics)
        own_id = existing.id if existing else None
        if values["email"] and conn.execute(
            "SELECT 1 FROM partners WHERE email = ? AND id IS NOT ?", (values["email"], own_id)
        ).fetchone():
            raise EmailTaken(values["email"])
        if existing is None:
            cursor = conn.execute(
                "INSERT INTO partners (name, organisation, role, topics, region, email, phone, note, consent_at, consent_text,"
                " created_at, updated_at, confirmed_at) VALUES (:name, :organisation, :role, :topics, :region, :email,"
                " :phone, :note, :consent_at, :consent_text, :now, :now, :now)",
                {**values, "consent_at": now if consent_text else None, "consent_text": consent_text or "", "now": now},
            )
            partner_id = int(cursor.lastrowid)
            conn.execute("INSERT INTO audit_log (at, action, partner_id) VALUES (?, 'created', ?)", (now, partner_id))
        else:
            partner_id = int(existing.id)
            consent = {"consent_at": now, "consent_text": consent_text} if consent_text else {}
            sets = ", ".join(f"{k} = :{k}" for k in [*values, *consent])
            conn.execute(
                f"UPDATE partners SET {sets}, updated_at = :now, confirmed_at = :now, reminders_sent = 0,"
                " last_reminder_at = NULL, hidden_at = NULL WHERE id = :id",
                {**values, **consent, "now": now, "id": partner_id},
            )
            conn.execute("INSERT INTO audit_log (at, action, partner_id) VALUES (?, 'updated', ?)", (now, partner_id))
        terms, place = self._terms(partner)
        conn.execute("DELETE FROM partner_terms WHERE rowid = ?", (partner_id,))
        conn.execute("INSERT INTO partner_terms (rowid, terms, place) VALUES (?, ?, ?)", (partner_id, terms, place))
        for identity in partner.identities:
            conn.execute(
                "INSERT INTO identities (identity, partner_id) VALUES (?, ?)"
                " ON CONFLICT(identity) DO UPDATE SET partner_id = excluded.partner_id",
                (identity, partner_id),
            )
        return partner_id

    def _existing(self, partner: Partner) -> Partner | None:
        if partner.id is not None:
            return self.get(partner.id)
        for identity in partner.identities:
            found = self.by_identity(identity)
            if found:
                return found
        if partner.identities:
            # Someone registering from a chat owns only what their identity owns: an e-mail address is
            # public on the map, so it proves nothing.
            return None
        return self.by_email(partner.email)

    def save(
        self, partner: Partner, *, consent_text: str | None, conversation: tuple[str, dict[str, Any]] | None = None
    ) -> Partner:
        """Create or update one partner, in one transaction: the entry with this id, else the one owned by
        its chat identity, else (an import, without identities) the one with its e-mail. `conversation`
        (key, state) is stored in the same transaction: the dialog that asked for consent ends with it.

        Raises EmailTaken, writing nothing, when the e-mail belongs to another entry."""
        with transaction(self.db) as conn:
            existing = self._existing(partner)
            partner_id = self._write(conn, partner, existing, consent_text)
            if conversation is not None:
                write_state(conn, *conversation, self.clock.now())
        return self.get(partner_id)

    def save_many(self, partners: list[Partner], *, consent_text: str) -> tuple[int, int]:
        """Create or update many partners, all or nothing; returns (created, updated)."""
        created = updated = 0
        with transaction(self.db) as conn:
            for partner in partners:
                existing = self._existing(partner)
                self._write(conn, partner, existing, consent_text)
                created += existing is None
                updated += existing is not None
        return created, updated

    def update_field(self, identity: str, field: str, value: str | tuple[str, ...]) -> Partner | None:
        """Change one field of the partner behind an identity; the entry counts as confirmed.

        Raises EmailTaken, writing nothing, for an e-mail that belongs to another entry."""
        current = self.by_identity(identity)
        if current is None or field not in EDITABLE:
            return None
        changed = replace(current, **{field: value})
        with transaction(self.db) as conn:
            self._write(conn, changed, current, None)
        return self.get(int(current.id))

    def confirm(self, identity: str) -> Partner | None:
        current = self.by_identity(identity)
        if current is None:
            return None
        now = _stamp(self.clock.now())
        with transaction(self.db) as conn:
            conn.execute(
                "UPDATE partners SET confirmed_at = ?, reminders_sent = 0, last_reminder_at = NULL, hidden_at = NULL"
                " WHERE id = ?",
                (now, current.id),
            )
            conn.execute("INSERT INTO audit_log (at, action, partner_id) VALUES (?, 'confirmed', ?)", (now, current.id))
        return self.get(int(current.id))

    def delete(self, identity: str) -> bool:
        """Remove the partner, its identities and every trace under them (social_map/erasure.py) for good;
        only an audit line without personal data stays."""
        current = self.by_identity(identity)
        if current is None:
            return False
        with transaction(self.db) as conn:
            conn.execute("DELETE FROM partner_terms WHERE rowid = ?", (current.id,))
            conn.execute("DELETE FROM partners WHERE id = ?", (current.id,))
            erase_traces(conn, current.id, current.identities)
            conn.execute(
                "INSERT INTO audit_log (at, action, partner_id) VALUES (?, 'deleted', ?)", (_stamp(self.clock.now()), current.id)
            )
        # Out of the write-ahead log into the (securely overwritten) database file.
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return True

    # -- linking a second chat identity -----------------------------------------------------------
    def issue_link_code(self, identity: str) -> str | None:
        """A one-time code of 6 digits that links another chat identity to this identity's entry, valid for
        LINK_CODE_TTL; only its hash is stored, and it replaces an earlier code. None when not registered."""
        now = self.clock.now()
        with transaction(self.db) as conn:
            row = conn.execute("SELECT partner_id FROM identities WHERE identity = ?", (identity,)).fetchone()
            if row is None:
                return None
            conn.execute("DELETE FROM link_codes WHERE partner_id = ? OR expires_at <= ?", (row[0], _stamp(now)))
            code = f"{secrets.randbelow(10**6):06d}"
            while conn.execute("SELECT 1 FROM link_codes WHERE code_hash = ?", (_code_hash(code),)).fetchone():
                code = f"{secrets.randbelow(10**6):06d}"
            conn.execute(
                "INSERT INTO link_codes (code_hash, partner_id, expires_at, failures) VALUES (?, ?, ?, 0)",
                (_code_hash(code), row[0], _stamp(now + LINK_CODE_TTL)),
            )
        return code

    def redeem_link_code(self, identity: str, code: str) -> Redeemed:
        """Link the identity to the entry the code was issued for, once.

        Attempts are counted per identity and per code, never against everyone's codes: a wrong code counts
        against the identity that typed it (MAX_WRONG per window, then it is blocked, for right codes too);
        the right code refused to someone (blocked, or already on another entry) counts against that code,
        which stops working after LINK_CODE_MAX_REFUSALS."""
        now = self.clock.now()
        with transaction(self.db) as conn:
            row = conn.execute(
                "SELECT partner_id FROM link_codes WHERE code_hash = ? AND expires_at > ? AND failures < ?",
                (_code_hash(code), _stamp(now), LINK_CODE_MAX_REFUSALS),
            ).fetchone()
            if code_attempts.blocked(conn, identity, now) or conn.execute(
                "SELECT 1 FROM identities WHERE identity = ?", (identity,)
            ).fetchone():
                if row is not None:
                    conn.execute("UPDATE link_codes SET failures = failures + 1 WHERE code_hash = ?", (_code_hash(code),))
                return Redeemed.BLOCKED if code_attempts.blocked(conn, identity, now) else Redeemed.REFUSED
            if row is None:
                code_attempts.record_wrong(conn, identity, now)
                return Redeemed.REFUSED
            partner_id = row[0]
            conn.execute("DELETE FROM link_codes WHERE partner_id = ?", (partner_id,))
            conn.execute("INSERT INTO identities (identity, partner_id) VALUES (?, ?)", (identity, partner_id))
            conn.execute("INSERT INTO audit_log (at, action, partner_id) VALUES (?, 'linked', ?)", (_stamp(now), partner_id))
        return Redeemed.ACCEPTED

    def link_identity(self, email: str, identity: str) -> Partner | None:
        """For the administrator (who can check who someone is): link a chat identity to the entry with this
        e-mail. None when there is no such entry or the identity already belongs to an entry."""
        now = _stamp(self.clock.now())
        with transaction(self.db) as conn:
            row = conn.execute("SELECT id FROM partners WHERE email = ? AND email != ''", (email.strip().lower(),)).fetchone()
            if row is None or conn.execute("SELECT 1 FROM identities WHERE identity = ?", (identity,)).fetchone():
                return None
            conn.execute("INSERT INTO identities (identity, partner_id) VALUES (?, ?)", (identity, row[0]))
            conn.execute("INSERT INTO audit_log (at, action, partner_id) VALUES (?, 'linked', ?)", (now, row[0]))
        return self.get(row[0])

    # -- keeping it current ----------------------------------------------------------------------
    def due_for_reminder(self, *, max_age: timedelta, interval: timedelta, max_reminders: int) -> list[Partner]:
        """Visible partners not confirmed for max_age whose next reminder is due."""
        now = self.clock.now()
        rows = self.db.execute(
            "SELECT * FROM partners WHERE hidden_at IS NULL AND confirmed_at <= ? AND reminders_sent < ?"
            " AND (last_reminder_at IS NULL OR last_reminder_at <= ?) ORDER BY id",
            (_stamp(now - max_age), max_reminders, _stamp(now - interval)),
        ).fetchall()
        return [p for p in (self._partner(r) for r in rows) if p]

    def record_reminder(self, partner_id: int) -> None:
        with transaction(self.db) as conn:
            conn.execute(
                "UPDATE partners SET reminders_sent = reminders_sent + 1, last_reminder_at = ? WHERE id = ?",
                (_stamp(self.clock.now()), partner_id),
            )

    def hide_unanswered(self, *, max_reminders: int, grace: timedelta) -> list[int]:
        """Hide (not delete) entries whose last reminder went unanswered for `grace`; returns their ids."""
        now = self.clock.now()
        with transaction(self.db) as conn:
            ids = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM partners WHERE hidden_at IS NULL AND reminders_sent >= ? AND last_reminder_at <= ?",
                    (max_reminders, _stamp(now - grace)),
                )
            ]
            for partner_id in ids:
                conn.execute("UPDATE partners SET hidden_at = ? WHERE id = ?", (_stamp(now), partner_id))
                conn.execute("INSERT INTO audit_log (at, action, partner_id) VALUES (?, 'hidden', ?)", (_stamp(now), partner_id))
        return ids

    def hidden(self) -> list[Partner]:
        """Entries hidden for lack of confirmation, for the chain director."""
        rows = self.db.execute("SELECT * FROM partners WHERE hidden_at IS NOT NULL ORDER BY hidden_at").fetchall()
        return [p for p in (self._partner(r) for r in rows) if p]
