"""Who may open the dashboard, over real HTTP: one-time links, 8-hour sessions, Dutch refusals, origin checks.

The routes run in a small aiohttp app on 127.0.0.1 with the in-memory store (tests/fakes/dashboard_access.py);
the Protocol's own rules are checked for every implementation of it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.web.dashboard.access import LINK_VALIDITY, SESSION_LENGTH, DashboardAccess, link_url
from adapters.web.dashboard.app import setup_dashboard
from adapters.web.dashboard.store import StoredDashboardAccess
from adapters.web.errors import dutch_route_errors
from bot.clock import FixedClock
from social_map.dashboard_access import DashboardLinks
from social_map.database import open_database
from tests.dashboard_seed import seeded_view
from tests.fakes.dashboard_access import MemoryDashboardAccess

DIRECTOR = "slack:UDIRECTEUR"
PUBLIC_URL = "https://keten.example.nl"


class Roster:
    """The chain's directors, changeable while the server runs."""

    def __init__(self, *identities: str) -> None:
        self.identities = set(identities)

    def is_director(self, identity: str) -> bool:
        return identity in self.identities


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))


@pytest.fixture
def store(clock) -> MemoryDashboardAccess:
    return MemoryDashboardAccess(clock)


@pytest.fixture
def roster() -> Roster:
    return Roster(DIRECTOR)


@pytest.fixture
async def server(store, roster):
    app = web.Application(middlewares=[dutch_route_errors])
    setup_dashboard(app, store, seeded_view, directors=roster, public_url=PUBLIC_URL)
    test_server = TestServer(app, host="127.0.0.1", port=None)
    await test_server.start_server()
    yield test_server
    await test_server.close()


@pytest.fixture
async def http():
    # Cookies are read and sent by hand: each test says exactly which cookie a browser would hold.
    async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as session:
        yield session


def own_origin(server: TestServer) -> dict[str, str]:
    return {"Origin": str(server.make_url("")).rstrip("/"), "Sec-Fetch-Site": "same-origin"}


async def redeem(http, server, token: str, headers: dict[str, str] | None = None) -> aiohttp.ClientResponse:
    async with http.post(
        server.make_url("/dashboard/session"),
        data={"token": token},
        headers=own_origin(server) if headers is None else headers,
        allow_redirects=False,
    ) as response:
        await response.read()
        return response


def session_cookie(response: aiohttp.ClientResponse) -> SimpleCookie:
    cookie = SimpleCookie()
    for header in response.headers.getall("Set-Cookie", []):
        cookie.load(header)
    return cookie


async def dashboard(http, server, token: str | None) -> tuple[int, str, aiohttp.ClientResponse]:
    headers = {"Cookie": f"ketenbot_dashboard={token}"} if token else {}
    async with http.get(server.make_url("/dashboard"), headers=headers) as response:
        return response.status, await response.text(), response


async def signed_in(http, server, store) -> str:
    response = await redeem(http, server, store.issue_link(DIRECTOR))
    assert response.status == 303
    return session_cookie(response)["ketenbot_dashboard"].value


def assert_dutch_page(status: int, body: str, response, expected_status: int, title: str) -> None:
    assert status == expected_status
    assert response.content_type == "text/html"
    assert f"<h1>{title}</h1>" in body
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "form-action 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


# --- a link, opened once ----------------------------------------------------------------------------


async def test_a_link_opens_a_session_of_eight_hours_in_a_strict_cookie(http, server, store):
    response = await redeem(http, server, store.issue_link(DIRECTOR))
    assert response.status == 303
    assert response.headers["Location"] == "/dashboard"  # the token is not in the address
    morsel = session_cookie(response)["ketenbot_dashboard"]
    assert morsel["httponly"] and morsel["samesite"] == "Strict" and morsel["path"] == "/"
    assert morsel["max-age"] == str(8 * 60 * 60)
    assert not morsel["secure"]  # plain HTTP on this machine; behind HTTPS see the next test
    status, body, _ = await dashboard(http, server, morsel.value)
    assert status == 200
    assert "<h1>Dashboard van de ketenregisseur</h1>" in body and "75% (9 van 12)" in body


