"""Check-in schedule, cycles and answers in SQLite: one request per partner per cycle, ever."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from bot.clock import Clock
from bot.commitment.model import CheckinRequest, Schedule
from bot.language.dates import Rhythm
from social_map.db import transaction
from social_map.outbox import replace_pending, withdraw_pending

CLOSED = ("answered", "skipped", "expired")
# Outbox messages that ask a request's question: the first one, the automatic reminder, and "later".
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


class CheckinStore:
    def __init__(self, db: sqlite_utils.Database, *, clock: Clock) -> None:
        self.db = db
        self.clock = clock

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
            " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET every_weeks = excluded.every_weeks,"
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
        with transaction(self.db) as conn:
            conn.execute("INSERT OR IGNORE INTO checkin_cycles (due_at, started_at) VALUES (?, ?)", (due_at.isoformat(), now))
            cycle_id = conn.execute("SELECT id FROM checkin_cycles WHERE due_at = ?", (due_at.isoformat(),)).fetchone()[0]
            older = conn.execute(
                f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE status = 'open'"
                " AND cycle_id IN (SELECT id FROM checkin_cycles WHERE due_at < ?)",
                (due_at.isoformat(),),
            ).fetchall()
            for request in map(_request, older):
                conn.execute("UPDATE checkin_requests SET status = 'expired' WHERE id = ?", (request.id,))
                withdraw_pending(conn, *_question_keys(request))
            for partner_id, identity, organisation in partners:
                conn.execute(
                    "INSERT OR IGNORE INTO checkin_requests (cycle_id, partner_id, identity, organisation, sent_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (cycle_id, partner_id, identity, organisation, now),
                )
            if next_at is not None:
                conn.execute("UPDATE checkin_schedule SET next_at = ? WHERE id = 1", (next_at.isoformat(),))
            rows = conn.execute(f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE cycle_id = ? ORDER BY id", (cycle_id,)).fetchall()
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
        with transaction(self.db) as conn:
            self._record(conn, request_id, reminder, fields)

    def _record(self, conn: sqlite3.Connection, request_id: int, reminder: dict[str, Any] | None, fields: dict[str, Any]) -> None:
        allowed = {"goal", "commitment", "need", "knelpunt", "status"}
        sets = {k: v for k, v in fields.items() if k in allowed}
        if sets.get("status") in ("answered", "skipped"):
            sets["answered_at"] = self.clock.now().isoformat()
        if sets:
            assignments = ", ".join(f"{k} = :{k}" for k in sets)
            conn.execute(f"UPDATE checkin_requests SET {assignments} WHERE id = :id", {**sets, "id": request_id})
        row = conn.execute(f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE id = ?", (request_id,)).fetchone()
        if row is None:
            return
        request = _request(row)
        keys, pattern = _question_keys(request)
        if request.status in CLOSED:
            withdraw_pending(conn, keys, pattern)
        elif reminder is not None:
            replace_pending(conn, keys, pattern, reminder)

    def due_reminders(self, reminder_days: int) -> list[CheckinRequest]:
        cutoff = (self.clock.now() - timedelta(days=reminder_days)).isoformat()
        rows = self.db.execute(
            f"SELECT {REQUEST_COLUMNS} FROM checkin_requests WHERE status = 'open' AND reminded_at IS NULL AND sent_at <= ?"
            " ORDER BY id",
            (cutoff,),
        ).fetchall()
        return [_request(r) for r in rows]

    def mark_reminded(self, request_id: int) -> None:
        self.db.execute("UPDATE checkin_requests SET reminded_at = ? WHERE id = ?", (self.clock.now().isoformat(), request_id))

    def set_away(self, identity: str, until: datetime) -> None:
        self.announce_away([identity], until)

    def announce_away(self, identities: Iterable[str], until: datetime, *, request_id: int | None = None, **fields: Any) -> None:
        """No check-ins for these identities until `until`; the open request, if given, is closed with
        `fields` (e.g. status='skipped') in the same transaction."""
        with transaction(self.db) as conn:
            for identity in dict.fromkeys(identities):
                conn.execute(
                    "INSERT INTO away (identity, until) VALUES (?, ?) ON CONFLICT(identity) DO UPDATE SET until = excluded.until",
                    (identity, until.isoformat()),
                )
            if request_id is not None:
                self._record(conn, request_id, None, fields)

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


def _question_keys(request: CheckinRequest) -> tuple[tuple[str, str], str]:
    """The outbox keys (and the pattern of the 'later' ones) under which bot/commitment/scheduler.py and bot/commitment/checkin.py queue
    this request's questions."""
    return (f"checkin:{request.cycle_id}:{request.partner_id}", f"checkin-reminder:{request.id}"), f"checkin-later:{request.id}:%"
