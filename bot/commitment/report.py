"""The chain director's report: response per cycle, commitment and its trend, early warnings, recent needs.

A request that is still open and has not had its reminder yet counts neither as answered nor as
unanswered: on the day a new round goes out, the warnings of the rounds before it stay as they were.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.commitment.model import CheckinRequest
from bot.knowledge.model import KnowledgeBase
from bot.language.dates import LOCAL, MONTHS, local_date
from bot.language.numbers import decimal
from bot.language.spreadsheet import safe_row
from bot.messages import Reply

if TYPE_CHECKING:
    from bot.state import Turn

WARNING_KNELPUNT = "knelpunt-9"
DROP = 2
# "twijfel" or "nee" about the goal together with a commitment this low is an early warning.
LOW_COMMITMENT = 2
GOAL_ANSWERS = ("ja", "twijfel", "nee")
TREND_CYCLES = 3
NEED_CYCLES = 3
ADVICE_SOLUTIONS = 4
# Request statuses that mean "no answer": still open after its reminder, or closed when the next round went out.
UNANSWERED = ("open", "expired")

# What the director reads.
NO_CYCLES = "Er zijn nog geen check-ins gehouden. Stel een ritme in, bijvoorbeeld: check-in elke 4 weken op maandag om 9:00."
DROPPED = "commitment gedaald van {before} naar {after}"
SILENT = "twee keer op rij geen antwoord"
DOUBT = "{goal} op de vraag of het doel nog staat, en commitment {commitment}"
GOAL_LINE = "doel: {ja} ja, {twijfel} twijfel, {nee} nee"
NEEDS_HEADING = {1: "Wat partners nodig hebben (laatste ronde):"}
NEEDS_HEADING_MANY = "Wat partners nodig hebben (laatste {count} rondes, nieuwste eerst):"
NEED_LINE = "    • {need} (ronde van {day})"
OTHER = "Overig"

CSV_COLUMNS = (
    "section", "cycle_id", "due_at", "sent", "answered", "response_rate", "average_commitment",
    "goal_ja", "goal_twijfel", "goal_nee", "organisation", "identity", "reason", "knelpunt", "knelpunt_title", "need",
)


@dataclass
class CycleLine:
    cycle_id: int
    due_at: str
    sent: int
    answered: int
    response_rate: float
    average_commitment: float | None
    # The answers to "staat het doel nog?" among the answered requests.
    goal_ja: int = 0
    goal_twijfel: int = 0
    goal_nee: int = 0


@dataclass
class OrganisationRound:
    organisation: str
    cycle_id: int
    due_at: str
    average_commitment: float | None


@dataclass
class Warning:
    identity: str
    organisation: str
    reason: str


@dataclass
class Need:
    need: str
    cycle_id: int
    due_at: str


@dataclass
class Report:
    cycles: list[CycleLine] = field(default_factory=list)
    average_commitment: float | None = None
    organisations: dict[str, list[float | None]] = field(default_factory=dict)
    organisation_rounds: list[OrganisationRound] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    needs: dict[str, list[Need]] = field(default_factory=dict)
    need_cycles: int = 0


Cycles = list[tuple[int, datetime, list[CheckinRequest]]]


def _average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def build_report(cycles: Cycles) -> Report:
    """The report over the given cycles (oldest first, each with its requests)."""
    report = Report()
    all_scores: list[int] = []
    history: dict[int, list[CheckinRequest]] = defaultdict(list)
    for cycle_id, due_at, requests in cycles:
        answered = [r for r in requests if r.status == "answered"]
        scores = [r.commitment for r in answered if r.commitment is not None]
        all_scores += scores
        rate = round(len(answered) / len(requests), 3) if requests else 0.0
        goals = {f"goal_{goal}": sum(1 for r in answered if r.goal == goal) for goal in GOAL_ANSWERS}
        report.cycles.append(
            CycleLine(cycle_id, due_at.isoformat(), len(requests), len(answered), rate, _average(scores), **goals)
        )
        for r in requests:
            history[r.partner_id].append(r)
    report.average_commitment = _average(all_scores)
    report.organisation_rounds = _organisation_rounds(cycles)
    for line in report.organisation_rounds:
        report.organisations.setdefault(line.organisation, []).append(line.average_commitment)
    for requests in history.values():
        report.warnings += _warnings(requests)
    report.needs = _needs(cycles)
    report.need_cycles = min(NEED_CYCLES, len(cycles))
    return report


def _organisation_rounds(cycles: Cycles) -> list[OrganisationRound]:
    """Average commitment per organisation in each of its last TREND_CYCLES rounds, by organisation."""
    rounds: dict[str, list[OrganisationRound]] = defaultdict(list)
    for cycle_id, due_at, requests in cycles:
        scores: dict[str, list[int]] = defaultdict(list)
        for r in requests:
            if r.status == "answered" and r.commitment is not None:
                scores[r.organisation].append(r.commitment)
        for organisation in sorted({r.organisation for r in requests}):
            rounds[organisation].append(OrganisationRound(organisation, cycle_id, due_at.isoformat(), _average(scores[organisation])))
    return [line for organisation in sorted(rounds) for line in rounds[organisation][-TREND_CYCLES:]]


def _pending(request: CheckinRequest, *, newest: bool) -> bool:
    """Still open, not reminded yet, and no newer check-in has gone out: too early to tell."""
    return newest and request.status == "open" and request.reminded_at is None


def _warnings(requests: list[CheckinRequest]) -> list[Warning]:
    """Early warnings for one partner, from their requests oldest first."""
    last = requests[-1]
    found = []
    answered = [r for r in requests if r.status == "answered" and r.commitment is not None]
    scores = [r.commitment for r in answered]
    if answered and answered[-1].goal in ("twijfel", "nee") and answered[-1].commitment <= LOW_COMMITMENT:
        found.append(Warning(last.identity, last.organisation, DOUBT.format(goal=answered[-1].goal, commitment=answered[-1].commitment)))
    if len(scores) >= 2 and scores[-1] <= scores[-2] - DROP:
        found.append(Warning(last.identity, last.organisation, DROPPED.format(before=scores[-2], after=scores[-1])))
    decided = [r for r in requests if not _pending(r, newest=r is last)]
    if len(decided) >= 2 and all(r.status in UNANSWERED for r in decided[-2:]):
        found.append(Warning(last.identity, last.organisation, SILENT))
    return found


def _needs(cycles: Cycles) -> dict[str, list[Need]]:
    """What partners said they need in the last NEED_CYCLES rounds, newest first, by knelpunt."""
    needs: dict[str, list[Need]] = defaultdict(list)
    for cycle_id, due_at, requests in reversed(cycles[-NEED_CYCLES:]):
        for r in requests:
            if r.need:
                needs[r.knelpunt or "overig"].append(Need(r.need, cycle_id, due_at.isoformat()))
    return dict(sorted(needs.items()))


def _day(iso: str) -> str:
    local = datetime.fromisoformat(iso).astimezone(LOCAL)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def advice(knowledge: KnowledgeBase) -> tuple[str, list[str]] | None:
    """What the knowledge base advises on early warnings: knelpunt 9's title and its first solutions."""
    entry = knowledge.get(WARNING_KNELPUNT)
    if entry is None:
        return None
    return entry.title, [s.title for s in knowledge.solutions(WARNING_KNELPUNT)[:ADVICE_SOLUTIONS]]


