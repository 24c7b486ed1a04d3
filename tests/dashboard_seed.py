"""A seeded dashboard view with numbers a test can look for: four rounds, three organisations, a stale map."""

from __future__ import annotations

from datetime import UTC, date, datetime

from adapters.web.dashboard.view import (
    Advice,
    Count,
    DashboardView,
    EarlyWarning,
    GoalAnswers,
    Milestone,
    Needs,
    OrganisationCommitment,
    Questions,
    QuestionWeek,
    Round,
    SocialMap,
)

ROUNDS = (
    Round(date(2026, 9, 7), sent=12, answered=9, goal=GoalAnswers(yes=7, doubt=2, no=0)),
    Round(date(2026, 10, 5), sent=12, answered=10, goal=GoalAnswers(yes=6, doubt=3, no=1)),
    Round(date(2026, 11, 2), sent=12, answered=8, goal=GoalAnswers(yes=5, doubt=1, no=2)),
    Round(date(2026, 11, 30), sent=13, answered=11, goal=GoalAnswers(yes=8, doubt=2, no=1)),
)


def seeded_view() -> DashboardView:
    return DashboardView(
        generated_at=datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
        rounds=ROUNDS,
        commitment=(
            OrganisationCommitment("Gemeente Zeist", (4.0, 3.5, 3.25, 3.75)),
            OrganisationCommitment("Schuldhulp Utrecht", (3.0, None, 2.0, 2.5)),
            OrganisationCommitment("Woningcorporatie Mooiland", (4.5, 4.5, 5.0, 4.8)),
        ),
        needs=Needs(
            rounds=(date(2026, 10, 5), date(2026, 11, 2), date(2026, 11, 30)),
            per_knelpunt=(
                Count("Gebrek aan vertrouwen", 6),
                Count("Onduidelijke rollen", 3),
                Count("Overig", 1),
            ),
        ),
        warnings=(
            EarlyWarning("Schuldhulp Utrecht", "slack:U0SCHULD", "twijfel over het doel en commitment 2"),
            EarlyWarning("Gemeente Zeist", "teams:29:zeist", "twee keer op rij geen antwoord"),
        ),
        advice=Advice("Vroege signalen", ("Bespreek het doel opnieuw", "Maak afspraken over rollen")),
        social_map=SocialMap(
            partners=48,
            by_topic=(
                Count("schuldhulp", 17),
                Count("jeugdzorg", 12),
                Count("wonen", 9),
                Count("werk en inkomen", 10),
            ),
            by_region=(Count("Zeist", 21), Count("Utrecht", 19), Count("Amersfoort", 8)),
            stale=7,
        ),
        questions=Questions(
            platforms=("slack", "teams", "web"),
            weeks=(
                QuestionWeek(date(2026, 11, 16), (980, 102, 21)),
                QuestionWeek(date(2026, 11, 23), (1120, 96, 18)),
                QuestionWeek(date(2026, 11, 30), (1045, 88, 30)),
            ),
        ),
        milestones=(
            Milestone(
                "Eerste gezamenlijke casustafel",
                date(2026, 10, 12),
                date(2026, 10, 13),
                queued=14,
                delivered=12,
            ),
            Milestone("Convenant getekend", date(2026, 11, 20)),
            Milestone("Eén loket voor schulden"),
        ),
    )
