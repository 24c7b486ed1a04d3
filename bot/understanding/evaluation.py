"""Scores the matcher on a labelled question file (format in CONTRACT.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.language.files import UnreadableFileError, load_yaml, read_text_file
from bot.understanding.matcher import Understanding

if TYPE_CHECKING:
    import yaml

TOP_RESULTS = 3


class QuestionFileError(ValueError):
    """The question file cannot be used; the message is Dutch and names the item."""


@dataclass(frozen=True)
class LabelledQuestion:
    q: str
    intents: tuple[str, ...]
    accept: tuple[str, ...] = ()
    expect: tuple[str, ...] = ()


@dataclass
class Outcome:
    question: LabelledQuestion
    intent: str
    entry: str | None
    score: float
    top: tuple[str, ...]
    results: list[str] = field(default_factory=list)

    @property
    def intent_ok(self) -> bool:
        return self.intent in self.question.intents

    @property
    def entry_ok(self) -> bool:
        return self.intent == "knowledge" and self.entry in self.question.accept

    @property
    def top3_ok(self) -> bool:
        return any(e in self.question.accept for e in self.top[:TOP_RESULTS])

    @property
    def contact_ok(self) -> bool:
        names = {n.casefold() for n in self.results[:TOP_RESULTS]}
        return any(e.casefold() in names for e in self.question.expect)

    def as_json(self) -> dict[str, Any]:
        return {
            "q": self.question.q,
            "intent": self.intent,
            "entry": self.entry,
            "score": round(self.score, 3),
            "results": self.results,
            "expected_intent": list(self.question.intents),
            "ok": self.intent_ok
            and (not self.question.accept or self.entry_ok)
            and (not self.question.expect or self.contact_ok),
        }


def _as_tuple(value: Any, *, path: Path, number: int, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise QuestionFileError(f"{path}: vraag {number}: '{key}' moet een tekst of een lijst met teksten zijn")


def _yaml_problem(path: Path, exc: yaml.YAMLError) -> QuestionFileError:
    mark = getattr(exc, "problem_mark", None)
    where = f" (regel {mark.line + 1})" if mark is not None else ""
    return QuestionFileError(f"{path}: geen geldige YAML{where}")


def load_questions(path: Path) -> list[LabelledQuestion]:
    import yaml

    try:
        data = load_yaml(read_text_file(path))
    except UnreadableFileError as exc:
        raise QuestionFileError(str(exc)) from exc
    except yaml.YAMLError as exc:
        raise _yaml_problem(path, exc) from exc
    except RecursionError as exc:
        raise QuestionFileError(f"{path}: de YAML is te diep genest") from exc
    if not isinstance(data, list):
        raise QuestionFileError(f"{path}: verwacht een lijst met vragen (- q: …)")
    questions = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise QuestionFileError(f"{path}: vraag {number} heeft geen tekst in 'q'")
        expect, intents, accept = (
            _as_tuple(item.get(key), path=path, number=number, key=key) for key in ("expect", "intent", "accept")
        )
        intents = intents or (("contact",) if expect else ())
        if not intents:
            raise QuestionFileError(f"{path}: vraag {number} heeft geen 'intent'")
        questions.append(LabelledQuestion(item["q"], intents, accept, expect))
    return questions


def evaluate(
    questions: list[LabelledQuestion],
    understand: Callable[[str], Understanding],
    find_contacts: Callable[[str], list[str]],
) -> list[Outcome]:
    """Every question on its own: no conversation state is carried between them."""
    outcomes = []
    for question in questions:
        understanding = understand(question.q)
        results = find_contacts(question.q) if understanding.intent == "contact" else []
        outcomes.append(
            Outcome(
                question=question,
                intent=understanding.intent,
                entry=understanding.entry_id,
                score=understanding.score,
                top=tuple(c.entry_id for c in understanding.candidates),
                results=results,
            )
        )
    return outcomes


def _ratio(hits: int, total: int) -> dict[str, Any]:
    return {"hits": hits, "total": total, "rate": round(hits / total, 4) if total else None}


def summarise(outcomes: list[Outcome]) -> dict[str, Any]:
    per_intent: dict[str, list[int]] = {}
    for o in outcomes:
        counts = per_intent.setdefault(o.question.intents[0], [0, 0])
        counts[0] += o.intent_ok
        counts[1] += 1
    knowledge = [o for o in outcomes if o.question.accept]
    declined = [o for o in outcomes if o.question.intents == ("fallback",)]
    contacts = [o for o in outcomes if o.question.expect]
    return {
        "questions": len(outcomes),
        "intent": _ratio(sum(o.intent_ok for o in outcomes), len(outcomes)),
        "per_intent": {k: _ratio(*v) for k, v in sorted(per_intent.items())},
        "entry_top1": _ratio(sum(o.entry_ok for o in knowledge), len(knowledge)),
        "entry_top3": _ratio(sum(o.top3_ok for o in knowledge), len(knowledge)),
        "out_of_domain_declined": _ratio(sum(o.intent == "fallback" for o in declined), len(declined)),
        "contact_top3": _ratio(sum(o.contact_ok for o in contacts), len(contacts)),
        "predicted": dict(Counter(o.intent for o in outcomes)),
    }


def _line(label: str, ratio: dict[str, Any]) -> str:
    if not ratio["total"]:
        return f"{label}: -"
    return f"{label}: {ratio['hits']}/{ratio['total']} ({100 * ratio['rate']:.1f}%)"


def report_lines(outcomes: list[Outcome], summary: dict[str, Any]) -> list[str]:
    """Dutch report: the misses first, the scores last (so `tail` shows them)."""
    lines = ["Missers:"]
    for o in outcomes:
        missed = not o.intent_ok or (o.question.accept and not o.entry_ok) or (o.question.expect and not o.contact_ok)
        if missed:
            wanted = "/".join(o.question.accept or o.question.expect or o.question.intents)
            got = o.entry or ", ".join(o.results[:TOP_RESULTS]) or "-"
            lines.append(f"  - {o.question.q!r}: verwacht {wanted}; kreeg {o.intent} {got} ({o.score:.2f})")
    if len(lines) == 1:
        lines.append("  (geen)")
    lines.append("Intentie per soort:")
    for intent, ratio in summary["per_intent"].items():
        lines.append("  " + _line(intent, ratio))
    lines.append(f"Vragen: {summary['questions']}")
    if summary["contact_top3"]["total"]:
        lines.append(_line("Intentie goed", summary["intent"]))
        lines.append(_line("Contactvragen, juiste persoon in de eerste drie", summary["contact_top3"]))
        return lines
    lines.append(_line("Intentie goed", summary["intent"]))
    lines.append(_line("Kennisvragen, juiste entry eerst (top-1)", summary["entry_top1"]))
    lines.append(_line("Kennisvragen, juiste entry in top-3", summary["entry_top3"]))
    lines.append(_line("Buiten het domein netjes afgewezen", summary["out_of_domain_declined"]))
    return lines
