"""Who-to-contact questions in many phrasings find the right person among the first three."""

from __future__ import annotations

import pytest

from adapters.wiring import build_runtime
from bot.core import find_contacts, understand
from bot.understanding.evaluation import evaluate, load_questions, summarise
from social_map.transfer import import_partners
from tests.conftest import DATA

pytestmark = pytest.mark.both_databases


def test_contact_questions_find_the_right_person(settings, clock, matcher):
    runtime = build_runtime(settings, clock=clock, matcher=matcher)
    import_partners(runtime.services.partners, DATA / "contact_partners.csv")
    services = runtime.services
    outcomes = evaluate(
        load_questions(DATA / "contact_questions.yaml"),
        lambda q: understand(q, services),
        lambda q: find_contacts(q, services),
    )
    runtime.close()
    misses = [(o.question.q, o.intent, o.results[:3]) for o in outcomes if not o.contact_ok]
    assert summarise(outcomes)["contact_top3"]["rate"] >= 0.9, misses
