"""The numbers behind the chain director's dashboard, counted by the database: one query per part.

Only counts and averages leave this module (and the organisation names they belong to); no answer text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from social_map.approvals import VISIBLE
from social_map.database import Database


@dataclass(frozen=True)
class RoundFigures:
    cycle_id: int
    due_at: datetime
    sent: int
    answered: int
    goal_ja: int
    goal_twijfel: int
    goal_nee: int


@dataclass(frozen=True)
class MilestoneFigures:
    title: str
    reached_at: datetime | None
    celebrated_at: datetime | None
    queued: int
    delivered: int


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _marks(count: int) -> str:
    return ", ".join("?" * count)


class DashboardFigures:
    def __init__(self, db: Database) -> None:
        self.db = db

    def rounds(self, limit: int) -> list[RoundFigures]:
        """The newest `limit` rounds, oldest first: asked, answered, and the answers to "staat het doel nog?"."""
        rows = self.db.execute(
            "SELECT c.id, c.due_at, COUNT(r.id),"
            " COALESCE(SUM(r.status = 'answered'), 0),"
            " COALESCE(SUM(r.status = 'answered' AND r.goal = 'ja'), 0),"
            " COALESCE(SUM(r.status = 'answered' AND r.goal = 'twijfel'), 0),"
            " COALESCE(SUM(r.status = 'answered' AND r.goal = 'nee'), 0)"
            " FROM checkin_cycles c LEFT JOIN checkin_requests r ON r.cycle_id = c.id"
            " GROUP BY c.id, c.due_at ORDER BY c.due_at DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [RoundFigures(row[0], datetime.fromisoformat(row[1]), *row[2:]) for row in reversed(rows)]

    def commitment(self, cycle_ids: list[int]) -> dict[str, dict[int, float | None]]:
        """Per organisation asked in these rounds: its average commitment per round (None: nobody answered)."""
        if not cycle_ids:
            return {}
        rows = self.db.execute(
            "SELECT organisation, cycle_id, AVG(CASE WHEN status = 'answered' THEN commitment END)"
            f" FROM checkin_requests WHERE cycle_id IN ({_marks(len(cycle_ids))}) GROUP BY organisation, cycle_id",
            cycle_ids,
        ).fetchall()
        found: dict[str, dict[int, float | None]] = {}
        for organisation, cycle_id, average in rows:
            found.setdefault(organisation, {})[cycle_id] = average
        return dict(sorted(found.items()))

    def needs(self, cycle_ids: list[int]) -> list[tuple[str | None, int]]:
        """How many needs were named per knelpunt (None: none matched) in these rounds, most first."""
        if not cycle_ids:
            return []
        return [
            (knelpunt, count)
            for knelpunt, count in self.db.execute(
                "SELECT knelpunt, COUNT(*) FROM checkin_requests"
                f" WHERE cycle_id IN ({_marks(len(cycle_ids))}) AND need IS NOT NULL AND need <> ''"
                " GROUP BY knelpunt ORDER BY COUNT(*) DESC, knelpunt",
                cycle_ids,
            ).fetchall()
        ]

    def published_partners(self) -> list[tuple[str, str, datetime]]:
        """(topics joined by ';', region, confirmed at) of every entry on the map that is not hidden."""
        rows = self.db.execute(
            f"SELECT topics, region, confirmed_at FROM partners p WHERE {VISIBLE}"
        ).fetchall()
        return [(topics, region, datetime.fromisoformat(confirmed)) for topics, region, confirmed in rows]

    def milestones(self) -> list[MilestoneFigures]:
        """Every milestone with the messages its celebration queued and how many of them arrived."""
        rows = self.db.execute(
            "SELECT m.title, m.reached_at, m.celebrated_at, COUNT(o.id), COALESCE(SUM(o.status = 'sent'), 0)"
            " FROM milestones m LEFT JOIN broadcasts b ON b.subject = m.title LEFT JOIN outbox o ON o.broadcast_id = b.id"
            " GROUP BY m.id, m.title, m.reached_at, m.celebrated_at, m.due_on ORDER BY m.due_on, m.id"
        ).fetchall()
        return [MilestoneFigures(row[0], _moment(row[1]), _moment(row[2]), row[3], row[4]) for row in rows]
