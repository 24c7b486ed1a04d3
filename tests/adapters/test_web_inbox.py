"""The web inbox over real HTTP: acknowledged delivery, the renewed session cookie, Dutch 404 and 405."""

from __future__ import annotations

import json

import aiohttp
import pytest

from adapters.server import RUNTIME
from adapters.web.inbox import MAX_ACK_IDS
from adapters.web.page import SECURITY_HEADERS
from adapters.web.session import COOKIE_MAX_AGE, COOKIE_NAME, session_id_of
from adapters.web.texts import ERRORS
from bot.config import Settings
from bot.messages import Reply, to_payload
from tests.adapters.test_slack import SECRET

CHECKIN = "Check-in van de ketenregisseur. Staat ons gezamenlijke doel nog?"


def client() -> aiohttp.ClientSession:
    # unsafe=True: the server is 127.0.0.1, and the default jar ignores cookies from IP addresses.
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def open_chat(session: aiohttp.ClientSession, server) -> str:
    """Open the page, as a person does; returns the session token the cookie carries."""
    async with session.get(server.make_url("/")) as response:
        assert response.status == 200
        return response.cookies[COOKIE_NAME].value


def queue(server, token: str, text: str = CHECKIN, key: str = "checkin:1") -> int:
    """A proactive message for this web session, as the scheduler queues it; returns its outbox id."""
    outbox = server.app[RUNTIME].outbox
    assert outbox.enqueue([(key, f"web:{session_id_of(token)}", to_payload(Reply(text=text, intent="checkin")))]) == 1
    return outbox.db.execute("SELECT id FROM outbox WHERE dedupe_key = ?", (key,)).fetchone()[0]


def status_of(server, delivery_id: int) -> tuple[str, str | None]:
    row = server.app[RUNTIME].outbox.db.execute("SELECT status, sent_at FROM outbox WHERE id = ?", (delivery_id,))
    return tuple(row.fetchone())


async def inbox(session: aiohttp.ClientSession, server) -> list[dict]:
    async with session.get(server.make_url("/api/inbox")) as response:
        assert response.status == 200
        assert response.headers["Cache-Control"] == "no-store"
        return (await response.json())["replies"]


async def ack(session: aiohttp.ClientSession, server, body: object) -> tuple[int, dict]:
    async with session.post(server.make_url("/api/inbox/ack"), json=body) as response:
        return response.status, await response.json()


# --- acknowledged delivery ------------------------------------------------------------------------


async def test_inbox_delivers_at_least_once_until_acknowledged(serve):
    """Regression: GET /api/inbox marked messages sent before the page had them; a dropped tab lost them."""
    server = await serve()
    async with client() as session:
        token = await open_chat(session, server)
        delivery_id = queue(server, token)
        [first] = await inbox(session, server)
        assert first["id"] == delivery_id and first["text"] == CHECKIN and first["intent"] == "checkin"
        assert status_of(server, delivery_id) == ("pending", None)
        [again] = await inbox(session, server)  # the tab was closed before it acknowledged: nothing lost
        assert again == first
        assert await ack(session, server, {"ids": [delivery_id]}) == (200, {"acknowledged": 1})
        assert await inbox(session, server) == []
        assert await ack(session, server, {"ids": [delivery_id]}) == (200, {"acknowledged": 0})
    status, sent_at = status_of(server, delivery_id)
    assert status == "sent" and sent_at is not None


async def test_a_disconnect_before_reading_loses_nothing(serve):
    server = await serve()
    async with client() as session:
        token = await open_chat(session, server)
        delivery_id = queue(server, token)
        async with session.get(server.make_url("/api/inbox")) as response:
            assert response.status == 200
            response.close()  # dropped without reading the body
        assert status_of(server, delivery_id) == ("pending", None)
        assert [reply["id"] for reply in await inbox(session, server)] == [delivery_id]


