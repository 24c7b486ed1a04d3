"""Keeping the social map current: entries not confirmed for a long time are asked whether they are still
correct, and hidden (not deleted) when the questions go unanswered. The mark that a question was asked is
written in the same transaction that queues it, so a crash in between leaves neither."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import Clock
from bot.social.partner import Partner
from social_map.approvals import VISIBLE
from social_map.database import Database
from social_map.outbox import Item, Outbox
from social_map.partners import PartnerRegistry, audit, stamp


class Freshness:
    def __init__(self, db: Database, *, clock: Clock, partners: PartnerRegistry, outbox: Outbox) -> None:
        self.db = db
        self.clock = clock
        self.partners = partners
        self.outbox = outbox

    def due_for_reminder(self, *, max_age: timedelta, interval: timedelta, max_reminders: int) -> list[Partner]:
        """Visible partners (an entry waiting for approval, or rejected, is not) not confirmed for max_age whose
        next reminder is due."""
        now = self.clock.now()
        return self.partners.rows(
            f"{VISIBLE} AND confirmed_at <= ? AND reminders_sent < ? AND (last_reminder_at IS NULL OR last_reminder_at <= ?)",
            (stamp(now - max_age), max_reminders, stamp(now - interval)),
        )

    def queue_prompts(self, prompts: list[tuple[Partner, Item]]) -> int:
        """Count a reminder for each partner and queue its question, all in one transaction; returns how many
        were queued (the counter only moves for a partner whose count is still the one the key was made with)."""
        now = stamp(self.clock.now())
        queued = 0
        with self.db.transaction():
            for partner, item in prompts:
                marked = self.db.execute(
                    "UPDATE partners SET reminders_sent = reminders_sent + 1, last_reminder_at = ?"
                    " WHERE id = ? AND reminders_sent = ?",
                    (now, partner.id, partner.reminders_sent),
                ).rowcount
                if marked:
                    queued += self.outbox.enqueue([item])
        return queued

    def hide_unanswered(self, *, max_reminders: int, grace: timedelta) -> list[int]:
        """Hide (not delete) entries whose last reminder went unanswered for `grace`; returns their ids."""
        now = self.clock.now()
        with self.db.transaction():
            ids = [
                row[0]
                for row in self.db.execute(
                    "SELECT id FROM partners WHERE hidden_at IS NULL AND reminders_sent >= ? AND last_reminder_at <= ?",
                    (max_reminders, stamp(now - grace)),
                )
            ]
            for partner_id in ids:
                self.db.execute("UPDATE partners SET hidden_at = ? WHERE id = ?", (stamp(now), partner_id))
                audit(self.db, "hidden", partner_id, now)
        return ids

    def hidden(self) -> list[Partner]:
        """Entries hidden for lack of confirmation, for the chain director."""
        return self.partners.rows("hidden_at IS NOT NULL", order="hidden_at")
