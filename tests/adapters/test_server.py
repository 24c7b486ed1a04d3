"""`ketenbot serve` as a whole: the health check over real HTTP."""

from __future__ import annotations

import asyncio
import os

import aiohttp
import pytest

from bot.config import Settings


async def test_healthz_reports_database_knowledge_and_platforms(serve, settings):
    server = await serve()
    async with aiohttp.ClientSession() as session, session.get(server.make_url("/healthz")) as response:
        assert response.status == 200
        status = await response.json()
    assert status["status"] == "ok"
    assert status["database"] == "ok"
    assert status["knowledge_entries"] >= 129
    assert status["platforms"] == {"slack": "off", "teams": "off", "web": "on"}


@pytest.mark.both_databases
async def test_healthz_names_the_instance_and_whether_it_holds_the_scheduler(serve, settings):
    first, second = await serve(), await serve()

    async def status(server) -> dict:
        async with aiohttp.ClientSession() as session, session.get(server.make_url("/healthz")) as response:
            return await response.json()

    for _ in range(50):  # the scheduler takes its turn as soon as the server has started
        statuses = [await status(first), await status(second)]
        if any(s["scheduler"] for s in statuses):
            break
        await asyncio.sleep(0.1)
    assert all(str(os.getpid()) in s["instance"] for s in statuses)
    if settings.database_url:  # two instances on one PostgreSQL: one of them holds the scheduler
        assert sorted(s["scheduler"] for s in statuses) == [False, True]
    else:  # the embedded SQLite serves one instance, which always holds it
        assert [s["scheduler"] for s in statuses] == [True, True]


async def test_healthz_names_configured_platforms(serve, fresh_db):
    custom = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret="geheim", microsoft_app_id="app")
    server = await serve(custom)
    async with aiohttp.ClientSession() as session, session.get(server.make_url("/healthz")) as response:
        status = await response.json()
    assert status["platforms"]["slack"] == "http"
    assert status["platforms"]["teams"] == "authenticated"
