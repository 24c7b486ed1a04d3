"""Shared fixtures: clean environment, a fresh SQLite file, the bundled knowledge base, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer

from adapters.wiring import Runtime, build_matcher, build_runtime
from bot.clock import FixedClock
from bot.config import Settings
from bot.understanding.matcher import Matcher

ENV_NAMES = (
    "KETENBOT_DB",
    "KETENBOT_KNOWLEDGE",
    "KETENBOT_DIRECTORS",
    "KETENBOT_STATE_TTL_MINUTES",
    "PORT",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "MICROSOFT_APP_ID",
    "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_TYPE",
    "MICROSOFT_APP_TENANT_ID",
    "KETENBOT_TEAMS_EMULATOR",
    "KETENBOT_TEAMS_TENANTS",
    "KETENBOT_SLACK_WORKSPACES",
    "KETENBOT_PUBLIC_URL",
    "KETENBOT_TRUSTED_PROXIES",
)

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).parent / "data"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    return tmp_path / "ketenbot.db"


@pytest.fixture
def settings(fresh_db: Path) -> Settings:
    return Settings(db_path=fresh_db)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return build_matcher(Settings())


@pytest.fixture(scope="session")
def knowledge(matcher: Matcher):
    return matcher.knowledge


@pytest.fixture
def runtime(settings: Settings, clock: FixedClock, matcher: Matcher):
    rt: Runtime = build_runtime(settings, clock=clock, matcher=matcher)
    yield rt
    rt.close()


@pytest.fixture
async def serve(settings: Settings, clock: FixedClock):
    """Start `ketenbot serve`'s application on 127.0.0.1, a free port, over real HTTP."""
    from adapters.server import create_app

    started: list[TestServer] = []

    async def start(custom: Settings | None = None) -> TestServer:
        server = TestServer(create_app(custom or settings, clock=clock), host="127.0.0.1", port=None)
        await server.start_server()
        started.append(server)
        return server

    yield start
    for server in started:
        await server.close()


@pytest.fixture
async def slack_api():
    """A fake Slack Web API on 127.0.0.1 (tests/fakes/slack_api.py)."""
    from tests.fakes.slack_api import FakeSlack

    fake = await FakeSlack().start()
    yield fake
    await fake.close()


@pytest.fixture
async def bf_connector():
    """A fake Bot Framework connector on 127.0.0.1 (tests/fakes/bf_connector.py); use its service_url."""
    from tests.fakes.bf_connector import FakeConnector

    fake = await FakeConnector().start()
    yield fake
    await fake.close()
    # Every body ketenbot sent must be valid for Microsoft's own protocol models.
    assert fake.invalid == [], fake.invalid
