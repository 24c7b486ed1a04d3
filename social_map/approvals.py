"""New self-registrations that wait for a director's approval (KETENBOT_MAP_APPROVAL=1). An entry with a row here
is not shown in contact answers (social_map/search.py); approving removes the row, rejecting keeps it as
'rejected'. The decision and the message that tells the registrant are written in one transaction."""

from __future__ import annotations

from bot.clock import Clock
from social_map.database import Database
from social_map.outbox import Item, Outbox

WAITING, REJECTED = "waiting", "rejected"
# The entries that are not on the map for others (for the queries that show the map).
NOT_APPROVED = "SELECT partner_id FROM partner_approvals"
# A partner `p` that others see on the map: not hidden and not waiting for (or refused) approval.
VISIBLE = f"p.hidden_at IS NULL AND p.id NOT IN ({NOT_APPROVED})"


def request(db: Database, partner_id: int, at: str) -> None:
    """Inside the caller's transaction (the one that creates the entry): the entry waits."""
    db.execute(
        "INSERT INTO partner_approvals (partner_id, status, requested_at) VALUES (?, ?, ?) ON CONFLICT (partner_id) DO NOTHING",
        (partner_id, WAITING, at),
    )


def forget(db: Database, partner_id: int) -> None:
    db.execute("DELETE FROM partner_approvals WHERE partner_id = ?", (partner_id,))


class Approvals:
    def __init__(self, db: Database, *, clock: Clock, outbox: Outbox) -> None:
        self.db = db
        self.clock = clock
        self.outbox = outbox

    def status(self, partner_id: int) -> str | None:
        """'waiting', 'rejected', or None for an entry that is on the map."""
        row = self.db.execute("SELECT status FROM partner_approvals WHERE partner_id = ?", (partner_id,)).fetchone()
        return row[0] if row else None

    def waiting(self) -> list[int]:
        """The entries waiting for a decision, oldest first."""
        return [row[0] for row in self.db.execute(
            "SELECT partner_id FROM partner_approvals WHERE status = ? ORDER BY requested_at, partner_id", (WAITING,)
        )]

    def notify(self, items: list[Item]) -> int:
        return self.outbox.enqueue(items)

    def decide(self, partner_id: int, approved: bool, *, by: str, notice: Item) -> bool:
        """Approve or reject a waiting entry and queue `notice` for the registrant; False when it was not waiting."""
        with self.db.transaction():
            if approved:
                changed = self.db.execute(
                    "DELETE FROM partner_approvals WHERE partner_id = ? AND status = ?", (partner_id, WAITING)
                ).rowcount
            else:
                changed = self.db.execute(
                    "UPDATE partner_approvals SET status = ?, decided_by = ?, decided_at = ? WHERE partner_id = ? AND status = ?",
                    (REJECTED, by, self.clock.now().isoformat(), partner_id, WAITING),
                ).rowcount
            if changed:
                # An audit line: the map's version changes, so the search's vocabulary takes the entry in or out.
                from social_map.partners import audit

                audit(self.db, "approved" if approved else "rejected", partner_id, self.clock.now())
                self.outbox.enqueue([notice])
        return bool(changed)