async def test_behind_https_the_cookie_is_host_prefixed_and_secure(http, server, store):
    headers = {**own_origin(server), "X-Forwarded-Proto": "https"}
    headers["Origin"] = headers["Origin"].replace("http://", "https://")
    response = await redeem(http, server, store.issue_link(DIRECTOR), headers)
    morsel = session_cookie(response)["__Host-ketenbot_dashboard"]
    assert (
        morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "Strict" and morsel["path"] == "/"
    )
    assert not morsel["domain"]
    async with http.get(
        server.make_url("/dashboard"), headers={"Cookie": f"__Host-ketenbot_dashboard={morsel.value}"}
    ) as page:
        assert page.status == 200


async def test_a_used_link_is_refused_with_a_dutch_page(http, server, store):
    link = store.issue_link(DIRECTOR)
    assert (await redeem(http, server, link)).status == 303
    response = await redeem(http, server, link)
    assert response.status == 401
    assert not session_cookie(response)
    async with http.post(
        server.make_url("/dashboard/session"), data={"token": link}, headers=own_origin(server)
    ) as again:
        assert_dutch_page(again.status, await again.text(), again, 401, "Deze link werkt niet meer")
        assert "10 minuten" in await again.text()


async def test_a_link_works_for_ten_minutes(http, server, store, clock):
    fresh, stale = store.issue_link(DIRECTOR), store.issue_link(DIRECTOR)
    clock.advance(LINK_VALIDITY - timedelta(seconds=1))
    assert (await redeem(http, server, fresh)).status == 303
    clock.advance(timedelta(seconds=1))
    assert (await redeem(http, server, stale)).status == 401


@pytest.mark.parametrize("token", ["", "x" * 101, "een link", "../../etc", "ä" * 43])
async def test_a_made_up_token_is_refused(http, server, token):
    assert (await redeem(http, server, token)).status == 401


async def test_a_session_ends_after_eight_hours(http, server, store, clock):
    token = await signed_in(http, server, store)
    clock.advance(SESSION_LENGTH - timedelta(seconds=1))
    assert (await dashboard(http, server, token))[0] == 200
    clock.advance(timedelta(seconds=1))
    status, body, response = await dashboard(http, server, token)
    assert_dutch_page(status, body, response, 401, "Log in met een link")


# --- no session, no director ------------------------------------------------------------------------


async def test_without_a_session_the_dashboard_is_401_with_the_page_that_opens_links(http, server):
    status, body, response = await dashboard(http, server, None)
    assert_dutch_page(status, body, response, 401, "Log in met een link")
    assert "typ \u201cdashboard\u201d in de chat" in body.lower()
    assert '<form id="dashboard-open" method="post" action="/dashboard/session">' in body
    assert "75%" not in body


async def test_a_made_up_cookie_is_no_session(http, server):
    assert (await dashboard(http, server, "a" * 43))[0] == 401


async def test_a_link_for_someone_who_is_no_director_is_403(http, server, store):
    response = await redeem(http, server, store.issue_link("slack:UANDER"))
    assert response.status == 403
    assert not session_cookie(response)["ketenbot_dashboard"].value
    assert store.sessions == {}  # the session the link made is gone at once


async def test_a_director_removed_during_a_session_is_refused_and_the_session_ends(
    http, server, store, roster
):
    token = await signed_in(http, server, store)
    roster.identities.clear()
    status, body, response = await dashboard(http, server, token)
    assert_dutch_page(status, body, response, 403, "Geen toegang")
    assert session_cookie(response)["ketenbot_dashboard"]["max-age"] == "0"
    roster.identities.add(DIRECTOR)
    assert (await dashboard(http, server, token))[0] == 401


# --- every state-changing request comes from the dashboard itself -----------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Origin": "null"},
        {"Origin": "https://evil.example"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},  # with the right Origin, added below
    ],
    ids=["no origin", "null origin", "other origin", "other site", "sibling site"],
)
async def test_a_link_posted_from_elsewhere_is_refused_and_not_used_up(http, server, store, headers):
    if headers.get("Sec-Fetch-Site") == "same-site":
        headers = {**own_origin(server), **headers}
    link = store.issue_link(DIRECTOR)
    async with http.post(
        server.make_url("/dashboard/session"), data={"token": link}, headers=headers, allow_redirects=False
    ) as response:
        assert_dutch_page(response.status, await response.text(), response, 403, "Verzoek geweigerd")
    assert (await redeem(http, server, link)).status == 303


async def test_the_public_address_counts_as_the_own_origin(http, server, store):
    headers = {"Origin": PUBLIC_URL, "Sec-Fetch-Site": "same-origin"}
    assert (await redeem(http, server, store.issue_link(DIRECTOR), headers)).status == 303