async def test_broadcast_progress_counts_only_acknowledged_web_messages(serve):
    server = await serve()
    outbox = server.app[RUNTIME].outbox
    async with client() as session:
        token = await open_chat(session, server)
        broadcast = outbox.new_broadcast("Mijlpaal bereikt", "slack:UREGISSEUR")
        outbox.enqueue([("celebrate:1", f"web:{session_id_of(token)}", to_payload(Reply(text="Gefeliciteerd!")))],
                       broadcast_id=broadcast)
        [message] = await inbox(session, server)
        assert outbox.progress(broadcast)["pending"] == 1 and outbox.progress(broadcast)["sent"] == 0
        assert (await ack(session, server, {"ids": [message["id"]]}))[0] == 200
    assert outbox.progress(broadcast)["sent"] == 1


async def test_only_the_sessions_own_messages_can_be_acknowledged(serve):
    server = await serve()
    async with client() as owner, client() as other, client() as stranger:
        token = await open_chat(owner, server)
        await open_chat(other, server)
        delivery_id = queue(server, token)
        assert await inbox(other, server) == []
        assert await ack(other, server, {"ids": [delivery_id]}) == (200, {"acknowledged": 0})
        # Without any cookie: a new session, which owns nothing yet.
        async with stranger.post(server.make_url("/api/inbox/ack"), json={"ids": [delivery_id]}) as response:
            assert response.status == 200 and await response.json() == {"acknowledged": 0}
            assert response.cookies[COOKIE_NAME].value != token
        assert status_of(server, delivery_id) == ("pending", None)
        assert [reply["id"] for reply in await inbox(owner, server)] == [delivery_id]


async def test_messages_not_yet_due_are_not_handed_out_or_acknowledged(serve, clock):
    from datetime import timedelta

    server = await serve()
    outbox = server.app[RUNTIME].outbox
    async with client() as session:
        token = await open_chat(session, server)
        outbox.enqueue([("later:1", f"web:{session_id_of(token)}", to_payload(Reply(text="Later")))],
                       not_before=clock.now() + timedelta(days=1))
        [later_id] = outbox.db.execute("SELECT id FROM outbox WHERE dedupe_key = 'later:1'").fetchone()
        assert await inbox(session, server) == []
        assert await ack(session, server, {"ids": [later_id]}) == (200, {"acknowledged": 0})
    assert status_of(server, later_id) == ("pending", None)


BAD_ACKS = {
    "broken JSON": b'{"ids": ',
    "not an object": b"[1, 2]",
    "no ids": b'{"id": 1}',
    "ids not a list": b'{"ids": "1,2"}',
    "id not a number": b'{"ids": ["1"]}',
    "id a boolean": b'{"ids": [true]}',
    "id a fraction": b'{"ids": [1.5]}',
    "id zero": b'{"ids": [0]}',
    "id negative": b'{"ids": [-3]}',
    "too many ids": json.dumps({"ids": list(range(1, MAX_ACK_IDS + 2))}).encode(),
    "not UTF-8": b'{"ids": [1], "x": "caf\xe9"}',
    "deeply nested": b"[" * 50_000,
}
DUTCH_ACK_ERRORS = {text.replace("{limit}", str(MAX_ACK_IDS)) for text in ERRORS.values()}


async def test_bad_acknowledgements_get_a_dutch_400_never_a_500(serve):
    server = await serve()
    async with client() as session:
        token = await open_chat(session, server)
        delivery_id = queue(server, token)
        for case, body in BAD_ACKS.items():
            async with session.post(
                server.make_url("/api/inbox/ack"), data=body, headers={"Content-Type": "application/json"}
            ) as response:
                assert response.status == 400, case
                assert (await response.json())["error"] in DUTCH_ACK_ERRORS, case
        async with session.post(server.make_url("/api/inbox/ack"), data={"ids": str(delivery_id)}) as response:
            assert response.status == 400  # a form from another site cannot acknowledge (and so hide) messages
            assert "JSON" in (await response.json())["error"]
        huge = json.dumps({"ids": [2**70]}).encode()
        async with session.post(
            server.make_url("/api/inbox/ack"), data=huge, headers={"Content-Type": "application/json"}
        ) as response:
            assert response.status == 200 and await response.json() == {"acknowledged": 0}
    assert status_of(server, delivery_id) == ("pending", None)


