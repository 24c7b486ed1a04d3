"""One heavy client must not stall everyone: rate limits per address, per web session and per person, with 429
and a Dutch message; X-Forwarded-For only from configured proxies; the matcher reads a bounded part of a long
message while the privacy check reads all of it.

Regression: one session sent 1 000 requests in 0.8 s without ever getting a 429.
"""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest

from adapters.rate_limits import PER_ADDRESS, PER_PERSON, client_address
from bot.config import Settings, SettingsError
from bot.guidance import TOO_MANY_MESSAGES
from bot.understanding.reading import READ_CHARS, excerpt
from tests.adapters.test_slack import SECRET, event, post, signed_headers
from tests.adapters.test_teams import TENANT
from tests.adapters.test_teams import activity as teams_activity
from tests.adapters.test_teams import post as teams_post


def client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def chat(session: aiohttp.ClientSession, server, text: str, headers: dict[str, str] | None = None) -> tuple[int, dict, str | None]:
    async with session.post(server.make_url("/api/chat"), json={"text": text}, headers=headers or {}) as response:
        return response.status, await response.json(), response.headers.get("Retry-After")


async def test_one_session_flooding_gets_429_with_a_dutch_message(serve):
    server = await serve()
    async with client() as flooder, client() as bystander:
        for browser in (flooder, bystander):
            async with browser.get(server.make_url("/")):
                pass
        answers = await asyncio.gather(*(chat(flooder, server, "wat is ketenregie?") for _ in range(200)))
        statuses = [status for status, _, _ in answers]
        assert statuses.count(200) == PER_PERSON and statuses.count(429) == 200 - PER_PERSON
        refused = [(body, retry) for status, body, retry in answers if status == 429]
        assert all(body == {"error": TOO_MANY_MESSAGES} for body, _ in refused)
        assert all(retry is not None and 1 <= int(retry) <= 61 for _, retry in refused)
        # Someone else, in another session, is answered as usual.
        status, body, _ = await chat(bystander, server, "wat is ketenregie?")
        assert status == 200 and body["replies"][-1]["intent"] == "knowledge"


async def test_an_address_making_new_sessions_is_limited_too(serve):
    server = await serve()
    async with aiohttp.ClientSession() as cookieless:  # every request a new session
        statuses = []
        for _ in range(PER_ADDRESS + 5):
            async with cookieless.get(server.make_url("/api/inbox")) as response:
                statuses.append(response.status)
        assert statuses[:PER_ADDRESS] == [200] * PER_ADDRESS and statuses[PER_ADDRESS:] == [429] * 5
        status, body, _ = await chat(cookieless, server, "help")
        assert (status, body) == (429, {"error": TOO_MANY_MESSAGES})


async def flood_inbox(session: aiohttp.ClientSession, server, forwarded_for: str, count: int) -> list[int]:
    statuses = []
    for _ in range(count):
        async with session.get(server.make_url("/api/inbox"), headers={"X-Forwarded-For": forwarded_for}) as response:
            statuses.append(response.status)
    return statuses


async def test_x_forwarded_for_is_ignored_unless_the_proxy_is_trusted(serve):
    server = await serve()
    async with aiohttp.ClientSession() as spoofer:
        # A made-up address per request does not escape the limit of the real address.
        statuses = [
            (await flood_inbox(spoofer, server, f"203.0.113.{n % 250}", 1))[0] for n in range(PER_ADDRESS + 1)
        ]
        assert statuses[-1] == 429


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit(serve, fresh_db):
    server = await serve(Settings(db_path=fresh_db, trusted_proxies=(__import__("ipaddress").ip_network("127.0.0.0/8"),)))
    async with aiohttp.ClientSession() as proxy:
        assert (await flood_inbox(proxy, server, "198.51.100.7", PER_ADDRESS + 1))[-1] == 429
        # Another client behind the same proxy is not held up by the first.
        assert await flood_inbox(proxy, server, "198.51.100.8", 3) == [200, 200, 200]
        # The limited client cannot escape by writing a made-up address in front: the proxy appends the real one.
        assert await flood_inbox(proxy, server, "192.0.2.1, 198.51.100.7", 1) == [429]


class FakeRequest:
    def __init__(self, remote: str, forwarded: list[str]) -> None:
        self.remote = remote
        self.headers = FakeHeaders(forwarded)


