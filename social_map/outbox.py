"""The outbox: every proactive message (check-ins, reminders, celebrations) waits here until delivered.

Each message has a dedupe key, so queueing the same thing twice (a restart, a second scheduler tick)
queues it once. Push platforms (Slack, Teams) claim messages, send them and mark them sent. Just before
the platform is called a message is marked in doubt; only a definite answer clears that. So after a
crash, a timeout or a 5xx, the next attempt knows it must first ask the platform whether the message
arrived. Pull platforms (web, console) take their messages when the person next shows up.
A message that cannot reach its recipient personally yet is 'waiting' until `resume(identity)`: it
counts as neither sent nor failed, and never goes elsewhere instead.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.commitment import outbox_keys
from bot.identity import platform_of
from social_map.database import Database

MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Delivery:
    id: int
    dedupe_key: str
    broadcast_id: int | None
    identity: str
    platform: str
    payload: dict[str, Any]
    attempts: int
    # An earlier attempt may have reached the platform: ask it before sending again.
    in_doubt: bool = False
    # How often asking the platform whether it arrived has failed.
    lookup_failures: int = 0


def _delivery(row: tuple[Any, ...]) -> Delivery:
    return Delivery(row[0], row[1], row[2], row[3], row[4], json.loads(row[5]), row[6], bool(row[7]), row[8])


COLUMNS = "id, dedupe_key, broadcast_id, identity, platform, payload, attempts, in_doubt, lookup_failures"


_WAITING = f"SELECT {COLUMNS} FROM outbox WHERE identity = ? AND status = 'pending' AND not_before <= ? ORDER BY id"


# Unsent rows under these keys: exact keys, or a LIKE pattern ("checkin-later:7:%").
_PENDING_UNDER = "status IN ('pending', 'waiting') AND (dedupe_key IN ({exact}) OR dedupe_key LIKE ?)"


def forget(db: Database, identities: Iterable[str]) -> None:
    """Every message to these identities, sent or not (erasure)."""
    db.executemany("DELETE FROM outbox WHERE identity = ?", [(identity,) for identity in identities])


Item = tuple[str, str, dict[str, Any]]


class Outbox:
    def __init__(self, db: Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock
        self.listeners: list[Callable[[], None]] = []

    def _now(self) -> str:
        return self.clock.now().isoformat()

    def new_broadcast(self, subject: str, created_by: str) -> int:
        """A broadcast to queue messages under (inside the caller's transaction if there is one)."""
        row = self.db.execute(
            "INSERT INTO broadcasts (subject, created_by, created_at) VALUES (?, ?, ?) RETURNING id",
            (subject, created_by, self._now()),
        ).fetchone()
        return int(row[0])

    def enqueue(self, items: list[Item], *, broadcast_id: int | None = None, not_before: datetime | None = None) -> int:
        """Queue (dedupe key, identity, payload) items in one transaction (a part of the caller's, if there is
        one); returns how many were new. The delivery loop wakes only once the caller's code is done."""
        when = (not_before or self.clock.now()).isoformat()
        added = 0
        with self.db.transaction():
            for key, identity, payload in items:
                added += self.db.execute(
                    "INSERT INTO outbox (dedupe_key, broadcast_id, identity, platform, payload, not_before)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
                    (key, broadcast_id, identity, platform_of(identity), json.dumps(payload, ensure_ascii=False), when),
                ).rowcount
        if added:
            self.notify()
        return added

    def withdraw_pending(self, keys: tuple[str, ...], pattern: str) -> None:
        """Messages not yet sent under these keys (or the LIKE pattern) will not be; the rows (and their keys)
        stay, so the same key cannot be queued again."""
        where = _PENDING_UNDER.format(exact=",".join("?" for _ in keys))
        self.db.execute(f"UPDATE outbox SET status = 'withdrawn' WHERE {where}", (*keys, pattern))

    def replace_pending(self, keys: tuple[str, ...], pattern: str, payload: dict[str, Any]) -> None:
        """Messages not yet sent under these keys (or the LIKE pattern) will say `payload` instead."""
        where = _PENDING_UNDER.format(exact=",".join("?" for _ in keys))
        self.db.execute(f"UPDATE outbox SET payload = ? WHERE {where}", (json.dumps(payload, ensure_ascii=False), *keys, pattern))

    def notify(self) -> None:
        """Wake the delivery loop: new messages are due."""
        for listener in self.listeners:
            listener()

    def claim(self, platforms: tuple[str, ...], limit: int = 50) -> list[Delivery]:
        """Due pending messages for these platforms, marked 'sending' so no other sender takes them (on PostgreSQL,
        rows another instance is claiming at this moment are skipped, not waited for or taken twice)."""
        marks = ",".join("?" for _ in platforms)
        with self.db.transaction():
            rows = self.db.execute(
                f"SELECT {COLUMNS} FROM outbox WHERE status = 'pending' AND platform IN ({marks}) AND not_before <= ?"
                f" ORDER BY id LIMIT ?{self.db.SKIP_LOCKED}",
                (*platforms, self._now(), limit),
            ).fetchall()
            self.db.executemany(
                "UPDATE outbox SET status = 'sending', claimed_at = ?, attempts = attempts + 1 WHERE id = ?",
                [(self._now(), row[0]) for row in rows],
            )
        return [_delivery(row) for row in rows]

    def attempting(self, delivery_id: int) -> None:
        """Committed just before the platform is called: from here until its answer, the message is in doubt."""
        self.db.execute("UPDATE outbox SET in_doubt = 1 WHERE id = ?", (delivery_id,))

    def lookup_failed(self, delivery_id: int) -> int:
        """Asking the platform whether an in-doubt message arrived failed once more; returns how often now."""
        row = self.db.execute(
            "UPDATE outbox SET lookup_failures = lookup_failures + 1 WHERE id = ? RETURNING lookup_failures", (delivery_id,)
        ).fetchone()
        return int(row[0])

    def sent(self, delivery_id: int, *, maybe_twice: bool = False) -> None:
        self.db.execute(
            "UPDATE outbox SET status = 'sent', sent_at = ?, error = NULL, in_doubt = 0, maybe_twice = ? WHERE id = ?",
            (self._now(), int(maybe_twice), delivery_id),
        )

    def retry_later(self, delivery: Delivery, *, after: timedelta, error: str, in_doubt: bool = False) -> None:
        """Back to pending after a pause (rate limit, outage); gives up after MAX_ATTEMPTS."""
        status = "failed" if delivery.attempts >= MAX_ATTEMPTS else "pending"
        self.db.execute(
            "UPDATE outbox SET status = ?, not_before = ?, error = ?, in_doubt = ? WHERE id = ?",
            (status, (self.clock.now() + after).isoformat(), error[:500], int(in_doubt), delivery.id),
        )

    def failed(self, delivery_id: int, error: str) -> None:
        self.db.execute("UPDATE outbox SET status = 'failed', error = ? WHERE id = ?", (error[:500], delivery_id))

    def wait(self, delivery: Delivery, error: str) -> None:
        """The recipient cannot be reached personally yet: the message waits for `resume`."""
        self.db.execute(
            "UPDATE outbox SET status = 'waiting', error = ?, in_doubt = ? WHERE id = ?",
            (error[:500], int(delivery.in_doubt), delivery.id),
        )

    def resume(self, identity: str) -> int:
        """The platform has learnt a new way to reach this person: their waiting messages are due again."""
        resumed = self.db.execute(
            "UPDATE outbox SET status = 'pending', not_before = ? WHERE identity = ? AND status = 'waiting'",
            (self._now(), identity),
        ).rowcount
        if resumed:
            self.notify()
        return resumed

    def waiting_personal(self) -> int:
        """How many personal messages (check-ins, reminders, confirmation prompts) wait for a way to reach
        their recipient."""
        row = self.db.execute("SELECT COUNT(*) FROM outbox WHERE status = 'waiting' AND broadcast_id IS NULL").fetchone()
        return int(row[0])

    def release(self, delivery_id: int) -> None:
        """A claimed message that was not tried goes back to the queue as it was."""
        self.db.execute("UPDATE outbox SET status = 'pending' WHERE id = ? AND status = 'sending'", (delivery_id,))

    def release_unfinished(self) -> int:
        """After a restart: everything a killed process left 'sending' is queued again; the in-doubt
        mark stays on the one whose platform call was under way, so it is checked before it is resent."""
        return self.db.execute("UPDATE outbox SET status = 'pending' WHERE status = 'sending'").rowcount

    def waiting_for(self, identity: str) -> list[Delivery]:
        """Everything due for one person on a pull platform, left as it is (the web chat marks each one sent
        when the page acknowledges it)."""
        return [_delivery(row) for row in self.db.execute(_WAITING, (identity, self._now())).fetchall()]

    def take_for(self, identity: str) -> list[Delivery]:
        """Everything due for one person on a pull platform, marked sent as it is handed over (the console)."""
        with self.db.transaction():
            rows = self.db.execute(_WAITING, (identity, self._now())).fetchall()
            self.db.executemany(
                "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?",
                [(self._now(), row[0]) for row in rows],
            )
        return [_delivery(row) for row in rows]

    def progress(self, broadcast_id: int) -> dict[str, int]:
        counts = Counter(
            dict(self.db.execute("SELECT status, COUNT(*) FROM outbox WHERE broadcast_id = ? GROUP BY status", (broadcast_id,)).fetchall())
        )
        return {status: counts.get(status, 0) for status in ("pending", "sending", "sent", "failed", "waiting")}

    def maybe_twice(self, broadcast_id: int) -> int:
        """How many recipients may have this broadcast twice (resent where the platform could not tell)."""
        row = self.db.execute("SELECT COUNT(*) FROM outbox WHERE broadcast_id = ? AND maybe_twice = 1", (broadcast_id,)).fetchone()
        return int(row[0])

    def latest_broadcast(self) -> tuple[int, str] | None:
        row = self.db.execute("SELECT id, subject FROM broadcasts ORDER BY id DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else None

    def open_broadcasts(self) -> dict[int, tuple[str, str]]:
        """Broadcasts whose final count has not been announced yet: id → (subject, director)."""
        announced = {
            outbox_keys.done_broadcast(key)
            for (key,) in self.db.execute("SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE ?", (outbox_keys.BROADCAST_DONE_PATTERN,))
        }
        rows = self.db.execute("SELECT id, subject, created_by FROM broadcasts ORDER BY id").fetchall()
        return {row[0]: (row[1], row[2]) for row in rows if row[0] not in announced}

    def next_due(self) -> datetime | None:
        """When the earliest waiting message may be sent."""
        row = self.db.execute("SELECT MIN(not_before) FROM outbox WHERE status = 'pending'").fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None
