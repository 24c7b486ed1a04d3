"""`ketenbot eval` scores each question on its own and reports per intent, top-1, top-3 and declines."""

from __future__ import annotations

import json

import pytest

from adapters.cli import main
from tests.conftest import DATA, FIXTURES, ROOT, use_database


def test_eval_json_lines_and_summary(capsys):
    assert main(["eval", str(FIXTURES / "eval_small.yaml"), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    rows, summary = lines[:-1], lines[-1]["summary"]
    assert [row["q"] for row in rows][0] == "wat betekent ketenregie"
    assert all({"q", "intent", "entry", "score", "results"} <= set(row) for row in rows)
    assert rows[0]["entry"] == "begrip-ketenregie" and rows[0]["ok"]
    assert rows[2]["intent"] == "fallback" and rows[2]["entry"] is None
    assert rows[4]["ok"] is False
    assert summary["questions"] == 5
    assert summary["intent"]["hits"] == 4
    assert summary["entry_top1"] == {"hits": 2, "total": 3, "rate": 0.6667}
    assert summary["out_of_domain_declined"]["hits"] == 1
    assert summary["per_intent"]["register"]["hits"] == 1


def test_eval_text_report_lists_misses_and_ends_with_scores(capsys):
    assert main(["eval", str(FIXTURES / "eval_small.yaml")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert any("'recept voor appeltaart': verwacht begrip-keten" in line for line in out)
    assert out[-4] == "Intentie goed: 4/5 (80.0%)"
    assert out[-3] == "Kennisvragen, juiste entry eerst (top-1): 2/3 (66.7%)"
    assert out[-1] == "Buiten het domein netjes afgewezen: 1/1 (100.0%)"


def test_eval_reports_a_broken_file_in_dutch(capsys, tmp_path):
    broken = tmp_path / "kapot.yaml"
    broken.write_text("- intent: knowledge\n", encoding="utf-8")
    assert main(["eval", str(broken)]) == 1
    assert "vraag 1 heeft geen tekst in 'q'" in capsys.readouterr().err


SHARED_EVAL = ROOT.parent / "shared" / "eval"
CONTACT_SETS = [
    pytest.param(DATA / "contact_partners.csv", DATA / "contact_questions.yaml", id="contact_questions"),
    pytest.param(SHARED_EVAL / "dev_partners.csv", SHARED_EVAL / "dev_contact.yaml", id="dev_contact",
                 marks=pytest.mark.skipif(not (SHARED_EVAL / "dev_contact.yaml").exists(), reason="no ../shared/eval beside the clone")),
]


def eval_json(capsys, monkeypatch, database, partners, questions) -> list[dict]:
    use_database(monkeypatch, database)
    assert main(["map", "import", str(partners)]) == 0
    capsys.readouterr()
    assert main(["eval", str(questions), "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize(("partners", "questions"), CONTACT_SETS)
def test_eval_on_the_contact_sets_scores_the_same_on_sqlite_and_postgresql(
    capsys, monkeypatch, fresh_db, postgres_database, partners, questions
):
    """The same partners found, in the same order, for every question: FTS5 and PostgreSQL's index agree."""
    on_sqlite = eval_json(capsys, monkeypatch, fresh_db, partners, questions)
    monkeypatch.delenv("KETENBOT_DB")
    on_postgres = eval_json(capsys, monkeypatch, postgres_database, partners, questions)
    assert on_sqlite[-1]["summary"]["contact_top3"]["hits"] > 0
    assert on_postgres == on_sqlite
