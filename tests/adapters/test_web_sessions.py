"""Web-chat sessions over real HTTP: only issued tokens, stored hashed, rotated when the session comes to own
something, and no database row for a request that brings no session.

Regressions: a made-up cookie of the right shape was accepted and renewed for a year; every cookieless POST
left a row in the database.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import sqlite3
from datetime import timedelta

import aiohttp

from adapters.server import RUNTIME
from adapters.web.session import COOKIE_NAME, session_id_of
from bot.knowledge.answers import NOTHING_OPEN
from social_map.migrations import MIGRATIONS, migrate
from social_map.sqlite import SQLiteDatabase

REGISTRATION = ["aanmelden", "Wim Web", "Buurtwerk Zeist", "-", "buurtwerk", "Zeist", "wim@buurtwerk.nl", "-", "-", "ja"]


def client() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


async def post(session: aiohttp.ClientSession, server, text: str, cookie: str | None = None) -> tuple[str, str | None]:
    """The last reply's text, and the session cookie the answer set (None when it set none)."""
    headers = {"Cookie": f"{COOKIE_NAME}={cookie}"} if cookie is not None else {}
    async with session.post(server.make_url("/api/chat"), json={"text": text}, headers=headers) as response:
        assert response.status == 200
        body = await response.json()
        set_cookie = response.cookies.get(COOKIE_NAME)
    return body["replies"][-1]["text"], set_cookie.value if set_cookie else None


def rows(db_path) -> dict[str, int]:
    db = sqlite3.connect(db_path)
    try:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'partner_terms%'")]
        return {table: db.execute(f"SELECT COUNT(*) FROM '{table}'").fetchone()[0] for table in tables}
    finally:
        db.close()


async def invite(server) -> str:
    code, _ = server.app[RUNTIME].invitations.issue("cli", valid_for=timedelta(days=7))
    return code


async def test_a_made_up_cookie_of_the_right_shape_is_replaced_not_renewed(serve, settings):
    server = await serve()
    made_up = [
        base64.urlsafe_b64encode(secrets.token_bytes(48)).decode(),  # the shape of a token today
        secrets.token_urlsafe(32),  # the shape of a token before
    ]
    async with aiohttp.ClientSession() as session:
        for forged in made_up:
            async with session.get(server.make_url("/"), headers={"Cookie": f"{COOKIE_NAME}={forged}"}) as response:
                issued = response.cookies[COOKIE_NAME].value
            assert issued != forged and len(issued) == 64
            # The forged cookie gets no conversation of its own either: each request starts afresh.
            await post(session, server, "we vertrouwen elkaar niet", cookie=forged)
            text, again = await post(session, server, "2", cookie=forged)
            assert again != forged and text == NOTHING_OPEN


async def test_a_request_without_a_session_leaves_no_row(serve, settings):
    server = await serve()
    async with aiohttp.ClientSession() as cookieless:
        async with cookieless.get(server.make_url("/")) as response:
            assert response.status == 200
        before = rows(settings.db_path)
        for text in ["wat is ketenregie?", "help", "we vertrouwen elkaar niet", "aanmelden", "wie kan ik bellen over schulden"] * 10:
            reply, cookie = await post(cookieless, server, text)
            assert reply and cookie  # answered, and offered a session for next time
        async with cookieless.get(server.make_url("/api/inbox")) as response:
            assert response.status == 200
    after = rows(settings.db_path)
    # Questions are counted per week and platform for the dashboard: one row however many ask, none per request.
    assert (before.pop("question_counts"), after.pop("question_counts")) == (0, 1)
    assert after == before
    assert before["web_sessions"] == before["conversation_state"] == 0


async def test_the_token_rotates_when_invited_and_again_when_registering(serve, settings):
    server = await serve()
    async with client() as browser:
        async with browser.get(server.make_url("/")) as response:
            first = response.cookies[COOKIE_NAME].value
        text, invited = await post(browser, server, f"uitnodiging {await invite(server)}")
        assert text.startswith("Welkom!") and invited not in (None, first)
        assert session_id_of(invited) == session_id_of(first)  # the same person, a new token
        for line in REGISTRATION[:-1]:
            await post(browser, server, line)
        text, registered = await post(browser, server, REGISTRATION[-1])
        assert text.startswith("Dank je!") and registered not in (None, invited)
        assert (await post(browser, server, "mijn gegevens"))[0].startswith("Dit staat er over jou op de sociale kaart:")
    async with aiohttp.ClientSession() as attacker:
        for stale in (first, invited):
            text, replaced = await post(attacker, server, "mijn gegevens", cookie=stale)
            assert replaced != stale and "Wim Web" not in text
            assert (await post(attacker, server, "contactpersoon buurtwerk", cookie=stale))[0].startswith("De sociale kaart")


async def test_tokens_are_stored_only_as_a_hash(serve, settings):
    server = await serve()
    async with client() as browser:
        async with browser.get(server.make_url("/")):
            pass
        await post(browser, server, f"uitnodiging {await invite(server)}")
        for line in REGISTRATION:
            _, token = await post(browser, server, line)
        token = token or next(c.value for c in browser.cookie_jar if c.key == COOKIE_NAME)
    db = sqlite3.connect(settings.db_path)
    dump = "\n".join(db.iterdump())
    db.close()
    assert token not in dump
    assert hashlib.sha256(token.encode()).hexdigest() in dump
    assert f"web:{session_id_of(token)}" in dump  # the identity is the session id, not the token


async def test_a_token_from_before_signed_tokens_keeps_its_entry_and_is_rotated(serve, settings):
    """Web users registered before this change were known by their raw token; the migration keeps them."""
    legacy = secrets.token_urlsafe(32)
    db = SQLiteDatabase.open(settings.db_path)
    migrate(db, MIGRATIONS[:7])
    db.execute("INSERT INTO partners (name, organisation, topics, created_at, updated_at, confirmed_at, consent_at)"
               " VALUES ('Carla Smit', 'Stichting Opvang', 'opvang', '2026-01-01', '2026-01-01', '2026-01-01', '2026-01-01')")
    db.execute("INSERT INTO identities (identity, partner_id) VALUES (?, 1)", (f"web:{legacy}",))
    db.execute("INSERT INTO conversation_state (key, data, updated_at) VALUES (?, '{}', '2026-01-01')", (f"web:{legacy}|x",))
    db.close()
    server = await serve()
    stored = json.dumps(rows(settings.db_path))
    assert legacy not in stored
    async with aiohttp.ClientSession() as carla:
        text, rotated = await post(carla, server, "mijn gegevens", cookie=legacy)
        assert "- Naam: Carla Smit" in text
        assert rotated != legacy and len(rotated) == 64
        assert "- Naam: Carla Smit" in (await post(carla, server, "mijn gegevens", cookie=rotated))[0]
        assert "Carla Smit" not in (await post(carla, server, "mijn gegevens", cookie=legacy))[0]
    check = sqlite3.connect(settings.db_path)
    assert check.execute("SELECT identity FROM identities").fetchall() == [(f"web:{session_id_of(rotated)}",)]
    assert check.execute("SELECT COUNT(*) FROM conversation_state WHERE key LIKE ?", (f"web:{legacy}%",)).fetchone() == (0,)
    check.close()
