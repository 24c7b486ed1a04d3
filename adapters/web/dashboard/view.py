"""What the dashboard shows, as plain numbers, dates and names: the renderers' only input.

The stores fill it (one query per part); the renderers turn it into HTML and SVG. Numbers stay numbers
here: Dutch notation (decimal comma, "3 december 2026") belongs to rendering. Rounds are oldest first, and
every per-round sequence is aligned with `DashboardView.rounds`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

COMMITMENT_MIN, COMMITMENT_MAX = 1, 5


class ViewError(ValueError):
    """The view does not hold together (a filler's mistake, never a user's)."""


@dataclass(frozen=True)
class GoalAnswers:
    """The answers to "staat het doel nog?" in one round."""

    yes: int = 0
    doubt: int = 0
    no: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.doubt + self.no


@dataclass(frozen=True)
class Round:
    """One check-in round: how many were asked, how many answered, and what they said about the goal."""

    due_on: date
    sent: int
    answered: int
    goal: GoalAnswers = GoalAnswers()

    def __post_init__(self) -> None:
        if not 0 <= self.answered <= self.sent:
            raise ViewError(f"round {self.due_on}: answered {self.answered} of {self.sent}")
        if self.goal.total > self.answered:
            raise ViewError(
                f"round {self.due_on}: {self.goal.total} goal answers from {self.answered} answers"
            )

    @property
    def response_rate(self) -> float | None:
        """Answered as a fraction of sent; None for a round that asked nobody."""
        return self.answered / self.sent if self.sent else None


@dataclass(frozen=True)
class OrganisationCommitment:
    """An organisation's average commitment (1 to 5) in each round; None where nobody of it answered."""

    organisation: str
    averages: tuple[float | None, ...]

    def __post_init__(self) -> None:
        for value in self.averages:
            if value is not None and not COMMITMENT_MIN <= value <= COMMITMENT_MAX:
                raise ViewError(
                    f"{self.organisation}: commitment {value} outside {COMMITMENT_MIN}-{COMMITMENT_MAX}"
                )


@dataclass(frozen=True)
class Count:
    """A label and how many: partners per topic or region, needs per knelpunt."""

    label: str
    count: int


@dataclass(frozen=True)
class Needs:
    """How often partners named a need under each knelpunt, over the rounds listed (the last three)."""

    rounds: tuple[date, ...] = ()
    per_knelpunt: tuple[Count, ...] = ()


@dataclass(frozen=True)
class EarlyWarning:
    organisation: str
    identity: str
    reason: str


@dataclass(frozen=True)
class Advice:
    """What the knowledge base advises on early warnings: a knelpunt's title and its first solutions."""

    title: str
    solutions: tuple[str, ...]


@dataclass(frozen=True)
class SocialMap:
    """Coverage and freshness of the social map: published entries, by topic and region, and how many are stale."""

    partners: int = 0
    by_topic: tuple[Count, ...] = ()
    by_region: tuple[Count, ...] = ()
    # Entries not confirmed for more than `stale_after_days` (KETENBOT_CONFIRM_DAYS, 180 unless configured).
    stale: int = 0
    stale_after_days: int = 180

    def __post_init__(self) -> None:
        if not 0 <= self.stale <= self.partners:
            raise ViewError(f"{self.stale} stale entries of {self.partners}")


@dataclass(frozen=True)
class QuestionWeek:
    """Questions asked in the week starting on `week_of` (a Monday), per platform: counted, never their text."""

    week_of: date
    counts: tuple[int, ...]


@dataclass(frozen=True)
class Questions:
    platforms: tuple[str, ...] = ()
    weeks: tuple[QuestionWeek, ...] = ()

    def __post_init__(self) -> None:
        for week in self.weeks:
            if len(week.counts) != len(self.platforms):
                raise ViewError(
                    f"week of {week.week_of}: {len(week.counts)} counts for {len(self.platforms)} platforms"
                )


@dataclass(frozen=True)
class Milestone:
    """A milestone and its celebration: when reached and celebrated, and how many messages arrived of those queued."""

    title: str
    reached_on: date | None = None
    celebrated_on: date | None = None
    queued: int = 0
    delivered: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.delivered <= self.queued:
            raise ViewError(f"milestone {self.title!r}: delivered {self.delivered} of {self.queued}")


@dataclass(frozen=True)
class Melding:
    """A knelpunt a partner reported: when, from which organisation, what, between whom, since when, and whether
    the director answered (the answer itself goes to the reporter, not on the dashboard)."""

    reported_on: date
    organisation: str
    stuck: str
    between: str
    since: str
    answered_on: date | None = None


@dataclass(frozen=True)
class DashboardView:
    generated_at: datetime
    rounds: tuple[Round, ...] = ()
    commitment: tuple[OrganisationCommitment, ...] = ()
    needs: Needs = Needs()
    warnings: tuple[EarlyWarning, ...] = ()
    advice: Advice | None = None
    social_map: SocialMap = SocialMap()
    questions: Questions = Questions()
    milestones: tuple[Milestone, ...] = ()
    meldingen: tuple[Melding, ...] = ()

    def __post_init__(self) -> None:
        for line in self.commitment:
            if len(line.averages) != len(self.rounds):
                raise ViewError(
                    f"{line.organisation}: {len(line.averages)} averages for {len(self.rounds)} rounds"
                )
