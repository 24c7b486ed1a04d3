"""Benchmark: rendering the chain director's dashboard for a large chain, against a plain baseline.

Run by hand:  .venv/bin/python bench/dashboard_bench.py [--partners 500] [--rounds 26] [--answers 10000] [--runs 30]

The view is aggregated here from synthetic check-in answers (a fixed random seed), the way the stores will
aggregate them: every round, every organisation's commitment per round, the goal answers, the needs of the
last three rounds, the social map by topic and region, half a year of questions per platform, milestones.
Each case runs `--runs` times after one warm-up run; the table shows the median and the slowest run, and each
case's median as a multiple of the baseline's (the same view written as JSON, the least any page must do).

Then the comparison the issue asks for: the same answers stored in a real SQLite file through the stores, and
`ketenbot serve`'s application on 127.0.0.1: GET /dashboard over HTTP (with a director's session) against GET
/healthz plus one report query (the newest rounds with their requests, as "rapport" reads them), in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

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
from adapters.wiring import build_runtime
from bot.clock import FixedClock
from bot.config import Settings
from bot.social.partner import Partner

PARTNERS_PER_ORGANISATION = 12
TOPICS = 30
REGIONS = 12
KNELPUNTEN = 9
PLATFORMS = ("slack", "teams", "web", "console")
QUESTION_WEEKS = 26
MILESTONES = 10
FIRST_ROUND = date(2025, 1, 6)
DIRECTOR = "console:regisseur"


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


def seed_database(settings: Settings, clock: FixedClock, partners: int, rounds: int, answers: list[Answer]) -> None:
    """The same chain in a real SQLite file, through the stores: partners on the map, a cycle every four weeks, the
    answers recorded as partners give them."""
    rng = random.Random(17)
    with build_runtime(settings, clock=clock) as runtime:
        services = runtime.services
        ids = []
        for p in range(partners):
            partner = services.partners.save(
                Partner(
                    name=f"Partner {p}", organisation=f"Organisatie {p // PARTNERS_PER_ORGANISATION + 1:02d}",
                    topics=tuple(f"onderwerp {rng.randrange(TOPICS) + 1}" for _ in range(2)),
                    region=f"regio {rng.randrange(REGIONS) + 1}", identities=(f"slack:U{p:05d}",),
                ),
                consent_text="ja",
            )
            ids.append((partner.id, f"slack:U{p:05d}", partner.organisation))
        by_round: dict[int, list[Answer]] = defaultdict(list)
        for answer in answers:
            by_round[answer.round].append(answer)
        for number in range(rounds):
            _, requests = services.checkins.start_cycle(clock.now(), ids, next_at=None)
            request_of = {r.partner_id: r.id for r in requests}
            for answer in by_round[number]:
                need = f"hulp bij knelpunt {answer.knelpunt + 1}" if answer.knelpunt is not None else ""
                services.checkins.record(
                    request_of[ids[answer.partner][0]], goal=answer.goal, commitment=answer.commitment, need=need,
                    knelpunt=f"knelpunt-{answer.knelpunt + 1}" if answer.knelpunt is not None else None, status="answered",
                )
            for platform in PLATFORMS:
                for _ in range(rng.randrange(40)):
                    services.questions.count(platform, clock.now().date())
            clock.advance(timedelta(weeks=4))
        for m in range(MILESTONES):
            milestone = services.milestones.add(f"Mijlpaal {m + 1}")
            services.milestones.mark_reached(milestone.id)


async def served(settings: Settings, clock: FixedClock, runs: int) -> list[tuple[str, list[float]]]:
    """GET /dashboard over HTTP against GET /healthz plus one report query, on one server in the same run."""
    from aiohttp import ClientSession
    from aiohttp.test_utils import TestServer

    from adapters.server import RUNTIME, create_app
    from bot.commitment.report import build_report

    server = TestServer(create_app(settings, clock=clock), host="127.0.0.1", port=None)
    await server.start_server()
    runtime = server.app[RUNTIME]
    session = runtime.dashboard.redeem(runtime.dashboard.issue_link(DIRECTOR))
    cookie = {"Cookie": f"ketenbot_dashboard={session.token}"}
    try:
        async with ClientSession() as http:

            async def get(path: str, headers: dict[str, str] | None = None) -> int:
                async with http.get(server.make_url(path), headers=headers) as response:
                    body = await response.read()
                    assert response.status == 200, (path, response.status)
                    return len(body)

            async def baseline() -> None:
                await get("/healthz")
                build_report(runtime.services.checkins.cycles())

            async def page() -> None:
                await get("/dashboard", cookie)

            results = []
            for name, run in (("baseline: GET /healthz + one report query", baseline), ("GET /dashboard", page)):
                await run()  # warm-up
                timings = []
                for _ in range(runs):
                    start = time.perf_counter()
                    await run()
                    timings.append((time.perf_counter() - start) * 1000)
                results.append((name, timings))
            print(f"served page: {await get('/dashboard', cookie) / 1024:.0f} KiB")
            return results
    finally:
        await server.close()


def table(rows: list[tuple[str, list[float]]]) -> None:
    print(f"{'case':<44} {'median ms':>10} {'slowest ms':>11} {'× baseline':>11}")
    baseline = statistics.median(rows[0][1])
    for name, timings in rows:
        median = statistics.median(timings)
        print(f"{name:<44} {median:>10.2f} {max(timings):>11.2f} {median / baseline:>11.1f}")


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
    table([(case.name, measure(case, args.runs)) for case in cases(view)])
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(db_path=Path(folder) / "ketenbot.db", directors=frozenset({DIRECTOR}))
        clock = FixedClock(datetime.combine(FIRST_ROUND, datetime.min.time(), UTC).replace(hour=9))
        started = time.perf_counter()
        seed_database(settings, clock, args.partners, args.rounds, answers)
        print(f"\nseeded SQLite in {time.perf_counter() - started:.1f} s; served by `ketenbot serve`'s application:")
        table(asyncio.run(served(settings, clock, args.runs)))


if __name__ == "__main__":
    main()