class FakeHeaders:
    def __init__(self, values: list[str]) -> None:
        self.values = values

    def getall(self, name: str, default: list[str]) -> list[str]:
        return self.values or default


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("192.0.2.9", ["198.51.100.7"], "", "192.0.2.9"),  # no proxy configured: the header is ignored
        ("10.0.0.5", ["198.51.100.7"], "10.0.0.0/24", "198.51.100.7"),
        ("10.0.0.5", ["1.2.3.4, 198.51.100.7"], "10.0.0.5", "198.51.100.7"),  # spoofed entries to the left are not used
        ("10.0.0.5", ["198.51.100.7, 10.0.0.6"], "10.0.0.0/24", "198.51.100.7"),  # two proxies in a row
        ("192.0.2.9", ["198.51.100.7"], "10.0.0.0/24", "192.0.2.9"),  # the header from someone who is no proxy
        ("10.0.0.5", [], "10.0.0.0/24", "10.0.0.5"),
        ("::1", ["2001:db8::7"], "::1", "2001:db8::7"),
    ],
)
def test_client_address(remote, forwarded, trusted, expected):
    settings = Settings.from_env({"KETENBOT_TRUSTED_PROXIES": trusted})
    assert client_address(FakeRequest(remote, forwarded), settings.trusted_proxies) == expected


def test_trusted_proxies_must_be_addresses():
    with pytest.raises(SettingsError, match="KETENBOT_TRUSTED_PROXIES moet IP-adressen of netwerken bevatten"):
        Settings.from_env({"KETENBOT_TRUSTED_PROXIES": "proxy.intern"})


async def test_a_slack_user_flooding_is_asked_to_slow_down(serve, slack_api, fresh_db):
    server = await serve(Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                                  slack_api_url=slack_api.api_url))
    for number in range(PER_PERSON + 1):
        body = event("wat is ketenregie?", event_id=f"EvFlood{number}")
        assert (await post(server, body, signed_headers(body)))[0] == 200
    calls = await slack_api.wait_for("chat.postMessage", count=PER_PERSON + 1)
    assert sorted(c.body["text"] == TOO_MANY_MESSAGES for c in calls) == [False] * PER_PERSON + [True]


async def test_a_teams_user_flooding_is_asked_to_slow_down(serve, bf_connector, fresh_db):
    # Regression: Teams had no per-person limit; one person could keep a worker busy without end.
    server = await serve(Settings(db_path=fresh_db, teams_emulator=True, teams_tenants=frozenset({TENANT})))
    for number in range(PER_PERSON + 1):
        assert await teams_post(server, teams_activity(bf_connector.service_url, "wat is ketenregie?", number=number)) == 201
    await bf_connector.wait_for("/activities", count=PER_PERSON + 1)
    texts = [sent["text"] for sent in bf_connector.activities]
    assert texts.count(TOO_MANY_MESSAGES) == 1 and texts[-1] == TOO_MANY_MESSAGES


# --- a long message ---------------------------------------------------------------------------------

FILLER = "We zijn met heel veel organisaties in de wijk bezig en het overleg loopt niet altijd even soepel. "


async def test_a_bsn_at_the_end_of_a_long_message_is_still_refused(serve, settings):
    server = await serve()
    text = (FILLER * 40)[:3900] + " bsn 111 222 333"
    assert len(text) > 3 * READ_CHARS
    async with client() as session:
        async with session.get(server.make_url("/")):
            pass
        status, body, _ = await chat(session, server, text)
    assert status == 200 and body["replies"][-1]["intent"] == "privacy"
    assert "111 222 333" not in json.dumps(body)


async def test_the_question_at_the_end_of_a_long_message_is_understood(serve, knowledge):
    server = await serve()
    text = ("Ik werk bij de gemeente. " * 200)[:3800] + " Wat betekent vraaggericht werken?"
    async with client() as session:
        status, body, _ = await chat(session, server, text)
    assert status == 200
    assert knowledge.get("begrip-vraagsturing").summary in body["replies"][-1]["text"]


def test_the_matcher_reads_the_start_and_the_end_of_a_long_message():
    text = "Begin hier. " + "midden " * 1000 + "Wat is ketenregie?"
    part = excerpt(text)
    assert len(part) <= READ_CHARS + 1
    assert part.startswith("Begin hier.") and part.endswith("Wat is ketenregie?")
    assert excerpt("kort") == "kort"
