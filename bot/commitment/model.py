"""Domain objects of commitment work: check-in schedule and requests, milestones."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.language.dates import Rhythm


@dataclass(frozen=True)
class Schedule:
    rhythm: Rhythm
    next_at: datetime
    reminder_days: int


@dataclass(frozen=True)
class CheckinRequest:
    id: int
    cycle_id: int
    partner_id: int
    identity: str
    organisation: str
    status: str
    sent_at: datetime
    reminded_at: datetime | None
    answered_at: datetime | None
    goal: str | None
    commitment: int | None
    need: str | None
    knelpunt: str | None


@dataclass(frozen=True)
class Milestone:
    id: int
    title: str
    due_on: str
    description: str
    reached_at: datetime | None
    celebrated_at: datetime | None
