"""A seeded dashboard view with numbers a test can look for: four rounds, three organisations, a stale map."""

from __future__ import annotations

from datetime import UTC, date, datetime

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
        meldingen=(
            Melding(date(2026, 12, 1), "Schuldhulp Utrecht", "Aanmeldingen blijven liggen", "gemeente en schuldhulp", "oktober"),
            Melding(date(2026, 11, 12), "Gemeente Zeist", "Geen vast aanspreekpunt", "wijkteam en corporatie", "de zomer",
                    answered_on=date(2026, 11, 14)),
        ),
    )


# --- a seeded database, for the dashboard that `ketenbot serve` mounts ------------------------------------

SEEDED_PARTNERS = (
    # name, organisation, topics, region, identity, answers per round (goal, commitment, need) or None
    ("Anouk", "Schuldhulp Utrecht", ("schuldhulp", "wonen"), "Utrecht", "slack:UANOUK",
     (("ja", 4, "we vertrouwen elkaar niet"), ("twijfel", 3, ""), ("twijfel", 2, "geen tijd en capaciteit"))),
    ("Bram", "Gemeente Zeist", ("schuldhulp",), "Zeist", "teams:29:bram",
     (("ja", 5, ""), ("ja", 4, "we vertrouwen elkaar niet"), ("ja", 4, ""))),
    ("Carla", "Gemeente Zeist", ("jeugdzorg",), "Zeist", "console:carla",
     (("nee", 3, ""), None, ("ja", 3, "de privacyregels maken gegevens delen onmogelijk"))),
    ("Dirk", "Woningcorporatie Mooiland", ("wonen",), "Amersfoort", "web:dirk-sessie", (None, None, None)),
)
SEEDED_MILESTONE = "Eerste gezamenlijke casustafel"
SEEDED_REPORT = "Aanmeldingen voor schuldhulp blijven weken liggen"


def seed_chain(services, clock) -> None:
    """Four partners (Dirk's entry unconfirmed for seven months), three answered check-in rounds four weeks apart,
    a celebrated milestone of which 3 of 4 messages arrived, a milestone still ahead, a knelpunt report, and questions
    on two platforms."""
    from datetime import timedelta

    from bot.commitment import scheduler
    from bot.social.partner import Partner

    for name, organisation, topics, region, identity, _ in SEEDED_PARTNERS:
        services.partners.save(
            Partner(name=name, organisation=organisation, topics=topics, region=region, identities=(identity,)), consent_text="ja"
        )
    clock.advance(timedelta(days=210))
    for _, _, _, _, identity, _ in SEEDED_PARTNERS[:3]:
        services.partners.confirm(identity)
    knelpunten = {"we vertrouwen elkaar niet": "knelpunt-1", "geen tijd en capaciteit": "knelpunt-7"}
    for number in range(3):
        scheduler.start_cycle(services, clock.now())
        for _, _, _, _, identity, answers in SEEDED_PARTNERS:
            answer = answers[number]
            request = services.checkins.open_for(identity)
            if answer is not None and request is not None:
                goal, commitment, need = answer
                services.checkins.record(
                    request.id, goal=goal, commitment=commitment, need=need, knelpunt=knelpunten.get(need), status="answered"
                )
        clock.advance(timedelta(weeks=4))
    reached = services.milestones.add(SEEDED_MILESTONE)
    services.milestones.mark_reached(reached.id)
    services.milestones.celebrate(
        reached.id, created_by="console:regisseur", messages=[(p[4], {"text": "Mijlpaal bereikt!"}) for p in SEEDED_PARTNERS]
    )
    for delivery in services.outbox.claim(("slack", "teams", "console"), 10):
        services.outbox.sent(delivery.id)
    services.milestones.add("Convenant getekend", due_on="2027-06-01")
    services.knelpunt_reports.add(
        "slack:UANOUK", "Schuldhulp Utrecht", stuck=SEEDED_REPORT, between="gemeente en schuldhulp", since="oktober"
    )
    for platform, questions in (("slack", 5), ("web", 2)):
        for _ in range(questions):
            services.questions.count(platform, clock.now().date())
