"""Check-in schedule, cycles and answers in SQLite: one request per partner per cycle, ever."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from bot.clock import Clock
from bot.commitment import outbox_keys
from bot.commitment.model import CheckinRequest, Schedule
from bot.language.dates import Rhythm
from social_map.database import Database
from social_map.outbox import Item, Outbox

CLOSED = ("answered", "skipped", "expired")
REQUEST_COLUMNS = (
    "id, cycle_id, partner_id, identity, organisation, status, sent_at, reminded_at, answered_at, goal, commitment, need, knelpunt"
)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _request(row: tuple[Any, ...]) -> CheckinRequest:
    return CheckinRequest(
        row[0], row[1], row[2], row[3], row[4], row[5], datetime.fromisoformat(row[6]), _when(row[7]), _when(row[8]),
        row[9], row[10], row[11], row[12],
    )


def forget(db: Database, partner_id: int, identities: Iterable[str]) -> None:
    """Every check-in answer and absence of this person (erasure)."""
    db.execute("DELETE FROM checkin_requests WHERE partner_id = ?", (partner_id,))
    for identity in identities:
        db.execute("DELETE FROM checkin_requests WHERE identity = ?", (identity,))
        db.execute("DELETE FROM away WHERE identity = ?", (identity,))


class CheckinStore:
    def __init__(self, db: Database, *, clock: Clock, outbox: Outbox) -> None:
        self.db = db
        self.clock = clock
        self.outbox = outbox

    def schedule(self) -> Schedule | None:
        row = self.db.execute(
            "SELECT every_weeks, weekday, hour, minute, next_at, reminder_days FROM checkin_schedule WHERE id = 1"
        ).fetchone()
        if row is None:
            return None
        return Schedule(Rhythm(row[0], row[1], row[2], row[3]), datetime.fromisoformat(row[4]), row[5])

    def set_schedule(self, rhythm: Rhythm, next_at: datetime, *, reminder_days: int, by: str) -> None:
        self.db.execute(
            "INSERT INTO checkin_schedule (id, every_weeks, weekday, hour, minute, reminder_days, next_at, updated_by, updated_at)"
            " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET every_weeks = excluded.every_weeks,"
            " weekday = excluded.weekday, hour = excluded.hour, minute = excluded.minute,"
            " reminder_days = excluded.reminder_days, next_at = excluded.next_at, updated_by = excluded.updated_by,"
            " updated_at = excluded.updated_at",
            (rhythm.every_weeks, rhythm.weekday, rhythm.hour, rhythm.minute, reminder_days, next_at.isoformat(), by,
             self.clock.now().isoformat()),
        )

    def start_cycle(self, due_at: datetime, partners: list[tuple[int, str, str]], *, next_at: datetime | None) -> tuple[int, list[CheckinRequest]]:
        """Create the cycle for `due_at` with one request per (partner id, identity, organisation), close the
        requests older cycles left open ('expired', their unsent questions withdrawn), and move the schedule on,
        all in one transaction. Running it again for the same due moment adds nothing."""
        now = self.clock.now().isoformat()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO checkin_cycles (due_at, started_at) VALUES (?, ?) ON CONFLICT (due_at) DO NOTHING",
                (due_at.isoformat(), now),
            )
            cycle_id = self.db.execute("SELECT id FROM checkin_cycles WHERE due_at = ?", (due_at.isoformat(),)).fetchone()[0]
            older = self.db.execute(
                f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE status = 'open'"
                " AND cycle_id IN (SELECT id FROM checkin_cycles WHERE due_at < ?)",
                (due_at.isoformat(),),
            ).fetchall()
            for request in map(_request, older):
                self.db.execute("UPDATE checkin_requests SET status = 'expired' WHERE id = ?", (request.id,))
                self.outbox.withdraw_pending(*_question_keys(request))
            self.db.executemany(
                "INSERT INTO checkin_requests (cycle_id, partner_id, identity, organisation, sent_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (cycle_id, partner_id) DO NOTHING",
                [(cycle_id, partner_id, identity, organisation, now) for partner_id, identity, organisation in partners],
            )
            if next_at is not None:
                self.db.execute("UPDATE checkin_schedule SET next_at = ? WHERE id = 1", (next_at.isoformat(),))
            rows = self.db.execute(f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE cycle_id = ? ORDER BY id", (cycle_id,)).fetchall()
        return cycle_id, [_request(r) for r in rows]

    def open_for(self, identity: str) -> CheckinRequest | None:
        """The newest check-in this person has not finished."""
        row = self.db.execute(
            f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE identity = ? AND status = 'open' ORDER BY id DESC LIMIT 1",
            (identity,),
        ).fetchone()
        return _request(row) if row else None

    def record(self, request_id: int, *, reminder: dict[str, Any] | None = None, **fields: Any) -> None:
        """Store answers (goal, commitment, need, knelpunt) and/or a new status, in one transaction.

        Questions of this request still waiting in the outbox follow along: withdrawn once it is closed,
        otherwise made to ask `reminder` (the question that is now next), so no stale question goes out."""
        with self.db.transaction():
            self._record(request_id, reminder, fields)

    def _record(self, request_id: int, reminder: dict[str, Any] | None, fields: dict[str, Any]) -> None:
        allowed = {"goal", "commitment", "need", "knelpunt", "status"}
        sets = {k: v for k, v in fields.items() if k in allowed}
        if sets.get("status") in ("answered", "skipped"):
            sets["answered_at"] = self.clock.now().isoformat()
        if sets:
            assignments = ", ".join(f"{k} = ?" for k in sets)
            self.db.execute(f"UPDATE checkin_requests SET {assignments} WHERE id = ?", (*sets.values(), request_id))
        row = self.db.execute(f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            return
        request = _request(row)
        keys, pattern = _question_keys(request)
        if request.status in CLOSED:
            self.outbox.withdraw_pending(keys, pattern)
        elif reminder is not None:
            self.outbox.replace_pending(keys, pattern, reminder)

    def due_reminders(self, reminder_days: int) -> list[CheckinRequest]:
        cutoff = (self.clock.now() - timedelta(days=reminder_days)).isoformat()
        rows = self.db.execute(
            f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE status = 'open' AND reminded_at IS NULL AND sent_at <= ?"
            " ORDER BY id",
            (cutoff,),
        ).fetchall()
        return [_request(r) for r in rows]

    def queue_reminders(self, reminders: list[tuple[int, Item]]) -> int:
        """Mark each request reminded and queue its reminder, all in one transaction: a crash in between leaves
        neither, so the reminder is still due after a restart. Returns how many were queued."""
        now = self.clock.now().isoformat()
        queued = 0
        with self.db.transaction():
            for request_id, item in reminders:
                marked = self.db.execute(
                    "UPDATE checkin_requests SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL", (now, request_id)
                ).rowcount
                if marked:
                    queued += self.outbox.enqueue([item])
        return queued

    def set_away(self, identity: str, until: datetime) -> None:
        self.announce_away([identity], until)

    def announce_away(self, identities: Iterable[str], until: datetime, *, request_id: int | None = None, **fields: Any) -> None:
        """No check-ins for these identities until `until`; the open request, if given, is closed with
        `fields` (e.g. status='skipped') in the same transaction."""
        with self.db.transaction():
            for identity in dict.fromkeys(identities):
                self.db.execute(
                    "INSERT INTO away (identity, until) VALUES (?, ?) ON CONFLICT (identity) DO UPDATE SET until = excluded.until",
                    (identity, until.isoformat()),
                )
            if request_id is not None:
                self._record(request_id, None, fields)

    def away(self) -> dict[str, datetime]:
        now = self.clock.now()
        result = {}
        for identity, until in self.db.execute("SELECT identity, until FROM away"):
            moment = datetime.fromisoformat(until)
            if moment > now:
                result[identity] = moment
        return result

    def cycles(self, limit: int = 6) -> list[tuple[int, datetime, list[CheckinRequest]]]:
        """The newest cycles, oldest first, each with its requests."""
        rows = self.db.execute("SELECT id, due_at FROM checkin_cycles ORDER BY due_at DESC LIMIT ?", (limit,)).fetchall()
        result = []
        for cycle_id, due_at in reversed(rows):
            requests = self.db.execute(
                f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE cycle_id = ? ORDER BY id", (cycle_id,)
            ).fetchall()
            result.append((cycle_id, datetime.fromisoformat(due_at), [_request(r) for r in requests]))
        return result


    def newcomers(self, cycle_id: int) -> set[int]:
        """The partners asked in this cycle who never answered an earlier check-in (still on record): they have
        not yet seen, or not yet read, what a first check-in tells."""
        rows = self.db.execute(
            "SELECT partner_id FROM checkin_requests WHERE cycle_id = ? AND partner_id NOT IN"
            " (SELECT partner_id FROM checkin_requests WHERE cycle_id <> ? AND status = 'answered')",
            (cycle_id, cycle_id),
        ).fetchall()
        return {row[0] for row in rows}

    def purge(self, before: datetime) -> int:
        """Remove the cycles due before `before` with every answer given in them; returns how many answers went."""
        with self.db.transaction():
            old = "SELECT id FROM checkin_cycles WHERE due_at < ?"
            removed = self.db.execute(f"DELETE FROM checkin_requests WHERE cycle_id IN ({old})", (before.isoformat(),)).rowcount
            self.db.execute("DELETE FROM checkin_cycles WHERE due_at < ?", (before.isoformat(),))
        return removed


def _question_keys(request: CheckinRequest) -> tuple[tuple[str, ...], str]:
    """The outbox messages that ask a request's question: the first one, the automatic reminder, and "later"."""
    return outbox_keys.question_keys(request.cycle_id, request.partner_id, request.id)
