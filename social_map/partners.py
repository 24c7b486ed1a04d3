"""The social map's partners: who is on it, with their consent and identities, and the audit line of every change.

Linking a second chat identity is social_map/linking.py, keeping entries current social_map/freshness.py, the
full-text index social_map/search.py (written here, in the same transaction as the entry).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.social.partner import EmailTaken, Partner
from social_map import approvals, erasure
from social_map.conversations import ConversationStore
from social_map.database import Database
from social_map.search import PartnerIndex

# New imported entries written together, a few statements per batch (social_map import at 100 000 partners).
IMPORT_BATCH = 1000
# What a contact search reads: after an import the planner learns their new size (Database.analyze).
SEARCHED_TABLES = ("partners", "partner_terms")
EDITABLE = ("name", "organisation", "role", "topics", "region", "email", "phone", "note")
COLUMNS = (
    "id, name, organisation, role, topics, region, email, phone, note, consent_at, consent_text, created_at,"
    " updated_at, confirmed_at, reminders_sent, hidden_at"
)


def stamp(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def audit(db: Database, action: str, partner_id: int, at: datetime) -> None:
    """The one line every change of an entry leaves: what, which number, when; never personal data."""
    db.execute("INSERT INTO audit_log (at, action, partner_id) VALUES (?, ?, ?)", (at.isoformat(), action, partner_id))


class PartnerRegistry:
    def __init__(self, db: Database, *, clock: Clock, index: PartnerIndex, conversations: ConversationStore) -> None:
        self.db = db
        self.clock = clock
        self.index = index
        self.conversations = conversations

    # -- reading ---------------------------------------------------------------------------------
    def rows(self, where: str, params: tuple[Any, ...] = (), *, order: str = "id") -> list[Partner]:
        """The partners that match, with their identities: two statements however many there are."""
        rows = self.db.execute(f"SELECT {COLUMNS} FROM partners p WHERE {where} ORDER BY {order}", params).fetchall()
        if not rows:
            return []
        ids = [row[0] for row in rows]
        identities: dict[int, list[str]] = {}
        marks = ",".join("?" for _ in ids)
        for identity, partner_id in self.db.execute(
            f"SELECT identity, partner_id FROM identities WHERE partner_id IN ({marks}) ORDER BY identity", ids
        ):
            identities.setdefault(partner_id, []).append(identity)
        return [_partner(row, tuple(identities.get(row[0], ()))) for row in rows]

    def _one(self, where: str, params: tuple[Any, ...]) -> Partner | None:
        found = self.rows(where, params)
        return found[0] if found else None

    def get(self, partner_id: int) -> Partner | None:
        return self._one("id = ?", (partner_id,))

    def by_ids(self, partner_ids: list[int]) -> dict[int, Partner]:
        if not partner_ids:
            return {}
        marks = ",".join("?" for _ in partner_ids)
        return {p.id: p for p in self.rows(f"id IN ({marks})", tuple(partner_ids)) if p.id is not None}

    def by_identity(self, identity: str) -> Partner | None:
        return self._one("id = (SELECT partner_id FROM identities WHERE identity = ?)", (identity,))

    def by_email(self, email: str) -> Partner | None:
        return self._one("email = ? AND email != ''", (email.lower(),)) if email else None

    def all(self, *, include_hidden: bool = True) -> list[Partner]:
        """Every partner, or (include_hidden=False) only those on the map for others: not hidden, and not waiting
        for approval or rejected (approvals.VISIBLE, the rule every map query keeps)."""
        return self.rows("1 = 1" if include_hidden else approvals.VISIBLE)

    def names(self) -> list[str]:
        """Every partner's name, hidden ones too."""
        return [row[0] for row in self.db.execute("SELECT name FROM partners")]

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM partners").fetchone()[0])

    # -- writing ---------------------------------------------------------------------------------
    def _write(self, partner: Partner, existing: Partner | None, consent_text: str | None) -> int:
        now = self.clock.now()
        values = _values(partner)
        email = partner.value("email")
        own_id = existing.id if existing else None
        taken = self.db.execute("SELECT id FROM partners WHERE email = ?", (email,)).fetchone() if email else None
        if taken is not None and taken[0] != own_id:
            raise EmailTaken(email)
        if existing is None:
            row = self.db.execute(
                f"INSERT INTO partners ({', '.join(EDITABLE)}, consent_at, consent_text, created_at, updated_at, confirmed_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (*values, stamp(now) if consent_text else None, consent_text or "", stamp(now), stamp(now), stamp(now)),
            ).fetchone()
            partner_id = int(row[0])
            audit(self.db, "created", partner_id, now)
        else:
            partner_id = int(existing.id)  # type: ignore[arg-type]
            consent = ("consent_at", "consent_text") if consent_text else ()
            sets = ", ".join(f"{column} = ?" for column in (*EDITABLE, *consent))
            self.db.execute(
                f"UPDATE partners SET {sets}, updated_at = ?, confirmed_at = ?, reminders_sent = 0,"
                " last_reminder_at = NULL, hidden_at = NULL WHERE id = ?",
                (*values, *((stamp(now), consent_text) if consent_text else ()), stamp(now), stamp(now), partner_id),
            )
            audit(self.db, "updated", partner_id, now)
        self.index.write(partner_id, partner)
        self.db.executemany(
            "INSERT INTO identities (identity, partner_id) VALUES (?, ?)"
            " ON CONFLICT (identity) DO UPDATE SET partner_id = excluded.partner_id",
            [(identity, partner_id) for identity in partner.identities],
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
        self,
        partner: Partner,
        *,
        consent_text: str | None,
        conversation: tuple[str, dict[str, Any]] | None = None,
        waiting: bool = False,
    ) -> Partner:
        """Create or update one partner, in one transaction: the entry with this id, else the one owned by
        its chat identity, else (an import, without identities) the one with its e-mail. `conversation`
        (key, state) is stored in the same transaction: the dialog that asked for consent ends with it.

        Raises EmailTaken, writing nothing, when the e-mail belongs to another entry. `waiting`: a new entry waits
        for a director's approval (social_map/approvals.py), from the same transaction on."""
        with self.db.transaction():
            existing = self._existing(partner)
            partner_id = self._write(partner, existing, consent_text)
            if waiting and existing is None:
                approvals.request(self.db, partner_id, stamp(self.clock.now()))  # type: ignore[arg-type]
            if conversation is not None:
                self.conversations.save(*conversation)
        return self.get(partner_id)  # type: ignore[return-value]

    def save_many(self, partners: list[Partner], *, consent_text: str) -> tuple[int, int]:
        """Create or update many partners, all or nothing; returns (created, updated). New imported entries (no id,
        no chat identity, an e-mail not yet on the map nor earlier in the batch) are written IMPORT_BATCH at a time,
        a few statements for each batch; every other one as `save` writes it."""
        created = updated = 0
        with self.db.transaction():
            for start in range(0, len(partners), IMPORT_BATCH):
                fresh, one_by_one = self._fresh(partners[start : start + IMPORT_BATCH])
                self._insert_many(fresh, consent_text)
                created += len(fresh)
                for partner in one_by_one:
                    existing = self._existing(partner)
                    self._write(partner, existing, consent_text)
                    created += existing is None
                    updated += existing is not None
        self.db.analyze(SEARCHED_TABLES)
        return created, updated

    def _fresh(self, partners: list[Partner]) -> tuple[list[Partner], list[Partner]]:
        """(new imported entries that can be inserted together, the others) of one batch."""
        emails = sorted({p.value("email") for p in partners if p.value("email")})
        marks = ",".join("?" for _ in emails)
        known = {row[0] for row in self.db.execute(f"SELECT email FROM partners WHERE email IN ({marks})", emails)} if emails else set()
        fresh: list[Partner] = []
        others: list[Partner] = []
        for partner in partners:
            email = partner.value("email")
            if partner.id is not None or partner.identities or email in known:
                others.append(partner)
            else:
                fresh.append(partner)
                if email:
                    known.add(email)  # the same e-mail later in the batch updates this entry
        return fresh, others

    def _insert_many(self, partners: list[Partner], consent_text: str) -> None:
        if not partners:
            return
        now = stamp(self.clock.now())
        ids = self.db.new_ids("partners", len(partners))
        self.db.insert_many(
            "partners",
            ("id", *EDITABLE, "consent_at", "consent_text", "created_at", "updated_at", "confirmed_at"),
            (
                (partner_id, *_values(p), now if consent_text else None, consent_text, now, now, now)
                for partner_id, p in zip(ids, partners, strict=True)
            ),
        )
        self.db.insert_many("audit_log", ("at", "action", "partner_id"), ((now, "created", partner_id) for partner_id in ids))
        self.index.add_many(list(zip(ids, partners, strict=True)))

    def update_field(self, identity: str, field: str, value: str | tuple[str, ...]) -> Partner | None:
        """Change one field of the partner behind an identity; the entry counts as confirmed.

        Raises EmailTaken, writing nothing, for an e-mail that belongs to another entry."""
        current = self.by_identity(identity)
        if current is None or field not in EDITABLE:
            return None
        with self.db.transaction():
            self._write(replace(current, **{field: value}), current, None)
        return self.get(int(current.id))  # type: ignore[arg-type]

    def confirm(self, identity: str) -> Partner | None:
        current = self.by_identity(identity)
        if current is None:
            return None
        now = self.clock.now()
        with self.db.transaction():
            self.db.execute(
                "UPDATE partners SET confirmed_at = ?, reminders_sent = 0, last_reminder_at = NULL, hidden_at = NULL"
                " WHERE id = ?",
                (stamp(now), current.id),
            )
            audit(self.db, "confirmed", int(current.id), now)  # type: ignore[arg-type]
        return self.get(int(current.id))  # type: ignore[arg-type]

    def delete(self, identity: str) -> bool:
        """Remove the partner, its identities and every trace under them (social_map/erasure.py) for good;
        only an audit line without personal data stays."""
        current = self.by_identity(identity)
        if current is None or current.id is None:
            return False
        with self.db.transaction():
            self.index.remove(current.id)
            self.db.execute("DELETE FROM partners WHERE id = ?", (current.id,))
            erasure.erase_traces(self.db, current.id, current.identities)
            audit(self.db, "deleted", current.id, self.clock.now())
        # Out of the write-ahead log into the (securely overwritten) database file.
        self.db.forget_deleted()
        return True


def _values(partner: Partner) -> list[str]:
    """The EDITABLE columns of a partner, in order."""
    return [partner.value(field) if field != "topics" else ";".join(partner.topics) for field in EDITABLE]


def _partner(row: tuple[Any, ...], identities: tuple[str, ...]) -> Partner:
    (partner_id, name, organisation, role, topics, region, email, phone, note, consent_at, consent_text, created_at,
     updated_at, confirmed_at, reminders_sent, hidden_at) = row
    return Partner(
        id=partner_id,
        name=name,
        organisation=organisation,
        role=role,
        topics=tuple(t for t in topics.split(";") if t),
        region=region,
        email=email,
        phone=phone,
        note=note,
        identities=identities,
        consent_at=_moment(consent_at),
        consent_text=consent_text,
        created_at=_moment(created_at),
        updated_at=_moment(updated_at),
        confirmed_at=_moment(confirmed_at),
        reminders_sent=reminders_sent,
        hidden=hidden_at is not None,
    )
