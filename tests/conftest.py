"""Shared fixtures: clean environment, a fresh SQLite file, the bundled knowledge base, a fixed clock."""

from __future__ import annotations

import ast
import os
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from hypothesis import settings as hypothesis_settings

from adapters.wiring import Runtime, build_matcher, build_runtime
from bot.clock import FixedClock
from bot.config import Settings, bundled_knowledge_dir
from bot.understanding.matcher import Matcher

# Property tests judge behaviour, never speed: Hypothesis' per-example deadline is a timed assertion that fails on
# a busy machine. Performance is measured in bench/.
hypothesis_settings.register_profile("ketenbot", deadline=None)
hypothesis_settings.load_profile("ketenbot")

ROOT = Path(__file__).resolve().parent.parent
_ENV_NAME = re.compile(r"^(KETENBOT_[A-Z_]+|SLACK_[A-Z_]+|MICROSOFT_[A-Z_]+|DATABASE_URL|PORT)$")


def environment_names() -> frozenset[str]:
    """Every environment variable ketenbot reads: those `Settings.from_env` asks for (recorded, so the list
    cannot fall behind bot/config.py) and every such name written in the code (KETENBOT_LOG_LEVEL, …)."""
    asked: set[str] = set()

    class Recorder(dict):
        def get(self, key: str, default: object = None) -> object:
            asked.add(key)
            return default

    Settings.from_env(Recorder())
    for path in (p for folder in ("bot", "adapters", "social_map") for p in (ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _ENV_NAME.match(node.value):
                asked.add(node.value)
    return frozenset(asked)


ENV_NAMES = environment_names()

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).parent / "data"

# The PostgreSQL half of the suite: a server where each test gets a database of its own (.ci/run starts one).
# Read before any test clears the environment.
POSTGRES_URL_VARIABLE = "KETENBOT_TEST_DATABASE_URL"
POSTGRES_URL = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
NO_POSTGRES = f"no PostgreSQL for the tests: set {POSTGRES_URL_VARIABLE} (.ci/run starts a throw-away server)"
DATABASE_KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.skipif(not POSTGRES_URL, reason=NO_POSTGRES))]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "both_databases: run the test on SQLite and on PostgreSQL (the `database` fixture)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked both_databases runs twice: its `database` (and so `settings`, `runtime`) is SQLite, then PostgreSQL."""
    if metafunc.definition.get_closest_marker("both_databases") and "database_kind" in metafunc.fixturenames:
        metafunc.parametrize("database_kind", DATABASE_KINDS, indirect=True)


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    return getattr(request, "param", "sqlite")


def database_url(base: str, name: str) -> str:
    """The same server's URL with another database name."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def postgres_admin():
    import psycopg

    return psycopg.connect(POSTGRES_URL, autocommit=True)


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database on the test server, dropped after the test."""
    if not POSTGRES_URL:
        pytest.skip(NO_POSTGRES)
    name = f"ketenbot_test_{uuid.uuid4().hex[:12]}"
    with postgres_admin() as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield database_url(POSTGRES_URL, name)
    with postgres_admin() as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def database(database_kind: str, fresh_db: Path, request: pytest.FixtureRequest) -> Path | str:
    """Where the test's database is: the SQLite file, or (both_databases, second run) a new PostgreSQL database."""
    return request.getfixturevalue("postgres_database") if database_kind == "postgres" else fresh_db


def use_database(monkeypatch: pytest.MonkeyPatch, database: Path | str) -> None:
    """The environment names this database, for commands run as an operator runs them."""
    monkeypatch.setenv("DATABASE_URL" if isinstance(database, str) else "KETENBOT_DB", str(database))


def tables(database: Path | str) -> list[str]:
    """Every table in the database (SQLite: also FTS5's shadow tables)."""
    if isinstance(database, str):
        return [row[0] for row in fetch(database, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")]
    return [row[0] for row in fetch(database, "SELECT name FROM sqlite_master WHERE type = 'table'")]


def fetch(database: Path | str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows straight from the database (a connection of its own, as another process would see them)."""
    from social_map.database import connect

    db = connect(database)
    try:
        return [tuple(row) for row in db.execute(sql, params).fetchall()]
    finally:
        db.close()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def fresh_db(tmp_path: Path) -> Path:
    return tmp_path / "ketenbot.db"


@pytest.fixture
def settings(fresh_db: Path, database: Path | str) -> Settings:
    return Settings(db_path=fresh_db, database_url=database if isinstance(database, str) else None)


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


async def serving(settings: Settings, clock: FixedClock, matcher: Matcher) -> AsyncIterator[Callable[..., Awaitable[TestServer]]]:
    """Start `ketenbot serve`'s application on 127.0.0.1, a free port, over real HTTP (with the test run's one
    matcher when the settings use the bundled knowledge base); every server started is closed at the end."""
    from adapters.server import create_app

    started: list[TestServer] = []

    async def start(custom: Settings | None = None) -> TestServer:
        chosen = custom or settings
        shared = matcher if chosen.knowledge_dir == bundled_knowledge_dir() else None
        server = TestServer(create_app(chosen, clock=clock, matcher=shared), host="127.0.0.1", port=None)
        await server.start_server()
        started.append(server)
        return server

    yield start
    for server in started:
        await server.close()


@pytest.fixture
async def serve(settings: Settings, clock: FixedClock, matcher: Matcher):
    """`await serve()` (or `serve(custom_settings)`): a running server, see `serving`."""
    async for start in serving(settings, clock, matcher):
        yield start


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