def knelpunt_title(knelpunt: str | None, knowledge: KnowledgeBase | None) -> str:
    return _title(knelpunt or "", knowledge)


def _title(knelpunt: str, knowledge: KnowledgeBase | None) -> str:
    entry = knowledge.get(knelpunt) if knowledge else None
    return entry.title if entry else OTHER


def _number(value: float | None) -> str:
    """An average in Dutch notation (3,5), or "-" when there is none."""
    return "-" if value is None else decimal(value)


def render_text(report: Report, knowledge: KnowledgeBase) -> str:
    if not report.cycles:
        return NO_CYCLES
    lines = ["Rapport check-ins", "", "Respons per ronde:"]
    for c in report.cycles:
        average = f", gemiddeld commitment {_number(c.average_commitment)}" if c.average_commitment is not None else ""
        goals = GOAL_LINE.format(ja=c.goal_ja, twijfel=c.goal_twijfel, nee=c.goal_nee) if c.answered else ""
        lines.append(
            f"- {local_date(datetime.fromisoformat(c.due_at))}: {c.answered} van {c.sent} ({round(100 * c.response_rate)}%)"
            + average + (f"; {goals}" if goals else "")
        )
    overall = _number(report.average_commitment)
    lines += ["", f"Gemiddeld commitment (1-5): {overall}", "", "Per organisatie (laatste rondes):"]
    for organisation, trend in report.organisations.items():
        lines.append(f"- {organisation}: " + " → ".join(map(_number, trend)))
    lines += ["", "Vroege signalen:"]
    if report.warnings:
        lines += [f"- {w.organisation} ({w.identity}): {w.reason}" for w in report.warnings]
        found = advice(knowledge)
        if found:
            lines.append(f"  Advies bij '{found[0]}': " + "; ".join(found[1]))
    else:
        lines.append("- geen")
    lines += ["", NEEDS_HEADING.get(report.need_cycles, NEEDS_HEADING_MANY.format(count=report.need_cycles))]
    if not report.needs:
        lines.append("- niets genoemd")
    for knelpunt, needs in report.needs.items():
        lines.append(f"- {_title(knelpunt, knowledge)}:")
        lines += [NEED_LINE.format(need=n.need, day=_day(n.due_at)) for n in needs]
    return "\n".join(lines)


def render_json(report: Report) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, indent=1)


def render_csv(report: Report, knowledge: KnowledgeBase | None = None) -> str:
    """One table: the first column `section` (cycle, overall, organisation, warning, need) says which columns are filled."""
    rows: list[dict[str, Any]] = [{"section": "cycle", **asdict(c)} for c in report.cycles]
    if report.cycles:
        rows.append({"section": "overall", "average_commitment": report.average_commitment})
    rows += [{"section": "organisation", **asdict(line)} for line in report.organisation_rounds]
    rows += [{"section": "warning", **asdict(w)} for w in report.warnings]
    for knelpunt, needs in report.needs.items():
        title = _title(knelpunt, knowledge)
        rows += [{"section": "need", "knelpunt": knelpunt, "knelpunt_title": title, **asdict(n)} for n in needs]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, restval="")
    writer.writeheader()
    # Organisations, identities and needs are typed by partners: no cell may run as a formula.
    writer.writerows(map(safe_row, rows))
    return out.getvalue()


def report_command(turn: Turn) -> Reply:
    """ "rapport": the report in the chat."""
    services = turn.services
    return Reply(text=render_text(build_report(services.checkins.cycles()), services.knowledge), intent="report", score=1.0)
