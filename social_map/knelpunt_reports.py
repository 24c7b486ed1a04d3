"""Knelpunt reports from partners: what is stuck, between which organisations, since when; and the director's
answer, queued for the reporter in the same transaction that records it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock
from social_map.database import Database
from social_map.outbox import Outbox

COLUMNS = "id, reporter, organisation, stuck, between_organisations, since, created_at, answer, answered_by, answered_at"


@dataclass(frozen=True)
class KnelpuntReport:
    id: int
    reporter: str
    organisation: str
    stuck: str
    between: str
    since: str
    created_at: datetime
    answer: str | None = None
    answered_by: str | None = None
    answered_at: datetime | None = None


def _report(row: tuple[Any, ...]) -> KnelpuntReport:
    return KnelpuntReport(
        row[0], row[1], row[2], row[3], row[4], row[5], datetime.fromisoformat(row[6]), row[7], row[8],
        datetime.fromisoformat(row[9]) if row[9] else None,
    )


def forget(db: Database, identities: Iterable[str]) -> None:
    """The reports a person made (erasure)."""
    db.executemany("DELETE FROM knelpunt_reports WHERE reporter = ?", [(identity,) for identity in identities])


class KnelpuntReports:
    def __init__(self, db: Database, *, clock: Clock, outbox: Outbox) -> None:
        self.db = db
        self.clock = clock
        self.outbox = outbox

    def add(self, reporter: str, organisation: str, *, stuck: str, between: str, since: str) -> KnelpuntReport:
        row = self.db.execute(
            "INSERT INTO knelpunt_reports (reporter, organisation, stuck, between_organisations, since, created_at)"
            f" VALUES (?, ?, ?, ?, ?, ?) RETURNING {COLUMNS}",
            (reporter, organisation, stuck, between, since, self.clock.now().isoformat()),
        ).fetchone()
        return _report(row)

    def get(self, report_id: int) -> KnelpuntReport | None:
        row = self.db.execute(f"SELECT {COLUMNS} FROM knelpunt_reports WHERE id = ?", (report_id,)).fetchone()
        return _report(row) if row else None

    def recent(self, limit: int = 20) -> list[KnelpuntReport]:
        """The newest reports first, unanswered ones before answered ones."""
        rows = self.db.execute(
            f"SELECT {COLUMNS} FROM knelpunt_reports ORDER BY answer IS NOT NULL, id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [_report(row) for row in rows]

    def answer(self, report_id: int, text: str, *, by: str, key: str, payload: dict[str, Any]) -> bool:
        """Record the answer and queue `payload` for the reporter under `key`, in one transaction; False when the
        report does not exist or was answered already."""
        with self.db.transaction():
            answered = self.db.execute(
                "UPDATE knelpunt_reports SET answer = ?, answered_by = ?, answered_at = ? WHERE id = ? AND answer IS NULL",
                (text, by, self.clock.now().isoformat(), report_id),
            ).rowcount
            if not answered:
                return False
            (reporter,) = self.db.execute("SELECT reporter FROM knelpunt_reports WHERE id = ?", (report_id,)).fetchone()
            self.outbox.enqueue([(key, reporter, payload)])
        return True
