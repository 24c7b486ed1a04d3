"""The chain director's report: response per cycle, commitment and its trend, early warnings, open needs."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime

from bot.commitment import CheckinRequest
from bot.knowledge import KnowledgeBase
from bot.schedule import local_date

WARNING_KNELPUNT = "knelpunt-9"
DROP = 2
TREND_CYCLES = 3
NO_CYCLES = "Er zijn nog geen check-ins gehouden. Stel een ritme in, bijvoorbeeld: check-in elke 4 weken op maandag om 9:00."


@dataclass
class CycleLine:
    cycle_id: int
    due_at: str
    sent: int
    answered: int
    response_rate: float
    average_commitment: float | None


@dataclass
class Warning:
    identity: str
    organisation: str
    reason: str


@dataclass
class Report:
    cycles: list[CycleLine] = field(default_factory=list)
    average_commitment: float | None = None
    organisations: dict[str, list[float | None]] = field(default_factory=dict)
    warnings: list[Warning] = field(default_factory=list)
    needs: dict[str, list[str]] = field(default_factory=dict)


def _average(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def _unanswered(request: CheckinRequest, *, latest: bool) -> bool:
    """Open after its reminder, or open while a newer check-in has already gone out."""
    return request.status == "open" and (request.reminded_at is not None or not latest)


def build_report(cycles: list[tuple[int, datetime, list[CheckinRequest]]]) -> Report:
    report = Report()
    all_scores: list[int] = []
    per_org: dict[str, list[float | None]] = defaultdict(list)
    history: dict[int, list[CheckinRequest]] = defaultdict(list)
    for cycle_id, due_at, requests in cycles:
        answered = [r for r in requests if r.status == "answered"]
        scores = [r.commitment for r in answered if r.commitment is not None]
        all_scores += scores
        report.cycles.append(
            CycleLine(cycle_id, due_at.isoformat(), len(requests), len(answered),
                      round(len(answered) / len(requests), 3) if requests else 0.0, _average(scores))
        )
        by_org: dict[str, list[int]] = defaultdict(list)
        for r in answered:
            if r.commitment is not None:
                by_org[r.organisation].append(r.commitment)
        for organisation in {r.organisation for r in requests}:
            per_org[organisation].append(_average(by_org.get(organisation, [])))
        for r in requests:
            history[r.partner_id].append(r)
    report.average_commitment = _average(all_scores)
    report.organisations = {org: trend[-TREND_CYCLES:] for org, trend in sorted(per_org.items())}
    for requests in history.values():
        warning = _warning(requests)
        if warning:
            report.warnings.append(warning)
    latest = cycles[-1][2] if cycles else []
    needs: dict[str, list[str]] = defaultdict(list)
    for r in latest:
        if r.need:
            needs[r.knelpunt or "overig"].append(r.need)
    report.needs = dict(needs)
    return report


def _warning(requests: list[CheckinRequest]) -> Warning | None:
    last = requests[-1]
    scores = [r.commitment for r in requests if r.commitment is not None]
    if len(scores) >= 2 and scores[-1] <= scores[-2] - DROP:
        return Warning(last.identity, last.organisation, f"commitment gedaald van {scores[-2]} naar {scores[-1]}")
    if len(requests) >= 2 and _unanswered(requests[-2], latest=False) and _unanswered(requests[-1], latest=True):
        return Warning(last.identity, last.organisation, "twee keer op rij geen antwoord")
    return None


def render_text(report: Report, knowledge: KnowledgeBase) -> str:
    if not report.cycles:
        return NO_CYCLES
    lines = ["Rapport check-ins", "", "Respons per ronde:"]
    for c in report.cycles:
        average = f", gemiddeld commitment {c.average_commitment}" if c.average_commitment is not None else ""
        lines.append(f"- {local_date(datetime.fromisoformat(c.due_at))}: {c.answered} van {c.sent} ({round(100 * c.response_rate)}%){average}")
    overall = report.average_commitment if report.average_commitment is not None else "-"
    lines += ["", f"Gemiddeld commitment (1-5): {overall}", "", "Per organisatie (laatste rondes):"]
    for organisation, trend in report.organisations.items():
        lines.append(f"- {organisation}: " + " → ".join("-" if v is None else str(v) for v in trend))
    lines += ["", "Vroege signalen:"]
    if report.warnings:
        lines += [f"- {w.organisation} ({w.identity}): {w.reason}" for w in report.warnings]
        advice = knowledge.get(WARNING_KNELPUNT)
        if advice:
            lines.append(f"  Advies bij '{advice.title}': " + "; ".join(s.title for s in knowledge.solutions(WARNING_KNELPUNT)[:4]))
    else:
        lines.append("- geen")
    lines += ["", "Wat partners nodig hebben (laatste ronde):"]
    if not report.needs:
        lines.append("- niets genoemd")
    for knelpunt, needs in sorted(report.needs.items()):
        entry = knowledge.get(knelpunt)
        lines.append(f"- {entry.title if entry else 'Overig'}:")
        lines += [f"    • {need}" for need in needs]
    return "\n".join(lines)


def render_json(report: Report) -> str:
    return json.dumps(asdict(report), ensure_ascii=False, indent=1)


def render_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["cycle_id", "due_at", "sent", "answered", "response_rate", "average_commitment"])
    for c in report.cycles:
        writer.writerow([c.cycle_id, c.due_at, c.sent, c.answered, c.response_rate, "" if c.average_commitment is None else c.average_commitment])
    return out.getvalue()
