"""The bundled knowledge base loads, is complete and is well formed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bot.config import bundled_knowledge_dir
from bot.knowledge.loader import read_knowledge
from tests.conftest import DATA

SOLUTIONS_PER_KNELPUNT = {1: 6, 2: 6, 3: 8, 4: 5, 5: 6, 6: 8, 7: 6, 8: 7, 9: 9}


def required_ids() -> list[str]:
    lines = (DATA / "required_ids.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


def test_bundled_knowledge_base_has_no_problems():
    entries, problems = read_knowledge(bundled_knowledge_dir())
    assert problems == []
    assert len(entries) >= len(required_ids())


def test_every_required_id_is_present(knowledge):
    missing = [entry_id for entry_id in required_ids() if entry_id not in knowledge]
    assert missing == []


def test_each_knelpunt_has_its_numbered_solutions(knowledge):
    for number, count in SOLUTIONS_PER_KNELPUNT.items():
        solutions = knowledge.solutions(f"knelpunt-{number}")
        assert [s.number for s in solutions] == list(range(1, count + 1))
    assert sum(len(knowledge.solutions(f"knelpunt-{n}")) for n in SOLUTIONS_PER_KNELPUNT) == 61


def test_roles_have_levels_and_tasks(knowledge):
    roles = knowledge.of_kind("rol")
    assert len(roles) == 10
    for role in roles:
        assert role.levels and role.tasks, role.id


def test_overviews_list_all_knelpunten_and_roles(knowledge):
    assert knowledge.get("overzicht-knelpunten").items == tuple(f"knelpunt-{n}" for n in range(1, 10))
    assert set(knowledge.get("overzicht-rollen").items) == {r.id for r in knowledge.of_kind("rol")}


def test_every_entry_names_a_known_source_and_feeds_the_matcher(knowledge):
    sources = {path.name for path in Path(bundled_knowledge_dir()).glob("*.yaml")}
    assert "bronnen.yaml" in sources
    kinds = Counter(entry.kind for entry in knowledge)
    assert kinds["begrip"] >= 47
    for entry in knowledge:
        assert entry.source.section, entry.id
        assert not knowledge.source_label(entry.source).startswith(entry.source.file), entry.id
        assert entry.questions and entry.summary and entry.text, entry.id
