"""Benchmark: rendering the chain director's dashboard for a large chain, against a plain baseline.

Run by hand:  .venv/bin/python bench/dashboard_bench.py [--partners 500] [--rounds 26] [--answers 10000] [--runs 30]

The view is aggregated here from synthetic check-in answers (a fixed random seed), the way the stores will
aggregate them: every round, every organisation's commitment per round, the goal answers, the needs of the
last three rounds, the social map by topic and region, half a year of questions per platform, milestones.
Each case runs `--runs` times after one warm-up run; the table shows the median and the slowest run, and each
case's median as a multiple of the baseline's (the same view written as JSON, the least any page must do).

Extending: a case is a name and a function without arguments. The comparison the issue asks for (GET
/dashboard over HTTP against GET /healthz plus one report query, in the same run) adds its cases to `cases()`.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from adapters.web.dashboard.render import render_dashboard
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

PARTNERS_PER_ORGANISATION = 12
TOPICS = 30
REGIONS = 12
KNELPUNTEN = 9
PLATFORMS = ("slack", "teams", "web", "console")
QUESTION_WEEKS = 26
MILESTONES = 10
FIRST_ROUND = date(2025, 1, 6)


@dataclass(frozen=True)
class Answer:
    round: int
    partner: int
    goal: str
    commitment: int
    knelpunt: int | None


def synthetic_answers(partners: int, rounds: int, answers: int, rng: random.Random) -> list[Answer]:
    """`answers` check-in answers spread evenly over the rounds, each partner at most once per round."""
    per_round = [answers // rounds + (1 if r < answers % rounds else 0) for r in range(rounds)]
    found = []
    for number, count in enumerate(per_round):
        for partner in rng.sample(range(partners), min(count, partners)):
            goal = rng.choices(("ja", "twijfel", "nee"), weights=(7, 2, 1))[0]
            knelpunt = rng.randrange(KNELPUNTEN) if rng.random() < 0.4 else None
            found.append(Answer(number, partner, goal, rng.randint(1, 5), knelpunt))
    return found


def aggregate(partners: int, rounds: int, answers: list[Answer], rng: random.Random) -> DashboardView:
    """The dashboard's view of these answers, as the stores will fill it."""
    organisation = [f"Organisatie {p // PARTNERS_PER_ORGANISATION + 1:02d}" for p in range(partners)]
    days = [FIRST_ROUND + timedelta(weeks=4 * r) for r in range(rounds)]
    goals: dict[int, Counter[str]] = defaultdict(Counter)
    scores: dict[tuple[str, int], list[int]] = defaultdict(list)
    for answer in answers:
        goals[answer.round][answer.goal] += 1
        scores[organisation[answer.partner], answer.round].append(answer.commitment)
    round_views = tuple(
        Round(
            days[r],
            sent=partners,
            answered=sum(goals[r].values()),
            goal=GoalAnswers(goals[r]["ja"], goals[r]["twijfel"], goals[r]["nee"]),
        )
        for r in range(rounds)
    )
    commitment = tuple(
        OrganisationCommitment(
            name, tuple(statistics.fmean(scores[name, r]) if scores[name, r] else None for r in range(rounds))
        )
        for name in sorted(set(organisation))
    )
    recent = [a for a in answers if a.round >= rounds - 3 and a.knelpunt is not None]
    needs = Counter(f"Knelpunt {a.knelpunt + 1}" for a in recent)
    warnings = tuple(
        EarlyWarning(
            organisation[a.partner], f"slack:U{a.partner:05d}", "twijfel over het doel en commitment 2"
        )
        for a in answers
        if a.round == rounds - 1 and a.goal != "ja" and a.commitment <= 2
    )
    return DashboardView(
        generated_at=datetime.combine(days[-1], datetime.min.time(), UTC),
        rounds=round_views,
        commitment=commitment,
        needs=Needs(tuple(days[-3:]), tuple(Count(k, n) for k, n in sorted(needs.items()))),
        warnings=warnings,
        advice=Advice("Vroege signalen", ("Bespreek het doel opnieuw", "Maak afspraken over rollen")),
        social_map=_social_map(partners, rng),
        questions=_questions(days[-1], rng),
        milestones=tuple(
            Milestone(
                f"Mijlpaal {m + 1}", days[2 * m], days[2 * m] + timedelta(days=1), partners, partners - m
            )
            for m in range(MILESTONES)
        ),
    )


def _social_map(partners: int, rng: random.Random) -> SocialMap:
    topics = Counter(f"onderwerp {rng.randrange(TOPICS) + 1}" for _ in range(partners * 2))
    regions = Counter(f"regio {rng.randrange(REGIONS) + 1}" for _ in range(partners))
    return SocialMap(
        partners=partners,
        by_topic=tuple(Count(k, n) for k, n in topics.most_common()),
        by_region=tuple(Count(k, n) for k, n in regions.most_common()),
        stale=partners // 9,
    )


def _questions(last: date, rng: random.Random) -> Questions:
    monday = last - timedelta(days=last.weekday())
    weeks = tuple(
        QuestionWeek(monday - timedelta(weeks=w), tuple(rng.randrange(400) for _ in PLATFORMS))
        for w in reversed(range(QUESTION_WEEKS))
    )
    return Questions(PLATFORMS, weeks)


@dataclass(frozen=True)
class Case:
    name: str
    run: Callable[[], object]


def cases(view: DashboardView) -> list[Case]:
    """The baseline first: the same view as JSON."""
    return [
        Case("baseline: the view as JSON", lambda: json.dumps(asdict(view), default=str)),
        Case("render the dashboard (HTML + SVG)", lambda: render_dashboard(view)),
    ]


def measure(case: Case, runs: int) -> list[float]:
    case.run()  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        case.run()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partners", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=26)
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(16)
    answers = synthetic_answers(args.partners, args.rounds, args.answers, rng)
    view = aggregate(args.partners, args.rounds, answers, rng)
    html = render_dashboard(view)
    print(
        f"{args.partners} partners in {len(view.commitment)} organisations, {args.rounds} rounds, {len(answers)} answers;"
        f" page {len(html) / 1024:.0f} KiB with {html.count('<svg')} charts; {args.runs} runs per case"
    )
    print(f"{'case':<40} {'median ms':>10} {'slowest ms':>11} {'× baseline':>11}")
    baseline = None
    for case in cases(view):
        timings = measure(case, args.runs)
        median = statistics.median(timings)
        baseline = baseline or median
        print(f"{case.name:<40} {median:>10.2f} {max(timings):>11.2f} {median / baseline:>11.1f}")


if __name__ == "__main__":
    main()