async def test_signing_out_ends_the_session_but_not_from_another_site(http, server, store):
    token = await signed_in(http, server, store)
    cookie = {"Cookie": f"ketenbot_dashboard={token}"}
    async with http.post(
        server.make_url("/dashboard/sign-out"), headers={**cookie, "Origin": "https://evil.example"}
    ) as refused:
        assert refused.status == 403
    assert (await dashboard(http, server, token))[0] == 200
    async with http.post(
        server.make_url("/dashboard/sign-out"), headers={**cookie, **own_origin(server)}
    ) as response:
        assert_dutch_page(response.status, await response.text(), response, 200, "Je bent afgemeld")
        assert session_cookie(response)["ketenbot_dashboard"]["max-age"] == "0"
    assert (await dashboard(http, server, token))[0] == 401


async def test_the_link_opening_route_takes_no_get(http, server, store):
    async with http.get(server.make_url("/dashboard/session")) as response:
        assert response.status == 405
        assert "manier van opvragen (GET)" in await response.text()


def test_the_link_carries_its_token_in_the_fragment():
    assert (
        link_url("https://keten.example.nl/", "abc_DEF-123")
        == "https://keten.example.nl/dashboard#toegang=abc_DEF-123"
    )


# --- the Protocol's rules, for every store that keeps it ---------------------------------------------

@pytest.fixture
def database(tmp_path):
    db = open_database(tmp_path / "ketenbot.db")
    yield db
    db.close()


STORES = {
    "memory": lambda clock, _db: MemoryDashboardAccess(clock),
    "sqlite": lambda clock, db: StoredDashboardAccess(DashboardLinks(db, clock=clock), clock=clock),
}


@pytest.fixture(params=sorted(STORES))
def any_store(request, clock, database) -> DashboardAccess:
    return STORES[request.param](clock, database)


def test_store_redeems_a_link_once_for_its_director(any_store, clock):
    link = any_store.issue_link(DIRECTOR)
    session = any_store.redeem(link)
    assert session.director == DIRECTOR and session.expires_at == clock.now() + SESSION_LENGTH
    assert session.token != link
    assert any_store.redeem(link) is None
    assert any_store.session(session.token) == session


def test_store_links_and_sessions_expire(any_store, clock):
    link = any_store.issue_link(DIRECTOR)
    session = any_store.redeem(any_store.issue_link(DIRECTOR))
    clock.advance(LINK_VALIDITY)
    assert any_store.redeem(link) is None
    clock.advance(SESSION_LENGTH - LINK_VALIDITY)
    assert any_store.session(session.token) is None


def test_store_revokes_one_session_only(any_store):
    first, second = (any_store.redeem(any_store.issue_link(DIRECTOR)) for _ in range(2))
    any_store.revoke(first.token)
    assert any_store.session(first.token) is None
    assert any_store.session(second.token) == second
    assert any_store.redeem("unknown") is None and any_store.session("unknown") is None


def test_the_database_keeps_no_token_in_clear(clock, database):
    store = StoredDashboardAccess(DashboardLinks(database, clock=clock), clock=clock)
    unused = store.issue_link(DIRECTOR)
    session = store.redeem(store.issue_link(DIRECTOR))
    rows = [
        *database.execute("SELECT token_hash, director FROM dashboard_links").fetchall(),
        *database.execute("SELECT token_hash, director FROM dashboard_sessions").fetchall(),
    ]
    assert len(rows) == 3
    assert not any(token in value for token in (unused, session.token) for row in rows for value in row)


def test_links_and_sessions_survive_a_restart_and_expired_ones_are_purged(clock, tmp_path):
    first = open_database(tmp_path / "ketenbot.db")
    store = StoredDashboardAccess(DashboardLinks(first, clock=clock), clock=clock)
    link, session = store.issue_link(DIRECTOR), store.redeem(store.issue_link(DIRECTOR))
    first.close()
    again = open_database(tmp_path / "ketenbot.db")
    store = StoredDashboardAccess(DashboardLinks(again, clock=clock), clock=clock)
    assert store.session(session.token) == session
    clock.advance(SESSION_LENGTH)
    assert store.redeem(link) is None
    store.redeem(store.issue_link(DIRECTOR))  # opening a session clears out what has expired
    assert again.execute("SELECT COUNT(*) FROM dashboard_sessions").fetchone() == (1,)
    assert again.execute("SELECT COUNT(*) FROM dashboard_links").fetchone() == (1,)
    again.close()
