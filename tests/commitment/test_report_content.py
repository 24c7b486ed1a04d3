"""The director's report ("rapport", `ketenbot report --format text|csv|json`) across several rounds:
early warnings that survive the start of a new round, the needs of the last rounds with their date, and
a CSV that holds the whole report in one table."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import timedelta

import pytest

from adapters.cli import main
from bot.commitment import scheduler
from bot.language.dates import parse_rhythm
from bot.social.partner import Partner
from tests.chat import Conversation
from tests.conftest import use_database

pytestmark = pytest.mark.both_databases

DIRECTOR = "regisseur"
ODD_NAME = 'Stichting "Thuis", Zeist\nNoord'
PRIVACY = "de privacyregels maken gegevens delen onmogelijk"
CAPACITY = "we hebben te weinig tijd en capaciteit"
CSV_HEADER = (
    "section,cycle_id,due_at,sent,answered,response_rate,average_commitment,goal_ja,goal_twijfel,goal_nee,"
    "organisation,identity,reason,knelpunt,knelpunt_title,need"
)


@pytest.fixture
def partners(runtime):
    people = [
        ("Anouk", "Schuldhulp Zeist", "slack:UANOUK"),
        ("Bram", ODD_NAME, "teams:29:bram"),
        ("Carla", "Stichting Opvang", "web:carla-sessie"),
    ]
    for name, organisation, identity in people:
        runtime.services.partners.save(
            Partner(name=name, organisation=organisation, topics=("schulden",), identities=(identity,)), consent_text="ja"
        )
    runtime.services.directors.add(f"console:{DIRECTOR}")
    return runtime


class Rounds:
    """Check-in rounds four weeks apart, with the reminder going out after five days."""

    def __init__(self, runtime, clock) -> None:
        self.services, self.clock = runtime.services, clock
        self.services.checkins.set_schedule(
            parse_rhythm("elke 4 weken op maandag om 9:00"), clock.now() + timedelta(days=365), reminder_days=3, by="test"
        )

    async def start(self, answers: dict[str, tuple]) -> None:
        """A new round goes out; the partners in `answers` answer it (commitment, need[, goal; "ja" if left out])."""
        scheduler.start_cycle(self.services, self.clock.now())
        for identity, (commitment, need, *goal) in answers.items():
            await self.answer(identity, *(goal or ["ja"]), str(commitment), need)

    async def answer(self, identity: str, *texts: str) -> None:
        platform, user = identity.split(":", 1)
        for text in texts:
            await Conversation(self.services, platform=platform, user=user).say(text)

    def remind_and_wait(self) -> None:
        self.clock.advance(timedelta(days=5))
        scheduler.tick(self.services, self.clock.now())
        self.clock.advance(timedelta(days=23))

    async def report(self) -> str:
        return (await Conversation(self.services, user=DIRECTOR).say("rapport")).text


def cli_report(capsys, monkeypatch, settings, fmt: str) -> str:
    use_database(monkeypatch, settings.database)
    assert main(["report", "--format", fmt]) == 0
    return capsys.readouterr().out


async def test_silence_warning_survives_the_start_of_a_new_round(partners, clock):
    rounds = Rounds(partners, clock)
    await rounds.start({"slack:UANOUK": (4, "niets")})
    rounds.remind_and_wait()
    await rounds.start({"slack:UANOUK": (4, "niets")})
    # Carla's second request is still open and not reminded yet: too early to call it unanswered.
    assert "Stichting Opvang (web:carla-sessie): twee keer op rij geen antwoord" not in await rounds.report()
    rounds.remind_and_wait()
    assert "Stichting Opvang (web:carla-sessie): twee keer op rij geen antwoord" in await rounds.report()
    await rounds.start({})
    text = await rounds.report()
    assert "Stichting Opvang (web:carla-sessie): twee keer op rij geen antwoord" in text
    assert "Schuldhulp Zeist (slack:UANOUK)" not in text
    await rounds.answer("web:carla-sessie", "ja", "3", "niets")
    text = await rounds.report()
    assert "Stichting Opvang (web:carla-sessie)" not in text
    assert "(teams:29:bram): twee keer op rij geen antwoord" in text


async def test_commitment_drop_compares_the_last_two_answered_rounds(partners, clock):
    rounds = Rounds(partners, clock)
    await rounds.start({"slack:UANOUK": (5, "niets")})
    rounds.remind_and_wait()
    await rounds.start({"slack:UANOUK": (2, "niets")})
    rounds.remind_and_wait()
    await rounds.start({})
    assert "Schuldhulp Zeist (slack:UANOUK): commitment gedaald van 5 naar 2" in await rounds.report()
    # Halfway through the new round's questions: not answered yet, so it does not count.
    await rounds.answer("slack:UANOUK", "ja", "4")
    assert "Schuldhulp Zeist (slack:UANOUK): commitment gedaald van 5 naar 2" in await rounds.report()
    await rounds.answer("slack:UANOUK", "niets")
    assert "commitment gedaald" not in await rounds.report()


async def test_needs_of_the_last_three_rounds_newest_first_with_their_date(partners, clock, knowledge):
    rounds = Rounds(partners, clock)
    await rounds.start({"slack:UANOUK": (4, PRIVACY)})
    rounds.remind_and_wait()
    await rounds.start({})
    text = await rounds.report()
    assert "Wat partners nodig hebben (laatste 2 rondes, nieuwste eerst):" in text
    assert f"    • {PRIVACY} (ronde van 23 november 2026)" in text
    await rounds.answer("slack:UANOUK", "ja", "4", PRIVACY)
    await rounds.answer("teams:29:bram", "ja", "3", CAPACITY)
    rounds.remind_and_wait()
    await rounds.start({})
    text = await rounds.report()
    assert "Wat partners nodig hebben (laatste 3 rondes, nieuwste eerst):" in text
    needs = text.split("Wat partners nodig hebben")[1].splitlines()[1:]
    privacy = knowledge.get(partners.db.execute(
        "SELECT knelpunt FROM checkin_requests WHERE need = ? LIMIT 1", (PRIVACY,)).fetchone()[0]).title
    at = needs.index(f"- {privacy}:")
    assert needs[at + 1:at + 3] == [
        f"    • {PRIVACY} (ronde van 21 december 2026)",
        f"    • {PRIVACY} (ronde van 23 november 2026)",
    ]
    assert f"    • {CAPACITY} (ronde van 21 december 2026)" in needs
    rounds.remind_and_wait()
    await rounds.start({})
    text = await rounds.report()
    assert "(ronde van 23 november 2026)" not in text
    assert f"    • {PRIVACY} (ronde van 21 december 2026)" in text


async def test_csv_holds_the_whole_report_in_one_table(partners, clock, capsys, monkeypatch, settings, knowledge):
    rounds = Rounds(partners, clock)
    await rounds.start({"slack:UANOUK": (5, PRIVACY), "teams:29:bram": (4, "niets")})
    rounds.remind_and_wait()
    await rounds.start({"slack:UANOUK": (2, PRIVACY), "teams:29:bram": (4, CAPACITY)})
    rounds.remind_and_wait()
    out = cli_report(capsys, monkeypatch, settings, "csv")
    assert out.splitlines()[0] == CSV_HEADER
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {row["section"] for row in rows} == {"cycle", "overall", "organisation", "warning", "need"}
    cycles = [row for row in rows if row["section"] == "cycle"]
    assert [(r["cycle_id"], r["sent"], r["answered"], r["response_rate"], r["average_commitment"]) for r in cycles] == [
        ("1", "3", "2", "0.667", "4.5"),
        ("2", "3", "2", "0.667", "3.0"),
    ]
    assert [r["average_commitment"] for r in rows if r["section"] == "overall"] == ["3.75"]
    odd = [(r["cycle_id"], r["average_commitment"]) for r in rows if r["section"] == "organisation" and r["organisation"] == ODD_NAME]
    assert odd == [("1", "4.0"), ("2", "4.0")]
    carla = [(r["cycle_id"], r["average_commitment"]) for r in rows if r["section"] == "organisation" and r["organisation"] == "Stichting Opvang"]
    assert carla == [("1", ""), ("2", "")]
    warnings = {(r["organisation"], r["identity"], r["reason"]) for r in rows if r["section"] == "warning"}
    assert warnings == {
        ("Schuldhulp Zeist", "slack:UANOUK", "commitment gedaald van 5 naar 2"),
        ("Stichting Opvang", "web:carla-sessie", "twee keer op rij geen antwoord"),
    }
    needs = [(r["cycle_id"], r["need"], r["knelpunt_title"]) for r in rows if r["section"] == "need"]
    assert ("2", PRIVACY, needs[0][2]) in needs and ("1", PRIVACY, needs[0][2]) in needs
    assert any(need == CAPACITY and cycle_id == "2" and title != "Overig" for cycle_id, need, title in needs)
    knelpunten = {r["knelpunt"] for r in rows if r["section"] == "need"}
    assert all(knowledge.get(k) for k in knelpunten)


async def test_json_report_has_needs_with_their_round_and_rounds_per_organisation(partners, clock, capsys, monkeypatch, settings):
    rounds = Rounds(partners, clock)
    await rounds.start({"slack:UANOUK": (5, PRIVACY)})
    rounds.remind_and_wait()
    await rounds.start({"slack:UANOUK": (4, "niets")})
    report = json.loads(cli_report(capsys, monkeypatch, settings, "json"))
    [needs] = report["needs"].values()
    assert needs == [{"need": PRIVACY, "cycle_id": 1, "due_at": "2026-11-23T09:00:00+00:00"}]
    assert report["organisations"]["Schuldhulp Zeist"] == [5.0, 4.0]
    assert report["organisation_rounds"][-1] == {
        "organisation": "Stichting Opvang", "cycle_id": 2, "due_at": "2026-12-21T09:00:00+00:00", "average_commitment": None,
    }
    assert report["warnings"] == []


def test_empty_report_in_every_format(capsys, monkeypatch, settings):
    assert cli_report(capsys, monkeypatch, settings, "text").startswith("Er zijn nog geen check-ins gehouden.")
    assert cli_report(capsys, monkeypatch, settings, "csv").splitlines() == [CSV_HEADER]
    assert json.loads(cli_report(capsys, monkeypatch, settings, "json"))["cycles"] == []


async def test_each_round_shows_the_goal_answers_in_text_csv_and_json(partners, clock, capsys, monkeypatch, settings):
    rounds = Rounds(partners, clock)
    await rounds.start({"slack:UANOUK": (3, "niets", "twijfel"), "teams:29:bram": (4, "niets", "ja"), "web:carla-sessie": (3, "niets", "nee")})
    assert "3 van 3 (100%), gemiddeld commitment 3,3; doel: 1 ja, 1 twijfel, 1 nee" in await rounds.report()
    [cycle] = [row for row in csv.DictReader(io.StringIO(cli_report(capsys, monkeypatch, settings, "csv"))) if row["section"] == "cycle"]
    assert (cycle["goal_ja"], cycle["goal_twijfel"], cycle["goal_nee"], cycle["average_commitment"]) == ("1", "1", "1", "3.33")
    [cycle] = json.loads(cli_report(capsys, monkeypatch, settings, "json"))["cycles"]
    assert (cycle["goal_ja"], cycle["goal_twijfel"], cycle["goal_nee"], cycle["average_commitment"]) == (1, 1, 1, 3.33)


async def test_twijfel_with_commitment_two_is_an_early_warning_with_the_advice_of_knelpunt_9(partners, clock, knowledge):
    """The bug: "twijfel" with commitment 2 gave "Vroege signalen: geen"."""
    rounds = Rounds(partners, clock)
    await rounds.start({"slack:UANOUK": (2, "niets", "twijfel"), "teams:29:bram": (1, "niets", "nee"), "web:carla-sessie": (3, "niets", "nee")})
    text = await rounds.report()
    assert "Vroege signalen:\n- geen" not in text
    assert "- Schuldhulp Zeist (slack:UANOUK): twijfel op de vraag of het doel nog staat, en commitment 2" in text
    assert "nee op de vraag of het doel nog staat, en commitment 1" in text
    assert "(web:carla-sessie)" not in text  # "nee" with commitment 3 is no early warning
    assert f"Advies bij '{knowledge.get('knelpunt-9').title}': " in text
    # The next round's answer counts: with the goal back and commitment 4 the warning is gone.
    rounds.remind_and_wait()
    await rounds.start({"slack:UANOUK": (4, "niets", "ja")})
    assert "(slack:UANOUK): twijfel" not in await rounds.report()


async def test_averages_in_the_chat_have_a_decimal_comma(partners, clock, capsys, monkeypatch, settings):
    """The bug: "3.0" with a decimal point in Dutch text."""
    rounds = Rounds(partners, clock)
    await rounds.start({"slack:UANOUK": (4, "niets"), "teams:29:bram": (5, "niets")})
    text = await rounds.report()
    assert "gemiddeld commitment 4,5" in text and "Gemiddeld commitment (1-5): 4,5" in text
    assert "- Schuldhulp Zeist: 4,0" in text
    assert not re.search(r"\d\.\d", text.split("Wat partners nodig hebben")[0])
    assert json.loads(cli_report(capsys, monkeypatch, settings, "json"))["average_commitment"] == 4.5
