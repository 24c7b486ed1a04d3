"""`ketenbot eval` scores each question on its own and reports per intent, top-1, top-3 and declines."""

from __future__ import annotations

import json

from adapters.cli import main
from tests.conftest import FIXTURES


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
