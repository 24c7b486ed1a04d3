"""A message is read once, at the door: folded once, its sentences and typed spellings kept, and what a question
costs in SQL counted (SQLite's trace callback) together with the times the text is folded."""

from __future__ import annotations

import dataclasses
import sys
from concurrent.futures import Executor, Future

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core import handle
from bot.language import dutch
from bot.messages import Incoming
from bot.understanding.reading import READ_CHARS, read
from social_map.transfer import import_partners
from tests.conftest import DATA


@given(st.text(max_size=300))
def test_folding_in_pieces_is_folding(text):
    assert " ".join(folded for _, folded in dutch.fold_pieces(text) if folded) == dutch.fold(text)


def test_sentences_the_asking_one_and_the_typed_spelling():
    reading = read("Ik ben opbouwwerker in 's-Hertogenbosch. Wat betekent vraaggericht werken? Dank!")
    assert reading.sentences == ("ik ben opbouwwerker in s hertogenbosch", "wat betekent vraaggericht werken", "dank")
    assert reading.question == "wat betekent vraaggericht werken"
    assert reading.spelling_of("s hertogenbosch") == "'s-Hertogenbosch"
    assert read("wat is ketenregie?").question is None
    assert read("koppel 123456").numbers == ("123456",)


def test_the_terms_are_read_once_with_the_understanding(matcher):
    reading = read("Wat is ketenregie?")
    understood = reading.understood(matcher.understand(reading))
    assert reading.terms == () and "ketenregie" in understood.terms


def test_a_long_message_is_read_at_its_start_and_end():
    text = "begin " + "vulling " * 500 + "wat is ketenregie?"
    reading = read(text)
    assert len(reading.text) <= READ_CHARS + 1
    assert reading.folded.startswith("begin ") and reading.folded.endswith("wat is ketenregie")


class Inline(Executor):
    """Runs the reading in the calling thread, so one profiler sees every call."""

    def submit(self, fn, *args, **kwargs):
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


async def cost(runtime, text: str) -> tuple[int, int, str]:
    """(SQL statements ketenbot executes, times a text is folded, intent) for one message from a ketenpartner.
    SQLite also traces the statements its FTS5 module runs inside a query, marked with a leading '-- ': those
    are part of one statement of ours and are not counted."""
    statements: list[str] = []
    folds = [0]
    folding = {dutch.fold.__code__, dutch.fold_pieces.__code__}

    def profile(frame, event, _arg):
        if event == "call" and frame.f_code in folding:
            folds[0] += 1

    services = dataclasses.replace(runtime.services, worker=Inline())
    msg = Incoming(platform="console", user_id="anouk", text=text, vouched=True)
    runtime.db.conn.set_trace_callback(statements.append)
    sys.setprofile(profile)
    try:
        replies = await handle(msg, services)
    finally:
        sys.setprofile(None)
        runtime.db.conn.set_trace_callback(None)
    return len([s for s in statements if not s.startswith("-- ")]), folds[0], replies[-1].intent


@pytest.fixture
def six_partners(runtime, tmp_path):
    path = tmp_path / "zes.csv"
    path.write_text("\n".join((DATA / "contact_partners.csv").read_text(encoding="utf-8").splitlines()[:7]) + "\n")
    import_partners(runtime.services.partners, path)
    assert runtime.services.partners.count() == 6
    return runtime


async def test_a_contact_question_costs_few_statements_and_one_fold(six_partners):
    """Regression: "wie kan ik bellen over schulden in Zeist?" with six partners cost 36 statements and 34 folds."""
    question = "wie kan ik bellen over schulden in Zeist?"
    statements, _, intent = await cost(six_partners, question)  # the map's vocabulary is read now: it is new
    assert intent == "contact" and statements <= 12
    statements, folds, _ = await cost(six_partners, question)
    assert statements <= 12
    assert folds == 1


async def test_a_knowledge_question_is_folded_once(runtime):
    """Regression: "wat is ketenregie?" was folded 8 times and its query terms built twice."""
    statements, folds, intent = await cost(runtime, "wat is ketenregie?")
    assert intent == "knowledge"
    assert folds == 1
    assert statements <= 3  # its conversation read and saved, and whether a check-in is open



@pytest.mark.parametrize(
    ("text", "asks", "asking"),
    [
        ("de gemeente luistert gewoon niet naar ons", False, "de gemeente luistert gewoon niet naar ons"),
        ("binnen hoeveel weken moet de gemeente reageren", True, "binnen hoeveel weken moet de gemeente reageren"),
        ("Ik werk in een wijkteam. De huisarts verwijst nooit door. Hoe krijg ik hem mee", True, "hoe krijg ik hem mee"),
        ("We hebben geen geld meer, hoe los ik dat op", True, "we hebben geen geld meer hoe los ik dat op"),
        ("Mijn cliënt heeft schulden. Wat is een budgetcoach? Alvast bedankt.", True, "wat is een budgetcoach"),
        ("ik zoek een overzicht van de partners in de wijk", True, "ik zoek een overzicht van de partners in de wijk"),
        ("mijn cliënt heeft een boete, kan die daar zelf iets aan doen", True, "mijn client heeft een boete kan die daar zelf iets aan doen"),
        # A question for a thing after a comma, a question in the past tense, a request.
        ("het uwv doet er weken over, wat is de beslistermijn", True, "het uwv doet er weken over wat is de beslistermijn"),
        ("Ik vroeg me af wat je in een convenant vastlegt.", True, "ik vroeg me af wat je in een convenant vastlegt"),
        ("geef me alle knelpunten", True, "geef me alle knelpunten"),
        ("die lui geven nooit iets terug, wat een gedoe", False, "die lui geven nooit iets terug wat een gedoe"),
    ],
)
def test_the_form_of_a_message_and_the_sentence_that_asks(text, asks, asking):
    reading = read(text)
    assert reading.asks is asks
    assert reading.asking == asking


def test_negation_also_in_chat_spelling():
    assert read("de partners doen nie mee").negated
    assert read("we hebben geen tijd").negated
    assert not read("de samenwerking loopt goed").negated
    assert read("de partners doen nergens aan mee").negated and read("de achterban doet niks").negated


def test_the_sentence_that_asks_as_typed():
    reading = read("Bewoners moeten overal aankloppen. Hoe zorg je voor één plek?")
    assert reading.question_text == "Hoe zorg je voor één plek?"
    assert read("hoe zorg je voor één plek").question_text is None
