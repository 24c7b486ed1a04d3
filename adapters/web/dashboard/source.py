"""The dashboard's view of the real data: the figures the database counts, the report's early warnings, the
knowledge base's advice and titles. Called once per page view."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from adapters.web.dashboard.view import (
    Advice,
    Count,
    DashboardView,
    EarlyWarning,
    GoalAnswers,
    Melding,
    Milestone,
    Needs,
    OrganisationCommitment,
    Questions,
    QuestionWeek,
    Round,
    SocialMap,
)
from bot.commitment.report import NEED_CYCLES, advice, build_report, knelpunt_title
from bot.language.dates import LOCAL
from bot.services import Services
from social_map.dashboard_figures import DashboardFigures
from social_map.question_counts import QuestionCounts, week_of

ROUNDS = 26
QUESTION_WEEKS = 26


class DashboardSource:
    def __init__(self, figures: DashboardFigures, questions: QuestionCounts, services: Services) -> None:
        self.figures = figures
        self.questions = questions
        self.services = services

    def __call__(self) -> DashboardView:
        services = self.services
        rounds = self.figures.rounds(ROUNDS)
        ids = [r.cycle_id for r in rounds]
        commitment = self.figures.commitment(ids)
        found = advice(services.knowledge)
        return DashboardView(
            generated_at=services.clock.now(),
            rounds=tuple(
                Round(r.due_at.astimezone(LOCAL).date(), r.sent, r.answered, GoalAnswers(r.goal_ja, r.goal_twijfel, r.goal_nee))
                for r in rounds
            ),
            commitment=tuple(
                OrganisationCommitment(organisation, tuple(averages.get(cycle_id) for cycle_id in ids))
                for organisation, averages in commitment.items()
            ),
            needs=self._needs(rounds[-NEED_CYCLES:]),
            warnings=tuple(
                EarlyWarning(w.organisation, w.identity, w.reason) for w in build_report(services.checkins.cycles()).warnings
            ),
            advice=Advice(found[0], tuple(found[1])) if found else None,
            social_map=self._social_map(),
            questions=self._questions(),
            meldingen=tuple(
                Melding(
                    r.created_at.astimezone(LOCAL).date(), r.organisation, r.stuck, r.between, r.since,
                    r.answered_at.astimezone(LOCAL).date() if r.answered_at else None,
                )
                for r in services.knelpunt_reports.recent()
            ),
            milestones=tuple(
                Milestone(
                    m.title,
                    m.reached_at.astimezone(LOCAL).date() if m.reached_at else None,
                    m.celebrated_at.astimezone(LOCAL).date() if m.celebrated_at else None,
                    m.queued,
                    m.delivered,
                )
                for m in self.figures.milestones()
            ),
        )

    def _needs(self, rounds: list) -> Needs:
        counts = self.figures.needs([r.cycle_id for r in rounds])
        return Needs(
            rounds=tuple(r.due_at.astimezone(LOCAL).date() for r in rounds),
            per_knelpunt=tuple(Count(knelpunt_title(k, self.services.knowledge), n) for k, n in counts),
        )

    def _social_map(self) -> SocialMap:
        entries = self.figures.published_partners()
        topics: Counter[str] = Counter()
        regions: Counter[str] = Counter()
        stale_before = self.services.clock.now() - self.services.confirm_after
        for joined, region, _ in entries:
            topics.update({t.strip() for t in joined.split(";") if t.strip()})
            if region.strip():
                regions[region.strip()] += 1
        return SocialMap(
            partners=len(entries),
            by_topic=tuple(Count(label, n) for label, n in sorted(topics.items(), key=lambda item: (-item[1], item[0]))),
            by_region=tuple(Count(label, n) for label, n in sorted(regions.items(), key=lambda item: (-item[1], item[0]))),
            stale=sum(1 for _, _, confirmed in entries if confirmed < stale_before),
            stale_after_days=self.services.confirm_after.days,
        )

    def _questions(self) -> Questions:
        today = self.services.clock.now().astimezone(LOCAL).date()
        first = week_of(today) - timedelta(weeks=QUESTION_WEEKS - 1)
        rows = self.questions.weeks(first)
        if not rows:
            return Questions()
        platforms = tuple(sorted({platform for _, platform, _ in rows}))
        counts = {(week, platform): n for week, platform, n in rows}
        # From the first week with questions on, so a new chain's chart is not mostly empty weeks.
        start, end = rows[0][0], week_of(today)
        weeks = [start + timedelta(weeks=n) for n in range((end - start).days // 7 + 1)]
        return Questions(
            platforms=platforms,
            weeks=tuple(QuestionWeek(week, tuple(counts.get((week, p), 0) for p in platforms)) for week in weeks),
        )
