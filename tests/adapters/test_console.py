"""The terminal works as a user would use it: `ketenbot chat` and `ketenbot ask` (the chat and a broken knowledge
base as real processes, the rest in this process: tests/cli.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cli import ketenbot
from tests.conftest import FIXTURES


def ketenbot_process(*args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KETENBOT_", "SLACK_", "MICROSOFT_"))}
    return subprocess.run(
        [sys.executable, "-m", "adapters.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=60,
    )


def test_chat_answers_wat_is_ketenregie_with_no_configuration(tmp_path, knowledge):
    result = ketenbot_process("chat", stdin="wat is ketenregie?\nmeer\nexit\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    definition = knowledge.get("begrip-ketenregie")
    assert definition.summary in result.stdout
    assert definition.text in result.stdout
    assert "Tot ziens!" in result.stdout
    assert (tmp_path / "ketenbot.db").exists()


def test_ask_json_follows_the_contract(tmp_path):
    result = ketenbot("ask", "we vertrouwen elkaar niet", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert set(answer) >= {"text", "intent", "entry", "score", "alternatives", "results", "reply"}
    assert answer["intent"] == "knowledge"
    assert answer["entry"] == "knelpunt-3"
    assert 0 < answer["score"] <= 1
    assert "Ketenpartners vertrouwen elkaar niet" in answer["reply"]


def test_ask_stdin_keeps_one_conversation_per_user(tmp_path, knowledge):
    result = ketenbot("ask", "-", "--json", "--user", "anouk", stdin="de achterban gaat niet mee\n2\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["entry"] == "knelpunt-8"
    assert second["entry"] == "knelpunt-8.oplossing-2"
    assert knowledge.get("knelpunt-8.oplossing-2").summary in second["reply"]


def test_an_empty_question_gets_the_help_and_blank_stdin_lines_are_skipped(tmp_path):
    empty = ketenbot("ask", "", "--json", cwd=tmp_path)
    assert empty.returncode == 0
    assert json.loads(empty.stdout)["intent"] == "help"
    lines = ketenbot("ask", "-", "--json", stdin="\n\nwat is ketenregie?\n\n", cwd=tmp_path)
    assert [json.loads(line)["intent"] for line in lines.stdout.splitlines()] == ["knowledge"]


def test_broken_knowledge_base_stops_with_a_dutch_message(tmp_path):
    broken = FIXTURES / "kb_broken"
    env_result = subprocess.run(
        [sys.executable, "-m", "adapters.cli", "ask", "hallo"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "KETENBOT_KNOWLEDGE": str(broken), "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
        timeout=60,
    )
    assert env_result.returncode == 2
    assert "De kennisbank bevat fouten" in env_result.stderr
    assert "Traceback" not in env_result.stderr