# --- the session cookie is renewed ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [("GET", "/", None), ("POST", "/api/chat", {"text": "help"}), ("GET", "/api/inbox", None),
     ("POST", "/api/inbox/ack", {"ids": []})],
)
async def test_session_cookie_is_renewed_with_the_same_token(serve, method, path, body):
    """Regression: the cookie expired a year after the first visit, however often the person came back."""
    server = await serve()
    async with client() as session:
        token = await open_chat(session, server)
        async with session.request(method, server.make_url(path), json=body) as response:
            assert response.status == 200
            cookie = response.cookies[COOKIE_NAME]
    assert cookie.value == token
    assert cookie["max-age"] == str(COOKIE_MAX_AGE)
    assert cookie["httponly"] is True and cookie["samesite"] == "Lax" and cookie["path"] == "/"


async def test_renewed_cookie_keeps_the_registration(serve):
    server = await serve()
    async with client() as session:
        token = await open_chat(session, server)
        async with session.get(server.make_url("/")) as response:
            renewed = response.cookies[COOKIE_NAME].value
    async with client() as later:
        later.cookie_jar.update_cookies({COOKIE_NAME: renewed}, response_url=server.make_url("/"))
        async with later.post(server.make_url("/api/chat"), json={"text": "help"}) as response:
            assert response.cookies[COOKIE_NAME].value == token


async def test_a_forged_cookie_is_replaced_not_renewed(serve):
    server = await serve()
    async with aiohttp.ClientSession() as session, session.get(
        server.make_url("/"), headers={"Cookie": f"{COOKIE_NAME}=kort"}
    ) as response:
        assert response.cookies[COOKIE_NAME].value != "kort"
        assert len(response.cookies[COOKIE_NAME].value) >= 40


# --- unknown routes and methods -------------------------------------------------------------------


def assert_security_headers(response: aiohttp.ClientResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value, name


@pytest.mark.parametrize("path", ["/bestaat-niet", "/chat.js/x", "/static/../etc/passwd", "/%00", "/" + "a" * 3000])
async def test_unknown_page_is_a_dutch_404_with_security_headers(serve, path):
    server = await serve()
    async with aiohttp.ClientSession() as session, session.get(server.make_url("/").with_path(path, encoded=True)) as response:
        assert response.status == 404
        assert response.content_type == "text/plain" and response.charset == "utf-8"
        assert await response.text() == "Deze pagina bestaat niet. De chat staat op /."
        assert_security_headers(response)


async def test_unknown_api_route_is_a_dutch_404_in_json(serve):
    server = await serve()
    async with aiohttp.ClientSession() as session, session.post(server.make_url("/api/vraag"), json={}) as response:
        assert response.status == 404
        assert await response.json() == {"error": "Deze pagina bestaat niet. De chat staat op /."}
        assert_security_headers(response)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [("GET", "/api/chat", "POST"), ("DELETE", "/api/inbox", "GET"), ("PUT", "/healthz", "GET"),
     ("POST", "/", "GET"), ("GET", "/api/messages", "POST")],
)
async def test_wrong_method_is_a_dutch_405_with_allow(serve, method, path, allowed):
    server = await serve()
    async with aiohttp.ClientSession() as session, session.request(method, server.make_url(path)) as response:
        assert response.status == 405
        assert allowed in response.headers["Allow"]
        assert_security_headers(response)
        text = await response.text()
    if path.startswith("/api/"):
        text = json.loads(text)["error"]
    assert text == f"Dit adres bestaat, maar niet voor deze manier van opvragen ({method})."
    assert "Not Allowed" not in text


async def test_slack_and_teams_routes_keep_their_own_answers(serve, fresh_db):
    server = await serve(Settings(db_path=fresh_db, slack_bot_token="xoxb-test", slack_signing_secret=SECRET, teams_emulator=True))
    async with aiohttp.ClientSession() as session:
        async with session.post(server.make_url("/slack/events"), data=b"{}") as response:
            assert response.status == 401
            assert await response.text() == "Ontbrekende of ongeldige Slack-handtekening."
        async with session.post(server.make_url("/api/messages"), data=b"nope") as response:
            assert response.status == 400
            assert await response.json() == {"error": "verwacht een activity in JSON"}
        async with session.get(server.make_url("/slack/events")) as response:
            assert response.status == 405  # the route exists; the method does not: answered in Dutch
            assert "manier van opvragen (GET)" in await response.text()
