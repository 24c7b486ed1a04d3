"""Registrations from several processes and threads at once, and an import during chat: nothing lost or doubled."""

from __future__ import annotations

import asyncio
import csv
import multiprocessing
import sqlite3
import threading
from pathlib import Path

from adapters.wiring import build_runtime
from bot.config import Settings
from bot.understanding.matcher import Matcher
from social_map.transfer import import_partners
from tests.chat import Conversation

PER_WORKER = 15


def register_many(db_path: str, worker: int, count: int, matcher: Matcher | None = None) -> None:
    """Each user registers, then half of them register again (an update, not a new entry)."""
    runtime = build_runtime(Settings(db_path=Path(db_path)), matcher=matcher)

    async def run() -> None:
        for n in range(count):
            chat = Conversation(runtime.services, user=f"w{worker}-u{n}")
            answers = ["aanmelden", f"Partner {worker}-{n}", f"Organisatie {worker}", "-", "schulden",
                       "Zeist", f"p{worker}.{n}@voorbeeld.nl", "-", "-", "ja"]
            for text in answers:
                await chat.say(text)
            if n % 2 == 0:
                for text in ["aanmelden", "ok", "ok", "coördinator", "ok", "ok", "ok", "ok", "ok", "ja"]:
                    await chat.say(text)

    asyncio.run(run())
    runtime.close()


def partner_rows(db: Path) -> list[tuple]:
    return sqlite3.connect(db).execute("SELECT email, role FROM partners ORDER BY email").fetchall()


def test_registrations_from_several_processes(tmp_path):
    db = tmp_path / "gedeeld.db"
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=register_many, args=(str(db), w, PER_WORKER)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(timeout=120)
        assert process.exitcode == 0
    rows = partner_rows(db)
    assert len(rows) == 4 * PER_WORKER
    assert len({email for email, _ in rows}) == len(rows)
    assert sum(role == "coördinator" for _, role in rows) == 4 * ((PER_WORKER + 1) // 2)
    identities = sqlite3.connect(db).execute("SELECT COUNT(*) FROM identities").fetchone()[0]
    assert identities == 4 * PER_WORKER


def test_registrations_from_several_threads(tmp_path, matcher):
    db = tmp_path / "draden.db"
    build_runtime(Settings(db_path=db), matcher=matcher).close()
    threads = [threading.Thread(target=register_many, args=(str(db), w, 8, matcher)) for w in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(partner_rows(db)) == 24


def test_import_during_chat_loses_nothing(tmp_path, matcher):
    db = tmp_path / "import.db"
    source = tmp_path / "gemeente.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "organisation", "role", "topics", "region", "email", "phone"])
        for n in range(400):
            writer.writerow([f"Import {n}", "Gemeente Zeist", "consulent", "armoede;minimabeleid", "Zeist", f"i{n}@zeist.nl", ""])
    build_runtime(Settings(db_path=db), matcher=matcher).close()
    context = multiprocessing.get_context("spawn")
    chatting = context.Process(target=register_many, args=(str(db), 9, 10))
    chatting.start()
    runtime = build_runtime(Settings(db_path=db), matcher=matcher)
    result = import_partners(runtime.services.partners, source)
    runtime.close()
    chatting.join(timeout=120)
    assert chatting.exitcode == 0
    assert (result.created, result.updated) == (400, 0)
    rows = partner_rows(db)
    assert len(rows) == 410
    assert len({email for email, _ in rows}) == 410
