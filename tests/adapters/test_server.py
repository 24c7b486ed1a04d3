"""`ketenbot serve` as a whole: the health check over real HTTP."""

from __future__ import annotations

import aiohttp

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


async def test_healthz_names_configured_platforms(serve, fresh_db):
    custom = Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret="geheim", microsoft_app_id="app")
    server = await serve(custom)
    async with aiohttp.ClientSession() as session, session.get(server.make_url("/healthz")) as response:
        status = await response.json()
    assert status["platforms"]["slack"] == "http"
    assert status["platforms"]["teams"] == "authenticated"
