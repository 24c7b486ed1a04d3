"""How many questions people asked, per week (its Monday) and platform: a number, never a text or a person."""

from __future__ import annotations

from datetime import date, timedelta

from social_map.database import Database


def week_of(day: date) -> date:
    """The Monday of the week of this day."""
    return day - timedelta(days=day.weekday())


class QuestionCounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    def count(self, platform: str, day: date) -> None:
        self.db.execute(
            "INSERT INTO question_counts (week_of, platform, questions) VALUES (?, ?, 1)"
            " ON CONFLICT (week_of, platform) DO UPDATE SET questions = question_counts.questions + 1",
            (week_of(day).isoformat(), platform),
        )

    def weeks(self, since: date) -> list[tuple[date, str, int]]:
        """(week's Monday, platform, questions) from the week of `since` on, oldest first."""
        rows = self.db.execute(
            "SELECT week_of, platform, questions FROM question_counts WHERE week_of >= ? ORDER BY week_of, platform",
            (week_of(since).isoformat(),),
        ).fetchall()
        return [(date.fromisoformat(week), platform, count) for week, platform, count in rows]
