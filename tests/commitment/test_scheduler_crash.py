"""Regression: the scheduler marked a reminder (and a map-freshness question) as sent and committed that before
the outbox queued it; killed in between, the reminder was never sent. Now the mark and the queueing are one
transaction. A real process is killed with SIGKILL after the mark, as the outbox is about to be written (an
injected fault, through SQLite's trace callback), and after a restart the message still goes out."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.wiring import build_runtime
from bot.clock import FixedClock
from bot.commitment import scheduler
from bot.commitment.checkin import REMINDER_PREFIX
from bot.commitment.scheduler import CONFIRM_QUESTION
from bot.config import Settings
from bot.language.dates import parse_rhythm
from bot.social.partner import Partner

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
ANOUK = "console:anouk"

KILLED_WHILE_QUEUEING = """
import os, signal, sys
from datetime import datetime
from pathlib import Path
from adapters.wiring import build_runtime
from bot.clock import FixedClock
from bot.commitment import scheduler
from bot.config import Settings

now = datetime.fromisoformat(sys.argv[2])
runtime = build_runtime(Settings(db_path=Path(sys.argv[1])), clock=FixedClock(now))
marked = []

def trace(sql):
    # SIGKILL when the outbox is about to be written after the mark: between marking and queueing.
    if sql.lstrip().startswith(sys.argv[3]):
        marked.append(sql)
    elif marked and sql.lstrip().startswith("INSERT INTO outbox"):
        os.kill(os.getpid(), signal.SIGKILL)

runtime.db.conn.set_trace_callback(trace)
scheduler.tick(runtime.services, now)
"""

MARKS = {
    "reminder": ("UPDATE checkin_requests SET reminded_at", timedelta(days=4), REMINDER_PREFIX),
    "freshness": ("UPDATE partners SET reminders_sent", timedelta(days=181), CONFIRM_QUESTION),
}


def prepare(db: Path, matcher) -> None:
    """Anouk on the map, in the console; a check-in sent to her, with a rhythm whose next round is far away."""
    with build_runtime(Settings(db_path=db), clock=FixedClock(START), matcher=matcher) as runtime:
        services = runtime.services
        services.partners.save(Partner(name="Anouk de Vries", organisation="Schuldhulp Zeist", topics=("schulden",),
                                       identities=(ANOUK,)), consent_text="ja")
        services.checkins.set_schedule(parse_rhythm("elke 26 weken op maandag"), START + timedelta(weeks=26), reminder_days=3, by="test")
        scheduler.start_cycle(services, START)
        assert [d.payload["text"][:10] for d in runtime.outbox.take_for(ANOUK)] == ["Check-in v"]


@pytest.mark.parametrize("kind", sorted(MARKS))
def test_killed_between_marking_and_queueing_the_message_is_still_sent_after_a_restart(tmp_path, matcher, kind):
    mark, later, text = MARKS[kind]
    db = tmp_path / "ketenbot.db"
    prepare(db, matcher)
    now = START + later
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_QUEUEING, str(db), now.isoformat(), mark],
                            env=env, capture_output=True, timeout=120)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    # The restarted scheduler finds the message still due, queues it, and Anouk's console shows it.
    with build_runtime(Settings(db_path=db), clock=FixedClock(now), matcher=matcher) as runtime:
        scheduler.tick(runtime.services, now)
        shown = [delivery.payload["text"] for delivery in runtime.outbox.take_for(ANOUK)]
        assert len([message for message in shown if text in message]) == 1
        scheduler.tick(runtime.services, now)
        assert runtime.outbox.take_for(ANOUK) == []  # once, not again
